/*
 * The toolbar popup: the member of staff's own near-misses (GET /api/v1/checks/mine through the
 * service worker, the only part that talks to the server). Text from the server is set with
 * textContent only.
 */
(function () {
  "use strict";

  const { MESSAGES } = globalThis.SecondLook.messages;
  const VERDICT = { block: "Must not be posted", warn: "Warning", advice: "Advice" };
  const OUTCOME = { edited: "You edited it", cancelled: "You did not post it", posted: "You posted it" };
  const REPORTED = { false_alarm: "You reported a false alarm", exception: "You asked for an exception" };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function when(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? "" : date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
  }

  /* Each "this is wrong" report on this check and the Director of IT's answer (decision and reply). */
  function reports(item) {
    const box = el("div", "reports");
    for (const report of item.reports || []) {
      const entry = el("div", "report");
      entry.append(el("div", "reported", `${REPORTED[report.kind] || "You reported it"} (${when(report.reported_at)})`));
      if (!report.answer) {
        entry.append(el("div", "awaiting", "Waiting for the Director of IT's answer"));
      } else {
        entry.classList.add("answered");
        entry.append(el("div", "decision", `Director of IT: ${report.answer.decision_words}`));
        if (report.answer.text) entry.append(el("blockquote", "reply", report.answer.text));
      }
      box.append(entry);
    }
    return box;
  }

  function render(answer) {
    const status = document.getElementById("status");
    const list = document.getElementById("checks");
    if (!answer.ok) {
      status.className = "error";
      status.textContent = answer.error.message;
      if (answer.error.kind === "unauthorized" || answer.error.kind === "not-configured") {
        status.append(" ", el("button", "settings", "Sign in again in the settings"));
        status.querySelector("button").addEventListener("click", () => chrome.runtime.openOptionsPage());
      }
      return;
    }
    const items = answer.answer.items || [];
    status.textContent = items.length
      ? `${answer.answer.total} near-miss${answer.answer.total === 1 ? "" : "es"} in the last ${answer.answer.retention_days} days; the latest ${items.length}:`
      : `No near-misses in the last ${answer.answer.retention_days} days.`;
    for (const item of items) {
      const li = el("li", item.verdict);
      li.append(el("div", "when", `${when(item.created_at)} · ${item.platform} · ${item.account_type} account`),
        el("div", "what", `${VERDICT[item.verdict] || item.verdict}: ${(item.rule_titles || []).join(", ")}`));
      if (item.excerpt) li.append(el("div", "excerpt", item.excerpt));
      li.append(el("div", "outcome", [OUTCOME[item.outcome] || "No outcome reported",
        item.reviewed ? "reviewed" : ""].filter(Boolean).join(" · ")));
      if ((item.reports || []).length) li.append(reports(item));
      list.append(li);
    }
    list.hidden = !items.length;
  }

  chrome.runtime.sendMessage({ id: MESSAGES.MY_CHECKS }, (response) => {
    if (!response || !response.ok) {
      render({ ok: false, error: { message: "Second Look could not load your near-misses." } });
      return;
    }
    render(response.result);
  });
})();
