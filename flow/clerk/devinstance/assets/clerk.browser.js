/*
 * clerk.browser.js: authscope's small stand-in for ClerkJS.
 *
 * The embedded demo instance serves it at
 * /npm/@clerk/clerk-js@<any version>/dist/clerk.browser.js, where a real
 * Frontend API serves ClerkJS, so one landing page runs the same code
 * against the demo and against real Clerk. It implements only what that
 * page uses, with ClerkJS's names and behaviour (flow/clerk/SPEC.md: "Dev
 * browser", "Account Portal and redirectToSignIn", "Frontend API requests",
 * "Token cache refresh timing"):
 *
 *   window.Clerk.load()                       dev-browser handoff, environment, client
 *   Clerk.status ('loading', 'ready', 'degraded'), Clerk.loaded
 *   Clerk.isSignedIn, Clerk.user, Clerk.session, Clerk.client
 *   Clerk.session.getToken({template, skipCache})  → Promise<string|null>
 *   Clerk.session.lastActiveToken.jwt.claims
 *   Clerk.buildSignInUrl(opts), Clerk.redirectToSignIn({redirectUrl})
 *   Clerk.signOut(opts), Clerk.addListener(fn)
 *
 * Failed Frontend API calls throw an Error shaped like ClerkAPIResponseError:
 * name, status, errors [{code, message, longMessage, meta}]. Like ClerkJS
 * 6.40.0 it leaves clerkTraceId unset: ClerkJS does not copy the body's
 * clerk_trace_id into the error it throws.
 *
 * What it copies of ClerkJS 6.40.0 (checked against the real one by
 * cmd/authscope's TestRealClerkJSMatchesStandIn; devinstance's SPEC.md "The
 * stand-in and the real ClerkJS"): in development load() creates a dev
 * browser with a bare POST, then touches the environment with
 * POST ?_method=PATCH; a failed environment or client request does not
 * throw but leaves status 'degraded' (and no sign-in URL: buildSignInUrl
 * then gives the page itself); the dev browser is kept in the cookie
 * __clerk_db_jwt_<suffix> on the page's host; getToken retries 5xx, 429
 * and network errors with back-off (3 s, ×1.55, 8 tries). GET requests are
 * not retried on network errors, unlike ClerkJS's.
 *
 * Plain ES2020, no build step. The Go side (clerk.FAPIClient) makes the same
 * calls; a Go test (drift_test.go) checks the constants below against
 * package clerk's.
 */
