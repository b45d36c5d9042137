// The extension's school-account sign-in (lib/signin.js): the start address, reading the
// redirect, and which bearer token a call sends (renewed when due, forgotten when refused).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { ext } = require("./helpers");
const signin = ext("lib/signin.js");

const SETTINGS = { serverUrl: "http://127.0.0.1:5000/", token: "sl_pasted", schoolDomain: "school.test" };
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36";

function memoryStorage(initial) {
  const data = { ...initial };
  return { data, local: {
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (values) => { Object.assign(data, values); },
    remove: async (key) => { delete data[key]; },
  } };
}

function answer(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}

const TOKENS = { access_token: "sld_new", refresh_token: "slr_new", expires_in: 3600,
  staff: { name: "teacher@school.test", role: "staff" }, device: { id: 1, name: "Chrome on Linux (extension)" } };

test("the start address names the client, this extension and a device, and hints the school's domain", () => {
  const url = new URL(signin.startUrl(SETTINGS, "abcdefghijklmnopabcdefghijklmnop", UA));
  assert.equal(url.origin + url.pathname, "http://127.0.0.1:5000/signin/start");
  assert.equal(url.searchParams.get("client"), "extension");
  assert.equal(url.searchParams.get("extension_id"), "abcdefghijklmnopabcdefghijklmnop");
  assert.equal(url.searchParams.get("device"), "Chrome on Linux (extension)");
  assert.equal(url.searchParams.get("domain_hint"), "school.test");
  assert.equal(url.searchParams.get("token"), null);
});

test("the redirect gives a single-use code, or the server's reason", () => {
  assert.deepEqual(signin.parseRedirect("https://abc.chromiumapp.org/#signin=slc_1"), { code: "slc_1" });
  assert.deepEqual(signin.parseRedirect("https://abc.chromiumapp.org/#error=domain_not_allowed&message=Not%20here"),
    { error: "Not here" });
});

test("a call sends the sign-in's access token, else the pasted token", async () => {
  const none = memoryStorage({});
  assert.equal(await signin.bearer(none, SETTINGS, async () => assert.fail("no fetch")), "sl_pasted");
  const fresh = memoryStorage({ signin: { access: "sld_live", refresh: "slr_1", expiresAt: Date.now() + 600000,
    serverUrl: "http://127.0.0.1:5000" } });
  assert.equal(await signin.bearer(fresh, SETTINGS, async () => assert.fail("no fetch")), "sld_live");
  const otherServer = memoryStorage({ signin: { access: "sld_live", refresh: "slr_1", expiresAt: Date.now() + 600000,
    serverUrl: "https://elsewhere.example" } });
  assert.equal(await signin.bearer(otherServer, SETTINGS, async () => assert.fail("no fetch")), "sl_pasted");
});

test("an access token about to expire is renewed with the refresh token (in the body)", async () => {
  const storage = memoryStorage({ signin: { access: "sld_old", refresh: "slr_old", expiresAt: Date.now() + 1000,
    serverUrl: "http://127.0.0.1:5000" } });
  const calls = [];
  const token = await signin.bearer(storage, SETTINGS, async (url, init) => {
    calls.push([url, JSON.parse(init.body)]);
    return answer(200, TOKENS);
  });
  assert.equal(token, "sld_new");
  assert.deepEqual(calls, [["http://127.0.0.1:5000/api/v1/signin/refresh", { refresh_token: "slr_old" }]]);
  assert.equal(storage.data.signin.refresh, "slr_new");
});

test("a refused refresh forgets the sign-in; an unreachable server keeps it", async () => {
  const stale = () => memoryStorage({ signin: { access: "sld_old", refresh: "slr_old", expiresAt: 0,
    serverUrl: "http://127.0.0.1:5000" } });
  const refused = stale();
  const result = await signin.renew(refused, SETTINGS, async () => answer(401, { error: { message: "signed out" } }));
  assert.equal(result, null);
  assert.equal(refused.data.signin, undefined);
  const offline = stale();
  assert.equal(await signin.renew(offline, SETTINGS, async () => { throw new TypeError("offline"); }), null);
  assert.equal(offline.data.signin.refresh, "slr_old");
});

test("exchanging the code stores this browser's tokens, never in sync storage", async () => {
  const storage = memoryStorage({});
  const result = await signin.exchange(storage, SETTINGS, "slc_1", UA, async (url, init) => {
    assert.equal(url, "http://127.0.0.1:5000/api/v1/signin/exchange");
    assert.deepEqual(JSON.parse(init.body), { code: "slc_1", client: "extension", device_name: "Chrome on Linux (extension)" });
    return answer(200, TOKENS);
  });
  assert.deepEqual(result, { name: "teacher@school.test", device: "Chrome on Linux (extension)" });
  assert.equal(storage.data.signin.access, "sld_new");
});
