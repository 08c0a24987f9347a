// The extension's module service worker: keeps the badge current, and answers the popup.
import { refreshBadge, savedClient, waitingInputs } from "./waiting.js";

chrome.runtime.onInstalled.addListener(() => chrome.alarms.create("refresh", { periodInMinutes: 1 }));
chrome.alarms.onAlarm.addListener(() => refreshBadge().catch(() => {}));
chrome.storage.onChanged.addListener(() => refreshBadge().catch(() => {}));

async function answer(message) {
  const client = await savedClient();
  if (!client) throw new Error("set the server, project and token on the options page first");
  switch (message.type) {
    case "list":
      return waitingInputs(client);
    case "approve":
      await client.approve(message.run, {}, { input: message.input });
      break;
    case "abort":
      await client.abort(message.run, { input: message.input });
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
  await refreshBadge({ run: message.run, input: message.input });
  return null;
}

chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  answer(message).then(
    (value) => reply({ value }),
    (error) => reply({ error: error.message, kind: error.kind ?? null }),
  );
  return true;
});

// For tests and the devtools console: refresh now.
self.refreshBadge = refreshBadge;
