/*
 * Debounce typing and keep only the latest check. Pure logic; timers are injectable so the
 * Node tests can drive time by hand.
 */
(function (root) {
  "use strict";

  const defaultTimers = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (id) => clearTimeout(id),
  };

  /** Call fn once typing has paused for `wait` ms; flush() runs it now, cancel() drops it. */
  function debounce(fn, wait, timers = defaultTimers) {
    let id = null;
    let lastArgs = null;
    function run() {
      id = null;
      const args = lastArgs;
      lastArgs = null;
      return fn(...args);
    }
    function debounced(...args) {
      lastArgs = args;
      if (id !== null) timers.clear(id);
      id = timers.set(run, wait);
    }
    debounced.flush = () => {
      if (id === null) return undefined;
      timers.clear(id);
      return run();
    };
    debounced.cancel = () => {
      if (id !== null) timers.clear(id);
      id = null;
      lastArgs = null;
    };
    debounced.pending = () => id !== null;
    return debounced;
  }

  /**
   * The latest request wins: begin(key) cancels the previous one (through its cancel callback)
   * and returns a ticket; isCurrent(ticket) says whether its answer may still be shown.
   */
  function latestOnly() {
    let generation = 0;
    let cancelPrevious = null;
    return {
      begin(key, cancel) {
        if (cancelPrevious) cancelPrevious();
        cancelPrevious = cancel || null;
        generation += 1;
        return { key, generation };
      },
      isCurrent(ticket) {
        return ticket.generation === generation;
      },
      finish(ticket) {
        if (ticket.generation === generation) cancelPrevious = null;
      },
    };
  }

  /** A small cache of answers by draft key (least recently used goes first). */
  function answerCache(limit = 50) {
    const map = new Map();
    return {
      get(key) {
        if (!map.has(key)) return undefined;
        const value = map.get(key);
        map.delete(key);
        map.set(key, value);
        return value;
      },
      set(key, value) {
        map.delete(key);
        map.set(key, value);
        while (map.size > limit) map.delete(map.keys().next().value);
      },
      get size() { return map.size; },
    };
  }

  const api = { debounce, latestOnly, answerCache };
  root.SecondLook = root.SecondLook || {};
  root.SecondLook.timing = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
