// Debounce, latest-only checks, the answer cache, the Post gate's decisions, findings order and
// the settings' precedence (managed wins over local wins over defaults).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext } = require("./helpers");
const { debounce, latestOnly, answerCache } = ext("lib/timing.js");
const gate = ext("lib/gate.js");
const findings = ext("lib/findings.js");
const settings = ext("lib/settings.js");
const { hashText, draftKey } = ext("lib/hash.js");

function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    set(fn, ms) { const id = next++; pending.set(id, { fn, at: now + ms }); return id; },
    clear(id) { pending.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending]) if (t.at <= now) { pending.delete(id); t.fn(); }
    },
  };
}

test("debounce runs once, 500 ms after the last keystroke, with the latest arguments", () => {
  const timers = fakeTimers();
  const calls = [];
  const typed = debounce((text) => calls.push(text), 500, timers);
  typed("K"); timers.advance(200);
  typed("KJ"); timers.advance(499);
  assert.deepEqual(calls, []);
  timers.advance(1);
  assert.deepEqual(calls, ["KJ"]);
  timers.advance(1000);
  assert.deepEqual(calls, ["KJ"]);
});

test("flush runs a pending call now (the Post gate does not wait); cancel drops it", () => {
  const timers = fakeTimers();
  const calls = [];
  const typed = debounce((text) => calls.push(text), 500, timers);
  typed("a");
  assert.equal(typed.pending(), true);
  typed.flush();
  assert.deepEqual(calls, ["a"]);
  typed("b");
  typed.cancel();
  timers.advance(600);
  assert.deepEqual(calls, ["a"]);
  assert.equal(typed.flush(), undefined);
});

test("a newer check cancels the older one and only the newest answer counts", () => {
  const latest = latestOnly();
  let cancelled = 0;
  const first = latest.begin("k1", () => cancelled++);
  const second = latest.begin("k2", () => cancelled++);
  assert.equal(cancelled, 1);
  assert.equal(latest.isCurrent(first), false);
  assert.equal(latest.isCurrent(second), true);
  latest.finish(second);
  latest.begin("k3", null);
  assert.equal(cancelled, 1, "a finished check is not cancelled again");
});

test("the answer cache keeps the most recently used drafts", () => {
  const cache = answerCache(2);
  cache.set("a", 1); cache.set("b", 2);
  assert.equal(cache.get("a"), 1);
  cache.set("c", 3);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.size, 2);
});

test("the draft key changes with the text, the account type and the images, not otherwise", () => {
  const draft = { text: "Well done KJS", platform: "x", account_type: "personal", account_handle: null, audience: "public" };
  assert.equal(draftKey(draft, []), draftKey({ ...draft }, []));
  assert.notEqual(draftKey(draft, []), draftKey({ ...draft, text: "Well done KJS!" }, []));
  assert.notEqual(draftKey(draft, []), draftKey({ ...draft, account_type: "school" }, []));
  assert.notEqual(draftKey(draft, []), draftKey(draft, ["img1"]));
  assert.notEqual(hashText("🎉"), hashText("🎊"));
});

test("the gate checks first when the last check is stale, pending or missing", () => {
  assert.equal(gate.decide(null, "k"), "check-first");
  assert.equal(gate.decide({ key: "old", status: "done", answer: { verdict: "pass" } }, "k"), "check-first");
  assert.equal(gate.decide({ key: "k", status: "pending" }, "k"), "check-first");
});

test("the gate stops block, asks on warn, lets advice and pass through, and says when unchecked", () => {
  const state = (verdict) => ({ key: "k", status: "done", answer: { verdict, findings: [] } });
  assert.equal(gate.decide(state("block"), "k"), "block");
  assert.equal(gate.decide(state("warn"), "k"), "warn");
  assert.equal(gate.decide(state("advice"), "k"), "allow");
  assert.equal(gate.decide(state("pass"), "k"), "allow");
  assert.equal(gate.decide({ key: "k", status: "error", error: { kind: "unreachable" } }, "k"), "unchecked");
});

test("posting over a warning needs a reason; a block cannot be posted; edit and cancel always can", () => {
  assert.equal(gate.outcomeFor("warn", "post", "  ").ok, false);
  assert.deepEqual(gate.outcomeFor("warn", "post", " Agreed with the head "), { ok: true, action: "posted", reason: "Agreed with the head" });
  assert.equal(gate.outcomeFor("block", "post", "please").ok, false);
  assert.deepEqual(gate.outcomeFor("block", "edit"), { ok: true, action: "edited", reason: null });
  assert.deepEqual(gate.outcomeFor("warn", "cancel"), { ok: true, action: "cancelled", reason: null });
  assert.deepEqual(gate.outcomeFor("advice", "post", ""), { ok: true, action: "posted", reason: null });
});

test("only answers with findings have an outcome to report (the service keeps no clean checks)", () => {
  assert.equal(gate.reportable({ check_id: "c1", findings: [] }), false);
  assert.equal(gate.reportable({ check_id: "c1", findings: [{ rule: "tone" }] }), true);
  assert.equal(gate.reportable(null), false);
});

test("findings are listed block first, then warn, then advice, each in text order", () => {
  const list = [
    { rule: "tone", severity: "advice", span: { start: 0, end: 2 } },
    { rule: "b", severity: "warn", span: { start: 9, end: 12 } },
    { rule: "a", severity: "warn", span: { start: 3, end: 5 } },
    { rule: "face", severity: "block", image: { index: 0 } },
  ];
  assert.deepEqual(findings.sortFindings(list).map((f) => f.rule), ["face", "a", "b", "tone"]);
  assert.equal(findings.verdictOf(list), "block");
  assert.equal(findings.verdictOf([]), "pass");
  assert.deepEqual(findings.textFindings(list).map((f) => f.rule), ["tone", "b", "a"]);
  assert.deepEqual(findings.imageFindings(list, 0).map((f) => f.rule), ["face"]);
  assert.equal(findings.clauseLabel({ ref: "2.9", title: "Personal use" }), "Policy 2.9 — Personal use");
});

