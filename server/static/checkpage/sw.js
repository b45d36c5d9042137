/* Second Look check page's service worker (scope /check).
 *
 * Two jobs only:
 * 1. Receive the Share sheet's POST to /check/share before it reaches the network: keep the shared
 *    text and photos in a hand-over cache and send the phone to /check?shared=1, whose script reads
 *    the hand-over and deletes it at once. Nothing shared ever reaches the server this way; it is
 *    sent only when the member of staff presses Check.
 * 2. Keep the page's own files (no data of anyone's) so it opens from the home screen without a
 *    connection: network first, the cached copy when offline.
 * It never touches /api/ requests: checks always go to the server, and their answers are not kept.
 */
"use strict";

const SHELL_CACHE = "secondlook-shell-v1";
const HANDOVER_CACHE = "secondlook-handover"; // read and deleted by check.js
const HANDOVER_META = "/check/handover/meta";
const MAX_SHARED_PHOTOS = 4;
const SHELL = [
  "/check",
  "/check/manifest.webmanifest",
  "/static/checkpage/check.css",
  "/static/checkpage/check.js",
  "/static/shared/severity.js",
  "/static/checkpage/icon.svg",
  "/static/checkpage/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .catch(() => undefined) // offline at install: the page still works online
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    // Old shell versions, and any hand-over a page never came to read.
    await Promise.all(names.filter((n) => n !== SHELL_CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === "POST" && url.pathname === "/check/share") {
    event.respondWith(receiveShare(event.request));
  } else if (event.request.method === "GET" && SHELL.includes(url.pathname)) {
    event.respondWith(networkFirst(event.request, url.pathname));
  }
});

async function receiveShare(request) {
  try {
    const form = await request.formData();
    await caches.delete(HANDOVER_CACHE);
    const cache = await caches.open(HANDOVER_CACHE);
    const files = form.getAll("images").filter((f) => typeof f !== "string" && f.size > 0);
    const meta = {
      title: String(form.get("title") || ""),
      text: String(form.get("text") || ""),
      url: String(form.get("url") || ""),
      files: [],
      dropped: Math.max(0, files.length - MAX_SHARED_PHOTOS),
    };
    for (const [i, file] of files.slice(0, MAX_SHARED_PHOTOS).entries()) {
      const key = `/check/handover/file-${i}`;
      await cache.put(key, new Response(file, { headers: { "Content-Type": file.type || "application/octet-stream" } }));
      meta.files.push({ url: key, name: file.name, type: file.type });
    }
    await cache.put(HANDOVER_META, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
    return Response.redirect("/check?shared=1", 303);
  } catch (err) {
    await caches.delete(HANDOVER_CACHE);
    return Response.redirect("/check?shared=unavailable", 303);
  }
}

async function networkFirst(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(path, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(path);
    if (cached) return cached;
    throw err;
  }
}
