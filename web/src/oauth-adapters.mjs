// Host adapters for the `oauth` option: where tokens and registrations are
// kept (storage: {get, set, delete}, sync or async), and how the user is sent
// to the authorization server and back (onAuthorize(url) -> callback URL).
// Each works in the runtimes named; none is loaded unless imported.

/** Storage in this process's memory (the default when none is given). */
export function memoryStorage() {
  const m = new Map();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => { m.set(k, v); }, delete: (k) => { m.delete(k); } };
}

/** Browsers: window.localStorage (or any Web Storage object). */
export function webStorage(store = globalThis.localStorage) {
  return { get: (k) => store.getItem(k), set: (k, v) => store.setItem(k, v), delete: (k) => store.removeItem(k) };
}

/** Extensions: chrome.storage.local (or .session / .sync). Shared by every page of the extension. */
export function chromeStorage(area = globalThis.chrome?.storage?.local) {
  return {
    get: async (k) => (await area.get(k))[k] ?? null,
    set: (k, v) => area.set({ [k]: v }),
    delete: (k) => area.remove(k),
  };
}

/** Workers: any key-value binding with get/put/delete (Cloudflare KV, a Durable Object's storage, ...). */
export function kvStorage(kv) {
  return { get: (k) => kv.get(k), set: (k, v) => kv.put(k, v), delete: (k) => kv.delete(k) };
}

/**
 * Headless redirect: for an authorization server that answers at once with a
 * 302 (tests, pre-approved clients): fetch with redirects off, read Location.
 */
export function headlessRedirect({ fetch = globalThis.fetch } = {}) {
  return async (url) => {
    const res = await fetch(url, { redirect: 'manual' });
    return res.headers.get('location');
  };
}

/** Extensions: chrome.identity.launchWebAuthFlow (redirectUri = chrome.identity.getRedirectURL()). */
export function chromeIdentityRedirect({ identity = globalThis.chrome?.identity, interactive = true } = {}) {
  return (url) => identity.launchWebAuthFlow({ url, interactive });
}

/**
 * Browsers: a popup. The redirect URI must be a page of this origin; once the
 * popup lands there its URL is read and the popup closed. Resolves null when
 * the user closes it first, or after `timeoutMs`.
 */
export function popupRedirect({ redirectUri, features = 'width=500,height=700', timeoutMs = 300000, pollMs = 250 } = {}) {
  return (url) => new Promise((resolve) => {
    const popup = globalThis.open(url, 'mcpw-oauth', features);
    if (!popup) { resolve(null); return; }
    const started = Date.now();
    const timer = setInterval(() => {
      let href = '';
      try { href = popup.location.href; } catch { /* another origin while signing in */ }
      if (href.startsWith(redirectUri)) {
        clearInterval(timer);
        popup.close();
        resolve(href);
      } else if (popup.closed || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        resolve(null);
      }
    }, pollMs);
  });
}

/**
 * Workers and servers: the callback arrives as a request of its own. `onAuthorize`
 * hands the URL to `sendUserTo` (e.g. answers the user's request with a 302)
 * and waits; the callback route calls `handleCallback(request.url)`. Flows are
 * matched by `state`, within this isolate or process.
 */
export function callbackRedirect({ sendUserTo, timeoutMs = 600000 } = {}) {
  const waiting = new Map();  // state -> resolve
  return {
    onAuthorize(url) {
      const state = new URL(url).searchParams.get('state');
      return new Promise((resolve) => {
        const timer = setTimeout(() => { waiting.delete(state); resolve(null); }, timeoutMs);
        waiting.set(state, (cb) => { clearTimeout(timer); resolve(cb); });
        Promise.resolve(sendUserTo?.(url)).catch(() => {});
      });
    },
    /** True when the URL answered a waiting sign-in. */
    handleCallback(callbackUrl) {
      const state = new URL(callbackUrl).searchParams.get('state');
      const resolve = waiting.get(state);
      if (!resolve) return false;
      waiting.delete(state);
      resolve(callbackUrl);
      return true;
    },
  };
}
