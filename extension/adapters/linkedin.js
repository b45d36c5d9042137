/*
 * LinkedIn. Evidence (public code, April–May 2026): the post composer (Quill, `.ql-editor`) and its
 * Post button live in the open shadow root of `#interop-outlet` (data-testid="interop-shadowdom"),
 * found by the content script's shadow-root watcher; comments are TipTap/ProseMirror
 * (`.tiptap.ProseMirror[role=textbox]`, submit `button[data-view-name="comment-post"]`); messaging
 * is `.msg-form__contenteditable` (Enter sends, send `.msg-form__send-button`).
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;

  const adapter = A.register({
    id: "linkedin",
    platform: "linkedin",
    hosts: ["linkedin.com"],
    composers: [
      {
        kind: "dm",
        editor: '.msg-form__contenteditable[contenteditable="true"]',
        scope: "form, .msg-form",
        send: A.anyOf(A.bySelector(".msg-form__send-button"), A.byLabel("send")),
        enterSends: true,
      },
      {
        kind: "comment",
        editor: '.tiptap.ProseMirror[contenteditable="true"], .comments-comment-box [contenteditable="true"]',
        scope: "form, .comments-comment-box, .comments-comment-texteditor",
        send: A.anyOf(A.bySelector('button[data-view-name="comment-post"], .comments-comment-box__submit-button'),
          A.byLabel("comment", "reply", "post")),
      },
      {
        kind: "post",
        editor: '.ql-editor[contenteditable="true"]',
        scope: '[role="dialog"], .share-box, .share-creation-state',
        send: A.anyOf(A.bySelector(".share-actions__primary-action"), A.byLabel("post")),
        images: 'input[type="file"]',
        thumbnails: "img[data-attachment]",
      },
    ],
    accountHandle: () => null,
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/linkedin.html (the real Quill 2.0.3 editor inside the open shadow
// root of #interop-outlet, a TipTap-shaped comment box, a messaging form) and
// tests/js/fixtures/linkedin-compose.html. Not tried on linkedin.com.
