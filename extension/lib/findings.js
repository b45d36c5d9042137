/*
 * Findings as the panel shows them: ordered by severity (block, warn, advice), then by where
 * they are in the text, with the verdict's wording. Pure logic.
 */
(function (root) {
  "use strict";

  const severity = (root.SecondLook && root.SecondLook.severity) || require("./severity.js");
  const RANK = Object.freeze({ pass: 0, advice: 1, warn: 2, block: 3 });
  // The words come from lib/severity.js, which the phone check page shares.
  const LABEL = Object.freeze({ block: severity.word("block"), warn: severity.word("warn"), advice: severity.word("advice") });

  function sortFindings(findings) {
    return [...(findings || [])].sort((a, b) => {
      const bySeverity = (RANK[b.severity] || 0) - (RANK[a.severity] || 0);
      if (bySeverity) return bySeverity;
      const pos = (f) => (f.span ? f.span.start : f.image ? 1e9 + f.image.index : 2e9);
      return pos(a) - pos(b);
    });
  }

  function verdictOf(findings) {
    let verdict = "pass";
    for (const f of findings || []) if ((RANK[f.severity] || 0) > RANK[verdict]) verdict = f.severity;
    return verdict;
  }

  function textFindings(findings) {
    return (findings || []).filter((f) => f.span && f.span.end > f.span.start);
  }

  function imageFindings(findings, index) {
    return (findings || []).filter((f) => f.image && (index === undefined || f.image.index === index));
  }

  function clauseLabel(clause) {
    if (!clause) return "";
    return `Policy ${clause.ref}${clause.title ? " — " + clause.title : ""}`;
  }

  /** Whether a finding carries a fix the extension can type into the editor (other fixes, such as
   * a stripped image copy, are not text and have no button). */
  function isTextFix(finding) {
    const fix = finding && finding.fix;
    if (!fix || typeof fix.text !== "string" || !fix.text) return false;
    return fix.kind === "append" || (fix.kind === "replace" && Boolean(finding.span));
  }

  /** The copy of an image without its location metadata that the answer offers for a finding
   * (`fix: {stripped_image: index}` pointing into `stripped_images`), as a data URL; or null. */
  function strippedCopy(answer, finding) {
    const fix = finding && finding.fix;
    if (!fix || typeof fix.stripped_image !== "number") return null;
    const copy = ((answer && answer.stripped_images) || []).find((c) => c.index === fix.stripped_image);
    if (!copy || !/^image\/[a-z0-9.+-]+$/.test(copy.media_type || "") || !copy.base64) return null;
    return { index: copy.index, mediaType: copy.media_type, dataUrl: `data:${copy.media_type};base64,${copy.base64}` };
  }

  /** A finding's link to a page of the server (e.g. the pupils to check by eye), when it is an
   * http(s) address; the page itself asks the member of staff to sign in. */
  function safeLink(finding) {
    const link = finding && finding.link;
    if (!link || typeof link.href !== "string" || typeof link.label !== "string") return null;
    return /^https?:\/\//.test(link.href) ? { href: link.href, label: link.label } : null;
  }

  /** Text between two findings that still reads as one phrase ("useless idiot", "useless, idiot"). */
  const JOINER = /^[\s,;:'"\u2019-]{0,3}$/;

  /**
   * Cards as a writing assistant shows them: one per finding, except that findings of one rule on
   * neighbouring words become one card ("useless idiot", not two identical "offensive" cards).
   * Each card quotes its words from `text` (spans are UTF-16 offsets, as JavaScript strings are).
   * Returns [{index, rule, severity, message, suggestion, clause, quote, span, image, members}],
   * sorted as sortFindings sorts.
   */
  function cards(findings, text) {
    const out = [];
    for (const f of sortFindings(findings)) {
      const last = out[out.length - 1];
      const hasSpan = f.span && f.span.end > f.span.start;
      if (hasSpan && last && last.span && last.rule === f.rule && last.severity === f.severity &&
          f.span.start >= last.span.end && JOINER.test((text || "").slice(last.span.end, f.span.start))) {
        last.span = { start: last.span.start, end: f.span.end };
        last.members.push(f);
        last.quote = quoteOf(text, last.span);
        continue;
      }
      out.push({ ...f, span: hasSpan ? { ...f.span } : null, quote: hasSpan ? quoteOf(text, f.span) : "", members: [f] });
    }
    out.forEach((card, i) => { card.index = i; });
    return out;
  }

  function quoteOf(text, span) {
    const words = (text || "").slice(span.start, span.end).replace(/\s+/g, " ").trim();
    return words.length > 80 ? `${words.slice(0, 77)}…` : words;
  }

  /** The card a text offset falls in (for the caret and for a pointer over an underline), or -1. */
  function cardAt(cardList, offset) {
    const hit = (cardList || []).find((c) => c.span && c.span.start <= offset && offset <= c.span.end);
    return hit ? hit.index : -1;
  }

  /** "2 things to fix before posting", "1 suggestion", or "" when nothing was found. */
  function summaryLine(cardList) {
    const fix = (cardList || []).filter((c) => c.severity === "block" || c.severity === "warn").length;
    const advice = (cardList || []).filter((c) => c.severity === "advice").length;
    const parts = [];
    if (fix) parts.push(`${fix} thing${fix === 1 ? "" : "s"} to fix before posting`);
    if (advice) parts.push(`${advice} suggestion${advice === 1 ? "" : "s"}`);
    return parts.join(", ");
  }

  /** Apply a fix to text the way the content script will, to know what the result should be. */
  function fixedText(text, finding) {
    if (!isTextFix(finding)) return null;
    const fix = finding.fix;
    if (fix.kind === "append") return text + fix.text;
    return text.slice(0, finding.span.start) + fix.text + text.slice(finding.span.end);
  }

  const api = { RANK, LABEL, sortFindings, verdictOf, textFindings, imageFindings, clauseLabel, fixedText, isTextFix,
    strippedCopy, safeLink, cards, cardAt, summaryLine, quoteOf };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.findings = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
