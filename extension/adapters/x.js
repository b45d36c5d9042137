/*
 * X (formerly Twitter): a Draft.js editor. The contenteditable itself carries
 * data-testid="tweetTextarea_N" and role="textbox"; the Post button is tweetButton (dialog) or
 * tweetButtonInline (home timeline). The signed-in handle is in the side navigation's account
 * switcher.
 */
(function (root) {
  "use strict";
  const A = root.SecondLook.adapters;
  const POST = '[data-testid="tweetButton"], [data-testid="tweetButtonInline"]';

  const adapter = A.register({
    id: "x",
    platform: "x",
    hosts: ["x.com", "twitter.com"],
    composerSelector: '[data-testid^="tweetTextarea_"][role="textbox"]',
    postButton(composer) {
      return A.nearest(composer, (el) => el.querySelector(POST));
    },
    isPostButton(el) {
      return el.closest ? el.closest(POST) : null;
    },
    accountHandle(doc) {
      return A.handleIn(doc, '[data-testid="SideNav_AccountSwitcher_Button"]');
    },
    thumbnails(composer) {
      const box = A.nearest(composer, (el) => el.querySelector('[data-testid="attachments"]'));
      return box ? [...box.querySelectorAll("img")] : [];
    },
  });

  if (typeof module !== "undefined" && module.exports) module.exports = adapter;
})(typeof globalThis !== "undefined" ? globalThis : this);
// Tried on: tests/browser/fixtures/x.html (the real Draft.js 0.11.7 editor with X's attributes) and
// tests/js/fixtures/x-compose.html (a saved compose dialog). Not yet tried on the live x.com.
