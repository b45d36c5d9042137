/*
 * A fast, non-cryptographic 53-bit hash (cyrb53) of a string: the cache key of a check.
 * Collisions only cost a wrong cache hit between two drafts of the same page, and the key
 * also includes the account type, platform and image ids, so 53 bits are plenty.
 */
(function (root) {
  "use strict";

  function hashText(str, seed = 0) {
    let h1 = 0xdeadbeef ^ seed;
    let h2 = 0x41c6ce57 ^ seed;
    for (let i = 0; i < str.length; i++) {
      const ch = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
  }

  /** The key of a check request: what the service's answer depends on. */
  function draftKey(draft, imageIds) {
    return hashText([draft.text, draft.platform, draft.account_type, draft.account_handle || "",
      draft.audience || "public", (imageIds || []).join(",")].join("\u0000"));
  }

  const api = { hashText, draftKey };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.hash = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
