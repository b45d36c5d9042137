// The service worker's message switch, its calls to the server (with every failure classified,
// never turned into a pass) and the manifest's promises: files exist, the Second Look server's
// own pages are never matched, the managed schema has the settings' keys.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { ext, EXTENSION } = require("./helpers");
const api = ext("lib/api-client.js");
const { MESSAGES } = ext("lib/messages.js");
const settings = ext("lib/settings.js");

const SETTINGS = { serverUrl: "http://127.0.0.1:5000", token: "sl_test" };

function response(status, body) {
  return { status, ok: status >= 200 && status < 300, statusText: "x", json: async () => body };
}

test("a text-only check is JSON with the bearer token; with images it is multipart", async () => {
  const draft = { text: "Well done KJS", platform: "x", account_type: "personal", audience: "public" };
  const json = api.checkRequest(SETTINGS, draft, []);
  assert.equal(json.url, "http://127.0.0.1:5000/api/v1/check");
  assert.equal(json.init.headers.Authorization, "Bearer sl_test");
  assert.deepEqual(JSON.parse(json.init.body), { ...draft, client: "extension" });
  const multi = api.checkRequest(SETTINGS, draft, [{ name: "a.png", dataUrl: "data:image/png;base64,iVBORw0KGgo=" }]);
  assert.ok(multi.init.body instanceof FormData);
  assert.equal(multi.init.headers["Content-Type"], undefined, "fetch sets the multipart boundary");
  assert.deepEqual(JSON.parse(multi.init.body.get("draft")), { ...draft, client: "extension" });
  const image = multi.init.body.get("images");
  assert.equal(image.type, "image/png");
  assert.deepEqual([...new Uint8Array(await image.arrayBuffer())], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test("a good answer is passed on with its round-trip time", async () => {
  const answer = { check_id: "c1", verdict: "warn", findings: [] };
  const result = await api.postCheck(SETTINGS, { text: "x" }, [], { fetchImpl: async () => response(200, answer) });
  assert.equal(result.ok, true);
  assert.deepEqual(result.answer, answer);
  assert.equal(typeof result.roundTripMs, "number");
});

test("every failure says what went wrong and is never a pass", async () => {
  const cases = [
    [async () => response(401, { error: { code: "unauthorized", message: "Unknown token." } }), "unauthorized"],
    [async () => response(500, { error: { code: "internal", message: "boom" } }), "server"],
    [async () => response(422, { error: { code: "invalid_request", message: "bad" } }), "rejected"],
    [async () => { throw new TypeError("Failed to fetch"); }, "unreachable"],
  ];
  for (const [fetchImpl, kind] of cases) {
    const result = await api.postCheck(SETTINGS, { text: "x" }, [], { fetchImpl });
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, kind);
    assert.ok(result.error.message);
  }
  const unset = await api.postCheck({ serverUrl: "http://127.0.0.1:5000", token: "" }, { text: "x" }, [], {});
  assert.equal(unset.error.kind, "not-configured");
});

function hangingFetch(url, init) {
  return new Promise((resolve, reject) => init.signal.addEventListener("abort", () => reject(new Error("aborted"))));
}

test("a check that takes too long times out; a cancelled one says it was replaced", async () => {
  const slow = await api.postCheck(SETTINGS, { text: "x" }, [], { fetchImpl: hangingFetch, timeoutMs: 20 });
  assert.equal(slow.error.kind, "timeout");
  const controller = new AbortController();
  const pending = api.postCheck(SETTINGS, { text: "x" }, [], { fetchImpl: hangingFetch, signal: controller.signal });
  controller.abort();
  assert.equal((await pending).error.kind, "cancelled");
});

test("outcomes go to /checks/<id>/outcome with the reason only when there is one", async () => {
  const seen = [];
  const fetchImpl = async (url, init) => { seen.push([url, JSON.parse(init.body)]); return response(200, {}); };
  await api.postOutcome(SETTINGS, "abc", "posted", "Agreed with the head", { fetchImpl });
  await api.postOutcome(SETTINGS, "abc", "cancelled", null, { fetchImpl });
  assert.deepEqual(seen, [
    ["http://127.0.0.1:5000/api/v1/checks/abc/outcome", { action: "posted", override_reason: "Agreed with the head" }],
    ["http://127.0.0.1:5000/api/v1/checks/abc/outcome", { action: "cancelled" }],
  ]);
});

/** Load background.js in a sandbox with a fake chrome API; returns its registered listeners. */
function loadWorker(local = {}, managed = {}) {
  const listeners = {};
  const store = { ...local };
  const chrome = {
    storage: {
      local: {
        get: async (keys) => Object.fromEntries([].concat(keys).filter((k) => k in store).map((k) => [k, store[k]])),
        set: async (values) => Object.assign(store, values),
      },
      managed: { get: async () => managed },
    },
    runtime: {
      onMessage: { addListener: (fn) => { listeners.message = fn; } },
      onConnect: { addListener: (fn) => { listeners.connect = fn; } },
      onInstalled: { addListener: (fn) => { listeners.installed = fn; } },
      getManifest: () => ({ version: "9.8.7", content_scripts: [] }),
      openOptionsPage: () => {},
    },
    action: { onClicked: { addListener: () => {} } },
  };
  const sandbox = { chrome, console, URL, AbortController, setTimeout, clearTimeout, FormData, Blob, atob, fetch: async () => { throw new TypeError("offline"); } };
  sandbox.self = sandbox;
  sandbox.globalThis = sandbox;
  sandbox.importScripts = (...files) => {
    for (const file of files) vm.runInContext(fs.readFileSync(path.join(EXTENSION, file), "utf8"), sandbox, { filename: file });
  };
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(path.join(EXTENSION, "background.js"), "utf8"), sandbox, { filename: "background.js" });
  // Answers come from another realm: compare them as plain JSON.
  const ask = (message) => new Promise((resolve) => listeners.message(message, {}, (reply) => resolve(JSON.parse(JSON.stringify(reply)))));
  return { listeners, store, ask, sandbox };
}

test("the worker answers named messages and refuses unknown ids", async () => {
  const worker = loadWorker({ serverUrl: "http://127.0.0.1:5000", token: "t", schoolHandles: ["@KJS_PE"] });
  const unknown = await worker.ask({ id: "make-coffee" });
  assert.deepEqual(unknown, { ok: false, error: "Unknown message id: make-coffee" });
  const page = await worker.ask({ id: MESSAGES.PAGE_SETTINGS, site: "x" });
  assert.deepEqual(page.result, { schoolHandles: ["@kjs_pe"], remembered: null, serverOrigin: "http://127.0.0.1:5000", configured: true });
  await worker.ask({ id: MESSAGES.REMEMBER_ACCOUNT_TYPE, site: "x", accountType: "school" });
  assert.deepEqual(JSON.parse(JSON.stringify(worker.store.accountTypes)), { x: "school" });
  const again = await worker.ask({ id: MESSAGES.PAGE_SETTINGS, site: "x" });
  assert.equal(again.result.remembered, "school");
  const bad = await worker.ask({ id: MESSAGES.REMEMBER_ACCOUNT_TYPE, site: "x", accountType: "robot" });
  assert.equal(bad.ok, false);
  const check = await worker.ask({ id: MESSAGES.CHECK, draft: { text: "x" }, images: [] });
  assert.equal(check.result.ok, false);
  assert.equal(check.result.error.kind, "unreachable");
});

test("the worker reads managed settings over local ones on every message (no state kept)", async () => {
  const worker = loadWorker({ serverUrl: "http://127.0.0.1:5000", token: "t" }, { serverUrl: "https://sl.school.example" });
  const page = await worker.ask({ id: MESSAGES.PAGE_SETTINGS, site: "facebook" });
  assert.equal(page.result.serverOrigin, "https://sl.school.example");
  worker.store.token = "";
  const again = await worker.ask({ id: MESSAGES.PAGE_SETTINGS, site: "facebook" });
  assert.equal(again.result.configured, false);
});

test("the manifest lists existing files, never matches the local server, and the managed schema has the settings' keys", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, "manifest.json"), "utf8"));
  assert.equal(manifest.manifest_version, 3);
  const files = [manifest.background.service_worker, manifest.options_ui.page, manifest.storage.managed_schema,
    ...manifest.content_scripts.flatMap((c) => c.js), ...Object.values(manifest.icons)];
  for (const file of files) assert.ok(fs.existsSync(path.join(EXTENSION, file)), `${file} is missing`);
  for (const entry of manifest.content_scripts) {
    for (const match of entry.matches) {
      assert.match(match, /^https:\/\//, `content scripts only run on the social sites (${match})`);
      assert.doesNotMatch(match, /127\.0\.0\.1|localhost|<all_urls>/);
    }
  }
  // One list of content scripts for every site, at document_start (the gate's listeners come first).
  assert.equal(manifest.content_scripts.length, 1);
  assert.equal(manifest.content_scripts[0].run_at, "document_start");
  const plainHttp = manifest.host_permissions.filter((p) => p.startsWith("http://"));
  assert.deepEqual(plainHttp, ["http://127.0.0.1/*", "http://localhost/*"], "plain http only to this computer");
  assert.deepEqual(manifest.optional_host_permissions, ["https://*/*"]);
  for (const match of manifest.content_scripts[0].matches) assert.ok(manifest.host_permissions.includes(match), `${match}: re-injection needs it`);
  const schema = JSON.parse(fs.readFileSync(path.join(EXTENSION, "managed_schema.json"), "utf8"));
  assert.deepEqual(Object.keys(schema.properties).sort(), [...settings.KEYS].sort());
  assert.ok(!JSON.stringify(manifest).includes('"sync"'), "nothing uses storage.sync");
});

