/*
 * The words for a verdict and for a finding's severity, in one place for the extension's panel and
 * the phone check page. The same file is served to the phone as /static/shared/severity.js
 * (server/static/shared/severity.js); tests/extension/test_severity_words.py keeps the two copies byte-equal.
 */
(function (root) {
  "use strict";

  const SEVERITY = Object.freeze({
    block: Object.freeze({ word: "Must not be posted", title: "Must not be posted",
      text: "This post goes against the school's policy. Edit it or don't post it." }),
    warn: Object.freeze({ word: "Warning", title: "Warning: change this before posting",
      text: "Edit the post, or give a reason if you post it anyway." }),
    advice: Object.freeze({ word: "Advice", title: "Advice: worth a second look",
      text: "Nothing stops you posting, but read the advice below first." }),
    pass: Object.freeze({ word: "Looks fine", title: "Looks fine: nothing found",
      text: "Nothing in this post goes against the policy." }),
  });

  /** The short word for a severity or verdict ("Must not be posted", "Warning", …). */
  function word(severity) {
    return SEVERITY[severity] ? SEVERITY[severity].word : String(severity);
  }

  const api = { SEVERITY, word };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.severity = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
