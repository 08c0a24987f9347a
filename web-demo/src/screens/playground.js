// Jenkinsfile playground: parameters, diagnostics and the accepted verdict, offline, as you type.
import { h, replace, uid } from "../lib/dom.js";
import { ksdevops } from "../lib/ksdevops.js";

const SAMPLE = `pipeline {
  agent any
  parameters {
    string(name: 'PERSON', defaultValue: 'stone', description: 'Who should I say hello to?')
    choice(name: 'CHOICE', choices: ['One', 'Two'], description: 'Pick something')
  }
  stages {
    stage('Greet') {
      steps {
        echo "Hello \${params.PERSON}"
      }
    }
  }
}
`;

export async function playground(main) {
  const { parseJenkinsfile } = await ksdevops();
  const editorId = uid("jenkinsfile");
  const editor = h("textarea", {
    id: editorId,
    class: "code",
    rows: 18,
    spellcheck: false,
    "aria-describedby": "verdict",
  });
  editor.value = sessionStorage.getItem("ksdevops.playground") ?? SAMPLE;
  const verdict = h("p", { id: "verdict", class: "verdict", role: "status" });
  const params = h("div", { class: "params" });
  const diagnostics = h("ol", { class: "diagnostics", "aria-label": "Diagnostics" });
  const source = h("pre", { class: "annotated", "aria-label": "Jenkinsfile with problems marked" });

  const jump = (d) => {
    const lines = editor.value.split("\n");
    let offset = 0;
    for (let i = 0; i < d.line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, d.column - 1);
    editor.focus();
    editor.setSelectionRange(offset, offset + 1);
  };

  const render = () => {
    const text = editor.value;
    sessionStorage.setItem("ksdevops.playground", text);
    const report = parseJenkinsfile(text);
    verdict.className = `verdict ${report.accepted ? "ok" : "bad"}`;
    replace(verdict, report.accepted ? "✔ Accepted: Jenkins would run this file" : "✘ Not accepted: Jenkins would reject this file");
    replace(params, parameterTable(report.parameters), inputList(report.inputParameters));
    replace(
      diagnostics,
      report.diagnostics.length === 0
        ? h("li", { class: "none" }, "No problems found.")
        : report.diagnostics.map((d) =>
            h("li", { class: `diag ${d.severity}` },
              h("button", { type: "button", class: "link", onclick: () => jump(d) },
                `${d.severity} at line ${d.line}, column ${d.column}`),
              `: ${d.message}`)),
    );
    replace(source, annotate(text, report.diagnostics));
  };
  editor.addEventListener("input", render);

  replace(
    main,
    h("h1", {}, "Jenkinsfile playground"),
    h("p", { class: "hint" }, "Paste or type a Jenkinsfile. It is read in your browser by the same parser the library uses; nothing is sent."),
    h("div", { class: "columns" },
      h("section", { class: "editor" },
        h("label", { for: editorId }, "Jenkinsfile"),
        editor,
        verdict),
      h("section", { "aria-label": "What the Jenkinsfile declares" },
        h("h2", {}, "Parameters"), params,
        h("h2", {}, "Diagnostics"), diagnostics,
        h("h2", {}, "Source"), source)),
  );
  render();
}

function parameterTable(parameters) {
  if (parameters.length === 0) return h("p", { class: "none" }, "No parameters.");
  return h("table", { class: "grid", "aria-label": "Parameters" },
    h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Type"), h("th", {}, "Default"), h("th", {}, "Description"))),
    h("tbody", {}, parameters.map((p) =>
      h("tr", { dataset: { param: p.name } },
        h("td", {}, p.name),
        h("td", {}, p.type),
        h("td", {}, defaultText(p)),
        h("td", {}, p.description ?? "")))));
}

function defaultText(p) {
  const d = p.defaultParameterValue;
  if (!d) return "";
  if (d.unresolved) return `computed at run time: ${d.source ?? ""}`;
  if (d.value === undefined) return p.type.toLowerCase().includes("password") ? "(hidden)" : "";
  return typeof d.value === "string" ? d.value : JSON.stringify(d.value);
}

function inputList(inputs) {
  if (!inputs || inputs.length === 0) return null;
  return h("div", {},
    h("h3", {}, "Input steps"),
    h("ul", {}, inputs.map((i) =>
      h("li", {}, `${i.stagePath.join(" › ") || "(top level)"}, line ${i.line}: `,
        i.parameters.map((p) => p.name).join(", ") || "no parameters"))));
}

/** The source with every line that has a diagnostic marked, and a caret under its column. */
function annotate(text, diagnostics) {
  const byLine = new Map();
  for (const d of diagnostics) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
  return text.split("\n").map((line, i) => {
    const here = byLine.get(i + 1);
    const number = h("span", { class: "ln", "aria-hidden": "true" }, String(i + 1).padStart(3));
    if (!here) return h("div", {}, number, " ", line);
    const worst = here.some((d) => d.severity === "error") ? "error" : here[0].severity;
    return h("div", { class: `marked ${worst}` }, number, " ", h("mark", {}, line || " "),
      here.map((d) => h("div", { class: "caret" }, " ".repeat(4 + Math.max(0, d.column - 1)), "^ ", d.message)));
  });
}
