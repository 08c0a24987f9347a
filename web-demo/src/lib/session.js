// The signed-in client. The API URL, project and token (never a password) are kept in
// sessionStorage, so a reload in the same tab stays signed in and closing the tab forgets them.
import { ksdevops } from "./ksdevops.js";

const KEY = "ksdevops.session";
let client = null;
let info = null;

/** Connects and checks the credentials with one call; throws the library's error. */
export async function signIn({ url, project, token, username, password }) {
  const { connect } = await ksdevops();
  const options = token ? { url, project, token } : { url, project, username, password };
  const connected = await connect(options);
  await connected.pipelines();
  client = connected;
  info = { url, project, user: token ? "token" : username };
  const saved = { ...info };
  if (token) saved.token = token;
  sessionStorage.setItem(KEY, JSON.stringify(saved));
  return client;
}

/** The current client, reconnected from a saved token after a reload; null when signed out. */
export async function currentClient() {
  if (client) return client;
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  if (!saved?.token) return null;
  const { connect } = await ksdevops();
  client = await connect({ url: saved.url, project: saved.project, token: saved.token });
  info = { url: saved.url, project: saved.project, user: saved.user };
  return client;
}

export function sessionInfo() {
  return info ?? JSON.parse(sessionStorage.getItem(KEY) ?? "null");
}

export function signOut() {
  client = null;
  info = null;
  sessionStorage.removeItem(KEY);
}
