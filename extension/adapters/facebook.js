/*
 * Facebook: a Lexical editor, `[contenteditable="true"][role="textbox"]` inside the "Create
 * post" dialog; the Post button is a div[role=button] labelled "Post". The page does not show
 * which account (personal or a school Page) is posting in a stable place, so the panel asks once
 * per site.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;

  const adapter = A.register({
    id: "facebook",
    platform: "facebook",
    hosts: ["facebook.com"],
    composerSelector: '[contenteditable="true"][role="textbox"]',
    postButton(composer) {
      return A.nearest(composer, (el) => A.buttonsLabelled(el, ["Post", "Publish"])[0]);
    },
    isPostButton(el) {
      const button = el.closest && el.closest('[role="button"], button');
      return button && A.buttonsLabelled(button.parentElement || button, ["Post", "Publish"]).includes(button) ? button : null;
    },
    accountHandle() {
      return null;
    },
    thumbnails(composer) {
      const dialog = composer.closest('[role="dialog"]') || composer.parentElement;
      return dialog ? [...dialog.querySelectorAll('img[data-attachment], [data-attachments] img')] : [];
    },
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/facebook.html (the real Lexical 0.52 plain-text editor in a
// "Create post" dialog) and tests/js/fixtures/facebook-compose.html. Not yet tried on facebook.com.
