/* Second Look check page: sends a draft to POST /api/v1/check and shows what was found.
 *
 * Plain JavaScript, no build step, no third-party code, nothing inline (the page's CSP forbids it).
 * Only the phone's own sign-in (its device tokens, or a pasted staff token) is kept on the phone
 * (localStorage); the draft, the photos and the findings
 * live in this page's memory only, and a share hand-over from the service worker is deleted as
 * soon as it has been read.
 */
"use strict";

(() => {
  const TOKEN_KEY = "secondlook.token";
  const HANDOVER_CACHE = "secondlook-handover"; // written by sw.js
  const HANDOVER_META = "/check/handover/meta";
  const script = document.currentScript;
  const MAX_PHOTOS = Number(script.dataset.maxImages) || 4;
  const SEVERITY_RANK = { pass: 0, advice: 1, warn: 2, block: 3 };
  // The wording is shared with the extension (/static/shared/severity.js, loaded before this file).
  const { SEVERITY } = globalThis.SecondLook.severity;
  const VERDICTS = {
    ...SEVERITY,
    pass: { ...SEVERITY.pass, text: `${SEVERITY.pass.text} Copy it and post it in the app.` },
  };
  const SEVERITY_WORDS = Object.fromEntries(Object.entries(SEVERITY).map(([k, v]) => [k, v.word]));

  const $ = (id) => document.getElementById(id);
  const state = { photos: [], checkId: null, verdict: null, checkedText: null, busy: false };

  class SignInNeeded extends Error {}

  // ---- messages -------------------------------------------------------------------------------
  function show(el, text) {
    el.textContent = text || "";
    el.hidden = !text;
  }
  const notice = (text) => show($("notice"), text);
  const showError = (text) => show($("error"), text);
  function announce(text) {
    // Clear first so the same words are announced again on a second check.
    $("live").textContent = "";
    window.setTimeout(() => { $("live").textContent = text; }, 50);
  }

  // ---- signing in -----------------------------------------------------------------------------
  // Two ways to be signed in: a device sign-in (school account or IT's QR code), kept as
  // {name, access, refresh, expiresAt} under SIGNIN_KEY; or a staff token pasted by hand (scripts,
  // schools without school-account sign-in) under TOKEN_KEY. Neither is ever put in a URL.
  const SIGNIN_KEY = "secondlook.signin";
  const schoolSignin = script.dataset.schoolSignin || "";

  function deviceSignin() {
    try { return JSON.parse(localStorage.getItem(SIGNIN_KEY) || "null"); } catch (err) { return null; }
  }
  function saveSignin(answer) {
    localStorage.setItem(SIGNIN_KEY, JSON.stringify({
      name: answer.staff.name, access: answer.access_token, refresh: answer.refresh_token,
      expiresAt: Date.now() + answer.expires_in * 1000, device: answer.device && answer.device.name,
    }));
    localStorage.removeItem(TOKEN_KEY);
  }
  const token = () => { const s = deviceSignin(); return (s && s.access) || localStorage.getItem(TOKEN_KEY); };
  const signedInName = () => { const s = deviceSignin(); return s ? s.name : (localStorage.getItem(TOKEN_KEY) ? "a staff token" : null); };

  function deviceName() {
    const ua = navigator.userAgent;
    const what = /iPhone/.test(ua) ? "iPhone" : /iPad/.test(ua) ? "iPad" : /Android/.test(ua) ? "Android phone"
      : /Mac OS/.test(ua) ? "Mac" : /Windows/.test(ua) ? "Windows PC" : /CrOS/.test(ua) ? "Chromebook" : "Device";
    const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom/.test(ua) ? "Chrome"
      : /Safari\//.test(ua) ? "Safari" : "browser";
    return `${what} (${browser}, check page)`;
  }

  async function postJson(path, body, headers) {
    let response;
    try {
      response = await fetch(path, { method: "POST", body: JSON.stringify(body), cache: "no-store", credentials: "omit",
        headers: Object.assign({ "Content-Type": "application/json", Accept: "application/json" }, headers || {}) });
    } catch (err) {
      throw new Error("The Second Look server could not be reached. Check the phone's connection and try again.");
    }
    let answer = null;
    try { answer = await response.json(); } catch (err) { answer = null; }
    if (!response.ok) {
      const error = new Error(answer && answer.error ? answer.error.message : `The server answered ${response.status}.`);
      error.status = response.status;
      throw error;
    }
    return answer;
  }

  /** Sign this phone out on the server too (best effort: the tokens are forgotten here anyway). */
  async function forgetSignin() {
    const s = deviceSignin();
    localStorage.removeItem(SIGNIN_KEY);
    localStorage.removeItem(TOKEN_KEY);
    if (s && s.access) {
      try { await postJson("/api/v1/signin/signout", {}, { Authorization: `Bearer ${s.access}` }); } catch (err) { /* already gone */ }
    }
  }

  async function exchangeCode(code) {
    const answer = await postJson("/api/v1/signin/exchange", { code, device_name: deviceName(), client: "check-page" });
    await forgetSignin();
    saveSignin(answer);
    refreshSignIn();
    showError("");
    notice(`You are signed in on this phone as ${answer.staff.name}.`);
  }

  /** A link or QR code carrying a sign-in: say whose it is, and ask before replacing another person's. */
  async function signinFromFragment() {
    const params = new URLSearchParams(location.hash.slice(1));
    const code = params.get("signin");
    const problem = params.get("signin_error");
    const legacy = params.get("token");
    if (!code && !problem && !legacy) return;
    history.replaceState(null, "", location.pathname + location.search);
    if (problem) {
      showSignIn(problem);
      showError(`Sign-in did not work: ${problem}`);
      return;
    }
    if (legacy) {
      showError("That link carries a staff token, which this page no longer accepts from a link. " +
        "Ask IT for a new QR code, or sign in with your school account.");
      return;
    }
    let info;
    try {
      info = await postJson("/api/v1/signin/inspect", { code });
    } catch (err) {
      showError(`That sign-in link does not work: ${err.message}`);
      return;
    }
    const current = signedInName();
    if (current && current !== info.staff.name) {
      askToReplace(current, info.staff.name, code);
      return;
    }
    try { await exchangeCode(code); } catch (err) { showError(`Signing in did not work: ${err.message}`); }
  }

  function askToReplace(current, incoming, code) {
    $("replace-text").textContent = `This phone is signed in as ${current}. The link you opened would sign it in as ` +
      `${incoming} instead, and checks from this phone would then be ${incoming}'s. Only continue if you are ${incoming}.`;
    $("replace-yes").textContent = `Sign in as ${incoming}`;
    $("replace-no").textContent = `Keep ${current === "a staff token" ? "the current sign-in" : current}`;
    $("replace-signin").hidden = false;
    $("replace-no").focus();
    const done = () => { $("replace-signin").hidden = true; };
    $("replace-yes").onclick = async () => {
      done();
      try { await exchangeCode(code); } catch (err) { showError(`Signing in did not work: ${err.message}`); }
    };
    $("replace-no").onclick = () => {
      done();
      notice(`Still signed in as ${current}.`);
    };
  }

  function showSignIn(reason) {
    $("signin").hidden = false;
    $("signout").hidden = true;
    $("whoami").hidden = true;
    $("signin-reason").textContent = reason || "";
    $("signin-reason").hidden = !reason;
  }

  function signedIn() {
    $("signin").hidden = true;
    $("signout").hidden = false;
    const name = signedInName();
    $("whoami").textContent = name ? `Signed in as ${name}` : "";
    $("whoami").hidden = !name;
  }

  function refreshSignIn() {
    if (token()) signedIn();
    else showSignIn("You are not signed in yet.");
  }

  if ($("school-signin")) {
    $("school-signin").addEventListener("click", () => {
      const query = new URLSearchParams({ client: "check-page", device: deviceName() });
      location.assign(`${schoolSignin}?${query}`);
    });
  }

  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) {
      $("signin-reason").textContent = "Paste your staff token first.";
      $("token-input").focus();
      return;
    }
    localStorage.removeItem(SIGNIN_KEY);
    localStorage.setItem(TOKEN_KEY, value);
    $("token-input").value = "";
    signedIn();
    showError("");
    notice("You are signed in on this phone.");
    $("draft-text").focus();
  });

  $("signout").addEventListener("click", async () => {
    await forgetSignin();
    clearResult();
    showSignIn("You have signed out. Sign in again to check a post.");
    notice("");
    ($("school-signin") || $("token-input")).focus();
  });

  // ---- the API --------------------------------------------------------------------------------
  /** A device sign-in's access token lasts an hour; renew it (the server re-checks the person). */
  async function renew() {
    const s = deviceSignin();
    if (!s || !s.refresh) return false;
    try {
      const answer = await postJson("/api/v1/signin/refresh", { refresh_token: s.refresh });
      saveSignin(answer);
      return true;
    } catch (err) {
      if (err.status === 401) localStorage.removeItem(SIGNIN_KEY);
      if (err.status && err.status !== 401) throw err;
      return false;
    }
  }

  async function api(path, init, retried) {
    const s = deviceSignin();
    if (s && s.expiresAt - Date.now() < 30000) await renew();
    const value = token();
    if (!value) throw new SignInNeeded("You are not signed in: sign in with your school account, scan IT's QR code or paste your staff token.");
    const headers = Object.assign({ Accept: "application/json", Authorization: `Bearer ${value}` }, init.headers || {});
    let response;
    try {
      response = await fetch(path, Object.assign({}, init, { headers, cache: "no-store", credentials: "omit" }));
    } catch (err) {
      throw new Error("The Second Look server could not be reached. Check the phone's connection and try again.");
    }
    let body = null;
    try { body = await response.json(); } catch (err) { body = null; }
    if (response.status === 401) {
      if (!retried && deviceSignin() && (await renew())) return api(path, init, true);
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(SIGNIN_KEY);
      throw new SignInNeeded("Your sign-in no longer works: it was signed out or revoked. Sign in again.");
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : `The server answered ${response.status}.`;
      throw new Error(message);
    }
    return body;
  }

  function failed(err) {
    if (err instanceof SignInNeeded) {
      // One message, where the way to fix it is: the sign-in card (not also a banner above it).
      showError("");
      notice("");  // "You are signed in" would now contradict it
      clearResult();  // an older check's verdict is not this draft's
      showSignIn(err.message);
      ($("school-signin") || $("token-input")).focus();
    } else {
      showError(err.message || "Something went wrong.");
    }
    announce(err.message || "Something went wrong.");
  }

  // ---- photos ---------------------------------------------------------------------------------
  function addPhotos(files) {
    const images = Array.from(files).filter((f) => !f.type || f.type.startsWith("image/"));
    const room = MAX_PHOTOS - state.photos.length;
    if (images.length > room) notice(`Only ${MAX_PHOTOS} photos can be checked at once; the others were left out.`);
    images.slice(0, Math.max(room, 0)).forEach((file) => state.photos.push({ file }));
    renderPhotoList();
    markStale();
  }

  function renderPhotoList() {
    const list = $("photo-list");
    list.replaceChildren();
    state.photos.forEach((photo, index) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = `Photo ${index + 1}: ${photo.file.name || "shared photo"}`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary small";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove photo ${index + 1}`);
      remove.addEventListener("click", () => {
        state.photos.splice(index, 1);
        renderPhotoList();
        markStale();
        $("photo-pick").focus();
      });
      item.append(name, remove);
      list.append(item);
    });
  }

  for (const id of ["photo-camera", "photo-pick"]) {
    $(id).addEventListener("change", (event) => {
      addPhotos(event.target.files);
      event.target.value = ""; // the page's list is the only copy
    });
  }

  // ---- checking -------------------------------------------------------------------------------
  function draftBody() {
    const form = $("check-form");
    return {
      text: $("draft-text").value,
      platform: $("platform").value,
      account_type: form.elements.account_type.value || "personal",
      audience: "public",
      client: "check-page",
    };
  }

  async function runCheck(event) {
    event.preventDefault();
    if (state.busy) return;
    showError("");
    const draft = draftBody();
    const photos = state.photos.slice();
    if (!draft.text.trim() && !photos.length) {
      showError("Write or paste your post, or add a photo, first.");
      $("draft-text").focus();
      return;
    }
    let init;
    if (photos.length) {
      const body = new FormData();
      body.append("draft", JSON.stringify(draft));
      photos.forEach((p, i) => body.append("images", p.file, p.file.name || `photo-${i + 1}.jpg`));
      init = { method: "POST", body };
    } else {
      init = { method: "POST", body: JSON.stringify(draft), headers: { "Content-Type": "application/json" } };
    }
    setBusy(true);
    announce("Checking your post…");
    performance.mark("secondlook-submit");
    try {
      const result = await api("/api/v1/check", init);
      await renderResult(result, draft.text, photos);
      performance.measure("secondlook-check", "secondlook-submit");
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  }

  function setBusy(busy) {
    state.busy = busy;
    const button = $("check-button");
    button.disabled = busy;
    button.textContent = busy ? "Checking…" : "Check";
    $("check-form").setAttribute("aria-busy", busy ? "true" : "false");
  }

  // ---- showing the result ---------------------------------------------------------------------
  function clearResult() {
    $("result").hidden = true;
    $("marked-text").replaceChildren();
    $("photos-out").replaceChildren();
    $("findings").replaceChildren();
    $("outcome-status").textContent = "";
    $("copy-status").textContent = "";
    state.checkId = null;
    state.verdict = null;
    state.checkedText = null;
  }

  async function renderResult(result, text, photos) {
    clearResult();
    const findings = result.findings || [];
    state.checkId = result.check_id;
    state.verdict = result.verdict;
    state.checkedText = text;
    const words = VERDICTS[result.verdict] || VERDICTS.warn;
    $("verdict").className = `verdict verdict-${result.verdict}`;
    $("verdict-title").textContent = words.title;
    $("verdict-text").textContent = words.text;
    $("verdict-summary").textContent = thingsToFix(findings);
    $("stale").hidden = true;
    $("marked-text").append(markedText(text, findings));
    $("marked-text").hidden = !text;
    $("text-title").hidden = !text;
    await Promise.all(photos.map((photo, index) => renderPhoto(photo.file, index, findings)));
    renderFindings(findings, text);
    $("findings-title").hidden = !findings.length;
    setupOutcome(result.verdict, findings.length > 0);
    $("copy-button").hidden = !(result.verdict === "pass" && text);
    $("result").hidden = false;
    $("result").focus();
    $("result").scrollIntoView({ block: "start" });
    announce(summary(result.verdict, findings));
  }

  function summary(verdict, findings) {
    const words = VERDICTS[verdict] || VERDICTS.warn;
    if (!findings.length) return `${words.title}.`;
    const items = findings.map((f, i) => `${i + 1}: ${SEVERITY_WORDS[f.severity]}. ${f.message}`);
    return `${words.title}. ${findings.length} finding${findings.length === 1 ? "" : "s"}. ${items.join(" ")}`;
  }

  /** "2 things to fix before posting, 1 suggestion" (empty when nothing was found). */
  function thingsToFix(findings) {
    const fix = findings.filter((f) => f.severity === "block" || f.severity === "warn").length;
    const advice = findings.filter((f) => f.severity === "advice").length;
    const parts = [];
    if (fix) parts.push(`${fix} thing${fix === 1 ? "" : "s"} to fix before posting`);
    if (advice) parts.push(`${advice} suggestion${advice === 1 ? "" : "s"}`);
    return parts.join(", ");
  }

  function worst(severities) {
    return severities.reduce((a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a), "advice");
  }

  /** The text with every finding's span marked. Spans are UTF-16 offsets, like JS string indices;
   *  overlapping spans are cut into pieces, each marked with every finding that covers it. */
  function markedText(text, findings) {
    const spans = [];
    findings.forEach((f, i) => {
      if (!f.span) return;
      const start = Math.max(0, Math.min(text.length, f.span.start));
      const end = Math.max(start, Math.min(text.length, f.span.end));
      if (end > start) spans.push({ start, end, number: i + 1, severity: f.severity });
    });
    const cuts = new Set([0, text.length]);
    spans.forEach((s) => { cuts.add(s.start); cuts.add(s.end); });
    const points = Array.from(cuts).sort((a, b) => a - b);
    const out = document.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k += 1) {
      const a = points[k];
      const b = points[k + 1];
      const piece = text.slice(a, b);
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      if (!covering.length) {
        out.append(piece);
        continue;
      }
      const mark = document.createElement("mark");
      mark.className = `sev-${worst(covering.map((s) => s.severity))}`;
      mark.dataset.findings = covering.map((s) => s.number).join(" ");
      mark.textContent = piece;
      out.append(mark);
      // A reference number after the last piece of each finding, linking to its explanation.
      covering.filter((s) => s.end === b).forEach((s) => {
        const ref = document.createElement("a");
        ref.className = "ref";
        ref.href = `#finding-${s.number}`;
        ref.textContent = String(s.number);
        ref.setAttribute("aria-label", `finding ${s.number}`);
        out.append(ref);
      });
    }
    return out;
  }

  /** The photo as the server saw it (EXIF orientation applied), with each face box drawn over it.
   *  Boxes are in the oriented image's pixels; the SVG overlay's viewBox uses the same pixels, so
   *  it scales with the photo at any displayed size. */
  async function renderPhoto(file, index, findings) {
    const figure = document.createElement("figure");
    figure.className = "photo";
    const frame = document.createElement("div");
    frame.className = "frame";
    const canvas = document.createElement("canvas");
    let width = 0;
    let height = 0;
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      width = bitmap.width;
      height = bitmap.height;
      const scale = Math.min(1, 1600 / Math.max(width, height));
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
    } catch (err) {
      canvas.width = 1;
      canvas.height = 1;
    }
    const mine = [];
    findings.forEach((f, i) => { if (f.image && f.image.index === index) mine.push({ f, number: i + 1 }); });
    // one box per face: a finding about several faces (check them by eye) carries them in `boxes`
    const boxed = mine.flatMap((m) => (m.f.boxes && m.f.boxes.length ? m.f.boxes : m.f.image.box ? [m.f.image.box] : [])
      .map((box) => ({ ...m, box })));
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `Photo ${index + 1}` + (boxed.length ? `, ${boxed.length} face${boxed.length === 1 ? "" : "s"} marked` : ""));
    frame.append(canvas);
    if (boxed.length && width && height) frame.append(faceOverlay(boxed, width, height));
    const caption = document.createElement("figcaption");
    caption.textContent = mine.length
      ? `Photo ${index + 1}: see finding${mine.length === 1 ? "" : "s"} ${mine.map((m) => m.number).join(", ")}.`
      : `Photo ${index + 1}: nothing found.`;
    figure.append(frame, caption);
    $("photos-out").append(figure);
  }

  function faceOverlay(boxed, width, height) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "faces");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    const fontSize = Math.max(12, Math.round(Math.max(width, height) / 25));
    boxed.forEach(({ f, number, box: b }) => {
      const rect = document.createElementNS(NS, "rect");
      // shape as well as colour: a solid square for a must-not-post face, a dashed rounded box and "?" for "check this"
      rect.setAttribute("class", `face sev-${f.severity}`);
      if (f.severity !== "block") rect.setAttribute("rx", Math.round((b.right - b.left) / 4));
      rect.setAttribute("x", b.left);
      rect.setAttribute("y", b.top);
      rect.setAttribute("width", Math.max(1, b.right - b.left));
      rect.setAttribute("height", Math.max(1, b.bottom - b.top));
      rect.setAttribute("vector-effect", "non-scaling-stroke");
      rect.dataset.finding = String(number);
      const label = document.createElementNS(NS, "text");
      label.setAttribute("class", `face-label sev-${f.severity}`);
      label.setAttribute("x", b.left);
      label.setAttribute("y", Math.max(fontSize, b.top - fontSize * 0.25));
      label.setAttribute("font-size", fontSize);
      label.textContent = f.severity === "block" ? `${number}✕` : `${number}?`;
      svg.append(rect, label);
    });
    return svg;
  }

  function renderFindings(findings, text) {
    const list = $("findings");
    findings.forEach((f, i) => {
      const item = document.createElement("li");
      item.id = `finding-${i + 1}`;
      item.className = `finding sev-${f.severity}`;
      const head = document.createElement("p");
      head.className = "finding-head";
      const badge = document.createElement("span");
      badge.className = `badge sev-${f.severity}`;
      badge.textContent = SEVERITY_WORDS[f.severity] || f.severity;
      const message = document.createElement("span");
      message.textContent = ` ${f.title ? `${f.title}: ` : ""}${f.message}`;
      head.append(badge, message);
      item.append(head);
      const where = whereText(f, text, i + 1);
      if (where) item.append(para("where", where));
      if (f.suggestion) item.append(para("suggestion", `What to do: ${f.suggestion}`));
      if (isTextFix(f)) item.append(fixButton(f));
      if (f.link && /^https?:\/\//.test(f.link.href || "")) {
        const link = document.createElement("a");
        link.className = "finding-link";
        link.href = f.link.href;
        link.textContent = f.link.label;
        item.append(link);
      }
      if (f.clause) {
        // the clause's sentence that says why first; the whole clause one tap away
        const label = `Policy ${f.clause.ref}${f.clause.title ? `, ${f.clause.title}` : ""}`;
        if (f.clause.excerpt) item.append(para("clause-excerpt", `${label}: “${f.clause.excerpt}”`));
        const details = document.createElement("details");
        const summaryEl = document.createElement("summary");
        summaryEl.textContent = f.clause.excerpt ? "Read the whole clause" : label;
        details.append(summaryEl, para("clause-text", f.clause.text || ""));
        item.append(details);
      }
      if (typeof f.help_url === "string" && /^https?:\/\//.test(f.help_url)) {
        const help = document.createElement("a");
        help.className = "finding-help";
        help.href = f.help_url;
        help.textContent = "Why is this a problem?";
        item.append(help);
      }
      list.append(item);
    });
  }

  /** A fix the page can type in: text to add at the end, or words to replace (while the draft is
   *  still the one checked, so the span still points at them). */
  function isTextFix(f) {
    const fix = f && f.fix;
    if (!fix || typeof fix.text !== "string" || !fix.text) return false;
    return fix.kind === "append" || (fix.kind === "replace" && Boolean(f.span));
  }

  function fixButton(f) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "fix";
    const words = f.fix.text.trim();
    button.textContent = f.fix.kind === "append" ? `Add “${words}”` : `Replace with “${words}”`;
    button.addEventListener("click", () => applyFix(f));
    return button;
  }

  /** One tap: the fix goes into the post and the post is checked again. */
  function applyFix(f) {
    const area = $("draft-text");
    const checked = state.checkedText || "";
    if (f.fix.kind === "replace" && area.value !== checked) {
      showError("The post has changed since it was checked: check it again first.");
      return;
    }
    if (f.fix.kind === "append" && area.value === checked) {
      area.value = checked + f.fix.text;  // the checker's words, as it said them
    } else if (f.fix.kind === "append") {
      // edited since the check: the same words on a new sentence after whatever the post ends with
      const base = area.value.replace(/\s+$/, "");
      const joint = !base ? "" : /[\p{L}\p{N}]$/u.test(base) ? ". " : " ";
      area.value = base + joint + f.fix.text.replace(/^[.\s]+/, "");
    } else {
      area.value = checked.slice(0, f.span.start) + f.fix.text + checked.slice(f.span.end);
    }
    announce(`Added to your post. Checking it again…`);
    $("check-form").requestSubmit();
  }

  function whereText(f, text, number) {
    if (f.span && f.span.end > f.span.start) return `In the text: “${text.slice(f.span.start, f.span.end)}”`;
    if (f.image) return f.image.box ? `In photo ${f.image.index + 1}, the face marked ${number}.` : `In photo ${f.image.index + 1}.`;
    return "";
  }

  function para(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  // ---- outcome and copy -----------------------------------------------------------------------
  function setupOutcome(verdict, stored) {
    $("outcome").hidden = !stored;
    $("reason-form").hidden = true;
    $("reason").value = "";
    reasonError("");
    $("post-anyway").hidden = verdict === "block";
    $("reason-need").textContent = verdict === "warn" ? "(needed for a warning)" : "(optional)";
    $("reason").required = verdict === "warn";
    for (const button of $("outcome").querySelectorAll("button")) button.disabled = false;
    $("report-status").textContent = "";
  }

  /** "This is wrong": one tap sends a report about this check to the Director of IT (nothing of the draft). */
  async function reportWrong(kind) {
    if (!state.checkId) return;
    $("report-status").textContent = "Sending…";
    try {
      await api(`/api/v1/checks/${encodeURIComponent(state.checkId)}/report`, {
        method: "POST", body: JSON.stringify({ kind }), headers: { "Content-Type": "application/json" },
      });
    } catch (err) {
      $("report-status").textContent = "Could not send the report; try again, or tell the Director of IT.";
      return;
    }
    $("report-status").textContent = "Sent to the Director of IT, who will answer. Nothing of your post was sent.";
  }

  async function reportOutcome(action, reason) {
    if (!state.checkId) return;
    const body = { action };
    if (reason) body.override_reason = reason;
    for (const button of $("outcome").querySelectorAll("button")) button.disabled = true;
    try {
      await api(`/api/v1/checks/${encodeURIComponent(state.checkId)}/outcome`, {
        method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" },
      });
    } catch (err) {
      for (const button of $("outcome").querySelectorAll("button")) button.disabled = false;
      failed(err);
      return;
    }
    const text = state.checkedText;
    if (action === "edited") {
      show($("outcome-status"), "Noted. Edit your post below, then check it again.");
      $("draft-text").focus();
    } else if (action === "cancelled") {
      resetAll();
      notice("Noted: you won't post it. The post has been cleared from this page.");
      announce("Noted: you won't post it. The post has been cleared from this page.");
      return;
    } else {
      $("reason-form").hidden = true;
      show($("outcome-status"), "Noted. Copy the text and post it in the app.");
      $("copy-button").hidden = !text;
      $("copy-button").focus();
    }
    announce($("outcome-status").textContent);
  }

  $("outcome").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) reportOutcome(button.dataset.action);
  });

  $("outcome").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-report]");
    if (button) reportWrong(button.dataset.report);
  });

  $("post-anyway").addEventListener("click", () => {
    $("reason-form").hidden = false;
    $("reason").focus();
  });

  $("reason-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = $("reason").value.trim();
    if (state.verdict === "warn" && !reason) {
      reasonError("Say why it is right to post this despite the warning: your reason is kept with the check for review.");
      $("reason").focus();
      return;
    }
    reasonError("");
    reportOutcome("posted", reason);
  });

  /** The reason field's own error, under the field, tied to it for screen readers (and announced). */
  function reasonError(text) {
    const field = $("reason");
    show($("reason-error"), text);
    if (text) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", "reason-error");
    } else {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    }
  }

  $("reason").addEventListener("input", () => { if ($("reason").value.trim()) reasonError(""); });

  $("copy-button").addEventListener("click", async () => {
    const text = state.checkedText || "";
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (err) {
      // Older phones: copy through a selection instead.
      const area = $("draft-text");
      area.value = text;
      area.select();
      copied = document.execCommand("copy");
    }
    show($("copy-status"), copied ? "Copied. Open the app and paste it." : "Copying did not work: select the text and copy it yourself.");
    announce($("copy-status").textContent);
  });

  function resetAll() {
    clearResult();
    $("check-form").reset();
    state.photos = [];
    renderPhotoList();
  }

  function markStale() {
    if ($("result").hidden) return;
    $("stale").hidden = false;
    $("copy-button").hidden = true;
  }

  $("draft-text").addEventListener("input", markStale);
  $("check-form").addEventListener("submit", runCheck);

  // ---- shared from another app ----------------------------------------------------------------
  /** The service worker keeps a shared post in a cache just long enough for this page to read it;
   *  the hand-over is deleted here whether or not it could be read. */
  async function receiveShare() {
    const params = new URLSearchParams(location.search);
    const shared = params.get("shared");
    if (shared) history.replaceState(null, "", location.pathname + location.hash);
    if (shared === "unavailable") {
      notice("What you shared could not be received: this page was not ready on the phone yet. " +
        "It is now; share again, or paste the text here.");
    }
    if (!("caches" in window)) return;
    try {
      if (shared === "1") {
        const cache = await caches.open(HANDOVER_CACHE);
        const metaResponse = await cache.match(HANDOVER_META);
        if (!metaResponse) {
          notice("Nothing shared was found. Share again, or paste the text here.");
          return;
        }
        const meta = await metaResponse.json();
        const files = [];
        for (const entry of meta.files || []) {
          const response = await cache.match(entry.url);
          if (response) files.push(new File([await response.blob()], entry.name || "shared photo", { type: entry.type || "" }));
        }
        const text = [meta.text, meta.url].filter(Boolean).join("\n") || meta.title || "";
        if (text) $("draft-text").value = text;
        addPhotos(files);
        const dropped = meta.dropped ? ` ${meta.dropped} more photo${meta.dropped === 1 ? " was" : "s were"} left out (at most ${MAX_PHOTOS}).` : "";
        notice(`Shared post received. Choose the account and app, then press Check.${dropped}`);
      }
    } catch (err) {
      notice("What you shared could not be read. Share again, or paste the text here.");
    } finally {
      await caches.delete(HANDOVER_CACHE);
    }
  }

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).catch(() => {
      // The page works without it; only installing and sharing to it need it.
    });
  }

  refreshSignIn();
  const signinDone = signinFromFragment().finally(refreshSignIn);
  window.addEventListener("hashchange", () => { signinFromFragment().finally(refreshSignIn); });
  // Leaving the page (not just switching to the app to post) forgets the post and its findings.
  window.addEventListener("pagehide", resetAll);
  registerServiceWorker();
  Promise.all([receiveShare(), signinDone]).finally(() => document.documentElement.classList.add("ready"));
})();
