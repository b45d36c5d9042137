/*
 * X (formerly Twitter), x.com, twitter.com, mobile and pro.x.com. Evidence (public code, 2026):
 * - post/reply/quote: a Draft.js contenteditable carrying data-testid="tweetTextarea_N" and
 *   role="textbox"; N counts the boxes of a thread, all in one dialog with one "Post all" button
 *   (tweetButton; tweetButtonInline on the home timeline and under a post). Mobile layouts use a
 *   plain <textarea> inside div[data-testid^="tweetTextarea"]. Image input: input[data-testid="fileInput"].
 * - direct messages: textarea[data-testid="dm-composer-textarea"], send button
 *   dm-composer-send-button (older: dmComposerTextInput / dmComposerSendButton); Enter sends.
 * - the signed-in handle is in the side navigation's account switcher.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;

  const adapter = A.register({
    id: "x",
    platform: "x",
    hosts: ["x.com", "twitter.com"],
    composers: [
      {
        kind: "dm",
        editor: '[data-testid="dm-composer-textarea"], [data-testid="dmComposerTextInput"]',
        scope: '[data-testid="dm-composer-form"], form, [data-testid="DmActivityViewport"], [role="dialog"], main',
        send: A.bySelector('[data-testid="dm-composer-send-button"], [data-testid="dmComposerSendButton"]'),
        enterSends: true,
      },
      {
        kind: "post",
        editor: '[data-testid^="tweetTextarea_"][role="textbox"], div[data-testid^="tweetTextarea"] textarea',
        scope: '[role="dialog"], [data-testid="primaryColumn"], main',
        send: A.bySelector('[data-testid="tweetButton"], [data-testid="tweetButtonInline"]'),
        images: 'input[data-testid="fileInput"], input[type="file"]',
        thumbnails: '[data-testid="attachments"] img',
        // Replying (or quoting) when the composer's container shows the post it answers.
        kindOf: (editor, scope) => (scope && scope.querySelector('article[data-testid="tweet"]') ? "reply" : "post"),
      },
    ],
    accountHandle: (doc) => A.handleIn(doc, '[data-testid="SideNav_AccountSwitcher_Button"]'),
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/x.html (the real Draft.js 0.11.7 editor with X's attributes: a
// thread of two boxes and "Post all", a reply under a post, the mobile textarea, a DM with Enter)
// and tests/js/fixtures/x-compose.html. Not tried on the live x.com (no internet here).
