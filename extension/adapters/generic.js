/*
 * Any other social site the extension is installed for (see manifest.json: Bluesky, Threads,
 * Mastodon): every visible textarea or contenteditable that is big enough to be a post, and the
 * nearest submit-like button. It never runs on the Second Look server's own pages: the manifest
 * does not match them and the content script also stops on the configured server's origin.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;
  const LABELS = ["Post", "Publish", "Share", "Send", "Toot", "Reply", "Tweet", "Submit"];
  const SELECTOR = 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]';

  function isPostBox(el) {
    const outer = el.parentElement && el.parentElement.closest('[contenteditable="true"], [contenteditable=""]');
    if (outer) return false;  // part of a bigger editable: the outer one is the composer
    if (el.nodeName === "TEXTAREA") {
      const name = (el.getAttribute("name") || "").toLowerCase();
      return !el.readOnly && !el.disabled && !/search|password|captcha/.test(name);
    }
    return true;
  }

  const adapter = A.register({
    id: "generic",
    platform: "other",
    generic: true,
    hosts: ["bsky.app", "threads.net", "threads.com", "mastodon.social"],
    composerSelector: SELECTOR,
    isComposer: isPostBox,
    postButton(composer) {
      return A.nearest(composer, (el) => el.querySelector('button[type="submit"]') || A.buttonsLabelled(el, LABELS)[0]);
    },
    isPostButton(el) {
      if (!el.closest) return null;
      const button = el.closest('button, [role="button"], input[type="submit"]');
      if (!button) return null;
      return button.matches('button[type="submit"], input[type="submit"]') || A.isLabelled(button, LABELS) ? button : null;
    },
    accountHandle() {
      return null;
    },
    thumbnails() {
      return [];
    },
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/generic.html (a textarea composer served as bsky.app) and
// tests/js/fixtures/generic-compose.html.
