/*
 * Facebook (www, web, m and business.facebook.com). Evidence (public code and notes, 2026): every
 * editor is Lexical, `[contenteditable="true"][role="textbox"]`, and a page holds several at once
 * (the feed's comment boxes, Messenger chat tabs, the "Create post" dialog; some aria-hidden). So
 * a composer's kind comes from where it is: a comment box sits in a <form> (Enter sends), a
 * Messenger box has the placeholder "Aa" or is on /messages (Enter sends), a post is in a dialog.
 * Labels are translated, so the Post button is found by its label in several languages, else as
 * the wide last button of the dialog. Page posts go Next → Post settings → Post: the editor may
 * be gone at the last step; the session stays with its dialog.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;
  const EDITOR = '[contenteditable="true"][role="textbox"]';

  const adapter = A.register({
    id: "facebook",
    platform: "facebook",
    hosts: ["facebook.com"],
    composers: [
      {
        kind: "comment",
        editor: `form ${EDITOR}`,
        scope: "form",
        send: A.anyOf(A.bySelector('#focused-state-composer-submit, [type="submit"]'), A.byLabel("comment", "reply", "post")),
        enterSends: true,
      },
      {
        kind: "dm",
        editor: `${EDITOR}[aria-placeholder="Aa"], [data-pagelet*="Chat" i] ${EDITOR}, [role="main"][aria-label*="Messenger" i] ${EDITOR}`,
        scope: 'form, [role="region"], [role="dialog"], [role="main"]',
        send: A.anyOf(A.byLabel("send", "press enter to send")),
        enterSends: true,
      },
      {
        kind: "post",
        editor: `[role="dialog"] ${EDITOR}`,
        scope: '[role="dialog"]',
        send: A.anyOf(A.byLabel("post", "share"), A.wideLastButton()),
        images: 'input[type="file"]',
        thumbnails: "img[data-attachment], [data-attachments] img",
      },
    ],
    // The page does not show which account (personal or a Page) posts in a stable place: the panel asks.
    accountHandle: () => null,
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/facebook.html (the real Lexical 0.52 editor: a Create-post
// dialog, an aria-hidden editor, a comment form beside it, a Messenger tab, a Page post with Next →
// Post settings → Post, French labels) and tests/js/fixtures/facebook-compose.html. Not tried on
// facebook.com itself.
