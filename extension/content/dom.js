/*
 * The page's DOM as the content script must see it: through open shadow roots. A site may put its
 * composer inside a shadow root (LinkedIn's #interop-outlet), where document.querySelector finds
 * nothing and a document-level listener sees only the host. So (as Briskine's active-element.js and
 * Harper's lint framework do) focus is followed through shadow roots, events are read from
 * event.composedPath(), and every open shadow root met is observed like the document.
 */
(function (root) {
  "use strict";

  const EDITABLE = 'textarea, [contenteditable="true"], [contenteditable=""], [contenteditable="plaintext-only"]';

  /** The element that really has focus, inside open shadow roots. */
  function deepActiveElement(doc) {
    let el = (doc || document).activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el;
  }

  /** The elements an event went through, innermost first (open shadow roots included). */
  function pathElements(event) {
    const path = event.composedPath ? event.composedPath() : [event.target];
    return path.filter((n) => n && n.nodeType === 1);
  }

  /** The parent across a shadow boundary: a shadow root's host. */
  function parentAcross(el) {
    if (el.parentElement) return el.parentElement;
    const rootNode = el.getRootNode && el.getRootNode();
    return rootNode && rootNode.host ? rootNode.host : null;
  }

  /** Element.closest that continues past shadow roots to their hosts. */
  function closestAcross(el, selector) {
    for (let node = el; node;) {
      const found = node.closest(selector);
      if (found) return found;
      const rootNode = node.getRootNode();
      node = rootNode && rootNode.host ? rootNode.host : null;
    }
    return null;
  }

  /** Whether `container` contains `node`, also when `node` is inside a shadow root below it. */
  function containsAcross(container, node) {
    for (let n = node; n; n = parentAcross(n)) if (n === container) return true;
    return false;
  }

  /** The editable root an element belongs to: a textarea, or the outermost contenteditable. */
  function editableRoot(el) {
    if (!el || el.nodeType !== 1) return null;
    if (el.nodeName === "TEXTAREA") return el;
    if (!el.isContentEditable) return null;
    let top = el;
    for (let p = el.parentElement; p && p.isContentEditable; p = p.parentElement) top = p;
    return top;
  }

  /**
   * Watches the document and every open shadow root under it: calls `onChange()` (throttled) when
   * nodes are added or removed anywhere, and keeps `roots` (document first) for deep queries.
   */
  function shadowWatcher(onChange, signal, delayMs = 100) {
    const roots = [document];
    const seen = new WeakSet();
    let timer = 0;
    const fire = () => {
      if (!timer) timer = setTimeout(() => { timer = 0; onChange(); }, delayMs);
    };
    const observer = new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node.nodeType === 1) findShadowRoots(node);
      fire();
    });
    function watch(rootNode) {
      if (seen.has(rootNode)) return;
      seen.add(rootNode);
      if (rootNode !== document) roots.push(rootNode);
      observer.observe(rootNode === document ? document.documentElement : rootNode, { childList: true, subtree: true });
      findShadowRoots(rootNode);
    }
    function findShadowRoots(node) {
      if (node.shadowRoot) watch(node.shadowRoot);
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
      for (let el = walker.nextNode(); el; el = walker.nextNode()) if (el.shadowRoot) watch(el.shadowRoot);
    }
    watch(document);
    if (signal) signal.addEventListener("abort", () => observer.disconnect());
    return {
      roots,
      /** Note a shadow root met through an event (focus inside a host added before we looked). */
      noteNode(node) {
        for (let n = node; n; n = parentAcross(n)) {
          const rootNode = n.getRootNode();
          if (rootNode && rootNode.host) watch(rootNode);
        }
      },
      queryAll(selector) {
        const found = [];
        for (const r of roots) if (r === document || r.host.isConnected) found.push(...r.querySelectorAll(selector));
        return found;
      },
    };
  }

  const api = { EDITABLE, deepActiveElement, pathElements, parentAcross, closestAcross, containsAcross, editableRoot,
    shadowWatcher };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.dom = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
