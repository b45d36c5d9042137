/*
 * The content script's controller. It runs at document_start, so its listeners on `window` (capture
 * phase) come before any the page registers: a page cannot stop a click, key or file choice from
 * reaching it first.
 *
 * - Finding composers: from focus (focusin, followed through open shadow roots) and from a watcher
 *   of the document and of every open shadow root (content/dom.js). The site adapter's table says
 *   which editable is which kind of composer, where its send control is, whether Enter sends and
 *   where images are added; this file knows nothing else of any site.
 * - Checking while the member of staff types (debounced, latest only, cached by draft key), with
 *   the composer's audience: "direct" for messages, "public" for posts, replies and comments.
 * - Gating every way of sending: a click on the send control, keyboard activation of it, Ctrl/Cmd+
 *   Enter, plain Enter where Enter sends, a form's submit. A send control belongs to the composers
 *   of its own dialog or form (every box of an X thread for "Post all"), else to the last-focused
 *   composer; never to whichever composer happens to be found first.
 * - Loud when it cannot gate: a composer whose send control or image input cannot be found gets a
 *   notice ("Second Look can't stop this post…") and an adapter-health report (never the text).
 */
(function (root) {
  "use strict";

  const SL = root.SecondLook;
  const { MESSAGES, CHECK_PORT } = SL.messages;
  const D = SL.dom;
  const DEBOUNCE_MS = 500;
  const HEALTH_DELAY_MS = 1200;
  const MAX_IMAGES = 4;
  const PENDING_IMAGES_MS = 10 * 60 * 1000;
  const CANNOT_GATE = "Second Look can't stop this post: read the panel before you post.";

  const adapter = SL.adapters.forLocation(location);
  if (!adapter) return;
  // Injected again into a tab after an update: the old copy stops first (its port to the extension is dead).
  if (typeof root.__secondLookStop === "function") root.__secondLookStop();

  const controller = new AbortController();
  const signal = controller.signal;
  const sessions = new Map();  // editor element -> session
  const pending = [];  // images picked in a dialog before its composer exists: {scope, images, at}
  const reportedHealth = new Set();
  const cache = SL.timing.answerCache(50);
  const FALLBACK = { kind: "post", fallback: true, scope: '[role="dialog"], form', send: SL.adapters.byLabel("post", "share", "send", "reply", "comment") };
  let overlay = null;
  let pageSettings = { schoolHandles: [], remembered: null, configured: true };
  const SITE = SL.settings.siteKey(adapter, location.hostname);  // where the account choice is kept
  let active = null;  // the last-focused composer's session
  let bypassGate = false;
  let frame = 0;
  let watcher = null;

  root.__secondLookStop = () => {
    controller.abort();
    if (overlay) overlay.host.remove();
  };

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

  /** The composer's text; once its editor has left the page (Facebook's Post settings step), the last text read. */
  function textOf(session) {
    if (!session.el.isConnected) return { text: session.lastText, segments: null };
    const read = isTextControl(session.el) ? { text: session.el.value, segments: null } : SL.textMap.readText(session.el);
    session.lastText = read.text;
    return read;
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
    const { text } = textOf(session);
    const account = accountFor();
    const draft = { text, platform: adapter.platform, account_type: account.accountType,
      account_handle: account.handle || null, audience: session.kind === "dm" ? "direct" : "public",
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

  const EDITOR_SELECTOR = adapter.composers.map((c) => c.editor).join(", ");

  /** The composer spec an editable element is, or null (hidden duplicates and our own UI are not). */
  function specFor(el) {
    if (!el || el.closest("second-look-overlay") || D.closestAcross(el, '[aria-hidden="true"]')) return null;
    for (const spec of adapter.composers) {
      if (el.matches(spec.editor) && (!spec.accept || spec.accept(el))) return spec;
    }
    return null;
  }

  /** The editable element an editor selector matched (the selector may name a wrapper). */
  function editableIn(el) {
    if (el.nodeName === "TEXTAREA" || el.isContentEditable) return D.editableRoot(el);
    const inner = el.querySelector(D.EDITABLE);
    return inner ? D.editableRoot(inner) : null;
  }

  function scopeOf(session) {
    if (!session.scope || !session.scope.isConnected || (session.el.isConnected && !D.containsAcross(session.scope, session.el))) {
      if (session.el.isConnected) session.scope = D.closestAcross(session.el, session.spec.scope);
    }
    return session.scope && session.scope.isConnected ? session.scope : null;
  }

  /** The send control of a composer, looked for in its own scope only. */
  function sendControlOf(session) {
    const scope = scopeOf(session);
    return scope ? session.spec.send.find(scope, session.el) : null;
  }

  function adopt(el, spec) {
    if (sessions.has(el)) return sessions.get(el);
    const session = { el, spec, kind: spec.kind, scope: null, images: [], state: null, inflight: null,
      latest: SL.timing.latestOnly(), reported: new Set(), draftId: crypto.randomUUID(), lastText: "",
      missing: [], healthTimer: 0, confirmedKey: null };
    scopeOf(session);
    if (spec.kindOf) session.kind = spec.kindOf(el, session.scope) || spec.kind;
    session.debounced = SL.timing.debounce(() => ensureChecked(session), DEBOUNCE_MS);
    const changed = () => {
      scheduleRender();
      session.debounced();
    };
    session.observer = new MutationObserver(changed);
    session.observer.observe(el, { childList: true, characterData: true, subtree: true });
    el.addEventListener("input", () => { active = session; changed(); scheduleHealth(session); }, { signal });
    sessions.set(el, session);
    claimPendingImages(session);
    if (textOf(session).text.trim() || session.images.length) {
      ensureChecked(session);
      scheduleHealth(session);
    }
    return session;
  }

  /** Images picked in this composer's dialog before it existed (Instagram's steps) become its own. */
  function claimPendingImages(session) {
    const now = Date.now();
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i];
      const sameScope = p.scope.isConnected ? D.containsAcross(p.scope, session.el)
        : (session.scope && session.scope.matches('[role="dialog"]') && now - p.at < PENDING_IMAGES_MS);
      if (!sameScope) continue;
      for (const image of p.images) if (session.images.length < MAX_IMAGES && !session.images.some((x) => x.id === image.id)) session.images.push(image);
      pending.splice(i, 1);
    }
    // A new editor in the dialog of one that left (a step re-rendered it): keep its images and draft id.
    for (const [el, old] of sessions) {
      if (old === session || el.isConnected || !old.scope || old.scope !== session.scope) continue;
      for (const image of old.images) if (!session.images.some((x) => x.id === image.id)) session.images.push(image);
      session.draftId = old.draftId;
      forget(el, old);
    }
  }

  function forget(el, session) {
    session.observer.disconnect();
    session.debounced.cancel();
    clearTimeout(session.healthTimer);
    sessions.delete(el);
    if (active === session) active = null;
  }

  function scan() {
    if (!watcher) return;
    for (const found of watcher.queryAll(EDITOR_SELECTOR)) {
      const el = editableIn(found);
      const spec = el && specFor(el.matches(EDITOR_SELECTOR) ? el : found);
      if (spec) adopt(el, spec);
    }
    for (const [el, session] of sessions) {
      // An editor that left while its dialog stays (Facebook's Next → Post settings) keeps its session.
      if (!el.isConnected && !(session.scope && session.scope.isConnected)) forget(el, session);
    }
    if (!active && overlay) overlay.hidePanel();
    else scheduleRender();
  }

  /** The composer a focused or typed-in element belongs to, adopting it if need be. */
  function composerFor(node, { typed = false } = {}) {
    const el = D.editableRoot(node);
    if (!el) return null;
    if (sessions.has(el)) return sessions.get(el);
    if (watcher) watcher.noteNode(el);
    let spec = specFor(el);
    if (!spec) {
      // Some wrapper the adapter names may hold this editable (X's mobile textarea).
      for (let p = D.parentAcross(el); p && !spec; p = D.parentAcross(p)) if (p.matches(EDITOR_SELECTOR)) spec = specFor(p);
    }
    if (!spec && typed && looksLikeComposer(el)) spec = FALLBACK;  // typed into a box the adapter does not know
    return spec ? adopt(el, spec) : null;
  }

  function looksLikeComposer(el) {
    if (el.closest("second-look-overlay") || D.closestAcross(el, '[role="search"], [role="combobox"], [role="searchbox"]')) return false;
    const label = `${el.getAttribute("aria-label") || ""} ${el.getAttribute("placeholder") || ""} ${el.getAttribute("name") || ""}`;
    return !/search|password|captcha/i.test(label);
  }

  function sessionInPath(path) {
    for (const node of path) if (sessions.has(node)) return sessions.get(node);
    return null;
  }

  // ---- loud when it cannot gate ---------------------------------------------------------------

  function scheduleHealth(session) {
    clearTimeout(session.healthTimer);
    session.healthTimer = setTimeout(() => checkHealth(session), HEALTH_DELAY_MS);
  }

  /** What this composer lacks for the gate: a send control, a place for images, or the adapter knowing it. */
  function missingFor(session) {
    if (!session.el.isConnected) return session.missing;
    const missing = [];
    if (session.spec.fallback) missing.push("composer");
    if (!sendControlOf(session) && !session.spec.enterSends) missing.push("send-control");
    const scope = scopeOf(session);
    if (session.spec.images && !session.images.length && !(scope && scope.querySelector(session.spec.images))) missing.push("images");
    return missing;
  }

  function checkHealth(session) {
    if (signal.aborted || !sessions.has(session.el)) return;
    session.missing = missingFor(session);
    scheduleRender();
    if (!session.missing.length) return;
    const key = `${session.kind}:${session.missing.join(",")}`;
    if (reportedHealth.has(key)) return;
    reportedHealth.add(key);
    send(MESSAGES.ADAPTER_HEALTH, { report: { site: adapter.platform, adapter: adapter.id, kind: session.kind,
      missing: session.missing } }).catch(() => {});
  }

  // ---- drawing --------------------------------------------------------------------------------

  function ensureOverlay() {
    if (!overlay) overlay = SL.overlay.create();
    return overlay;
  }

  function scheduleRender() {
    if (frame || !overlay) return;
    frame = requestAnimationFrame(() => { frame = 0; render(); });
  }

  function markItems(session) {
    const state = session.state;
    if (!state || state.status !== "done" || !session.el.isConnected) return [];
    const { text, segments } = textOf(session);
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

  /** The editor and its send control together: the panel goes beside or below both, never over the button. */
  function anchorRect(session) {
    const r = session.el.getBoundingClientRect();
    const control = sendControlOf(session);
    if (!control) return r;
    const c = control.getBoundingClientRect();
    const left = Math.min(r.left, c.left), top = Math.min(r.top, c.top);
    const right = Math.max(r.right, c.right), bottom = Math.max(r.bottom, c.bottom);
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  }

  function render() {
    const session = active;
    if (!session || !session.el.isConnected) return;
    const account = accountFor();
    const state = session.state || { status: "empty" };
    const view = { ...state, text: textOf(session).text, accountSource: account.source, accountType: account.accountType,
      accountHandle: account.handle, siteName: SL.settings.siteName(SITE), images: session.images,
      stale: state.status !== "pending" && state.status !== "empty" && state.key !== draftOf(session).key,
      kind: session.kind, cannotGate: session.missing.length ? CANNOT_GATE : null };
    overlay.renderPanel(view, anchorRect(session), {
      onFix: (f) => applyFix(session, f),
      onChooseAccount: (type) => chooseAccount(type),
      onOpenSettings: () => send(MESSAGES.OPEN_OPTIONS, {}),
      onRemoveImage: (image) => {
        session.images = session.images.filter((i) => i !== image);
        ensureChecked(session);
      },
    });
    overlay.drawMarks(markItems(session));
    const scope = scopeOf(session);
    const thumbs = session.spec.thumbnails && scope ? [...scope.querySelectorAll(session.spec.thumbnails)] : [];
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
    await send(MESSAGES.REMEMBER_ACCOUNT_TYPE, { site: SITE, accountType: type });
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

  async function readImages(files, into) {
    const images = [...files].filter((f) => f.type.startsWith("image/") || (!f.type && HEIC_NAME.test(f.name)));
    for (const file of images) {
      if (into.length >= MAX_IMAGES) break;
      const dataUrl = await readFile(file);
      const id = SL.hash.hashText(dataUrl);
      if (!into.some((i) => i.id === id)) into.push({ id, name: file.name, type: file.type, dataUrl });
    }
    return images.length;
  }

  async function attach(session, files) {
    if (!session) return;
    if (!(await readImages(files, session.images))) return;
    active = session;
    session.debounced.cancel();
    ensureChecked(session);
    scheduleHealth(session);
  }

  /** The composer a file input, drop or paste belongs to: one whose scope holds it (the deepest). */
  function sessionForNode(node) {
    let best = null;
    let bestDepth = -1;
    for (const session of sessions.values()) {
      const scope = scopeOf(session);
      if (session.el === node || D.containsAcross(session.el, node)) return session;
      if (scope && D.containsAcross(scope, node)) {
        let depth = 0;
        for (let n = scope; n; n = D.parentAcross(n)) depth++;
        if (depth > bestDepth || (depth === bestDepth && session === active)) { best = session; bestDepth = depth; }
      }
    }
    return best;
  }

  async function onFilesChosen(input) {
    const session = sessionForNode(input);
    if (session) return attach(session, input.files);
    const dialog = D.closestAcross(input, '[role="dialog"], form');
    if (dialog) {
      // Instagram: the caption box appears steps later in this dialog; keep the files until then.
      const entry = { scope: dialog, images: [], at: Date.now() };
      await readImages(input.files, entry.images);
      if (!entry.images.length) return;
      for (let i = pending.length - 1; i >= 0; i--) if (entry.at - pending[i].at > PENDING_IMAGES_MS) pending.splice(i, 1);
      pending.push(entry);
      for (const s of sessions.values()) if (D.containsAcross(dialog, s.el)) claimPendingImages(s);
      return;
    }
    return attach(active, input.files);
  }

  // ---- the gate -------------------------------------------------------------------------------

  function report(session, answer, action, reason) {
    if (!SL.gate.reportable(answer) || session.reported.has(answer.check_id + action)) return Promise.resolve();
    session.reported.add(answer.check_id + action);
    if (action !== "edited") session.draftId = crypto.randomUUID();  // the next post is a new draft
    return send(MESSAGES.REPORT_OUTCOME, { checkId: answer.check_id, action, reason: reason || null }).catch(() => {});
  }

  /** Do what the member of staff asked for, with the gate out of the way. */
  function replay(action) {
    bypassGate = true;
    try {
      action();
    } finally {
      bypassGate = false;
    }
  }

  const ORDER = ["allow", "warn", "unchecked", "block"];

  /** Gate the composers a send goes out from (one, or every box of a thread) and then send. */
  async function gateAndSend(group, sendNow) {
    if (group.some((s) => s.gating)) return;
    for (const s of group) s.gating = true;
    try {
      const decisions = [];
      for (const session of group) {
        session.debounced.cancel();
        let decision = SL.gate.decide(session.state, draftOf(session).key);
        if (decision === "check-first" || decision === "unchecked") {
          await freshState(session);
          decision = SL.gate.decide(session.state, draftOf(session).key);
        }
        if (decision === "check-first") decision = session.state && session.state.status === "empty" ? "allow" : "unchecked";
        // Already posted anyway over this warning (Facebook asks twice: Next, then Post).
        if (decision === "warn" && session.confirmedKey === session.state.key) decision = "allow";
        decisions.push(decision);
      }
      const decision = decisions.reduce((a, b) => (ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a), "allow");
      const finish = (reason) => {
        for (const s of group) if (s.state && s.state.answer) report(s, s.state.answer, "posted", reason);
        replay(sendNow);
        // Sent: the site empties the composer or closes its dialog. A step (Facebook's Next) keeps both.
        setTimeout(() => {
          for (const s of group) if (!textOf(s).text.trim() || !(s.el.isConnected || (s.scope && s.scope.isConnected))) s.images = [];
        }, 500);
      };
      if (decision === "allow") return finish(null);
      const findings = group.flatMap((s) => (s.state && s.state.answer ? s.state.answer.findings : []));
      const failed = group.find((s) => s.state && s.state.status === "error");
      const answered = group.find((s) => s.state && s.state.answer && s.state.answer.check_id);
      const checkId = answered ? answered.state.answer.check_id : null;
      const onReport = checkId ? async (kind, why) => {
        const reply = await send(MESSAGES.REPORT, { checkId, kind, reason: why || null }).catch(() => null);
        return Boolean(reply && reply.ok);
      } : null;
      const account = accountFor();
      const { choice, reason } = await ensureOverlay().askGate(decision, { findings, error: failed && failed.state.error, onReport,
        account: `Checked as ${account.accountType === "school" ? "a school account" : "a personal account"}.` });
      if (choice === "post" && decision !== "block") {
        for (const s of group) if (s.state) s.confirmedKey = s.state.key;
        finish(reason);
      } else {
        for (const s of group) if (s.state && s.state.answer) report(s, s.state.answer, choice === "edit" ? "edited" : "cancelled");
        const first = group.find((s) => s.el.isConnected);
        if (choice === "edit" && first) first.el.focus();
      }
    } finally {
      for (const s of group) s.gating = false;
    }
  }

  /** The composers a send control sends: those of its own dialog or form (all boxes of a
   * thread), else the last-focused composer if the adapter knows the control as a send control. */
  function groupForControl(control) {
    let group = [];
    let depth = -1;
    for (const session of sessions.values()) {
      if (sendControlOf(session) !== control) continue;
      let d = 0;
      for (let n = session.scope; n; n = D.parentAcross(n)) d++;
      if (d > depth) { group = [session]; depth = d; } else if (d === depth) group.push(session);
    }
    if (!group.length && active && !scopeOf(active) && active.spec.send.accepts(control)) group = [active];
    // A thread's empty boxes have nothing to check; keep one so the gate still decides.
    const withText = group.filter((s) => textOf(s).text.trim() || s.images.length);
    return withText.length ? withText : group.slice(0, 1);
  }

  function controlInPath(path) {
    for (const node of path) {
      if (node.matches && node.matches(SL.adapters.BUTTONS)) {
        const group = groupForControl(node);
        if (group.length) return { control: node, group };
      }
    }
    return null;
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function onClick(event) {
    if (bypassGate || signal.aborted) return;
    const found = controlInPath(D.pathElements(event));
    if (!found) return;
    stop(event);
    gateAndSend(found.group, () => found.control.click());
  }

  function isEnter(event) {
    return event.key === "Enter" && !event.isComposing && event.keyCode !== 229;
  }

  function onKeyDown(event) {
    if (bypassGate || signal.aborted) return;
    const path = D.pathElements(event);
    // Keyboard activation of a send control (a div[role=button] acts on its own keydown).
    if (isEnter(event) || event.key === " ") {
      const found = controlInPath(path);
      if (found) {
        stop(event);
        gateAndSend(found.group, () => found.control.click());
        return;
      }
    }
    if (!isEnter(event)) return;
    const session = sessionInPath(path) || composerFor(path[0] || event.target);
    if (!session) return;
    const modified = event.ctrlKey || event.metaKey;
    if (!modified && !(session.spec.enterSends && !event.shiftKey && !event.altKey)) return;
    stop(event);
    const control = sendControlOf(session);
    const group = control ? groupForControl(control) : [session];
    gateAndSend(group.includes(session) ? group : [session], () => {
      if (control && control.isConnected) return control.click();
      // No control to click: give the editor its Enter back, as the site listens for it.
      session.el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", code: "Enter", keyCode: 13, which: 13,
        ctrlKey: event.ctrlKey, metaKey: event.metaKey, bubbles: true, cancelable: true, composed: true }));
    });
  }

  /** A role=button may act on keyup (Space): the gate already ran on keydown. */
  function onKeyUp(event) {
    if (bypassGate || signal.aborted || !(isEnter(event) || event.key === " ")) return;
    if (controlInPath(D.pathElements(event))) stop(event);
  }

  function onSubmit(event) {
    if (bypassGate || signal.aborted) return;
    const form = event.target;
    const group = [...sessions.values()].filter((s) => s.el.isConnected && form.contains(s.el));
    if (!group.length) return;
    stop(event);
    gateAndSend(group, () => (form.requestSubmit ? form.requestSubmit() : form.submit()));
  }

  function onFocusIn(event) {
    if (signal.aborted) return;
    const target = D.pathElements(event)[0];
    if (!target) return;
    const session = composerFor(target);
    if (!session) return;
    active = session;
    ensureOverlay();
    scheduleRender();
    scheduleHealth(session);
  }

  function onInput(event) {
    if (signal.aborted) return;
    const target = D.pathElements(event)[0];
    const session = target && !sessions.has(D.editableRoot(target)) ? composerFor(target, { typed: true }) : null;
    if (!session) return;
    active = session;
    ensureOverlay();
    session.debounced();
    scheduleHealth(session);
  }

  // ---- start ----------------------------------------------------------------------------------

  // Registered now, at document_start, on window in the capture phase: before any page listener.
  const opts = { capture: true, signal };
  window.addEventListener("click", onClick, opts);
  window.addEventListener("keydown", onKeyDown, opts);
  window.addEventListener("keyup", onKeyUp, opts);
  window.addEventListener("submit", onSubmit, opts);
  window.addEventListener("focusin", onFocusIn, opts);
  window.addEventListener("input", onInput, opts);
  window.addEventListener("change", (e) => {
    const input = D.pathElements(e)[0];
    if (input && input.matches('input[type="file"]') && input.files && input.files.length) onFilesChosen(input);
  }, opts);
  window.addEventListener("paste", (e) => {
    const session = sessionInPath(D.pathElements(e));
    if (session && e.clipboardData && e.clipboardData.files.length) attach(session, e.clipboardData.files);
  }, opts);
  window.addEventListener("drop", (e) => {
    const path = D.pathElements(e);
    const session = sessionInPath(path) || (path[0] && sessionForNode(path[0])) || active;
    if (session && e.dataTransfer && e.dataTransfer.files.length) attach(session, e.dataTransfer.files);
  }, opts);
  window.addEventListener("scroll", scheduleRender, opts);
  window.addEventListener("resize", scheduleRender, opts);

  async function start() {
    try {
      pageSettings = await send(MESSAGES.PAGE_SETTINGS, { site: SITE });
    } catch (err) {
      pageSettings = { schoolHandles: [], remembered: null, configured: false, serverOrigin: null };
    }
    if (pageSettings.serverOrigin && pageSettings.serverOrigin === location.origin) {  // never on our own pages
      root.__secondLookStop();
      return;
    }
    ensureOverlay();
    watcher = D.shadowWatcher(scan, signal);
    // Keyboard users reach an underline by moving the caret into its words: its card lights up.
    document.addEventListener("selectionchange", () => {
      const session = active;
      if (!session || !session.state || session.state.status !== "done") return;
      const offset = caretOffset(session.el);
      if (offset === null) return;
      const cardList = SL.findings.cards(session.state.answer.findings, textOf(session).text);
      ensureOverlay().highlight(SL.findings.cardAt(cardList, offset));
    }, { capture: true, signal });
    chrome.storage.onChanged.addListener(async (changes, area) => {
      if (area === "sync" || signal.aborted) return;
      try {
        pageSettings = await send(MESSAGES.PAGE_SETTINGS, { site: SITE });
      } catch (err) {
        return;
      }
      for (const session of sessions.values()) ensureChecked(session);
    });
    scan();
    const focused = D.deepActiveElement(document);
    if (focused) {
      const session = composerFor(focused);
      if (session) active = session;
    }
  }

  // The page's <html> exists at document_start; its body does not yet.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true, signal });
  else start();
})(globalThis);
