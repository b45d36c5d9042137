// Each site adapter's table: in a compose box saved from the real editor, the editor is recognised
// as the right kind of composer and its send control is found in its own dialog or form; and the
// adapter applies only where it should.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext, savedPage, parseHTML } = require("./helpers");

const registry = ext("content/registry.js");
const adapters = Object.fromEntries(["x", "facebook", "instagram", "linkedin", "generic"].map((id) => [id, ext(`adapters/${id}.js`)]));

const EXPECTED_BUTTON = { x: "Post", facebook: "Post", instagram: "Share", linkedin: "Post", generic: "Post" };

/** The first composer spec of `adapter` an element is, as the content script picks it. */
function specOf(adapter, el) {
  return adapter.composers.find((spec) => el.matches(spec.editor) && (!spec.accept || spec.accept(el))) || null;
}

function composersIn(adapter, document) {
  const all = adapter.composers.map((c) => c.editor).join(", ");
  return [...document.querySelectorAll(all)].filter((el) => specOf(adapter, el));
}

function sendOf(adapter, el) {
  const spec = specOf(adapter, el);
  const scope = el.closest(spec.scope);
  return scope ? spec.send.find(scope, el) : null;
}

for (const [site, adapter] of Object.entries(adapters)) {
  test(`${site}: finds the one compose box of the saved page as a post and its send control`, () => {
    const { document } = savedPage(site);
    const composers = composersIn(adapter, document);
    assert.equal(composers.length, 1);
    assert.equal(specOf(adapter, composers[0]).kind, "post");
    const button = sendOf(adapter, composers[0]);
    assert.ok(button, "no send control");
    assert.equal(button.textContent.trim(), EXPECTED_BUTTON[site]);
    assert.ok(specOf(adapter, composers[0]).send.accepts(button));
    assert.ok(!specOf(adapter, composers[0]).send.accepts(composers[0]), "the editor is not a send control");
  });
}

test("x reads the signed-in handle from the account switcher", () => {
  const { document } = savedPage("x");
  assert.equal(adapters.x.accountHandle(document), "@ms_teacher");
});

test("x: every box of a thread shares the dialog's Post all; the mobile textarea and DMs are composers", () => {
  const { document } = parseHTML(`<body><div role="dialog">
      <div data-testid="tweetTextarea_0" role="textbox" contenteditable="true"></div>
      <div data-testid="tweetTextarea_1" role="textbox" contenteditable="true"></div>
      <button data-testid="tweetButton">Post all</button></div>
    <main><div data-testid="tweetTextarea_0RichTextInputContainer"><textarea></textarea></div><button data-testid="tweetButtonInline">Post</button></main>
    <aside><form data-testid="dm-composer-form"><textarea data-testid="dm-composer-textarea"></textarea>
      <button data-testid="dm-composer-send-button">Send</button></form></aside></body>`);
  const boxes = [...document.querySelectorAll('[role="dialog"] [role="textbox"]')];
  assert.deepEqual(boxes.map((b) => sendOf(adapters.x, b).textContent), ["Post all", "Post all"]);
  const mobile = document.querySelector("main textarea");
  assert.equal(specOf(adapters.x, mobile).kind, "post");
  assert.equal(sendOf(adapters.x, mobile).getAttribute("data-testid"), "tweetButtonInline");
  const dm = document.querySelector("[data-testid=dm-composer-textarea]");
  assert.equal(specOf(adapters.x, dm).kind, "dm");
  assert.equal(specOf(adapters.x, dm).enterSends, true);
  assert.equal(sendOf(adapters.x, dm).textContent, "Send");
});

test("facebook: a comment box beside the Create-post dialog gets its own control, never the dialog's Post", () => {
  const { document } = parseHTML(`<body>
    <div role="article"><form><div contenteditable="true" role="textbox" id="comment"></div>
      <div role="button" aria-label="Comment" id="comment-send"></div></form></div>
    <div role="dialog"><div contenteditable="true" role="textbox" id="post"></div>
      <div role="button" aria-label="Publier" id="publish">Publier</div></div>
    <div role="region"><div contenteditable="true" role="textbox" aria-placeholder="Aa" id="dm"></div></div></body>`);
  const fb = adapters.facebook;
  assert.equal(specOf(fb, document.getElementById("comment")).kind, "comment");
  assert.equal(sendOf(fb, document.getElementById("comment")).id, "comment-send");
  assert.equal(specOf(fb, document.getElementById("post")).kind, "post");
  assert.equal(sendOf(fb, document.getElementById("post")).id, "publish", "a translated label");
  assert.equal(specOf(fb, document.getElementById("dm")).kind, "dm");
});

test("linkedin: comments (TipTap) and messaging have their own kinds and controls", () => {
  const { document } = parseHTML(`<body><form><div class="tiptap ProseMirror" contenteditable="true" role="textbox" id="c"></div>
      <button data-view-name="comment-post">Comment</button></form>
    <form class="msg-form"><div class="msg-form__contenteditable" contenteditable="true" id="m"></div>
      <button class="msg-form__send-button">Send</button></form></body>`);
  const li = adapters.linkedin;
  assert.equal(specOf(li, document.getElementById("c")).kind, "comment");
  assert.equal(sendOf(li, document.getElementById("c")).textContent, "Comment");
  assert.equal(specOf(li, document.getElementById("m")).kind, "dm");
  assert.equal(sendOf(li, document.getElementById("m")).textContent, "Send");
});

test("the right adapter applies to each site, and none to the Second Look server or other sites", () => {
  const at = (url) => {
    const found = registry.forLocation(new URL(url));
    return found && found.id;
  };
  assert.equal(at("https://x.com/home"), "x");
  assert.equal(at("https://pro.x.com/"), "x");
  assert.equal(at("https://twitter.com/compose/tweet"), "x");
  assert.equal(at("https://mobile.twitter.com/"), "x");
  assert.equal(at("https://www.facebook.com/"), "facebook");
  assert.equal(at("https://business.facebook.com/latest/composer"), "facebook");
  assert.equal(at("https://www.instagram.com/create/"), "instagram");
  assert.equal(at("https://www.linkedin.com/feed/"), "linkedin");
  assert.equal(at("https://bsky.app/"), "generic");
  assert.equal(at("http://127.0.0.1:5000/check"), null);
  assert.equal(at("http://localhost:5000/admin/"), null);
  assert.equal(at("https://notx.com/"), null, "x.com must not match a look-alike host");
  assert.equal(at("https://mail.google.com/"), null);
});

test("the generic adapter leaves search boxes alone", () => {
  const { document } = parseHTML(`<body><textarea name="search"></textarea><textarea name="post"></textarea></body>`);
  const picked = composersIn(adapters.generic, document);
  assert.deepEqual(picked.map((el) => el.getAttribute("name")), ["post"]);
});

test("an adapter without the required parts is refused", () => {
  assert.throws(() => registry.register({ id: "broken", platform: "other", hosts: [] }), /lacks composers/);
  assert.throws(() => registry.register({ id: "broken", platform: "other", hosts: [], composers: [{ editor: "textarea" }] }),
    /lacks kind/);
});
