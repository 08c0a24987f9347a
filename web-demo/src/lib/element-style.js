// The look shared by the embeddable elements (inside their shadow roots) and the console.
// Themable from outside through CSS variables: --ksd-ok, --ksd-bad, --ksd-run, --ksd-font, …
export const STYLE = `
:host, :root {
  --ksd-ok: #1a7f37; --ksd-bad: #cf222e; --ksd-warn: #9a6700; --ksd-run: #0969da;
  --ksd-pause: #8250df; --ksd-wait: #6e7781; --ksd-off: #8c959f;
  --ksd-font: system-ui, sans-serif; --ksd-mono: ui-monospace, "DejaVu Sans Mono", monospace;
  --ksd-border: #d0d7de; --ksd-bg: #fff; --ksd-fg: #1f2328;
  display: block; font-family: var(--ksd-font); color: var(--ksd-fg);
}
.view { display: grid; gap: .75rem; }
h2, h3 { margin: .2rem 0; }
header { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
code { font-family: var(--ksd-mono); }
.badge, .state { font-weight: 600; }
.badge { padding: .1rem .6rem; border-radius: 1rem; border: 2px solid currentColor; }
.tone-ok { color: var(--ksd-ok); } .tone-bad { color: var(--ksd-bad); } .tone-warn { color: var(--ksd-warn); }
.tone-run { color: var(--ksd-run); } .tone-pause { color: var(--ksd-pause); }
.tone-wait { color: var(--ksd-wait); } .tone-off { color: var(--ksd-off); }
.graph { display: flex; gap: .5rem; list-style: none; padding: 0; margin: 0; overflow-x: auto; align-items: flex-start; }
.graph > li { min-width: 9rem; }
.stage { border: 2px solid currentColor; border-radius: .4rem; padding: .4rem .6rem; display: grid; gap: .1rem; background: var(--ksd-bg); }
.stage .name, .column.parallel > .name { color: var(--ksd-fg); font-weight: 600; }
.stage .steps { color: var(--ksd-wait); font-size: .85em; }
.stage .dot { width: .7rem; height: .7rem; border-radius: 50%; background: currentColor; }
.tone-run .dot { animation: pulse 1s infinite alternate; }
@keyframes pulse { from { opacity: 1; } to { opacity: .3; } }
.branches { list-style: none; padding: 0; margin: .3rem 0 0; display: grid; gap: .3rem; }
.log-panel .toolbar { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; margin-bottom: .3rem; }
.log { font-family: var(--ksd-mono); font-size: .85rem; background: #0d1117; color: #e6edf3; padding: .6rem;
  max-height: 24rem; overflow: auto; white-space: pre-wrap; margin: 0; border-radius: .4rem; }
.log mark { background: #d29922; color: #000; }
.log:focus, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--ksd-run); outline-offset: 2px; }
form.params { display: grid; gap: .6rem; max-width: 40rem; }
.field { display: grid; gap: .15rem; }
.field.boolean { grid-template-columns: auto 1fr; align-items: center; column-gap: .5rem; }
.field.boolean label { grid-column: 2; grid-row: 1; } .field.boolean input { grid-column: 1; grid-row: 1; }
.field.boolean .help, .field.boolean .field-error { grid-column: 1 / 3; }
label { font-weight: 600; } label.inline { font-weight: normal; }
input[type=text], input[type=password], input[type=search], input:not([type]), textarea, select {
  font: inherit; padding: .3rem .4rem; border: 1px solid var(--ksd-border); border-radius: .3rem; }
[aria-invalid=true] { border-color: var(--ksd-bad); outline: 2px solid var(--ksd-bad); }
.help { color: var(--ksd-wait); }
.field-error, .form-error, .error { color: var(--ksd-bad); font-weight: 600; }
.field-error:not(:empty)::before, .error:not(:empty)::before { content: "⚠ "; }
button { font: inherit; padding: .3rem .8rem; border-radius: .3rem; border: 1px solid var(--ksd-border); background: #f6f8fa; cursor: pointer; }
button.primary { background: var(--ksd-ok); color: #fff; border-color: var(--ksd-ok); }
button.danger { background: var(--ksd-bad); color: #fff; border-color: var(--ksd-bad); }
button.link { border: none; background: none; color: var(--ksd-run); text-decoration: underline; padding: 0; }
button[disabled] { opacity: .55; cursor: not-allowed; }
.actions { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.input { border: 2px solid var(--ksd-pause); border-radius: .4rem; padding: .6rem; }
.diagnosis-card { border: 2px solid var(--ksd-bad); border-radius: .4rem; padding: .6rem; }
.diagnosis-card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: 0; }
.diagnosis-card dt { font-weight: 600; } .diagnosis-card dd { margin: 0; }
.none { color: var(--ksd-wait); }
.error:empty, .form-error:empty { display: none; }
`;
