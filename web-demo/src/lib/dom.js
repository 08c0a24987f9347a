// A tiny element builder: h("button", { class: "x", onclick }, "text", child, …).
// Strings become text nodes, so nothing a server sends is ever parsed as HTML.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A document-unique id for label/control pairs. */
export function uid(prefix = "k") {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A message for a thrown value: a KsDevOpsError's message (it never holds a secret). */
export function errorText(error) {
  if (error && typeof error === "object" && "message" in error) {
    const kind = error.kind ? `${error.kind}: ` : "";
    return `${kind}${error.message}`;
  }
  return String(error);
}

/** "3 min ago" style age of an ISO time, or "" when there is none. */
export function age(iso, now = Date.now()) {
  const t = Date.parse(iso ?? "");
  if (Number.isNaN(t)) return "";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}
