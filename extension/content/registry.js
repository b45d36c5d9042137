/*
 * Site adapters register here; the content script asks which one applies to the page.
 * An adapter is a small object (one file per site) that says where it applies and how to find,
 * on that site, the compose boxes, their Post button, the account's handle and the previews of
 * attached images. Shared DOM helpers live here so each adapter stays a few lines long.
 */
(function (root) {
  "use strict";

  const adapters = [];

  function register(adapter) {
    for (const key of ["id", "platform", "hosts", "composerSelector", "postButton", "isPostButton"]) {
      if (!(key in adapter)) throw new Error(`adapter ${adapter.id} lacks ${key}`);
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

  /** Walk up from `start` and return the first thing `pick(ancestor)` finds (nearest container wins). */
  function nearest(start, pick) {
    for (let el = start && start.parentElement; el; el = el.parentElement) {
      const found = pick(el);
      if (found) return found;
    }
    return null;
  }

  function text(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }

  /** Buttons in `container` whose text or aria-label is one of `labels` (case-insensitive). */
  function buttonsLabelled(container, labels) {
    const wanted = labels.map((l) => l.toLowerCase());
    return [...container.querySelectorAll('button, [role="button"], input[type="submit"]')].filter((b) => {
      const label = (b.getAttribute("aria-label") || text(b) || b.value || "").toLowerCase();
      return wanted.includes(label);
    });
  }

  function isLabelled(button, labels) {
    return buttonsLabelled(button.parentElement || button, labels).includes(button);
  }

  /** postButton/isPostButton for sites whose Post button is known only by its label. */
  function labelledPostButton(labels) {
    return {
      postButton(composer) {
        return nearest(composer, (el) => buttonsLabelled(el, labels)[0]);
      },
      isPostButton(el) {
        const button = el.closest && el.closest('button, [role="button"], input[type="submit"]');
        return button && isLabelled(button, labels) ? button : null;
      },
    };
  }

  /** The site's previews of attached images: `selector` inside the composer's dialog. */
  function imagesInDialog(composer, selector) {
    const dialog = composer.closest('[role="dialog"]') || composer.parentElement;
    return dialog ? [...dialog.querySelectorAll(selector)] : [];
  }

  function composers(doc, selector) {
    return [...doc.querySelectorAll(selector)];
  }

  /** The first @handle-looking text inside the elements matched by `selector`. */
  function handleIn(doc, selector) {
    for (const el of doc.querySelectorAll(selector)) {
      const match = /@[A-Za-z0-9_.]{1,30}/.exec(el.textContent || "");
      if (match) return match[0];
    }
    return null;
  }

  const api = { adapters, register, forLocation, nearest, buttonsLabelled, isLabelled, labelledPostButton, imagesInDialog,
    composers, handleIn, hostMatches };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.adapters = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
