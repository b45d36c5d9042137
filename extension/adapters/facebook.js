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
    ...A.labelledPostButton(["Post", "Publish"]),
    accountHandle: () => null,
    thumbnails: (composer) => A.imagesInDialog(composer, "img[data-attachment], [data-attachments] img"),
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/lexical.html served as www.facebook.com (the real Lexical 0.52
// plain-text editor in a "Create post" dialog) and tests/js/fixtures/facebook-compose.html.
// Not yet tried on facebook.com itself.