(() => {
  'use strict';

  const API_VERSION = '2026-08-20';            // clerk.APIVersion
  const JS_VERSION = '6.0.0-authscope-demo';   // clerk.ScriptVersion
  const DEV_BROWSER_KEY = '__clerk_db_jwt';    // clerk.DevBrowserParam
  const REDIRECT_KEY = 'redirect_url';         // clerk.RedirectURLParam
  const REFRESH_THRESHOLD_S = 15;              // clerk.BackgroundRefreshThreshold
  const REFRESH_LEAD_S = 2;                    // clerk.RefreshLeadTime
  const POLLER_INTERVAL_S = 5;                 // clerk.PollerInterval
  const REQUEST_TIMEOUT_MS = 15000;
  // getToken's retries of 5xx, 429 and network errors (ClerkJS's
  // Session.getToken back-off).
  const TOKEN_RETRIES = 8;
  const TOKEN_RETRY_INITIAL_MS = 3000;
  const TOKEN_RETRY_FACTOR = 1.55;
  // DEV_OR_STAGING_SUFFIXES of @clerk/shared; loopback hosts (the demo)
  // count as development too.
  const DEV_SUFFIXES = ['.lcl.dev', '.stg.dev', '.lclstage.dev', '.stgstage.dev', '.dev.lclclerk.com',
    '.stg.lclclerk.com', '.accounts.lclclerk.com', 'accountsstage.dev', 'accounts.dev'];

  // ---- publishable key (flow/clerk/SPEC.md "Publishable keys") ----

  function parsePublishableKey(key) {
    if (!key) throw new Error('Publishable key is missing.');
    const invalid = () => new Error('Publishable key not valid (expected format: pk_test_... or pk_live_...).');
    if (!key.startsWith('pk_test_') && !key.startsWith('pk_live_')) throw invalid();
    const parts = key.split('_');
    if (parts.length !== 3 || !parts[2]) throw invalid();
    let decoded;
    try { decoded = atob(parts[2]); } catch (_) { throw new Error('Publishable key not valid: Failed to decode key.'); }
    const host = decoded.slice(0, -1);
    if (!decoded.endsWith('$') || host.includes('$') || !host.includes('.')) {
      throw new Error('Publishable key not valid: Decoded key has invalid format.');
    }
    return { instanceType: key.startsWith('pk_live_') ? 'production' : 'development', frontendApi: host };
  }

  function hostnameOf(hostPort) {
    if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
    const i = hostPort.lastIndexOf(':');
    return i > 0 && hostPort.indexOf(':') === i ? hostPort.slice(0, i) : hostPort;
  }

  function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
  }

  // ---- small helpers ----

  const nowS = () => Date.now() / 1000;

  function b64urlDecode(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  }

  // A token resource as ClerkJS exposes it: jwt.{header, claims, encoded}.
  function tokenResource(raw) {
    const [h, p, s] = raw.split('.');
    const jwt = { header: JSON.parse(b64urlDecode(h)), claims: JSON.parse(b64urlDecode(p)), encoded: { header: h, payload: p, signature: s } };
    return { object: 'token', jwt, getRawString: () => raw };
  }

  class ClerkAPIResponseError extends Error {
    constructor(status, body) {
      const errors = (body && Array.isArray(body.errors) ? body.errors : []).map((e) => ({
        code: e.code, message: e.message, longMessage: e.long_message, meta: e.meta || {},
      }));
      const first = errors[0];
      super(first ? (first.longMessage || first.message) : 'Frontend API request failed with status ' + status);
      this.name = 'ClerkAPIResponseError';
      this.status = status;
      this.errors = errors;
      this.clerkTraceId = undefined;
      this.clerkError = true;
    }
  }

  // cookieSuffix is @clerk/shared's getCookieSuffix: the first 8
  // characters of base64url(SHA-1(publishable key)).
  async function cookieSuffix(key) {
    const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key));
    const b64 = btoa(String.fromCharCode(...new Uint8Array(digest)));
    return b64.replace(/\+/g, '-').replace(/\//g, '_').substring(0, 8);
  }

  function readCookie(name) {
    for (const part of document.cookie.split(';')) {
      const [k, v] = part.trim().split('=');
      if (k === name && v) return decodeURIComponent(v);
    }
    return '';
  }

  // ---- resources ----

  function toUser(u) {
    if (!u) return null;
    const emails = (u.email_addresses || []).map((e) => ({
      id: e.id, emailAddress: e.email_address, verification: { status: e.verification && e.verification.status },
    }));
    const primary = emails.find((e) => e.id === u.primary_email_address_id) || null;
    const first = u.first_name || null;
    const last = u.last_name || null;
    return {
      id: u.id, firstName: first, lastName: last,
      fullName: [first, last].filter(Boolean).join(' ') || null,
      username: u.username || null, imageUrl: u.image_url, hasImage: !!u.has_image,
      primaryEmailAddressId: u.primary_email_address_id || null, primaryEmailAddress: primary, emailAddresses: emails,
    };
  }

  class Clerk {
    constructor(publishableKey) {
      this.publishableKey = publishableKey;
      this.version = JS_VERSION;
      this.loaded = false;
      this.client = null;
      this.session = null;
      this.user = null;
      this.organization = null;
      this.frontendApi = '';
      this.instanceType = '';
      this._env = null;
      this._devBrowser = '';
      this._listeners = new Set();
      this._cache = new Map(); // "<sid>-<template>" → {promise, exp, timers}
      this._loading = null;
      this.status = 'loading';
    }

    get isSignedIn() { return !!this.session && this.session.status === 'active'; }

    // load is idempotent, as ClerkJS's.
    load(options) {
      if (!this._loading) this._loading = this._load(options || {});
      return this._loading;
    }

    async _load(options) {
      const pk = parsePublishableKey(this.publishableKey);
      this.instanceType = pk.instanceType;
      this.frontendApi = pk.frontendApi;
      const hostname = hostnameOf(pk.frontendApi);
      this._fapiOrigin = (isLoopback(hostname) ? 'http://' : 'https://') + pk.frontendApi;
      this._isDev = isLoopback(hostname) || DEV_SUFFIXES.some((s) => hostname.endsWith(s));
      this._signInUrlOption = options.signInUrl || '';
      if (this._isDev) await this._setupDevBrowser();
      // Like ClerkJS, a failed environment or client request leaves the
      // instance degraded instead of failing load().
      let degraded = false;
      const [env, client] = await Promise.allSettled([
        this._fapi(this._isDev ? 'PATCH' : 'GET', '/environment'),
        this._refreshClient(),
      ]);
      if (env.status === 'fulfilled') this._env = env.value; else degraded = true;
      if (client.status === 'rejected') degraded = true;
      this.status = degraded ? 'degraded' : 'ready';
      this.loaded = true;
      this._emit();
      return this;
    }

    // Dev-browser handoff (flow/clerk/SPEC.md "Dev browser"): the page URL
    // (after the Account Portal sent the browser back), then storage, then a
    // new one.
    async _setupDevBrowser() {
      const url = new URL(window.location.href);
      const fromUrl = url.searchParams.get(DEV_BROWSER_KEY);
      if (fromUrl) {
        url.searchParams.delete(DEV_BROWSER_KEY);
        window.history.replaceState(window.history.state, '', url.href);
        this._setDevBrowser(fromUrl);
        return;
      }
      this._cookie = DEV_BROWSER_KEY + '_' + await cookieSuffix(this.publishableKey);
      const stored = readCookie(this._cookie);
      if (stored) { this._devBrowser = stored; return; }
      await this._createDevBrowser();
    }

    // The dev browser lives in a cookie on the page's host named for the
    // publishable key, as ClerkJS keeps it: the demo's key names a new port
    // every run, so an old run's dev browser is never reused.
    _setDevBrowser(id) {
      this._devBrowser = id || '';
      try {
        document.cookie = this._cookie + '=' + encodeURIComponent(this._devBrowser) + '; path=/; samesite=lax; max-age=' +
          (id ? 365 * 24 * 3600 : 0);
      } catch (_) { /* cookies denied: keep it in memory */ }
    }

    // _createDevBrowser is ClerkJS's bare POST /v1/dev_browser: no body,
    // no credentials, the dev browser read from the answer's id.
    async _createDevBrowser() {
      this._setDevBrowser('');
      const url = new URL(this._fapiOrigin + '/v1/dev_browser');
      url.searchParams.set('__clerk_api_version', API_VERSION);
      url.searchParams.set('_clerk_js_version', JS_VERSION);
      const res = await fetch(url.href, { method: 'POST' });
      let body = null;
      try { body = await res.json(); } catch (_) { /* not JSON */ }
      if (!res.ok) throw new ClerkAPIResponseError(res.status, body);
      this._setDevBrowser(body && body.id);
    }

    // _fapi makes one Frontend API call the way ClerkJS's fapiClient does.
    async _fapi(method, path, opts) {
      opts = opts || {};
      const url = new URL(this._fapiOrigin + '/v1' + path);
      url.searchParams.set('__clerk_api_version', API_VERSION);
      url.searchParams.set('_clerk_js_version', JS_VERSION);
      let wire = method;
      if (method !== 'GET' && method !== 'POST') { url.searchParams.set('_method', method); wire = 'POST'; }
      if (opts.skipCache) url.searchParams.set('debug', 'skip_cache');
      if (this._isDev && this._devBrowser) url.searchParams.set(DEV_BROWSER_KEY, this._devBrowser);
      const init = { method: wire, credentials: 'include' };
      if (wire === 'POST') {
        init.headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
        init.body = new URLSearchParams(opts.form || {}).toString();
      }
      if (typeof AbortSignal !== 'undefined' && AbortSignal.timeout) init.signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      const res = await fetch(url.href, init);
      let body = null;
      try { body = await res.json(); } catch (_) { /* empty or not JSON */ }
      if (res.ok) return body;
      const err = new ClerkAPIResponseError(res.status, body);
      // A stale dev browser: make a new one and try once more (ClerkJS resets
      // its dev browser on this code).
      if (res.status === 401 && opts.retry !== false && this._isDev &&
          err.errors.some((e) => e.code === 'dev_browser_unauthenticated')) {
        await this._createDevBrowser();
        return this._fapi(method, path, Object.assign({}, opts, { retry: false }));
      }
      throw err;
    }

    async _refreshClient() {
      const body = await this._fapi('GET', '/client');
      this._applyClient(body && (body.response !== undefined ? body.response : body));
    }

    _applyClient(c) {
      this.client = c ? { id: c.id, sessions: c.sessions || [], lastActiveSessionId: c.last_active_session_id || null } : null;
      const raw = c && (c.sessions || []).find((s) => s.id === c.last_active_session_id && s.status === 'active');
      if (!raw) {
        this._clearCache();
        this.session = null;
        this.user = null;
        return;
      }
      const user = toUser(raw.user);
      const session = {
        id: raw.id, status: raw.status, user, lastActiveAt: raw.last_active_at, expireAt: raw.expire_at,
        lastActiveToken: null,
        getToken: (o) => this._getToken(session, o || {}),
      };
      this.session = session;
      this.user = user;
      if (raw.last_active_token && raw.last_active_token.jwt) {
        // ClerkJS hydrates its token cache from last_active_token.
        this._cacheSet(session, '', Promise.resolve(raw.last_active_token.jwt));
      }
    }

    // ---- tokens (flow/clerk/SPEC.md "Token cache refresh timing") ----

    _getToken(session, { template, skipCache }) {
      if (this.session !== session || session.status !== 'active') return Promise.resolve(null);
      const key = session.id + '-' + (template || '');
      if (!skipCache) {
        const hit = this._cache.get(key);
        // A pending fetch is shared; a resolved token is used unless it is
        // within POLLER_INTERVAL_S of exp, which ClerkJS treats as a miss.
        if (hit && (hit.exp === undefined || hit.exp - nowS() > POLLER_INTERVAL_S)) return hit.promise;
      }
      return this._fetchToken(session, template, !!skipCache);
    }

    _fetchToken(session, template, skipCache) {
      const path = '/client/sessions/' + encodeURIComponent(session.id) + '/tokens' +
        (template ? '/' + encodeURIComponent(template) : '');
      const p = this._retrying(() => this._fapi('POST', path, { skipCache })).then((b) => (b && (b.response || b).jwt) || null);
      return this._cacheSet(session, template || '', p);
    }

    // _retrying retries 5xx, 429 and network errors with ClerkJS's
    // back-off; other errors (a 404 for a missing template) are final.
    async _retrying(call) {
      let wait = TOKEN_RETRY_INITIAL_MS;
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (e) {
          const retriable = !(e instanceof ClerkAPIResponseError) || e.status >= 500 || e.status === 429;
          if (!retriable || attempt >= TOKEN_RETRIES) throw e;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait *= TOKEN_RETRY_FACTOR;
      }
    }

    // _cacheSet stores a token promise and, once it resolves, arms ClerkJS's
    // two timers: a background refresh at exp − 15 s − 2 s and removal at exp.
    _cacheSet(session, template, promise) {
      const key = session.id + '-' + template;
      this._drop(key);
      const entry = { promise, exp: undefined, timers: [] };
      this._cache.set(key, entry);
      promise.then((jwt) => {
        if (this._cache.get(key) !== entry) return;
        let claims = null;
        try { claims = jwt ? tokenResource(jwt).jwt.claims : null; } catch (_) { claims = null; }
        if (!claims || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') { this._drop(key); return; }
        entry.exp = claims.exp;
        if (!template) session.lastActiveToken = tokenResource(jwt);
        const now = nowS();
        const refreshIn = claims.exp - now - Math.max(REFRESH_THRESHOLD_S, POLLER_INTERVAL_S) - REFRESH_LEAD_S;
        if (refreshIn > 0) {
          entry.timers.push(setTimeout(() => {
            if (this._cache.get(key) === entry && this.session === session) {
              this._fetchToken(session, template, false).catch(() => { /* next read fetches */ });
            }
          }, refreshIn * 1000));
        }
        entry.timers.push(setTimeout(() => { if (this._cache.get(key) === entry) this._drop(key); },
          Math.max(0, claims.exp - now) * 1000));
      }, () => { if (this._cache.get(key) === entry) this._drop(key); });
      return promise;
    }

    _drop(key) {
      const e = this._cache.get(key);
      if (!e) return;
      e.timers.forEach(clearTimeout);
      this._cache.delete(key);
    }

    _clearCache() { for (const k of Array.from(this._cache.keys())) this._drop(k); }

    // ---- navigation ----

    // buildSignInUrl: the Account Portal URL with the return address in the
    // hash and, in development, the dev browser in the query.
    buildSignInUrl(opts) {
      opts = opts || {};
      // Without an environment ClerkJS has no sign-in URL and builds one on
      // the page itself.
      const base = this._signInUrlOption || (this._env && this._env.display_config && this._env.display_config.sign_in_url) || '';
      const url = new URL(base, window.location.href);
      const hash = new URLSearchParams();
      hash.set(REDIRECT_KEY, opts.redirectUrl || opts.signInForceRedirectUrl || window.location.href);
      url.hash = '/?' + hash.toString();
      if (this._isDev && this._devBrowser && url.origin !== window.location.origin) {
        url.searchParams.set(DEV_BROWSER_KEY, this._devBrowser);
      }
      return url.href;
    }

    redirectToSignIn(opts) {
      window.location.assign(this.buildSignInUrl(opts));
      return Promise.resolve();
    }

    async signOut(opts) {
      const body = await this._fapi('DELETE', '/client/sessions');
      this._clearCache();
      this._applyClient(body && (body.response !== undefined ? body.response : body));
      this._emit();
      if (opts && opts.redirectUrl) window.location.assign(opts.redirectUrl);
    }

    // addListener calls fn now if loaded, and on every sign-in state change;
    // it returns the unsubscribe function.
    addListener(fn) {
      this._listeners.add(fn);
      if (this.loaded) this._call(fn);
      return () => this._listeners.delete(fn);
    }

    _emit() { for (const fn of this._listeners) this._call(fn); }

    _call(fn) {
      try { fn({ client: this.client, session: this.session, user: this.user, organization: null }); } catch (e) { console.error(e); }
    }
  }

  Clerk.ClerkAPIResponseError = ClerkAPIResponseError;

  const script = document.currentScript || document.querySelector('script[data-clerk-publishable-key]');
  const key = (script && script.getAttribute('data-clerk-publishable-key')) || window.__clerk_publishable_key || '';
  window.Clerk = new Clerk(key);
})();
