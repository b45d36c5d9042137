/*
 * The content script's controller: finds compose boxes as they appear, checks drafts while the
 * member of staff types (debounced, latest only, cached by draft key), draws what was found and
 * gates the Post button. The site adapter chosen for this page knows the site's DOM; this file
 * knows none of it.
 */
(function (root) {
  "use strict";

  const SL = root.SecondLook;
  const { MESSAGES, CHECK_PORT } = SL.messages;
  const DEBOUNCE_MS = 500;
  const MAX_IMAGES = 4;

  const adapter = SL.adapters.forLocation(location);
  if (!adapter || root.__secondLookStarted) return;
  root.__secondLookStarted = true;

  const controller = new AbortController();
  const signal = controller.signal;
  const sessions = new Map();  // composer element -> session
  const cache = SL.timing.answerCache(50);
  let overlay = null;
  let pageSettings = { schoolHandles: [], remembered: null, configured: true };
  let active = null;
  let bypassGate = false;
  let frame = 0;

  function send(id, payload) {
    return new Promise((resolve, reject) => {
      chrome.runtime.sendMessage({ id, ...payload }, (reply) => {
        if (chrome.runtime.lastError) return reject(new Error(chrome.runtime.lastError.message));
        if (!reply || !reply.ok) return reject(new Error((reply && reply.error) || "no answer"));
        resolve(reply.result);
      });
    });
  }

  /** Ask the worker to check over a port of its own: disconnecting it cancels the fetch. */
  function checkOverPort(draft, images) {
    const port = chrome.runtime.connect({ name: CHECK_PORT });
    let settle = null;
    const promise = new Promise((resolve) => {
      settle = resolve;
      port.onMessage.addListener((reply) => {
        port.disconnect();
        resolve(reply.ok ? reply.result : { ok: false, error: { kind: "unreachable", message: reply.error } });
      });
      // Our own disconnect() does not fire this; the worker going away does.
      port.onDisconnect.addListener(() => resolve({ ok: false, error: { kind: "unreachable",
        message: "Second Look's background worker stopped before answering." } }));
    });
    port.postMessage({ id: MESSAGES.CHECK, draft, images: images.map(({ name, type, dataUrl }) => ({ name, type, dataUrl })) });
    return {
      promise,
      // Cancelling settles the promise at once, so whoever awaited it (the Post gate) moves on.
      cancel: () => {
        port.disconnect();
        settle({ ok: false, error: { kind: "cancelled", message: "Replaced by a newer draft." } });
      },
    };
  }

  function isTextControl(el) {
    return el.nodeName === "TEXTAREA" || el.nodeName === "INPUT";
  }

  function textOf(el) {
    return isTextControl(el) ? { text: el.value, segments: null } : SL.textMap.readText(el);
  }

  /** The caret's offset in the editor's text (UTF-16 units), or null when it is elsewhere. */
  function caretOffset(el) {
    if (isTextControl(el)) return document.activeElement === el ? el.selectionStart : null;
    const selection = getSelection();
    if (!selection || !selection.rangeCount || !el.contains(selection.anchorNode)) return null;
    const { segments } = SL.textMap.readText(el);
    const seg = segments.find((s) => s.kind === "text" && s.node === selection.anchorNode);
    return seg ? seg.start + selection.anchorOffset : null;
  }

  function accountFor() {
    const handle = adapter.accountHandle ? adapter.accountHandle(document) : null;
    const result = SL.settings.accountTypeFor({ handle, schoolHandles: pageSettings.schoolHandles, remembered: pageSettings.remembered });
    return { ...result, handle };
  }

  function draftOf(session) {
    const { text } = textOf(session.el);
    const account = accountFor();
    const draft = { text, platform: adapter.platform, account_type: account.accountType,
      account_handle: account.handle || null, audience: "public",
      // One id per composer, so the server's log keeps one record per post, not one per keystroke.
      client_draft_id: session.draftId };
    return { draft, account, key: SL.hash.draftKey(draft, session.images.map((i) => i.id)) };
  }

  // ---- checking -------------------------------------------------------------------------------

  function setState(session, state) {
    session.state = state;
    if (session === active) scheduleRender();
  }

  /** Check the current draft unless the latest state already is for it; resolves with the state. */
  function ensureChecked(session) {
    const { draft, key } = draftOf(session);
    // An answer for this exact draft is final; a failure is not (the server may be back).
    if (session.state && session.state.key === key && ["done", "empty"].includes(session.state.status)) {
      return Promise.resolve(session.state);
    }
    if (session.inflight && session.inflight.key === key) return session.inflight.promise;
    const images = session.images.slice(0, MAX_IMAGES);
    if (!draft.text.trim() && !images.length) {
      session.latest.begin(key, null);
      session.inflight = null;
      setState(session, { key, status: "empty" });
      return Promise.resolve(session.state);
    }
    const cached = cache.get(key);
    if (cached) {
      session.latest.begin(key, null);
      session.inflight = null;
      setState(session, { key, status: "done", answer: cached.answer, roundTripMs: cached.roundTripMs, cached: true, imagesChecked: images.length > 0 });
      return Promise.resolve(session.state);
    }
    let request;
    try {
      request = checkOverPort(draft, images);
    } catch (err) {  // the extension was reloaded or updated under this page
      setState(session, { key, status: "error", error: { kind: "unreachable", message: "Second Look was updated: reload this page to check again." } });
      return Promise.resolve(session.state);
    }
    const ticket = session.latest.begin(key, request.cancel);
    setState(session, { key, status: "pending" });
    const promise = request.promise.then((result) => {
      if (!session.latest.isCurrent(ticket)) return session.inflight ? session.inflight.promise : session.state;
      session.latest.finish(ticket);
      session.inflight = null;
      if (result.ok) {
        cache.set(key, { answer: result.answer, roundTripMs: result.roundTripMs });
        setState(session, { key, status: "done", answer: result.answer, roundTripMs: result.roundTripMs, imagesChecked: images.length > 0 });
      } else {
        setState(session, { key, status: "error", error: result.error });
      }
      return session.state;
    });
    session.inflight = { key, promise };
    return promise;
  }

  /** Wait until the state is for the draft as it is now (typing may overtake a check). */
  async function freshState(session) {
    for (let i = 0; i < 5; i++) {
      const state = await ensureChecked(session);
      if (state.key === draftOf(session).key) return state;
    }
    return session.state;
  }

  // ---- composers ------------------------------------------------------------------------------

  function adopt(el) {
    if (sessions.has(el) || el.closest("second-look-overlay")) return;
    if (adapter.isComposer && !adapter.isComposer(el)) return;
    const session = { el, images: [], state: null, inflight: null, latest: SL.timing.latestOnly(), reported: new Set(),
      draftId: crypto.randomUUID() };
    session.debounced = SL.timing.debounce(() => ensureChecked(session), DEBOUNCE_MS);
    const changed = () => {
      active = session;
      scheduleRender();
      session.debounced();
    };
    el.addEventListener("input", changed, { signal });
    el.addEventListener("focus", () => { active = session; scheduleRender(); }, { signal });
    session.observer = new MutationObserver(changed);
    session.observer.observe(el, { childList: true, characterData: true, subtree: true });
    sessions.set(el, session);
    if (!active) active = session;
    if (textOf(el).text.trim()) changed();
  }

  function scan() {
    for (const el of document.querySelectorAll(adapter.composerSelector)) adopt(el);
    for (const [el, session] of sessions) {
      if (!el.isConnected) {
        session.observer.disconnect();
        session.debounced.cancel();
        sessions.delete(el);
        if (active === session) active = null;
      }
    }
    if (!active) overlay.hidePanel();
  }

  function sessionAround(node) {
    for (const [el, session] of sessions) if (el === node || el.contains(node)) return session;
    return null;
  }

  function sessionForButton(button) {
    // Only the Post button of a composer we watch is gated (never a search form's submit button).
    for (const [el, session] of sessions) if (adapter.postButton(el) === button) return session;
    return null;
  }

  // ---- drawing --------------------------------------------------------------------------------

  function scheduleRender() {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; render(); });
  }

  function markItems(session) {
    const state = session.state;
    if (!state || state.status !== "done") return [];
    const { text, segments } = textOf(session.el);
    if (state.key !== draftOf(session).key) return [];  // the text changed: wait for its check
    const items = [];
    const cardOf = new Map();  // each finding's card, so an underline and its card light up together
    for (const card of SL.findings.cards(state.answer.findings, text)) for (const f of card.members) cardOf.set(f, card.index);
    for (const f of SL.findings.textFindings(state.answer.findings)) {
      const rects = [];
      if (segments) {
        for (const [start, end] of SL.textMap.lineSlices(text, f.span.start, f.span.end)) {
          const points = SL.textMap.rangePoints({ segments }, start, end);
          if (!points) continue;
          const range = document.createRange();
          range.setStart(points.startNode, points.startOffset);
          range.setEnd(points.endNode, points.endOffset);
          rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
        }
      } else {
        rects.push(...overlay.textareaRects(session.el, f.span.start, f.span.end));
      }
      items.push({ severity: f.severity, rule: f.rule, start: f.span.start, end: f.span.end, rects, card: cardOf.get(f) });
    }
    return items;
  }

  function render() {
    const session = active;
    if (!session || !session.el.isConnected) return;
    const account = accountFor();
    const state = session.state || { status: "empty" };
    const view = { ...state, text: textOf(session.el).text, accountSource: account.source, accountType: account.accountType, images: session.images,
      stale: state.status !== "pending" && state.status !== "empty" && state.key !== draftOf(session).key };
    overlay.renderPanel(view, session.el.getBoundingClientRect(), {
      onFix: (f) => applyFix(session, f),
      onChooseAccount: (type) => chooseAccount(type),
      onRemoveImage: (image) => {
        session.images = session.images.filter((i) => i !== image);
        ensureChecked(session);
      },
    });
    overlay.drawMarks(markItems(session));
    const thumbs = adapter.thumbnails ? adapter.thumbnails(session.el) : [];
    const imageFindings = state.status === "done" ? state.answer.findings : [];
    const imageCards = state.status === "done" ? SL.findings.cards(imageFindings, view.text) : [];
    overlay.drawSiteBadges(state.status === "done" && state.imagesChecked ? thumbs.slice(0, session.images.length).map((img, i) => ({
      rect: img.getBoundingClientRect(), verdict: SL.findings.verdictOf(SL.findings.imageFindings(imageFindings, i)),
      numbers: SL.findings.imageFindings(imageCards, i).map((c) => c.index + 1),  // the cards (and boxes) to look at
    })) : []);
  }

  // ---- fixes and choices ----------------------------------------------------------------------

  /** Insert text the way typing would (execCommand insertText), so the editor keeps its model. */
  function applyFix(session, finding) {
    const el = session.el;
    const fix = finding.fix;
    el.focus();
    if (isTextControl(el)) {
      if (fix.kind === "append") el.setSelectionRange(el.value.length, el.value.length);
      else el.setSelectionRange(finding.span.start, finding.span.end);
    } else {
      const { text, segments } = SL.textMap.readText(el);
      const selection = getSelection();
      const range = document.createRange();
      if (fix.kind === "append") {
        const points = SL.textMap.rangePoints({ segments }, text.length, text.length);
        if (points) {
          range.setStart(points.endNode, points.endOffset);
          range.collapse(true);
        } else {
          range.selectNodeContents(el);
          range.collapse(false);
        }
      } else {
        const points = SL.textMap.rangePoints({ segments }, finding.span.start, finding.span.end);
        range.setStart(points.startNode, points.startOffset);
        range.setEnd(points.endNode, points.endOffset);
      }
      selection.removeAllRanges();
      selection.addRange(range);
    }
    const ok = document.execCommand("insertText", false, fix.text);
    if (!ok) {
      // Editors that cancel execCommand still listen to beforeinput, as for typed text.
      el.dispatchEvent(new InputEvent("beforeinput", { inputType: "insertText", data: fix.text, bubbles: true, cancelable: true }));
    }
    session.debounced();
  }

  async function chooseAccount(type) {
    await send(MESSAGES.REMEMBER_ACCOUNT_TYPE, { site: adapter.id, accountType: type });
    pageSettings.remembered = type;
    for (const session of sessions.values()) session.debounced.flush() || ensureChecked(session);
    scheduleRender();
  }

  // ---- images ---------------------------------------------------------------------------------

  function readFile(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  /** iPhone photos: where the system has no MIME type for HEIC, the browser gives the file none. */
  const HEIC_NAME = /\.(heic|heif)$/i;

  async function attach(session, files) {
    const images = [...files].filter((f) => f.type.startsWith("image/") || (!f.type && HEIC_NAME.test(f.name)));
    if (!session || !images.length) return;
    for (const file of images) {
      if (session.images.length >= MAX_IMAGES) break;
      const dataUrl = await readFile(file);
      const id = SL.hash.hashText(dataUrl);
      if (!session.images.some((i) => i.id === id)) session.images.push({ id, name: file.name, type: file.type, dataUrl });
    }
    active = session;
    session.debounced.cancel();
    ensureChecked(session);
  }

  function sessionNear(node) {
    const direct = sessionAround(node);
    if (direct) return direct;
    let best = null;
    for (const [el, session] of sessions) {
      for (let anc = el.parentElement; anc; anc = anc.parentElement) {
        if (anc.contains(node)) { if (!best || best.depth < depthOf(anc)) best = { session, depth: depthOf(anc) }; break; }
      }
    }
    return best ? best.session : active;
  }

  function depthOf(node) {
    let d = 0;
    for (let n = node; n; n = n.parentElement) d++;
    return d;
  }

  // ---- the Post gate --------------------------------------------------------------------------

  function report(session, answer, action, reason) {
    if (!SL.gate.reportable(answer) || session.reported.has(answer.check_id + action)) return Promise.resolve();
    session.reported.add(answer.check_id + action);
    if (action !== "edited") session.draftId = crypto.randomUUID();  // the next post is a new draft
    return send(MESSAGES.REPORT_OUTCOME, { checkId: answer.check_id, action, reason: reason || null }).catch(() => {});
  }

  function postNow(session, button) {
    if (!button) return;
    bypassGate = true;
    try {
      button.click();
    } finally {
      bypassGate = false;
    }
    session.images = [];
  }

  async function gateAndPost(session, button) {
    if (session.gating) return;
    session.gating = true;
    try {
      session.debounced.cancel();
      let decision = SL.gate.decide(session.state, draftOf(session).key);
      if (decision === "check-first" || decision === "unchecked") {
        await freshState(session);
        decision = SL.gate.decide(session.state, draftOf(session).key);
      }
      const state = session.state;
      if (decision === "allow" || (decision === "check-first" && state.status === "empty")) {
        if (state.answer) report(session, state.answer, "posted");
        postNow(session, button);
        return;
      }
      if (decision === "check-first") decision = "unchecked";
      const findings = state.answer ? state.answer.findings : [];
      const checkId = state.answer && state.answer.check_id;
      const onReport = checkId ? async (kind, why) => {
        const reply = await send(MESSAGES.REPORT, { checkId, kind, reason: why || null }).catch(() => null);
        return Boolean(reply && reply.ok);
      } : null;
      const { choice, reason } = await overlay.askGate(decision, { findings, error: state.error, onReport });
      if (choice === "post" && decision !== "block") {
        if (state.answer) report(session, state.answer, "posted", reason);
        postNow(session, button);
      } else {
        if (state.answer) report(session, state.answer, choice === "edit" ? "edited" : "cancelled");
        if (choice === "edit") session.el.focus();
      }
    } finally {
      session.gating = false;
    }
  }

  function onClickCapture(event) {
    if (bypassGate) return;
    const button = adapter.isPostButton(event.target);
    if (!button) return;
    const session = sessionForButton(button);
    if (!session) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    gateAndPost(session, button);
  }

  function onKeyCapture(event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const session = sessionAround(event.target);
    if (!session) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    gateAndPost(session, adapter.postButton(session.el));
  }

  // ---- start ----------------------------------------------------------------------------------

  async function start() {
    try {
      pageSettings = await send(MESSAGES.PAGE_SETTINGS, { site: adapter.id });
    } catch (err) {
      pageSettings = { schoolHandles: [], remembered: null, configured: false, serverOrigin: null };
    }
    if (pageSettings.serverOrigin && pageSettings.serverOrigin === location.origin) return;  // never on our own pages
    overlay = SL.overlay.create();
    const opts = { capture: true, signal };
    document.addEventListener("click", onClickCapture, opts);
    document.addEventListener("keydown", onKeyCapture, opts);
    document.addEventListener("change", (e) => {
      if (e.target.matches && e.target.matches('input[type="file"]') && e.target.files) attach(sessionNear(e.target), e.target.files);
    }, opts);
    document.addEventListener("paste", (e) => {
      const session = sessionAround(e.target);
      if (session && e.clipboardData && e.clipboardData.files.length) attach(session, e.clipboardData.files);
    }, opts);
    document.addEventListener("drop", (e) => {
      const session = sessionNear(e.target);
      if (session && e.dataTransfer && e.dataTransfer.files.length) attach(session, e.dataTransfer.files);
    }, opts);
    window.addEventListener("scroll", scheduleRender, opts);
    window.addEventListener("resize", scheduleRender, opts);
    // Keyboard users reach an underline by moving the caret into its words: its card lights up.
    document.addEventListener("selectionchange", () => {
      const session = active;
      if (!session || !session.state || session.state.status !== "done") return;
      const offset = caretOffset(session.el);
      if (offset === null) return;
      const cardList = SL.findings.cards(session.state.answer.findings, textOf(session.el).text);
      overlay.highlight(SL.findings.cardAt(cardList, offset));
    }, opts);
    let scanTimer = 0;
    const observer = new MutationObserver(() => {
      if (!scanTimer) scanTimer = setTimeout(() => { scanTimer = 0; scan(); }, 100);
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    signal.addEventListener("abort", () => observer.disconnect());
    chrome.storage.onChanged.addListener(async (changes, area) => {
      if (area === "sync") return;
      try {
        pageSettings = await send(MESSAGES.PAGE_SETTINGS, { site: adapter.id });
      } catch (err) {
        return;
      }
      for (const session of sessions.values()) ensureChecked(session);
    });
    scan();
  }

  start();
})(globalThis);