test("fixes: append adds to the end, replace swaps the span, anything else is not a text fix", () => {
  const text = "Well done KJS";
  assert.equal(findings.fixedText(text, { fix: { kind: "append", text: " Views my own." } }), "Well done KJS Views my own.");
  assert.equal(findings.fixedText(text, { span: { start: 10, end: 13 }, fix: { kind: "replace", text: "the school" } }), "Well done the school");
  assert.equal(findings.fixedText(text, { fix: { stripped_image: 0 } }), null);
  assert.equal(findings.isTextFix({ fix: { kind: "append", text: "x" } }), true);
  assert.equal(findings.isTextFix({ fix: { stripped_image: 0 } }), false);
  assert.equal(findings.isTextFix({ fix: { kind: "replace", text: "x" } }), false, "replace needs a span");
});

test("settings: defaults, then local, then managed (IT's policy wins)", () => {
  const { values, managedKeys } = settings.merge(
    { serverUrl: "http://127.0.0.1:5000/", token: "local-token", schoolHandles: ["KJS_History"] },
    { serverUrl: "https://secondlook.kjs.example", schoolHandles: ["@KJSKnaresboro", "@kjsknaresboro"] });
  assert.equal(values.serverUrl, "https://secondlook.kjs.example");
  assert.equal(values.token, "local-token");
  assert.deepEqual(values.schoolHandles, ["@kjsknaresboro"]);
  assert.deepEqual(managedKeys.sort(), ["schoolHandles", "serverUrl"]);
  assert.deepEqual(settings.merge({}, {}).values, { ...settings.DEFAULTS, schoolHandles: [] });
  assert.equal(settings.merge({ token: "" }, { token: "" }).values.token, "");
});

test("settings.load reads local and managed storage, and survives a browser without managed storage", async () => {
  const storage = {
    local: { get: async () => ({ token: "t", serverUrl: "http://127.0.0.1:9" }) },
    managed: { get: async () => { throw new Error("Managed storage manifest not found"); } },
  };
  const { values, managedKeys } = await settings.load(storage);
  assert.equal(values.token, "t");
  assert.deepEqual(managedKeys, []);
});

test("server URLs are checked and handles normalised", () => {
  assert.equal(settings.normaliseServerUrl(" https://sl.example/ "), "https://sl.example");
  assert.throws(() => settings.normaliseServerUrl("ftp://sl.example"));
  assert.throws(() => settings.normaliseServerUrl("not a url"));
  assert.throws(() => settings.normaliseServerUrl("http://sl.school.example"), /https/);
  assert.equal(settings.normaliseServerUrl("http://localhost:5000/"), "http://localhost:5000");
  assert.equal(settings.merge({ serverUrl: "http://sl.school.example", token: "t" }, {}).values.serverUrl, "",
    "a plain-http server off this computer is never used, even from policy");
  assert.deepEqual(settings.normaliseHandles("@KJS_PE, kjsmusic  @KJS_PE"), ["@kjs_pe", "@kjsmusic"]);
});

test("the account type comes from the page's handle, else the remembered choice, else personal", () => {
  const handles = ["@KJS_History"];
  assert.deepEqual(settings.accountTypeFor({ handle: "@kjs_history", schoolHandles: handles, remembered: "personal" }), { accountType: "school", source: "handle" });
  assert.deepEqual(settings.accountTypeFor({ handle: "@ms_teacher", schoolHandles: handles, remembered: "school" }), { accountType: "personal", source: "handle" });
  assert.deepEqual(settings.accountTypeFor({ handle: null, schoolHandles: handles, remembered: "school" }), { accountType: "school", source: "choice" });
  assert.deepEqual(settings.accountTypeFor({ handle: null, schoolHandles: handles, remembered: null }), { accountType: "personal", source: "default" });
});

test("an image-location finding's stripped copy is found by index, and only if it is an image", () => {
  const finding = { rule: "image-location", fix: { stripped_image: 1 } };
  const answer = { stripped_images: [
    { index: 0, media_type: "image/png", base64: "AAAA" },
    { index: 1, media_type: "image/jpeg", base64: "/9j/" },
  ] };
  assert.deepEqual(findings.strippedCopy(answer, finding), { index: 1, mediaType: "image/jpeg", dataUrl: "data:image/jpeg;base64,/9j/" });
  assert.equal(findings.strippedCopy({ stripped_images: [] }, finding), null);
  assert.equal(findings.strippedCopy({ stripped_images: [{ index: 1, media_type: "text/html", base64: "PGI+" }] }, finding), null);
  assert.equal(findings.strippedCopy(answer, { fix: { kind: "append", text: "x" } }), null);
});

test("an account choice is kept per site: per adapter, or per host for the generic adapter's sites", () => {
  assert.equal(settings.siteKey({ id: "facebook" }, "www.facebook.com"), "facebook");
  assert.equal(settings.siteKey({ id: "generic", generic: true }, "bsky.app"), "bsky.app");
  assert.equal(settings.siteKey({ id: "generic", generic: true }, "mastodon.social"), "mastodon.social");
  assert.equal(settings.siteKey({ id: "generic", generic: true }, "www.threads.net"), "threads.net");
  assert.equal(settings.siteName("linkedin"), "LinkedIn");
  assert.equal(settings.siteName("bsky.app"), "bsky.app");
});
