/*
 * Any other social site the extension is installed for (see manifest.json: Bluesky, Threads,
 * Mastodon): every textarea or contenteditable that can be a post, and the submit-like button of
 * its dialog or form. It never runs on the Second Look server's own pages: the manifest does not
 * match them and the content script also stops on the configured server's origin.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;

  function isPostBox(el) {
    if (el.nodeName !== "TEXTAREA") return true;
    const name = (el.getAttribute("name") || "").toLowerCase();
    return !el.readOnly && !el.disabled && !/search|password|captcha/.test(name);
  }

  const adapter = A.register({
    id: "generic",
    platform: "other",
    generic: true,
    hosts: ["bsky.app", "threads.net", "threads.com", "mastodon.social"],
    composers: [
      {
        kind: "post",
        editor: 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]',
        accept: isPostBox,
        scope: '[role="dialog"], form, body',
        send: A.anyOf(A.bySelector('button[type="submit"], input[type="submit"]'),
          A.byLabel("post", "send", "reply", "share", "toot", "tweet", "publish", "submit")),
      },
    ],
    accountHandle: () => null,
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/generic.html (a textarea composer served as bsky.app) and
// tests/js/fixtures/generic-compose.html.
