/*
 * Settings, read through one module with defaults. They live in chrome.storage.local (never
 * sync: the token is a credential) under `serverUrl`, `token`, `schoolHandles`, `schoolDomain`; IT can push the
 * same keys by Chrome policy (chrome.storage.managed), and a managed value always wins.
 * `accountTypes` (per site: "school"|"personal") remembers the panel's one-click choice, keyed by
 * `siteKey` (the adapter's id, or the host for sites the generic adapter serves, so a choice made on
 * Bluesky is not reused on Mastodon), shown and changeable in the panel and the options page; `signin`
 * (lib/signin.js) holds this browser's own tokens after signing in with the school account.
 */
(function (root) {
  "use strict";

  const DEFAULTS = Object.freeze({ serverUrl: "http://127.0.0.1:5000", token: "", schoolHandles: [], schoolDomain: "" });
  const KEYS = Object.keys(DEFAULTS);

  function normaliseHandle(handle) {
    const h = String(handle || "").trim().toLowerCase();
    if (!h) return "";
    return h.startsWith("@") ? h : "@" + h;
  }

  function normaliseHandles(value) {
    const list = Array.isArray(value) ? value : String(value || "").split(/[\s,]+/);
    return [...new Set(list.map(normaliseHandle).filter(Boolean))];
  }

  const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

  /** Plain http only to this computer: a token or a draft never crosses a network unencrypted. */
  function isAllowedServer(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK.has(parsed.hostname));
    } catch (err) {
      return false;
    }
  }

  function normaliseServerUrl(value) {
    const url = String(value || "").trim().replace(/\/+$/, "");
    if (!url) return "";
    let parsed;
    try {
      parsed = new URL(url);
    } catch (err) {
      throw new Error("The server address is not a valid URL.");
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("The server address must start with https://.");
    if (!isAllowedServer(url)) throw new Error("The server address must start with https:// (plain http:// only for 127.0.0.1 or localhost).");
    return parsed.origin + parsed.pathname.replace(/\/+$/, "");
  }

  /** Effective settings: defaults < local < managed. Returns {values, managedKeys}. */
  function merge(local, managed) {
    const values = { ...DEFAULTS };
    const managedKeys = [];
    for (const key of KEYS) {
      if (local && local[key] !== undefined && local[key] !== null && local[key] !== "") values[key] = local[key];
      if (managed && managed[key] !== undefined && managed[key] !== null && managed[key] !== "") {
        values[key] = managed[key];
        managedKeys.push(key);
      }
    }
    values.schoolHandles = normaliseHandles(values.schoolHandles);
    values.serverUrl = String(values.serverUrl).replace(/\/+$/, "");
    if (values.serverUrl && !isAllowedServer(values.serverUrl)) values.serverUrl = "";  // never plain http off this computer
    return { values, managedKeys };
  }

  function isSchoolHandle(handle, schoolHandles) {
    const h = normaliseHandle(handle);
    return Boolean(h) && normaliseHandles(schoolHandles).includes(h);
  }

  /** The account type for a draft: the page's handle decides when known, else the remembered choice. */
  function accountTypeFor({ handle, schoolHandles, remembered }) {
    if (handle) return { accountType: isSchoolHandle(handle, schoolHandles) ? "school" : "personal", source: "handle" };
    if (remembered === "school" || remembered === "personal") return { accountType: remembered, source: "choice" };
    return { accountType: "personal", source: "default" };
  }

  /** The key a per-site account choice is kept under: one site, one choice. */
  function siteKey(adapter, hostname) {
    return adapter.generic ? String(hostname || "").toLowerCase().replace(/^www\./, "") : adapter.id;
  }

  const SITE_NAMES = Object.freeze({ x: "X", facebook: "Facebook", instagram: "Instagram", linkedin: "LinkedIn" });

  /** A site's name for people: "Facebook", or the host ("bsky.app") for the others. */
  function siteName(key) {
    return SITE_NAMES[key] || key;
  }

  async function managedValues(storage) {
    try {
      return (storage.managed && (await storage.managed.get(KEYS))) || {};
    } catch (err) {
      return {};  // no policy schema / no managed storage (e.g. not deployed by IT)
    }
  }

  /** Read effective settings from chrome.storage. */
  async function load(storage) {
    const [local, managed] = await Promise.all([storage.local.get(KEYS), managedValues(storage)]);
    return merge(local, managed);
  }

  const api = { DEFAULTS, KEYS, merge, load, normaliseHandle, normaliseHandles, normaliseServerUrl, isAllowedServer,
    isSchoolHandle, accountTypeFor, siteKey, siteName };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.settings = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