test("no extension script writes innerHTML or talks to the server outside the service worker", () => {
  const scripts = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".js")) scripts.push(full);
    }
  };
  walk(EXTENSION);
  for (const file of scripts) {
    const source = fs.readFileSync(file, "utf8");
    assert.doesNotMatch(source, /\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML/, path.relative(EXTENSION, file));
    if (file.includes(`${path.sep}content${path.sep}`) || file.includes(`${path.sep}adapters${path.sep}`)) {
      assert.doesNotMatch(source, /\bfetch\(|XMLHttpRequest/, `${path.relative(EXTENSION, file)} must ask the service worker`);
    }
  }
});

test("an adapter-health report goes to the server with the extension's version and nothing else", async () => {
  const worker = loadWorker({ serverUrl: "http://127.0.0.1:5000", token: "t" });
  const sent = [];
  worker.sandbox.fetch = async (url, init) => {
    sent.push([url, JSON.parse(init.body)]);
    return new Response(JSON.stringify({ recorded: 1 }), { status: 202, headers: { "Content-Type": "application/json" } });
  };
  const reply = await worker.ask({ id: MESSAGES.ADAPTER_HEALTH, report: { site: "x", adapter: "x", kind: "post",
    missing: ["send-control"], text: "never sent" } });
  assert.equal(reply.ok, true);
  assert.deepEqual(sent, [["http://127.0.0.1:5000/api/v1/adapter-health",
    { site: "x", adapter: "x", kind: "post", missing: ["send-control"], extension_version: "9.8.7" }]]);
});
