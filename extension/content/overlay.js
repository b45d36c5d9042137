/*
 * Everything Second Look draws on a page, inside one CLOSED shadow root hung off <html>: the
 * underlines, the findings panel, the "can't stop this post" notice and the Post gate's dialog.
 * Closed, so the site's own scripts cannot read which rules fired or where (host.shadowRoot is
 * null to them); the host element carries no attribute about the draft. Nothing is ever written into the
 * site's editor DOM (rich editors break when their DOM is rewritten), and the site's CSS cannot
 * reach ours. Text from the server is set with textContent only.
 */
(function (root) {
  "use strict";

  const SL = root.SecondLook;
  const STYLE = `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, "DejaVu Sans", sans-serif; }
    .marks { position: fixed; inset: 0; pointer-events: none; z-index: 2147483000; }
    .mark { position: fixed; pointer-events: none; border-bottom: 3px solid; border-radius: 1px; }
    .mark.block { border-color: #c0182b; background: rgba(192, 24, 43, .14); }
    .mark.warn { border-color: #d97a00; background: rgba(217, 122, 0, .14); }
    .mark.advice { border-color: #2a6fdb; background: rgba(42, 111, 219, .10); }
    .panel { position: fixed; width: 340px; max-height: calc(100vh - 16px); overflow: auto; z-index: 2147483001;
      background: #fff; color: #1b1b1b; border: 1px solid #c9ccd1; border-radius: 10px;
      box-shadow: 0 6px 24px rgba(0,0,0,.18); font-size: 13px; line-height: 1.4; }
    .panel header { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; padding: 8px 12px;
      border-bottom: 1px solid #e4e6e9; font-weight: 600; }
    .panel header .status { margin-left: auto; font-weight: 400; color: #555; font-size: 12px; white-space: nowrap; }
    .verdict { white-space: nowrap; flex: none; }
    .verdict { padding: 2px 8px; border-radius: 10px; font-size: 12px; color: #fff; }
    .verdict.pass { background: #1e7b34; } .verdict.advice { background: #2a6fdb; }
    .verdict.warn { background: #b25f00; } .verdict.block { background: #c0182b; }
    .verdict.pending { background: #6b6f76; } .verdict.error { background: #5b2a86; }
    .banner { margin: 8px 12px; padding: 8px 10px; border-radius: 6px; background: #fbe9ff;
      border: 1px solid #8b3fc1; color: #3d1160; }
    .banner strong { display: block; }
    .banner.cannot-gate { background: #fff4e5; border-color: #b25f00; color: #4a2800; }
    .banner button { display: block; }
    .finding { margin: 8px 12px; padding: 8px 10px; border-left: 4px solid; border-radius: 4px; background: #f7f8fa; }
    .finding.block { border-color: #c0182b; } .finding.warn { border-color: #d97a00; } .finding.advice { border-color: #2a6fdb; }
    .finding .sev { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
    .finding .msg { font-weight: 600; margin: 2px 0; }
    .finding .clause, .finding .suggestion { color: #333; margin-top: 4px; }
    .finding .quote { font-weight: 600; color: #1b1b1b; }
    .finding .excerpt { margin-top: 4px; color: #333; font-style: italic; }
    .finding a.help { display: inline-block; margin: 6px 10px 0 0; color: #1d4ed8; }
    .finding:focus { outline: 3px solid #1d4ed8; outline-offset: 1px; }
    .finding.active { background: #eef3ff; box-shadow: 0 0 0 2px #1d4ed8 inset; }
    .mark.active { border-bottom-width: 4px; background: rgba(29, 78, 216, .18); }
    .summary { margin: 8px 12px 0; font-weight: 600; }
    .finding button.expand { display: none; margin: 4px 0 0; padding: 1px 8px; font-size: 12px; }
    .panel.compact .finding.collapsed { cursor: pointer; }
    .panel.compact .finding.collapsed .body { display: none; }
    .panel.compact .finding.collapsed button.expand { display: inline-block; }
    .finding details { margin-top: 4px; color: #444; }
    .finding a.link { display: inline-block; margin-top: 6px; color: #1d4ed8; font-weight: 600; }
    .finding a.stripped { display: inline-block; margin-top: 6px; color: #1d4ed8; font-weight: 600; }
    button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #8a8f98;
      background: #fff; padding: 4px 10px; margin: 6px 6px 0 0; }
    button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
    button.danger { background: #c0182b; border-color: #c0182b; color: #fff; }
    .account { margin: 8px 12px; padding: 8px 10px; background: #fff8e1; border: 1px solid #e0c25a; border-radius: 6px; }
    .account[data-source="choice"], .account[data-source="handle"] { background: #f3f5f8; border-color: #c9cfd8; }
    .account .account-text { display: block; }
    .images { display: flex; flex-direction: column; gap: 8px; margin: 8px 12px; }
    .thumb { position: relative; width: 100%; }
    .thumb img { width: 100%; display: block; border-radius: 4px; }
    .thumb .remove { position: absolute; bottom: 0; right: 0; margin: 2px; padding: 0 6px; }
    .thumb .box { position: absolute; border: 3px solid #c0182b; }
    .thumb .box.listed { border-style: solid; border-radius: 0; border-width: 4px; }
    .thumb .box.unsure { border-style: dashed; border-radius: 30%; }
    .thumb .box.warn { border-color: #d97a00; } .thumb .box.advice { border-color: #2a6fdb; }
    .thumb .box .num { position: absolute; top: -3px; left: -3px; transform: translateY(-100%); padding: 0 5px;
      font-size: 12px; font-weight: 700; color: #fff; background: #1b1b1b; border-radius: 3px; white-space: nowrap; }
    .finding .num { display: inline-block; min-width: 18px; padding: 0 4px; border-radius: 9px; background: #1b1b1b;
      color: #fff; text-align: center; font-weight: 700; letter-spacing: 0; }
    .badge { position: absolute; top: 4px; left: 4px; padding: 1px 6px; border-radius: 8px; color: #fff;
      font-size: 11px; font-weight: 600; }
    .badge.pass { background: #1e7b34; } .badge.advice { background: #2a6fdb; }
    .badge.warn { background: #b25f00; } .badge.block { background: #c0182b; } .badge.pending { background: #6b6f76; }
    .sitebadge { position: fixed; z-index: 2147483001; pointer-events: none; }
    .backdrop { position: fixed; inset: 0; background: rgba(0,0,0,.35); z-index: 2147483002;
      display: flex; align-items: center; justify-content: center; }
    .dialog { background: #fff; border-radius: 12px; width: 440px; max-width: 92vw; padding: 16px 18px;
      box-shadow: 0 10px 40px rgba(0,0,0,.3); font-size: 14px; color: #1b1b1b; }
    .dialog h2 { font-size: 17px; margin: 0 0 8px; }
    .dialog textarea { width: 100%; min-height: 64px; margin-top: 8px; font: inherit; }
    .dialog .error { color: #c0182b; margin-top: 4px; min-height: 1em; }
    .dialog ul { padding-left: 18px; }
    .dialog .presets { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 8px; }
    .dialog button.preset { margin: 0; font-size: 12px; border-radius: 12px; background: #f1f3f6; }
    .dialog .report { margin-top: 10px; padding-top: 8px; border-top: 1px solid #e4e6e9; }
    .dialog .report-status { color: #1e5b2e; margin-top: 4px; min-height: 1em; }
  `;

  /** Reasons staff often give for posting over a warning (as Microsoft Purview offers), besides free text. */
  const PRESET_REASONS = Object.freeze([
    "It's a false alarm: nothing in it breaks the policy",
    "A senior leader approved this post",
    "It is the school's own public information",
    "The people named or shown agreed to it",
  ]);

  /** Create an element; attrs may include className, dataset, on<Event> handlers. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "className") el.className = value;
      else if (key === "dataset") Object.assign(el.dataset, value);
      else if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
      else if (key === "style") Object.assign(el.style, value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  /** Client rects of [start, end) in a textarea, measured on a mirror with the same text layout. */
  function textareaRects(shadow, textarea, start, end) {
    const style = getComputedStyle(textarea);
    const mirror = h("div");
    for (const prop of ["fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing", "lineHeight",
      "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth", "borderRightWidth",
      "borderBottomWidth", "borderLeftWidth", "textTransform", "wordSpacing", "tabSize", "textIndent", "boxSizing"]) {
      mirror.style[prop] = style[prop];
    }
    const rect = textarea.getBoundingClientRect();
    Object.assign(mirror.style, {
      position: "fixed", visibility: "hidden", whiteSpace: "pre-wrap", overflowWrap: "break-word",
      borderStyle: "solid", borderColor: "transparent", overflow: "hidden",
      left: rect.left + "px", top: rect.top - textarea.scrollTop + "px", width: rect.width + "px",
    });
    const value = textarea.value;
    const node = document.createTextNode(value + "\u200b");
    mirror.append(node);
    shadow.append(mirror);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = [...range.getClientRects()].map((r) => ({ left: r.left, top: r.top, width: r.width, height: r.height }));
    mirror.remove();
    const bottom = rect.bottom;
    return rects.filter((r) => r.top >= rect.top - 1 && r.top + r.height <= bottom + 1);
  }

  function create() {
    const host = document.createElement("second-look-overlay");
    const shadow = host.attachShadow({ mode: "closed" });
    shadow.append(h("style", {}, STYLE));
    const marks = h("div", { className: "marks" });
    const panel = h("section", { className: "panel", role: "region", "aria-label": "Second Look", hidden: true });
    const siteBadges = h("div");
    shadow.append(marks, siteBadges, panel);
    document.documentElement.append(host);

    /** Draw underlines: items are {severity, rule, start, end, rects}. */
    function drawMarks(items) {
      marks.replaceChildren();
      for (const item of items) {
        for (const r of item.rects) {
          if (r.width < 1 && r.height < 1) continue;
          marks.append(h("div", {
            className: `mark ${item.severity}`,
            dataset: { rule: item.rule, start: item.start, end: item.end, card: item.card },
            style: { left: `${r.left}px`, top: `${r.top}px`, width: `${Math.max(r.width, 3)}px`, height: `${r.height}px` },
          }));
        }
      }
    }

    /** Beside the editor (below it where there is no room beside), moved up as far as its
     * `height` needs to be seen whole; never taller than the window below its top. */
    function placePanel(anchorRect, height) {
      const width = 340;
      let left = anchorRect.right + 12;
      if (left + width > window.innerWidth - 8) left = Math.max(8, window.innerWidth - width - 8);
      let top = anchorRect.top;
      if (left < anchorRect.right && left + width > anchorRect.left) top = anchorRect.bottom + 8;  // would cover the editor
      else if (height) top = Math.min(top, window.innerHeight - 8 - height);  // beside it: up, to be seen whole
      top = Math.max(8, Math.min(top, window.innerHeight - 120));
      panel.style.left = `${left}px`;
      panel.style.top = `${top}px`;
      panel.style.maxHeight = `${window.innerHeight - top - 8}px`;
    }

    function statusText(view) {
      if (view.status === "pending") return "Checking…";
      if (view.stale) return "Changed — checking when you pause";
      if (view.status === "error") return "";  // the chip says "Not checked"; the banner says why, once
      if (view.status === "empty") return "";
      return "Checked";
    }

    function verdictChip(view) {
      const verdict = view.status === "done" ? view.answer.verdict : view.status;
      const words = { pending: "Checking", error: "Not checked", empty: "Ready" };
      return h("span", { className: `verdict ${verdict === "empty" ? "pass" : verdict}`, dataset: { verdict } },
        words[verdict] || SL.severity.word(verdict));
    }

    /** One card: the words it is about, what is wrong, the clause's sentence that says why, what to do. */
    function findingCard(f, onFix, answer) {
      const clause = f.clause || {};
      const copy = SL.findings.strippedCopy(answer, f);
      const extension = copy ? copy.mediaType.split("/")[1].replace("jpeg", "jpg").replace(/\W.*$/, "") : "";
      const link = SL.findings.safeLink(f);
      const help = typeof f.help_url === "string" && /^https?:\/\//.test(f.help_url) ? f.help_url : null;
      const excerpt = clause.excerpt || "";
      const card = h("article", { className: `finding ${f.severity}`, tabindex: "0",
        dataset: { rule: f.rule, severity: f.severity, card: f.index },
        "aria-label": `${SL.findings.LABEL[f.severity] || f.severity}: ${f.title || ""}${f.quote ? `, “${f.quote}”` : ""}` },
        h("div", { className: "sev" }, h("span", { className: "num" }, String(f.index + 1)), " ", SL.findings.LABEL[f.severity] || f.severity,
          f.title ? ` · ${f.title}` : "", f.image ? ` · image ${f.image.index + 1}` : ""),
        f.quote ? h("div", { className: "quote" }, `“${f.quote}”`) : null,
        // shown only while the panel is too crowded to show every card whole (see fitPanel)
        h("button", { type: "button", className: "expand", "aria-expanded": "false", onClick: (event) => {
          event.stopPropagation(); expandCard(card); } }, "Why, and what to do"),
        h("div", { className: "body" },
        h("div", { className: "msg" }, f.message),
        clause.ref ? h("div", { className: "clause" }, SL.findings.clauseLabel(clause)) : null,
        excerpt ? h("div", { className: "excerpt" }, `“${excerpt}”`) : null,
        clause.text && clause.text !== excerpt ? h("details", {}, h("summary", {}, "Read the whole clause"), clause.text) : null,
        f.suggestion ? h("div", { className: "suggestion" }, f.suggestion) : null,
        link ? h("a", { className: "link", href: link.href, target: "_blank", rel: "noopener" }, link.label) : null,
        help ? h("a", { className: "help", href: help, target: "_blank", rel: "noopener" }, "Why is this a problem?") : null,
        SL.findings.isTextFix(f) && onFix ? h("button", { className: "primary fix", onClick: () => onFix(f) },
          f.fix.kind === "append" ? `Add "${f.fix.text.trim()}"` : `Replace with "${f.fix.text}"`) : null,
        // The site's upload cannot be swapped from here: offer the clean copy to attach instead.
        copy ? h("a", { className: "stripped", href: copy.dataUrl, download: `photo-${copy.index + 1}-without-location.${extension}` },
          "Save a copy without the location, and attach that instead") : null));
      card.dataset.key = `${f.rule}|${f.quote || ""}|${f.image ? f.image.index : ""}`;
      card.addEventListener("click", () => { if (card.classList.contains("collapsed")) expandCard(card); });
      card.addEventListener("mouseenter", () => highlight(f.index));
      card.addEventListener("mouseleave", () => highlight(-1));
      card.addEventListener("focus", () => highlight(f.index));
      card.addEventListener("blur", () => highlight(-1));
      return card;
    }

    /**
     * Every card whole when they fit in the window; when they do not, the panel turns compact: each
     * card shows its number, title and quoted words, and one at a time opens to say why and what
     * to do (the first, or the one opened before the draft changed; in a window too short even for
     * that, none until one is opened). The panel sits beside the
     * editor as high as it needs to be seen whole, and scrolls inside itself only when even the
     * compact cards are taller than the window.
     */
    let anchor = null;
    let openKey = null;
    function fitPanel(fresh) {
      if (panel.hidden || !anchor) return;
      const room = window.innerHeight - 16;
      const cards = [...panel.querySelectorAll(".finding[data-card]")];
      if (fresh) {
        panel.classList.remove("compact");
        for (const card of cards) card.classList.remove("collapsed");
      }
      if (!panel.classList.contains("compact") && cards.length > 1 && wholeHeight() > room) {
        panel.classList.add("compact");
        const chosen = cards.find((card) => card.dataset.key === openKey);
        const open = chosen || cards[0];
        for (const card of cards) setCollapsed(card, card !== open);
        // a short window: every card closed rather than some out of sight (one opened by hand stays open)
        if (!chosen && wholeHeight() > room) setCollapsed(open, true);
      }
      placePanel(anchor, Math.min(wholeHeight(), room));
    }

    /** The panel's height with nothing scrolled away (its content, padding and borders). */
    function wholeHeight() {
      return panel.scrollHeight + panel.offsetHeight - panel.clientHeight;
    }

    function setCollapsed(card, collapsed) {
      card.classList.toggle("collapsed", collapsed);
      const button = card.querySelector("button.expand");
      if (button) button.setAttribute("aria-expanded", String(!collapsed));
    }

    /** In a compact panel: open this card, close the others. */
    function expandCard(card) {
      for (const other of panel.querySelectorAll(".finding[data-card]")) setCollapsed(other, other !== card);
      openKey = card.dataset.key;
      placePanel(anchor, Math.min(wholeHeight(), window.innerHeight - 16));
      card.focus();
    }

    /** Highlight one card and its underlines together (-1: none). */
    function highlight(index) {
      for (const el of shadow.querySelectorAll(".finding.active, .mark.active")) el.classList.remove("active");
      if (index < 0 || index === undefined) return;
      for (const el of shadow.querySelectorAll(`.finding[data-card="${index}"], .mark[data-card="${index}"]`)) {
        el.classList.add("active");
      }
    }

    // The underlines let every click through to the editor (pointer-events: none), so hovering one
    // is found from the pointer's position.
    let hovered = -1;
    document.addEventListener("mousemove", (event) => {
      let found = -1;
      for (const mark of marks.children) {
        const r = mark.getBoundingClientRect();
        if (event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom) {
          found = Number(mark.dataset.card);
          break;
        }
      }
      if (found !== hovered) {
        hovered = found;
        highlight(found);
      }
    }, { passive: true });

    /** A face box's shape says what it is, not only its colour: a solid square for a listed pupil
     * or a block, a dashed rounded box with "?" for "not sure, check it". */
    function faceShape(severity) {
      return severity === "block" ? { className: "listed", mark: "✕" } : { className: "unsure", mark: "?" };
    }

    /** An attached image across the panel's width, each face box numbered as its card is. */
    function imageTile(image, index, imageCards, onRemove) {
      const worst = SL.findings.verdictOf(imageCards);
      const img = h("img", { src: image.dataUrl, alt: `Attached image ${index + 1}` });
      const tile = h("div", { className: "thumb", dataset: { index, verdict: image.checked ? worst : "pending" } }, img,
        h("span", { className: `badge ${image.checked ? worst : "pending"}` },
          image.checked ? (worst === "pass" ? "OK" : SL.findings.LABEL[worst]) : "Checking"),
        h("button", { title: "Stop checking this image", onClick: () => onRemove(image), "aria-label": "Stop checking this image", className: "remove" }, "×"));
      const drawBoxes = () => {
        const scale = img.clientWidth / img.naturalWidth;
        for (const card of imageCards) {
          const boxes = card.boxes && card.boxes.length ? card.boxes : card.image && card.image.box ? [card.image.box] : [];
          const shape = faceShape(card.severity);
          for (const box of boxes) {
            tile.append(h("div", {
              className: `box ${card.severity} ${shape.className}`,
              dataset: { rule: card.rule, card: card.index },
              style: { left: `${box.left * scale}px`, top: `${box.top * scale}px`,
                width: `${(box.right - box.left) * scale}px`, height: `${(box.bottom - box.top) * scale}px` },
            }, h("span", { className: "num" }, `${card.index + 1}${shape.mark}`)));
          }
        }
      };
      if (img.complete && img.naturalWidth) requestAnimationFrame(drawBoxes);
      else img.addEventListener("load", drawBoxes, { once: true });
      img.addEventListener("load", () => fitPanel(false), { once: true });  // its height is known now
      return tile;
    }

    /** Which account kind this check assumed, and why, always in view; one click changes it. A
     * choice remembered for the site is said to be one (never silently reused), and a site with no
     * choice yet says personal was assumed and asks. The site's own handle, when shown, decides. */
    function accountLine(view, handlers) {
      const school = view.accountType === "school";
      const kind = school ? "a school account" : "your personal account";
      const other = school ? "personal" : "school";
      const switchButton = (label) => h("button", { className: "switch", dataset: { account: other },
        onClick: () => handlers.onChooseAccount(other) }, label);
      const line = (text, ...buttons) => h("div", { className: "account", role: "group", "aria-label": "Account",
        dataset: { source: view.accountSource, account: view.accountType } }, h("span", { className: "account-text" }, text), ...buttons);
      if (view.accountSource === "handle") {
        return line(`Checked as ${kind}: ${view.accountHandle} is ${school ? "one of" : "not one of"} the school's handles` +
          " (Second Look's settings list them).");
      }
      if (view.accountSource === "choice") {
        return line(`Checked as ${kind}, as you chose for ${view.siteName}.`,
          switchButton(school ? "Switch to my personal account" : "Switch to a school account"));
      }
      return line(`Checked as your personal account: you have not said which account you use on ${view.siteName}.`,
        h("button", { className: "keep", dataset: { account: "personal" }, onClick: () => handlers.onChooseAccount("personal") },
          "Yes, my personal account"),
        switchButton("No, a school account"));
    }

    /** Why the draft was not checked, said once; a refused or missing sign-in says where to fix it. */
    function errorBanner(error, handlers) {
      const signIn = error.kind === "unauthorized" || error.kind === "not-configured";
      return h("div", { className: "banner", role: "alert", dataset: { kind: error.kind } },
        h("strong", {}, { unauthorized: "Not checked: sign in again", "not-configured": "Not checked: Second Look is not set up" }[error.kind]
          || "Not checked — post with care"),
        error.message,
        signIn && handlers.onOpenSettings ? h("button", { className: "primary settings", onClick: () => handlers.onOpenSettings() },
          "Open Second Look's settings") : null);
    }

    /**
     * Render the panel. view: {status: pending|done|error|empty, answer, error, roundTripMs, cached,
     * accountSource, accountType, images, site}, handlers: {onFix, onChooseAccount, onRemoveImage}.
     */
    function renderPanel(view, anchorRect, handlers) {
      panel.hidden = false;
      anchor = anchorRect;
      placePanel(anchorRect);
      const parts = [h("header", {}, "Second Look", verdictChip(view), h("span", { className: "status" }, statusText(view)))];
      if (view.cannotGate) {
        parts.push(h("div", { className: "banner cannot-gate", role: "alert" }, h("strong", {}, view.cannotGate)));
      }
      if (view.status === "error") parts.push(errorBanner(view.error, handlers));
      parts.push(accountLine(view, handlers));
      const findings = view.status === "done" ? SL.findings.cards(view.answer.findings, view.text || "") : [];
      const summary = SL.findings.summaryLine(findings);
      if (summary) parts.push(h("p", { className: "summary", role: "status" }, summary));
      for (const f of findings) parts.push(findingCard(f, handlers.onFix, view.answer));
      if (view.status === "done" && !findings.length && view.answer.verdict === "pass") {
        parts.push(h("div", { className: "finding", style: { borderColor: "#1e7b34" } }, "Nothing in this draft goes against the policy."));
      }
      if (view.images && view.images.length) {
        parts.push(h("div", { className: "images" }, view.images.map((image, i) =>
          imageTile({ ...image, checked: view.status === "done" && view.imagesChecked }, i,
            SL.findings.imageFindings(findings, i), handlers.onRemoveImage))));
      }
      panel.replaceChildren(...parts);
      fitPanel(true);
    }

    function hidePanel() {
      panel.hidden = true;
      marks.replaceChildren();
      siteBadges.replaceChildren();
    }

    /** Badges over the site's own thumbnails of attached images (positions from the page). */
    function drawSiteBadges(items) {
      siteBadges.replaceChildren(...items.map(({ rect, verdict, numbers }) => h("span", {
        className: `sitebadge badge ${verdict}`,
        style: { left: `${rect.left + 4}px`, top: `${rect.top + 4}px` },
      }, verdict === "pass" ? "OK" : `${SL.findings.LABEL[verdict] || verdict}${numbers && numbers.length ? ` · see ${numbers.join(", ")}` : ""}`)));
    }

    /**
     * The Post gate's dialog. kind: block|warn|unchecked. Resolves {choice: post|edit|cancel, reason}.
     */
    function askGate(kind, { findings, error, onReport, account }) {
      return new Promise((resolve) => {
        const reason = h("textarea", { "aria-label": "Why post anyway", placeholder: "Why is it right to post this anyway?" });
        const problem = h("div", { className: "error", role: "alert" });
        // Purview-style preset reasons: one tap fills the reason (it can still be edited)
        const presets = h("div", { className: "presets", role: "group", "aria-label": "Common reasons" },
          PRESET_REASONS.map((text) => h("button", { type: "button", className: "preset",
            onClick: () => { reason.value = text; problem.textContent = ""; } }, text)));
        const reportStatus = h("div", { className: "report-status", role: "status" });
        const reportButtons = onReport ? h("div", { className: "report" },
          h("button", { type: "button", dataset: { report: "false_alarm" },
            onClick: () => sendReport("false_alarm") }, "This is wrong: report a false alarm"),
          h("button", { type: "button", dataset: { report: "exception" },
            onClick: () => sendReport("exception") }, "Ask the Director of IT for an exception"),
          reportStatus) : null;
        async function sendReport(reportKind) {
          reportStatus.textContent = "Sending…";
          const ok = await onReport(reportKind, reason.value.trim());
          reportStatus.textContent = ok ? "Sent to the Director of IT, who will answer. Nothing of your draft was sent."
            : "Could not send the report; try again, or tell the Director of IT.";
        }
        const done = (choice) => {
          if (choice === "post" && kind === "warn") {
            const check = SL.gate.outcomeFor("warn", "post", reason.value);
            if (!check.ok) { problem.textContent = check.error; reason.focus(); return; }
          }
          backdrop.remove();
          resolve({ choice, reason: reason.value.trim() });
        };
        const titles = {
          block: "This post must not go out",
          warn: "Check this before posting",
          unchecked: "Not checked — post with care",
        };
        const list = h("ul", {}, SL.findings.sortFindings(findings || []).filter((f) => f.severity !== "advice" || kind !== "block")
          .map((f) => h("li", { dataset: { rule: f.rule } }, f.message, f.clause ? ` (${SL.findings.clauseLabel(f.clause)})` : "")));
        const body = [h("h2", {}, titles[kind])];
        if (account && kind !== "unchecked") body.push(h("p", { className: "account-note" }, account));
        if (kind === "block") {
          body.push(h("p", {}, "Second Look found something the school's policy does not allow. Edit the post, or tell the Director of IT if you think this is wrong."), list,
            h("button", { className: "primary", dataset: { choice: "edit" }, onClick: () => done("edit") }, "Edit the post"),
            h("button", { dataset: { choice: "cancel" }, onClick: () => done("cancel") }, "Cancel"), reportButtons);
        } else if (kind === "warn") {
          body.push(list, h("p", {}, "Edit the post, or post it anyway and say why (your reason is kept with the check for review)."),
            presets, reason, problem,
            h("button", { className: "primary", dataset: { choice: "edit" }, onClick: () => done("edit") }, "Edit the post"),
            h("button", { className: "danger", dataset: { choice: "post" }, onClick: () => done("post") }, "Post anyway"),
            h("button", { dataset: { choice: "cancel" }, onClick: () => done("cancel") }, "Cancel"), reportButtons);
        } else {
          body.push(h("p", {}, (error && error.message) || "The draft could not be checked."),
            h("button", { className: "primary", dataset: { choice: "edit" }, onClick: () => done("edit") }, "Go back"),
            h("button", { className: "danger", dataset: { choice: "post" }, onClick: () => done("post") }, "Post without a check"));
        }
        const backdrop = h("div", { className: "backdrop" },
          h("div", { className: "dialog", role: "alertdialog", "aria-modal": "true", dataset: { gate: kind } }, body));
        shadow.append(backdrop);
        const first = backdrop.querySelector("button.primary");
        if (first) first.focus();
      });
    }

    return { host, shadow, drawMarks, renderPanel, hidePanel, askGate, drawSiteBadges, highlight,
      textareaRects: (textarea, start, end) => textareaRects(shadow, textarea, start, end) };
  }

  SL.overlay = { create, h };
})(globalThis);
