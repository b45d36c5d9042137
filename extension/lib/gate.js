/*
 * What the Post gate does with a click, given the latest check of this composer. Pure logic:
 * - the check is missing, pending or for other text  -> check first, then decide again;
 * - the check failed (server down, token refused...) -> "unchecked": say so, post only on purpose;
 * - block -> stop, with no override in the extension; warn -> edit, or post anyway with a reason;
 * - advice or pass -> let the post through (advice never stops a post).
 */
(function (root) {
  "use strict";

  function decide(state, currentKey) {
    if (!state || state.key !== currentKey || state.status === "pending") return "check-first";
    if (state.status === "error") return "unchecked";
    const verdict = state.answer && state.answer.verdict;
    if (verdict === "block") return "block";
    if (verdict === "warn") return "warn";
    return "allow";
  }

  /** Whether the outcome of this answer should be reported (only checks that found something are
   * kept by the service; the others answer 404). */
  function reportable(answer) {
    return Boolean(answer && answer.check_id && answer.findings && answer.findings.length);
  }

  /** Validate the gate's choice before it is sent: posting over a warn needs a reason. */
  function outcomeFor(verdict, choice, reason) {
    const why = String(reason || "").trim();
    if (choice === "post") {
      if (verdict === "block") return { ok: false, error: "A post that breaks the policy this way cannot be posted from here." };
      if (verdict === "warn" && !why) return { ok: false, error: "Say why you are posting anyway." };
      return { ok: true, action: "posted", reason: why || null };
    }
    if (choice === "edit") return { ok: true, action: "edited", reason: null };
    return { ok: true, action: "cancelled", reason: null };
  }

  const api = { decide, reportable, outcomeFor };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.gate = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
