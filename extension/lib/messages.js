/*
 * The named messages content scripts and the options page send to the service worker, the only
 * part of the extension that talks to the server. One list so a typo is an error, not silence.
 */
(function (root) {
  "use strict";

  const MESSAGES = Object.freeze({
    CHECK: "check",                          // {draft, images:[{name,type,dataUrl}]} -> check answer
    REPORT_OUTCOME: "report-outcome",        // {checkId, action, reason} -> outcome answer
    PAGE_SETTINGS: "page-settings",          // {site} -> {schoolHandles, accountType, serverOrigin, configured}
    REMEMBER_ACCOUNT_TYPE: "remember-account-type",  // {site, accountType}
    TEST_CONNECTION: "test-connection",      // {} -> {health, check}
    REPORT: "report",                        // {checkId, kind: false_alarm|exception, reason} -> report answer
    MY_CHECKS: "my-checks",                  // {} -> the member of staff's own near-misses (newest first)
    ADAPTER_HEALTH: "adapter-health",        // {report: {site, adapter, kind, missing}} -> counted (never the text)
    SIGN_IN: "sign-in",                      // {} -> {name, device}: sign in with the school account
    SIGN_OUT: "sign-out",                    // {} -> {}: forget (and revoke) this browser's sign-in
    SIGNIN_STATUS: "signin-status",          // {} -> {name|null, available}
    OPEN_OPTIONS: "open-options",            // {} -> {}: open the settings page (where a refused sign-in is fixed)
  });
  const CHECK_PORT = "second-look-check";    // a port per check: disconnecting it cancels the fetch

  const api = { MESSAGES, CHECK_PORT };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.messages = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
