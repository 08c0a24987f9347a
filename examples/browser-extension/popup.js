// The popup: lists the waiting inputs (through the service worker) with Approve and Abort.
const status = document.getElementById("status");
const list = document.getElementById("runs");
// Inputs answered from this popup: the server may list them as waiting for a moment more.
const answered = new Set();
const key = (item) => `${item.run}\n${item.input}`;

const ask = (message) =>
  chrome.runtime.sendMessage(message).then((answer) => {
    if (answer.error) throw new Error(answer.error);
    return answer.value;
  });

function row(item) {
  const li = document.createElement("li");
  li.dataset.run = item.run;
  const text = document.createElement("span");
  text.textContent = `${item.pipeline} / ${item.run}: ${item.message} `;
  li.append(text);
  for (const [label, type] of [["Approve", "approve"], ["Abort", "abort"]]) {
    const button = document.createElement("button");
    button.textContent = label;
    button.setAttribute("aria-label", `${label} ${item.run}`);
    button.addEventListener("click", async () => {
      status.textContent = `${label}…`;
      try {
        await ask({ type, run: item.run, input: item.input });
        answered.add(key(item));
        await show();
      } catch (error) {
        status.textContent = error.message;
      }
    });
    li.append(button);
  }
  return li;
}

async function show() {
  try {
    const waiting = (await ask({ type: "list" })).filter((item) => !answered.has(key(item)));
    list.replaceChildren(...waiting.map(row));
    status.textContent = waiting.length ? `${waiting.length} waiting` : "Nothing waits for input.";
  } catch (error) {
    status.textContent = error.message;
  }
}

show();
