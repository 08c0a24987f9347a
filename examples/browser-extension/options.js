// Saves the server, project and token (in the extension's local storage only).
const form = document.getElementById("form");
chrome.storage.local.get("options").then(({ options }) => {
  for (const [name, value] of Object.entries(options ?? {})) if (form.elements[name]) form.elements[name].value = value;
});
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const options = Object.fromEntries(new FormData(form));
  await chrome.storage.local.set({ options });
  document.getElementById("saved").textContent = "Saved.";
});
