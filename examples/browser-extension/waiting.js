// What the extension shows, on top of the ksdevops package: the runs of the project that
// wait for input, and answering them. Shared by the service worker and the popup.
import { connect } from "./ksdevops/index.js";

/** The client for the options saved on the options page, or null before they are. */
export async function savedClient() {
  const { options } = await chrome.storage.local.get("options");
  return options ? connect(options) : null;
}

/** Every input waiting in the project: {pipeline, run, input, message}. */
export async function waitingInputs(client) {
  const waiting = [];
  for (const pipeline of await client.pipelines()) {
    for (const run of await client.runs(pipeline.metadata.name)) {
      if (["Succeeded", "Failed", "Cancelled"].includes(run.status?.phase)) continue;
      for (const pending of await client.pendingInputs(run)) {
        waiting.push({
          pipeline: pipeline.metadata.name,
          run: run.metadata.name,
          input: pending.input.id,
          message: pending.input.message ?? "",
        });
      }
    }
  }
  return waiting;
}

/**
 * Sets the badge to the number of waiting inputs ("" when none, "!" when it failed).
 * `answered` ({run, input}) was just approved or aborted: the server may still list it as
 * waiting for a moment, so it is not counted.
 */
export async function refreshBadge(answered = null) {
  try {
    const client = await savedClient();
    const waiting = client ? await waitingInputs(client) : [];
    const count = waiting.filter(
      (w) => !(answered && w.run === answered.run && w.input === answered.input),
    ).length;
    await chrome.action.setBadgeText({ text: count ? String(count) : "" });
    return count;
  } catch (error) {
    await chrome.action.setBadgeText({ text: "!" });
    await chrome.action.setTitle({ title: `${error.kind ?? "error"}: ${error.message}` });
    throw error;
  }
}
