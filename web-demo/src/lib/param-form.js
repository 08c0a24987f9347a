// A form generated from parameter definitions: one labelled widget per parameter, values
// checked by the library's checkParameters before anything is sent, errors next to the field.
import { h, uid, errorText } from "./dom.js";

/** The widget of a definition: the library's parameter kind; a file or an unknown type is
 *  typed as text. */
function widgetKind(parameterKind, definition) {
  const kind = parameterKind(definition.type);
  return kind === "file" || kind === "other" ? "string" : kind;
}

function defaultOf(definition) {
  const d = definition.defaultParameterValue;
  if (!d || d.unresolved) return undefined;
  return d.value;
}

function widget(kind, definition, id, describedBy, prefill) {
  const initial = prefill ?? defaultOf(definition);
  const common = { id, name: definition.name, "aria-describedby": describedBy };
  switch (kind) {
    case "text": {
      const el = h("textarea", { ...common, rows: 3 });
      el.value = initial ?? "";
      return el;
    }
    case "boolean":
      return h("input", { ...common, type: "checkbox", checked: initial === true || initial === "true" });
    case "choice": {
      const choices = definition.choices ?? [];
      const options = choices.map((c) => h("option", { value: c }, c));
      // A pre-filled value that is no longer a choice stays visible, so the check can name it.
      if (initial !== undefined && !choices.includes(String(initial))) {
        options.push(h("option", { value: String(initial) }, `${initial} (not a choice)`));
      }
      const el = h("select", common, options);
      if (initial !== undefined) el.value = String(initial);
      return el;
    }
    case "password":
      // Never pre-filled: the default stays on the server unless a new value is typed.
      return h("input", { ...common, type: "password", autocomplete: "off", placeholder: "(keep the default)" });
    default: {
      const el = h("input", { ...common, type: "text" });
      el.value = initial ?? "";
      return el;
    }
  }
}

/**
 * Builds the form. `submit(values)` is called with the checked values object only when
 * `checkParameters(definitions, values)` accepts them; its error is shown next to the field.
 */
export function parameterForm({ definitions, checkParameters, parameterKind, submit, submitLabel = "Run", prefill = {}, extra = [], buttons = [] }) {
  const fields = new Map();
  const formError = h("p", { class: "form-error", role: "alert" });
  const rows = definitions.map((definition) => {
    const id = uid("param");
    const errorId = `${id}-error`;
    const helpId = `${id}-help`;
    const kind = widgetKind(parameterKind, definition);
    const control = widget(kind, definition, id, `${helpId} ${errorId}`, prefill[definition.name]);
    const error = h("span", { id: errorId, class: "field-error", "aria-live": "polite" });
    fields.set(definition.name, { kind, control, error });
    const label = h("label", { for: id }, definition.name);
    return h("div", { class: `field ${kind}`, dataset: { param: definition.name } },
      label, control,
      h("small", { id: helpId, class: "help" }, definition.description ?? ""),
      error);
  });
  const button = h("button", { type: "submit", class: "primary" }, submitLabel);
  const form = h("form", { class: "params", novalidate: true },
    extra, rows,
    definitions.length === 0 ? h("p", { class: "none" }, "This pipeline takes no parameters.") : null,
    h("div", { class: "actions" }, button, buttons),
    formError);

  const values = () => {
    const out = {};
    for (const [name, { kind, control }] of fields) {
      if (kind === "boolean") out[name] = control.checked;
      else if (kind === "password") { if (control.value !== "") out[name] = control.value; }
      else out[name] = control.value;
    }
    return out;
  };
  const clearErrors = () => {
    formError.textContent = "";
    for (const { control, error } of fields.values()) {
      error.textContent = "";
      control.removeAttribute("aria-invalid");
    }
  };
  const showError = (e) => {
    const name = typeof e?.field === "string" && e.field.startsWith("parameters.") ? e.field.slice(11) : null;
    const target = name && fields.get(name);
    if (target) {
      target.error.textContent = e.message;
      target.control.setAttribute("aria-invalid", "true");
      target.control.focus();
    } else {
      formError.textContent = errorText(e);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const chosen = values();
    try {
      checkParameters(definitions, chosen);
    } catch (e) {
      showError(e);
      return;
    }
    button.disabled = true;
    try {
      await submit(chosen);
    } catch (e) {
      showError(e);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
