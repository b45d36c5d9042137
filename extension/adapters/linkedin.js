/*
 * LinkedIn: the share box is a Quill editor (`.ql-editor`, contenteditable); the Post button is
 * `.share-actions__primary-action` (text "Post"). The panel asks once whether posts from this
 * site are personal or from a school page.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;
  const POST = ".share-actions__primary-action";

  const adapter = A.register({
    id: "linkedin",
    platform: "linkedin",
    hosts: ["linkedin.com"],
    composerSelector: '.ql-editor[contenteditable="true"]',
    postButton(composer) {
      return A.nearest(composer, (el) => el.querySelector(POST) || A.buttonsLabelled(el, ["Post"])[0]);
    },
    isPostButton(el) {
      if (!el.closest) return null;
      const direct = el.closest(POST);
      if (direct) return direct;
      return A.labelledPostButton(["Post"]).isPostButton(el);
    },
    accountHandle: () => null,
    thumbnails: (composer) => A.imagesInDialog(composer, "img[data-attachment]"),
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/linkedin.html (the real Quill 2.0.3 editor in a share box) and
// tests/js/fixtures/linkedin-compose.html. Not yet tried on linkedin.com.
