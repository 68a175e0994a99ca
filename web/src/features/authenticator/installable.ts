/**
 * What makes the authenticator installable as an app: its manifest, linked only while this page is
 * shown (the rest of the site is not the app), and its service worker, scoped to this page alone.
 * Both files are served by Twofold itself (src/http/web.ts), so the page's policy needs no exception.
 */
import { useEffect } from 'react';

export function useInstallable(): void {
  useEffect(() => {
    const link = document.createElement('link');
    link.rel = 'manifest';
    link.href = '/authenticator.webmanifest';
    document.head.append(link);
    // A browser without service workers (or a private window refusing them) still shows the page.
    navigator.serviceWorker?.register('/authenticator-sw.js', { scope: '/authenticator' }).catch(() => undefined);
    return () => link.remove();
  }, []);
}
