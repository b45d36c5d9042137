// Offsets in UTF-16 units map back to the right DOM nodes, across text nodes and line breaks,
// on the DOM that the real editors produce (saved from the fixture pages).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext, savedPage, parseHTML } = require("./helpers");
const textMap = ext("lib/text-map.js");

const TYPED = "🎉 Sports day!\n\nProud of our Year 9s at King James's today!";
const EDITORS = {
  x: '[data-testid^="tweetTextarea_"][role="textbox"]',
  facebook: '[contenteditable="true"][role="textbox"]',
  instagram: '[contenteditable="true"][role="textbox"]',
  linkedin: ".ql-editor",
};

/** The text a DOM range covers, walking text nodes in order (linkedom has no Range.toString). */
function textBetween(rootNode, points) {
  let out = "";
  let inside = false;
  let done = false;
  function visit(node) {
    if (done) return;
    if (node.nodeType === 1) {
      for (let i = 0; i <= node.childNodes.length; i++) {
        if (node === points.startNode && i === points.startOffset) inside = true;
        if (node === points.endNode && i === points.endOffset) { done = true; return; }
        if (i < node.childNodes.length) visit(node.childNodes[i]);
        if (done) return;
      }
      return;
    }
    if (node.nodeType !== 3) return;
    const data = node.data;
    let from = 0;
    let to = data.length;
    if (node === points.startNode) { inside = true; from = points.startOffset; }
    if (node === points.endNode) { to = points.endOffset; done = true; }
    if (inside) out += data.slice(from, to);
  }
  visit(rootNode);
  return out;
}

for (const [site, selector] of Object.entries(EDITORS)) {
  test(`${site}: the text read from the real editor's DOM is what was typed`, () => {
    const { document } = savedPage(site);
    const editor = document.querySelector(selector);
    assert.ok(editor, `no editor matching ${selector}`);
    assert.equal(textMap.readText(editor).text, TYPED);
  });

  test(`${site}: a span after an emoji and a blank line maps to exactly its words`, () => {
    const { document } = savedPage(site);
    const editor = document.querySelector(selector);
    const map = textMap.readText(editor);
    const start = TYPED.indexOf("King James's");
    assert.equal(start, 40);  // UTF-16 units: the emoji counts twice
    const points = textMap.rangePoints(map, start, start + "King James's".length);
    assert.equal(points.startNode.nodeType, 3);
    assert.equal(textBetween(editor, points), "King James's");
  });
}

test("a span across a line break is cut into one slice per line", () => {
  assert.deepEqual(textMap.lineSlices("ab\ncd", 1, 4), [[1, 2], [3, 4]]);
  assert.deepEqual(textMap.lineSlices("ab\n\ncd", 0, 6), [[0, 2], [4, 6]]);
});

test("a span across text nodes starts and ends in the right nodes", () => {
  const { document } = parseHTML('<div id="e"><p><span>King </span><b>James</b><span>\'s rocks</span></p></div>');
  const editor = document.getElementById("e");
  const map = textMap.readText(editor);
  assert.equal(map.text, "King James's rocks");
  const points = textMap.rangePoints(map, 0, 12);
  assert.equal(points.startNode.data, "King ");
  assert.equal(points.endNode.data, "'s rocks");
  assert.equal(points.endOffset, 2);
  assert.equal(textBetween(editor, points), "King James's");
});

test("a span starting at a line boundary starts on the new line, not at the end of the old one", () => {
  const { document } = parseHTML('<div id="e"><p>one</p><p>two</p></div>');
  const map = textMap.readText(document.getElementById("e"));
  assert.equal(map.text, "one\ntwo");
  const points = textMap.rangePoints(map, 4, 7);
  assert.equal(points.startNode.data, "two");
  assert.equal(points.startOffset, 0);
  const end = textMap.rangePoints(map, 0, 3);
  assert.equal(end.endNode.data, "one");
  assert.equal(end.endOffset, 3);
});

test("inline <br> is a line break; an empty line's placeholder <br> adds nothing extra", () => {
  const { document } = parseHTML('<div id="e"><p>a<br>b</p><p><br></p><p>c</p></div>');
  assert.equal(textMap.readText(document.getElementById("e")).text, "a\nb\n\nc");
});

test("emoji images count as their alt text, and scripts and styles are skipped", () => {
  const { document } = parseHTML('<div id="e"><p><img alt="🎉" src="x.png"> Well done KJS<style>p{}</style></p></div>');
  const map = textMap.readText(document.getElementById("e"));
  assert.equal(map.text, "🎉 Well done KJS");
  const points = textMap.rangePoints(map, 0, 2);
  assert.equal(points.startNode.nodeName, "P");
  assert.equal(points.startOffset, 0);
  assert.equal(points.endOffset, 1);
});

test("text after a block element starts a new line", () => {
  const { document } = parseHTML('<div id="e"><div>first</div>second</div>');
  assert.equal(textMap.readText(document.getElementById("e")).text, "first\nsecond");
});

test("an empty editor has no text and no range", () => {
  const { document } = parseHTML('<div id="e"><p><br></p></div>');
  const map = textMap.readText(document.getElementById("e"));
  assert.equal(map.text, "");
  assert.equal(textMap.rangePoints(map, 0, 0), null);
});
