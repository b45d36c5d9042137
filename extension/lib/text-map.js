/*
 * Plain text of a compose box and the way back from text offsets to the DOM.
 *
 * The service answers with spans in UTF-16 code units into the text we sent. Rich editors
 * (Draft.js, Lexical, Quill) spread that text over many text nodes, one block element per line,
 * with <br> placeholders in empty lines. So we build the text ourselves, remembering which node
 * every piece came from, and map spans back through the same table: the text sent and the
 * mapping can never disagree. JavaScript string offsets are UTF-16 units already, so an emoji
 * before a span shifts nothing.
 *
 * Pure logic over a DOM-like tree (nodeType, nodeName, childNodes, data, parentNode,
 * nextSibling): loaded by the content script and by `node --test`.
 */
(function (root) {
  "use strict";

  const TEXT_NODE = 3;
  const ELEMENT_NODE = 1;
  const BLOCKS = new Set([
    "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGURE", "FOOTER",
    "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "OL", "P", "PRE", "SECTION",
    "TABLE", "TR", "UL",
  ]);
  const SKIPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);

  function isBlock(node) {
    return node.nodeType === ELEMENT_NODE && BLOCKS.has(node.nodeName.toUpperCase());
  }

  function hasContent(node) {
    if (node.nodeType === TEXT_NODE) return node.data.length > 0;
    if (node.nodeType !== ELEMENT_NODE) return false;
    const name = node.nodeName.toUpperCase();
    if (name === "BR" || (name === "IMG" && node.getAttribute && node.getAttribute("alt"))) return true;
    for (const child of node.childNodes) if (hasContent(child)) return true;
    return false;
  }

  /** A <br> at the end of its line is the editor's placeholder for an empty line, not a break. */
  function isTrailingBreak(br, rootNode) {
    let node = br;
    while (node && node !== rootNode && !isBlock(node)) {
      for (let next = node.nextSibling; next; next = next.nextSibling) {
        if (isBlock(next)) return true;
        if (hasContent(next)) return false;
      }
      node = node.parentNode;
    }
    return true;
  }

  /**
   * Read the text of an editor root. Returns {text, segments}; each segment is
   * {kind: "text"|"atom"|"break", node, start, end} with start/end offsets into text.
   */
  function readText(rootNode) {
    let text = "";
    const segments = [];
    let atLineStart = true;
    let breakBeforeInline = false;

    function emitBreak(node) {
      segments.push({ kind: "break", node, start: text.length, end: text.length + 1 });
      text += "\n";
      atLineStart = true;
      breakBeforeInline = false;
    }

    function beforeInline(node) {
      if (breakBeforeInline && !atLineStart) emitBreak(node);
      breakBeforeInline = false;
    }

    function walk(node) {
      if (node.nodeType === TEXT_NODE) {
        if (!node.data.length) return;
        beforeInline(node);
        segments.push({ kind: "text", node, start: text.length, end: text.length + node.data.length });
        text += node.data;
        atLineStart = false;
        return;
      }
      if (node.nodeType !== ELEMENT_NODE) return;
      const name = node.nodeName.toUpperCase();
      if (SKIPPED.has(name)) return;
      if (name === "BR") {
        if (isTrailingBreak(node, rootNode)) {
          atLineStart = false;  // the empty line itself counts as a line
        } else {
          beforeInline(node);
          emitBreak(node);
        }
        return;
      }
      if (name === "IMG") {
        const alt = (node.getAttribute && node.getAttribute("alt")) || "";
        if (alt) {
          beforeInline(node);
          segments.push({ kind: "atom", node, start: text.length, end: text.length + alt.length });
          text += alt;
          atLineStart = false;
        }
        return;
      }
      const block = node !== rootNode && isBlock(node);
      if (block && !atLineStart) emitBreak(node);
      if (block) breakBeforeInline = false;
      for (const child of node.childNodes) walk(child);
      if (block) breakBeforeInline = true;
    }

    walk(rootNode);
    return { text, segments };
  }

  function indexOfNode(node) {
    let i = 0;
    for (let n = node.parentNode.firstChild; n && n !== node; n = n.nextSibling) i++;
    return i;
  }

  /** A DOM boundary point {node, offset} for a text offset, leaning to the segment after (start)
   * or before (end) a boundary so that ranges never start at the end of the previous line. */
  function pointAt(map, offset, lean) {
    const segs = map.segments;
    if (!segs.length) return null;
    let chosen = null;
    if (lean === "start") {
      chosen = segs.find((s) => offset < s.end) || segs[segs.length - 1];
    } else {
      for (let i = segs.length - 1; i >= 0; i--) {
        if (offset > segs[i].start) { chosen = segs[i]; break; }
      }
      chosen = chosen || segs[0];
    }
    const within = Math.max(0, Math.min(offset - chosen.start, chosen.end - chosen.start));
    if (chosen.kind === "text") return { node: chosen.node, offset: within };
    const parent = chosen.node.parentNode;
    const at = indexOfNode(chosen.node);
    const after = lean === "start" ? within > 0 : within > 0 || offset >= chosen.end;
    return { node: parent, offset: after ? at + 1 : at };
  }

  /** Boundary points of the span [start, end) in UTF-16 units, or null when the text is empty. */
  function rangePoints(map, start, end) {
    if (end < start) [start, end] = [end, start];
    const from = pointAt(map, start, "start");
    const to = pointAt(map, Math.max(end, start), "end");
    if (!from || !to) return null;
    return { startNode: from.node, startOffset: from.offset, endNode: to.node, endOffset: to.offset };
  }

  /** Split a span into per-line pieces (boxes for underlines never cross a line break). */
  function lineSlices(text, start, end) {
    const slices = [];
    let from = start;
    for (let i = start; i < end; i++) {
      if (text[i] === "\n") {
        if (i > from) slices.push([from, i]);
        from = i + 1;
      }
    }
    if (end > from) slices.push([from, end]);
    return slices;
  }

  const api = { readText, rangePoints, pointAt, lineSlices, isTrailingBreak };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.textMap = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
