// Connect: API URL (default: this page's origin), project, then a token or a username and password.
import { h, replace, uid, errorText } from "../lib/dom.js";
import { signIn, sessionInfo, signOut } from "../lib/session.js";

export async function connectScreen(main) {
  const saved = sessionInfo();
  const field = (label, props) => {
    const id = uid("connect");
    const input = h("input", { id, ...props });
    return [h("label", { for: id }, label), input];
  };
  const [urlLabel, url] = field("API URL", { type: "url", name: "url", required: true, value: saved?.url ?? location.origin });
  const [projectLabel, project] = field("DevOps project", { type: "text", name: "project", required: true, value: saved?.project ?? "demo-project" });
  const [tokenLabel, token] = field("Token", { type: "password", name: "token", autocomplete: "off" });
  const [userLabel, username] = field("Username", { type: "text", name: "username", autocomplete: "username" });
  const [passwordLabel, password] = field("Password", { type: "password", name: "password", autocomplete: "current-password" });
  const byPassword = h("input", { type: "radio", name: "mode", value: "password", id: "mode-password", checked: true });
  const byToken = h("input", { type: "radio", name: "mode", value: "token", id: "mode-token" });
  const passwordFields = h("div", { class: "field" }, userLabel, username, passwordLabel, password);
  const tokenFields = h("div", { class: "field", hidden: true }, tokenLabel, token);
  const sync = () => {
    passwordFields.hidden = !byPassword.checked;
    tokenFields.hidden = !byToken.checked;
  };
  byPassword.addEventListener("change", sync);
  byToken.addEventListener("change", sync);
  const error = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit", class: "primary" }, "Connect");
  const form = h("form", { class: "connect card" },
    h("div", { class: "field" }, urlLabel, url),
    h("div", { class: "field" }, projectLabel, project),
    h("fieldset", {}, h("legend", {}, "Sign in with"),
      h("label", { for: "mode-password", class: "inline" }, byPassword, " username and password"), " ",
      h("label", { for: "mode-token", class: "inline" }, byToken, " a token")),
    passwordFields, tokenFields,
    h("p", { class: "hint" }, "The token is kept in this tab's session storage only; a password is never stored."),
    button, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    button.disabled = true;
    try {
      const credentials = byToken.checked
        ? { token: token.value }
        : { username: username.value, password: password.value };
      await signIn({ url: url.value, project: project.value, ...credentials });
      password.value = "";
      location.hash = "#/pipelines";
    } catch (e) {
      error.textContent = errorText(e);
    } finally {
      button.disabled = false;
    }
  });
  const signOutButton = saved ? h("button", { type: "button", onclick: () => { signOut(); connectScreen(main); } }, `Sign out ${saved.user}`) : null;
  replace(main, h("h1", {}, "Connect to KubeSphere DevOps"), form, signOutButton);
  (saved ? password : username).focus();
}
