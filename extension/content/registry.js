/*
 * Site adapters register here; the content script asks which one applies to the page.
 *
 * An adapter is a small table (one file per site): where it applies, and for each kind of compose
 * box on the site (post, reply, comment, direct message):
 *   editor      CSS selector of the editable element (found through open shadow roots);
 *   kind        "post" | "reply" | "comment" | "dm" (a dm is checked with audience "direct");
 *   scope       CSS selector of the container the composer belongs to (its dialog or form): its
 *               send control is looked for there and nowhere else;
 *   send        a finder for the send control in that scope (bySelector, byLabel, ...);
 *   enterSends  whether plain Enter sends (comments, messages);
 *   images      CSS selector, in the scope, of where images are added (a file input), if any;
 *   thumbnails  CSS selector, in the scope, of the site's previews of attached images.
 * Finding, focus, events, checking and gating are the content script's job, not the adapter's.
 */
(function (root) {
  "use strict";

  const adapters = [];
  const KINDS = ["post", "reply", "comment", "dm"];
  const BUTTONS = 'button, [role="button"], input[type="submit"]';

  function register(adapter) {
    for (const key of ["id", "platform", "hosts", "composers"]) {
      if (!(key in adapter)) throw new Error(`adapter ${adapter.id} lacks ${key}`);
    }
    for (const spec of adapter.composers) {
      for (const key of ["editor", "kind", "scope", "send"]) {
        if (!(key in spec)) throw new Error(`adapter ${adapter.id}: a composer lacks ${key}`);
      }
      if (!KINDS.includes(spec.kind)) throw new Error(`adapter ${adapter.id}: unknown kind ${spec.kind}`);
    }
    adapters.push(adapter);
    return adapter;
  }

  function hostMatches(host, pattern) {
    return host === pattern || host.endsWith("." + pattern);
  }

  /** The adapter for a location; site adapters win over the generic one. */
  function forLocation(loc) {
    const host = loc.hostname.toLowerCase();
    const specific = adapters.find((a) => !a.generic && a.hosts.some((h) => hostMatches(host, h)));
    return specific || adapters.find((a) => a.generic && a.hosts.some((h) => hostMatches(host, h))) || null;
  }

  function text(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }

  function labelOf(el) {
    return (el.getAttribute("aria-label") || text(el) || el.value || "").trim().toLowerCase();
  }

  /**
   * The words a send control carries, in the languages staff are likely to use the sites in (the
   * sites translate their labels, so "Post" alone is not enough); lower case, whole label.
   */
  const LABELS = Object.freeze({
    post: ["post", "publier", "publicar", "posten", "veröffentlichen", "pubblica", "plaatsen", "opublikuj",
      "paylaş", "postar", "publicera", "julkaise", "udostępnij", "опубликовать", "投稿", "게시", "发布", "發佈", "نشر", "post all"],
    share: ["share", "partager", "compartir", "teilen", "condividi", "delen", "compartilhar", "dela", "jaa",
      "udostępnij", "поделиться", "シェア", "공유하기", "分享", "مشاركة"],
    send: ["send", "envoyer", "enviar", "senden", "invia", "verzenden", "wyślij", "gönder", "skicka", "lähetä",
      "отправить", "送信", "보내기", "发送", "إرسال"],
    comment: ["comment", "commenter", "comentar", "kommentieren", "commenta", "reageren", "skomentuj", "yorum yap",
      "kommentera", "kommentoi", "комментировать", "コメントする", "댓글 달기", "评论", "تعليق"],
    reply: ["reply", "répondre", "responder", "antworten", "rispondi", "beantwoorden", "odpowiedz", "yanıtla",
      "svara", "vastaa", "ответить", "返信", "답글", "回复", "رد"],
  });

  /** A send control known by a CSS selector. */
  function bySelector(selector) {
    return {
      find: (scope) => [...scope.querySelectorAll(selector)].filter((b) => !b.closest("second-look-overlay")).pop() || null,
      accepts: (el) => el.matches(selector),
    };
  }

  /** A send control known by its label (aria-label or text) in any of the listed languages. */
  function byLabel(...groups) {
    const wanted = new Set(groups.flatMap((g) => LABELS[g] || [g.toLowerCase()]));
    const accepts = (el) => el.matches(BUTTONS) && wanted.has(labelOf(el));
    return {
      find: (scope) => [...scope.querySelectorAll(BUTTONS)].filter(accepts).pop() || null,
      accepts,
    };
  }

  /**
   * When the label is in a language we do not list: the last enabled button after the editor that
   * spans most of the dialog's width (Facebook's and Instagram's dialogs end with one wide Post /
   * Share button; icons and toolbar buttons are small).
   */
  function wideLastButton(share = 0.6) {
    const find = (scope, editor) => {
      const width = scope.getBoundingClientRect().width;
      const after = [...scope.querySelectorAll(BUTTONS)].filter((b) => !editor || !editor.isConnected
        || (editor.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
      return after.filter((b) => b.getAttribute("aria-disabled") !== "true" && !b.disabled
        && width > 0 && b.getBoundingClientRect().width >= share * width).pop() || null;
    };
    return { find, accepts: () => false };
  }

  /** The first finder that finds something; accepts what any accepts. */
  function anyOf(...finders) {
    return {
      find: (scope, editor) => {
        for (const f of finders) {
          const found = f.find(scope, editor);
          if (found) return found;
        }
        return null;
      },
      accepts: (el) => finders.some((f) => f.accepts(el)),
    };
  }

  /** The first @handle-looking text inside the elements matched by `selector`. */
  function handleIn(doc, selector) {
    for (const el of doc.querySelectorAll(selector)) {
      const match = /@[A-Za-z0-9_.]{1,30}/.exec(el.textContent || "");
      if (match) return match[0];
    }
    return null;
  }

  const api = { adapters, register, forLocation, hostMatches, LABELS, BUTTONS, labelOf, bySelector, byLabel,
    wideLastButton, anyOf, handleIn };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.adapters = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
