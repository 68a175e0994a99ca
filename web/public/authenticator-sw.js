/*
 * The web authenticator's service worker: what makes the page installable. It keeps no copy of the
 * page or the API: an authenticator is useless offline (every request and answer goes to the
 * server), and a cached page could outlive a fixed build. Navigations go to the network; when it is
 * unreachable, a short page says so instead of the browser's error.
 */
self.addEventListener('install', () => { self.skipWaiting(); });
self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', (event) => {
  if (event.request.mode !== 'navigate') return;
  event.respondWith(fetch(event.request).catch(() => new Response(
    '<!doctype html><html><head><meta charset="utf-8"><title>Twofold Authenticator</title></head><body><p>Twofold Authenticator: no connection to the server. Try again when you are online.</p></body></html>',
    { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" } },
  )));
});
