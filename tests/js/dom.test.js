// content/dom.js: the page seen through open shadow roots (LinkedIn's composer is in one).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext, parseHTML } = require("./helpers");

const dom = ext("content/dom.js");

function linkedinLike() {
  const { document } = parseHTML(`<body><div role="dialog" id="outer"><div id="interop-outlet"></div></div></body>`);
  const shadow = document.getElementById("interop-outlet").attachShadow({ mode: "open" });
  shadow.innerHTML = `<div class="share-box" id="box"><div class="ql-editor" contenteditable="true" id="editor"></div>
    <button class="share-actions__primary-action">Post</button></div>`;
  return { document, shadow, editor: shadow.querySelector("#editor") };
}

test("closest crosses from a shadow root to its host's ancestors, nearest first", () => {
  const { document, editor } = linkedinLike();
  assert.equal(dom.closestAcross(editor, ".share-box").id, "box");
  assert.equal(dom.closestAcross(editor, '[role="dialog"]'), document.getElementById("outer"));
  assert.equal(dom.closestAcross(editor, "form"), null);
});

test("contains and parent cross shadow boundaries", () => {
  const { document, shadow, editor } = linkedinLike();
  const outer = document.getElementById("outer");
  assert.ok(dom.containsAcross(outer, editor), "document.contains would say no");
  assert.ok(!outer.contains(editor));
  assert.equal(dom.parentAcross(shadow.querySelector("#box")), document.getElementById("interop-outlet"));
  assert.ok(!dom.containsAcross(shadow.querySelector("button"), editor));
});
