// Each site adapter finds the compose box, its Post button and (where the site shows it) the
// account handle in a compose box saved from the real editor, and applies only where it should.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext, savedPage, parseHTML } = require("./helpers");

const registry = ext("content/registry.js");
const adapters = Object.fromEntries(["x", "facebook", "instagram", "linkedin", "generic"].map((id) => [id, ext(`adapters/${id}.js`)]));

const EXPECTED_BUTTON = { x: "Post", facebook: "Post", instagram: "Share", linkedin: "Post", generic: "Post" };

for (const [site, adapter] of Object.entries(adapters)) {
  test(`${site}: finds the one compose box and its Post button in the saved page`, () => {
    const { document } = savedPage(site);
    const composers = [...document.querySelectorAll(adapter.composerSelector)]
      .filter((el) => !adapter.isComposer || adapter.isComposer(el));
    assert.equal(composers.length, 1);
    const button = adapter.postButton(composers[0]);
    assert.ok(button, "no Post button");
    assert.equal(button.textContent.trim(), EXPECTED_BUTTON[site]);
    assert.equal(adapter.isPostButton(button), button);
    const inner = button.firstChild && button.firstChild.nodeType === 1 ? button.firstChild : button;
    assert.equal(adapter.isPostButton(inner), button, "a click inside the button counts");
    assert.equal(adapter.isPostButton(composers[0]), null, "the editor is not a Post button");
  });
}

test("x reads the signed-in handle from the account switcher", () => {
  const { document } = savedPage("x");
  assert.equal(adapters.x.accountHandle(document), "@ms_teacher");
});

test("x finds the Post button of the inline composer too (tweetButtonInline)", () => {
  const { document } = parseHTML(`<main><div><div data-testid="tweetTextarea_0" role="textbox" contenteditable="true"></div></div>
    <div><button data-testid="tweetButtonInline"><span>Post</span></button></div></main>`);
  const composer = document.querySelector(adapters.x.composerSelector);
  assert.equal(adapters.x.postButton(composer).getAttribute("data-testid"), "tweetButtonInline");
});

test("each composer gets its nearest Post button when a page has two", () => {
  const { document } = parseHTML(`<body>
    <section id="a"><div data-testid="tweetTextarea_0" role="textbox" contenteditable="true"></div><button data-testid="tweetButtonInline">Post</button></section>
    <section id="b"><div data-testid="tweetTextarea_1" role="textbox" contenteditable="true"></div><button data-testid="tweetButton">Post</button></section></body>`);
  const [first, second] = document.querySelectorAll(adapters.x.composerSelector);
  assert.equal(adapters.x.postButton(first).closest("section").id, "a");
  assert.equal(adapters.x.postButton(second).closest("section").id, "b");
});

test("the right adapter applies to each site, and none to the Second Look server or other sites", () => {
  const at = (url) => {
    const found = registry.forLocation(new URL(url));
    return found && found.id;
  };
  assert.equal(at("https://x.com/home"), "x");
  assert.equal(at("https://twitter.com/compose/tweet"), "x");
  assert.equal(at("https://mobile.twitter.com/"), "x");
  assert.equal(at("https://www.facebook.com/"), "facebook");
  assert.equal(at("https://www.instagram.com/create/"), "instagram");
  assert.equal(at("https://www.linkedin.com/feed/"), "linkedin");
  assert.equal(at("https://bsky.app/"), "generic");
  assert.equal(at("http://127.0.0.1:5000/check"), null);
  assert.equal(at("http://localhost:5000/admin/"), null);
  assert.equal(at("https://notx.com/"), null, "x.com must not match a look-alike host");
  assert.equal(at("https://mail.google.com/"), null);
});

test("the generic adapter leaves search boxes and nested editables alone", () => {
  const { document } = parseHTML(`<body><textarea name="search"></textarea><textarea name="post"></textarea>
    <div contenteditable="true" id="outer"><div contenteditable="true" id="inner"></div></div></body>`);
  const picked = [...document.querySelectorAll(adapters.generic.composerSelector)].filter(adapters.generic.isComposer);
  assert.deepEqual(picked.map((el) => el.getAttribute("name") || el.id), ["post", "outer"]);
});

test("an adapter without the required parts is refused", () => {
  assert.throws(() => registry.register({ id: "broken", platform: "other", hosts: [] }), /lacks composerSelector/);
});
