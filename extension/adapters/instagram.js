/*
 * Instagram. Evidence (public code and notes, 2026): "Create new post" is one dialog whose steps
 * replace each other: pick files → Crop → Next → Filters/Edit → Next → the caption box (Lexical,
 * `[contenteditable="true"][role="textbox"]`) with "Share". The files are picked before the
 * caption box exists, so the content script keeps them with the dialog until it appears. Comments
 * are a <textarea> in a <form> with a "Post" button (Enter sends); direct messages (/direct/) are
 * a contenteditable where Enter sends.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;
  const EDITOR = '[contenteditable="true"][role="textbox"]';

  const adapter = A.register({
    id: "instagram",
    platform: "instagram",
    hosts: ["instagram.com"],
    composers: [
      {
        kind: "comment",
        editor: "form textarea",
        scope: "form",
        send: A.anyOf(A.bySelector('button[type="submit"]'), A.byLabel("post", "reply")),
        enterSends: true,
      },
      {
        kind: "post",
        editor: `[role="dialog"] ${EDITOR}`,
        scope: '[role="dialog"]',
        send: A.byLabel("share", "post"),
        thumbnails: "img[data-attachment]",
      },
      {
        kind: "dm",
        editor: EDITOR,
        scope: 'form, [role="main"], main',
        send: A.byLabel("send"),
        enterSends: true,
      },
    ],
    accountHandle: () => null,
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/instagram.html (the real Lexical 0.52 editor as the caption box
// of a multi-step dialog, a comment form, a DM) and tests/js/fixtures/instagram-compose.html. Not
// tried on instagram.com itself.
