// MyAccount service worker: go-app's worker template (its version and
// resource-list placeholders are filled in by the handler) plus a navigation
// fallback, so /{envId}/myaccount/ and /{envId}/myapps/ open offline. go-app's default worker caches "/" (not a page here) and
// never answers navigations to other paths from its cache.
const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}}.filter((u) => u !== "/");
const cachedPaths = new Set(resourcesToCache.map((u) => new URL(u, self.location.origin).pathname));
const shellPath = /^\/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\/(myaccount|myapps)\/?$/;

// shellKey is the cache key of a MyAccount shell: its path with a trailing
// slash and without the query (the page is the same for any ?code=&state=).
function shellKey(url) {
  const path = url.pathname.endsWith("/") ? url.pathname : url.pathname + "/";
  return new URL(path, self.location.origin).href;
}

function isShell(url) {
  return url.origin === self.location.origin && shellPath.test(url.pathname);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    await cache.addAll(resourcesToCache);
    // The page that registered this worker loaded before the worker existed:
    // cache its shell now, or the first offline reload would find nothing.
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    await Promise.all(windows
      .map((c) => new URL(c.url))
      .filter(isShell)
      .map((u) => cacheShell(cache, u).catch((err) => console.warn("caching shell failed:", err))));
    await self.skipWaiting();
  })());
});

async function cacheShell(cache, url) {
  const key = shellKey(url);
  const res = await fetch(key, { credentials: "same-origin" });
  if (res.ok) {
    await cache.put(key, res);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (req.mode === "navigate") {
    if (isShell(url)) {
      event.respondWith(navigateShell(req, url));
    }
    return; // other pages (sign-on, server pages): the network as usual
  }
  if (cachedPaths.has(url.pathname)) {
    event.respondWith(cacheFirst(req));
  }
  // Everything else (the API, config.json) goes to the network untouched.
});

async function cacheFirst(req) {
  const hit = await caches.match(req, { ignoreSearch: true });
  return hit || fetch(req);
}

// navigateShell is network first (the server may have a newer page, and
// OAuth answers must reach it), then the cached shell of that environment,
// then any cached MyAccount shell (the page reads its environment from the
// address bar).
async function navigateShell(req, url) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(req);
    if (res.ok) {
      await cache.put(shellKey(url), res.clone());
    }
    return res;
  } catch (err) {
    const hit = (await cache.match(shellKey(url))) || (await anyShell(cache));
    if (hit) {
      return hit;
    }
    throw err;
  }
}

async function anyShell(cache) {
  for (const req of await cache.keys()) {
    if (isShell(new URL(req.url))) {
      return cache.match(req);
    }
  }
  return undefined;
}
