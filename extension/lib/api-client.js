/*
 * Calls to the Second Look service (used by the service worker and the options page only).
 * Every failure becomes {ok: false, error: {kind, message}} so the panel can say plainly that a
 * draft was NOT checked; nothing here ever turns a failure into a pass.
 * Kinds: not-configured, unreachable, unauthorized, timeout, rejected, server, cancelled.
 */
(function (root) {
  "use strict";

  const CHECK_TIMEOUT_MS = 10000;  // far under Chrome's 30 s limit for service-worker fetches
  const SIGNIN_REFUSED = "The Second Look server did not accept your sign-in: the staff token is wrong or was " +
    "revoked, or your school-account sign-in has ended.";

  function dataUrlToBlob(dataUrl) {
    const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(dataUrl);
    if (!match) throw new Error("not a data URL");
    const type = match[1] || "application/octet-stream";
    if (!match[2]) return new Blob([decodeURIComponent(match[3])], { type });
    const bin = atob(match[3]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type });
  }

  /** The fetch arguments for a check: JSON for text only, multipart when there are images. */
  function checkRequest(settings, draft, images) {
    const url = settings.serverUrl.replace(/\/+$/, "") + "/api/v1/check";
    const headers = { Authorization: "Bearer " + settings.token };
    const body = { ...draft, client: "extension" };
    if (!images || !images.length) {
      headers["Content-Type"] = "application/json";
      return { url, init: { method: "POST", headers, body: JSON.stringify(body) } };
    }
    const form = new FormData();
    form.append("draft", JSON.stringify(body));
    images.slice(0, 4).forEach((img, i) => form.append("images", dataUrlToBlob(img.dataUrl), img.name || `image-${i}`));
    return { url, init: { method: "POST", headers, body: form } };
  }

  async function errorMessage(response) {
    try {
      const body = await response.json();
      return (body && body.error && body.error.message) || response.statusText;
    } catch (err) {
      return response.statusText || `HTTP ${response.status}`;
    }
  }

  function failure(kind, message) {
    return { ok: false, error: { kind, message } };
  }

  /** fetch with a timeout and an outside cancel signal; classifies every way it can fail. */
  async function call(url, init, { signal, timeoutMs = CHECK_TIMEOUT_MS, fetchImpl = fetch } = {}) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
    const onAbort = () => controller.abort();
    if (signal) {
      if (signal.aborted) controller.abort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
    const started = Date.now();
    try {
      const response = await fetchImpl(url, { ...init, signal: controller.signal });
      const roundTripMs = Date.now() - started;
      if (response.status === 401 || response.status === 403) {
        // One plain sentence for every place that shows it (panel, options page, popup), not the
        // server's wording stacked under ours.
        return failure("unauthorized", SIGNIN_REFUSED);
      }
      if (response.status >= 500) return failure("server", "The server failed: " + (await errorMessage(response)));
      if (!response.ok) return failure("rejected", await errorMessage(response));
      return { ok: true, answer: await response.json(), roundTripMs };
    } catch (err) {
      if (timedOut) return failure("timeout", `The check took longer than ${Math.round(timeoutMs / 1000)} s.`);
      if (signal && signal.aborted) return failure("cancelled", "A newer draft replaced this check.");
      return failure("unreachable", "The Second Look server cannot be reached.");
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", onAbort);
    }
  }

  async function postCheck(settings, draft, images, options = {}) {
    if (!settings.serverUrl || !settings.token) {
      return failure("not-configured", "Second Look is not set up: open its options and sign in with your school account (or add a staff token).");
    }
    const { url, init } = checkRequest(settings, draft, images);
    return call(url, init, options);
  }

  async function postOutcome(settings, checkId, action, reason, options = {}) {
    const url = `${settings.serverUrl.replace(/\/+$/, "")}/api/v1/checks/${encodeURIComponent(checkId)}/outcome`;
    const body = { action };
    if (reason) body.override_reason = reason;
    return call(url, {
      method: "POST",
      headers: { Authorization: "Bearer " + settings.token, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }, options);
  }

  /** "This is wrong": a false alarm or a request for an exception about one of their checks. */
  async function postReport(settings, checkId, kind, reason, options = {}) {
    const url = `${settings.serverUrl.replace(/\/+$/, "")}/api/v1/checks/${encodeURIComponent(checkId)}/report`;
    return call(url, {
      method: "POST",
      headers: { Authorization: "Bearer " + settings.token, "Content-Type": "application/json" },
      body: JSON.stringify(reason ? { kind, reason } : { kind }),
    }, options);
  }

  /** The member of staff's own near-misses (GET /api/v1/checks/mine), newest first. */
  async function myChecks(settings, options = {}) {
    if (!settings.serverUrl || !settings.token) {
      return failure("not-configured", "Second Look is not set up: add the server and your staff token in its options.");
    }
    return call(`${settings.serverUrl.replace(/\/+$/, "")}/api/v1/checks/mine?per_page=10`, {
      method: "GET", headers: { Authorization: "Bearer " + settings.token },
    }, options);
  }

  /** Tell the server a composer could not be gated (site, adapter, kind, what was missing, version). */
  async function postAdapterHealth(settings, report, options = {}) {
    if (!settings.serverUrl || !settings.token) return failure("not-configured", "Second Look is not set up.");
    return call(settings.serverUrl.replace(/\/+$/, "") + "/api/v1/adapter-health", {
      method: "POST",
      headers: { Authorization: "Bearer " + settings.token, "Content-Type": "application/json" },
      body: JSON.stringify(report),
    }, options);
  }

  async function health(settings, options = {}) {
    return call(settings.serverUrl.replace(/\/+$/, "") + "/api/v1/health", { method: "GET" }, options);
  }

  const api = { CHECK_TIMEOUT_MS, SIGNIN_REFUSED, checkRequest, call, postCheck, postOutcome, postAdapterHealth, health, myChecks, postReport, dataUrlToBlob };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.api = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
