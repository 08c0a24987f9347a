// A live log: text appended as it comes, auto-scroll while at the bottom, pause (new text is
// kept and shown on resume) and search (matches marked, with a count).
import { h, uid } from "./dom.js";

export class LogView {
  constructor() {
    this.text = "";
    this.pending = "";
    this.paused = false;
    const searchId = uid("log-search");
    const followId = uid("log-follow");
    this.pre = h("pre", { class: "log", tabindex: "0", role: "log", "aria-label": "Run log", "aria-live": "off" });
    this.search = h("input", { id: searchId, type: "search", placeholder: "Search the log" });
    this.count = h("span", { class: "matches", "aria-live": "polite" });
    this.follow = h("input", { id: followId, type: "checkbox", checked: true });
    this.pauseButton = h("button", { type: "button", "aria-pressed": "false", onclick: () => this.togglePause() }, "Pause");
    this.status = h("span", { class: "log-status", "aria-live": "polite" });
    this.search.addEventListener("input", () => this.render());
    this.follow.addEventListener("change", () => this.follow.checked && this.scrollToEnd());
    this.pre.addEventListener("scroll", () => {
      const atEnd = this.pre.scrollHeight - this.pre.scrollTop - this.pre.clientHeight < 8;
      if (!atEnd && this.follow.checked && this.pre.dataset.scrolling !== "1") this.follow.checked = false;
    });
    this.element = h("section", { class: "log-panel", "aria-label": "Log" },
      h("div", { class: "toolbar" },
        this.pauseButton,
        h("label", { for: followId, class: "inline" }, this.follow, " Auto-scroll"),
        h("label", { for: searchId, class: "inline" }, "Search ", this.search),
        this.count, this.status),
      this.pre);
  }

  append(chunk) {
    if (!chunk) return;
    if (this.paused) {
      this.pending += chunk;
      this.showStatus();
      return;
    }
    this.text += chunk;
    this.render();
  }

  togglePause() {
    this.paused = !this.paused;
    this.pauseButton.textContent = this.paused ? "Resume" : "Pause";
    this.pauseButton.setAttribute("aria-pressed", String(this.paused));
    if (!this.paused) {
      this.text += this.pending;
      this.pending = "";
      this.render();
    }
    this.showStatus();
  }

  /** Shows that the log has ended (`word`, e.g. "end of log"). */
  end(word) {
    this.ended = word;
    this.showStatus();
  }

  showStatus() {
    const held = this.pending ? `: ${this.pending.length} new characters held` : "";
    const parts = [this.paused ? `paused${held}` : "", this.ended ?? ""].filter(Boolean);
    this.status.textContent = parts.join("; ");
  }

  render() {
    const term = this.search.value;
    this.pre.replaceChildren();
    if (!term) {
      this.pre.textContent = this.text;
      this.count.textContent = "";
    } else {
      const parts = this.text.split(term);
      parts.forEach((part, i) => {
        this.pre.append(part);
        if (i < parts.length - 1) this.pre.append(h("mark", {}, term));
      });
      const n = parts.length - 1;
      this.count.textContent = `${n} match${n === 1 ? "" : "es"}`;
      this.pre.querySelector("mark")?.scrollIntoView?.({ block: "nearest" });
      return;
    }
    if (this.follow.checked) this.scrollToEnd();
  }

  scrollToEnd() {
    this.pre.dataset.scrolling = "1";
    this.pre.scrollTop = this.pre.scrollHeight;
    requestAnimationFrame(() => { this.pre.dataset.scrolling = ""; });
  }
}
