// Cards as a writing assistant shows them: quoted words, one card for one phrase, a summary line,
// the card under the caret, and links only to http(s) pages.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext } = require("./helpers");
const findings = ext("lib/findings.js");

const offensive = (start, end) => ({ rule: "derogatory", severity: "warn", message: "Offensive language.", span: { start, end } });

test("neighbouring findings of one rule become one card quoting the phrase", () => {
  const text = "The ref was a useless idiot";
  const cards = findings.cards([offensive(14, 21), offensive(22, 27)], text);
  assert.equal(cards.length, 1);
  assert.equal(cards[0].quote, "useless idiot");
  assert.deepEqual(cards[0].span, { start: 14, end: 27 });
  assert.equal(cards[0].members.length, 2);
});

test("findings far apart, of different rules or severities stay separate cards", () => {
  const text = "useless ref, and the idiot coach, call 07700 900123";
  const cards = findings.cards([offensive(0, 7), offensive(21, 26),
    { rule: "personal-contact", severity: "warn", message: "Phone.", span: { start: 39, end: 51 } }], text);
  assert.deepEqual(cards.map((c) => c.quote), ["useless", "idiot", "07700 900123"]);
  assert.deepEqual(cards.map((c) => c.index), [0, 1, 2]);
});

test("quotes count UTF-16 units, as the API's spans do", () => {
  const text = "🎉 Well done Sam Jones!";
  const cards = findings.cards([{ rule: "no-publish-name", severity: "block", message: "x", span: { start: 13, end: 22 } }], text);
  assert.equal(cards[0].quote, "Sam Jones");
});

test("the summary line counts what to fix and what is advice", () => {
  const cards = [{ severity: "block" }, { severity: "warn" }, { severity: "advice" }];
  assert.equal(findings.summaryLine(cards), "2 things to fix before posting, 1 suggestion");
  assert.equal(findings.summaryLine([{ severity: "warn" }]), "1 thing to fix before posting");
  assert.equal(findings.summaryLine([]), "");
});

test("the card under the caret", () => {
  const cards = findings.cards([offensive(14, 21)], "The ref was a useless idiot");
  assert.equal(findings.cardAt(cards, 16), 0);
  assert.equal(findings.cardAt(cards, 21), 0);
  assert.equal(findings.cardAt(cards, 3), -1);
});

test("links are followed only to http(s) pages", () => {
  assert.equal(findings.safeLink({ link: { href: "javascript:alert(1)", label: "x" } }), null);
  assert.deepEqual(findings.safeLink({ link: { href: "https://sl.example/admin/check-by-eye", label: "Pupils" } }),
    { href: "https://sl.example/admin/check-by-eye", label: "Pupils" });
});
