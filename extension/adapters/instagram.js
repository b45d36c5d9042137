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
    ...A.labelledPostButton(["Share", "Post"]),
    accountHandle: () => null,
    thumbnails: (composer) => A.imagesInDialog(composer, "img[data-attachment]"),
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/lexical.html served as www.instagram.com (the real Lexical 0.52
// editor as a caption box) and tests/js/fixtures/instagram-compose.html. Not yet tried on
// instagram.com itself.
