/*
 * Instagram: the caption box of "Create new post" is a Lexical editor
 * (`[contenteditable="true"][role="textbox"]`); the post is published with "Share". The
 * signed-in handle is not reliably on the page, so the panel asks once per site.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;

  const adapter = A.register({
    id: "instagram",
    platform: "instagram",
    hosts: ["instagram.com"],
    composerSelector: '[contenteditable="true"][role="textbox"]',
    postButton(composer) {
      return A.nearest(composer, (el) => A.buttonsLabelled(el, ["Share", "Post"])[0]);
    },
    isPostButton(el) {
      const button = el.closest && el.closest('[role="button"], button');
      return button && A.buttonsLabelled(button.parentElement || button, ["Share", "Post"]).includes(button) ? button : null;
    },
    accountHandle() {
      return null;
    },
    thumbnails(composer) {
      const dialog = composer.closest('[role="dialog"]') || composer.parentElement;
      return dialog ? [...dialog.querySelectorAll("img[data-attachment]")] : [];
    },
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/instagram.html (the real Lexical 0.52 editor as a caption box)
// and tests/js/fixtures/instagram-compose.html. Not yet tried on instagram.com.
