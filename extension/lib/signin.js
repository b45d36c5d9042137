/*
 * Signing the extension in with the school account (server/signin/ on the Second Look server).
 *
 * chrome.identity.launchWebAuthFlow opens <server>/signin/start?client=extension…, which sends the
 * person to the school's sign-in service; the server checks the answer and comes back to
 * https://<this extension's id>.chromiumapp.org/#signin=<single-use code>. The service worker
 * trades the code (by POST) for this browser's own tokens: an access token that lasts an hour and
 * a refresh token. They live in chrome.storage.local under `signin` (never sync, never a URL).
 * Each refresh is where the server asks the school's sign-in service again, so signing out there
 * or leaving the school ends this browser's access within the hour.
 * Used by the service worker only (the options page asks it by message).
 */
(function (root) {
  "use strict";

  const KEY = "signin";
  const RENEW_BEFORE_MS = 60000;

  function base(settings) {
    return String(settings.serverUrl || "").replace(/\/+$/, "");
  }

  function deviceName(userAgent) {
    const ua = String(userAgent || "");
    const os = /CrOS/.test(ua) ? "Chromebook" : /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "Mac"
      : /Linux/.test(ua) ? "Linux" : "computer";
    const browser = /Edg\//.test(ua) ? "Edge" : "Chrome";
    return `${browser} on ${os} (extension)`;
  }

  /** The URL launchWebAuthFlow opens. */
  function startUrl(settings, extensionId, userAgent) {
    const query = new URLSearchParams({ client: "extension", extension_id: extensionId, device: deviceName(userAgent) });
    if (settings.schoolDomain) query.set("domain_hint", settings.schoolDomain);
    return `${base(settings)}/signin/start?${query}`;
  }

  /** What the sign-in came back with: {code} or {error}. */
  function parseRedirect(redirectUrl) {
    const params = new URLSearchParams(new URL(redirectUrl).hash.slice(1));
    if (params.get("signin")) return { code: params.get("signin") };
    return { error: params.get("message") || params.get("error") || "The sign-in did not finish." };
  }

  async function postJson(fetchImpl, url, body, headers) {
    let response;
    try {
      response = await fetchImpl(url, { method: "POST", body: JSON.stringify(body),
        headers: Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, headers || {}) });
    } catch (err) {
      const error = new Error("The Second Look server cannot be reached.");
      error.status = 0;
      throw error;
    }
    let answer = null;
    try { answer = await response.json(); } catch (err) { answer = null; }
    if (!response.ok) {
      const error = new Error((answer && answer.error && answer.error.message) || `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return answer;
  }

  function stored(answer, serverUrl) {
    return { name: answer.staff.name, access: answer.access_token, refresh: answer.refresh_token,
      expiresAt: Date.now() + answer.expires_in * 1000, device: answer.device && answer.device.name, serverUrl };
  }

  async function current(storage) {
    const found = (await storage.local.get(KEY))[KEY];
    return found && found.access ? found : null;
  }

  async function exchange(storage, settings, code, userAgent, fetchImpl = fetch) {
    const answer = await postJson(fetchImpl, `${base(settings)}/api/v1/signin/exchange`,
      { code, client: "extension", device_name: deviceName(userAgent) });
    await storage.local.set({ [KEY]: stored(answer, base(settings)) });
    return { name: answer.staff.name, device: answer.device.name };
  }

  /** New tokens from the refresh token; on refusal the sign-in is forgotten. Returns it or null. */
  async function renew(storage, settings, fetchImpl = fetch) {
    const signin = await current(storage);
    if (!signin) return null;
    try {
      const answer = await postJson(fetchImpl, `${base(settings)}/api/v1/signin/refresh`, { refresh_token: signin.refresh });
      const next = stored(answer, base(settings));
      await storage.local.set({ [KEY]: next });
      return next;
    } catch (err) {
      if (err.status === 401) await storage.local.remove(KEY);
      return null;
    }
  }

  /** The bearer token for the next call: this browser's sign-in (renewed when due), else the pasted token. */
  async function bearer(storage, settings, fetchImpl = fetch) {
    let signin = await current(storage);
    if (signin && signin.serverUrl !== base(settings)) signin = null;  // signed in to another server
    if (signin && signin.expiresAt - Date.now() < RENEW_BEFORE_MS) signin = await renew(storage, settings, fetchImpl);
    return signin ? signin.access : settings.token;
  }

  async function signOut(storage, settings, fetchImpl = fetch) {
    const signin = await current(storage);
    await storage.local.remove(KEY);
    if (signin) {
      try {
        await postJson(fetchImpl, `${base(settings)}/api/v1/signin/signout`, {}, { Authorization: `Bearer ${signin.access}` });
      } catch (err) { /* gone already */ }
    }
  }

  const api = { KEY, deviceName, startUrl, parseRedirect, current, exchange, renew, bearer, signOut };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.signin = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
