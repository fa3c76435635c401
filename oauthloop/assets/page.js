// authscope landing page script.
//
// It runs the browser side of the Convex + Clerk sign-in and reports every
// step to the authscope loopback that served it. It speaks the page protocol
// defined (and documented) in oauthloop/protocol.go; PROTOCOL below mirrors
// its constants, and oauthloop/protocol_test.go fails when this file stops
// mentioning one of them or one of the message fields.
//
// Security: the per-run secret arrives in the URL fragment, is kept in
// sessionStorage and removed from the address bar before Clerk sees the URL;
// nothing from Clerk or the server is ever put into the page as HTML (only
// textContent); the page loads nothing but ClerkJS from the Frontend API the
// publishable key names (the server's Content-Security-Policy enforces it).
'use strict';
(function () {
  const PROTOCOL = Object.freeze({
    header: 'X-Authscope-Secret',
    paramState: 'state',
    paramSecret: 'secret',
    paramDevBrowser: '__clerk_db_jwt',
    pathEvent: '/api/event',
    pathToken: '/api/token',
    pathCommand: '/api/command',
    pathLeave: '/api/leave',
    steps: Object.freeze({ click: 'click', redirect: 'redirect', return: 'return', provider: 'provider' }),
    laterSteps: Object.freeze({ token: 'token', send: 'send', jwks: 'jwks', confirmed: 'confirmed' }),
    status: Object.freeze({ ok: 'ok', fail: 'fail', skipped: 'skipped', warn: 'warn' }),
    commands: Object.freeze({ refresh: 'refresh', wait: 'wait', close: 'close', progress: 'progress' }),
    tokenPaths: Object.freeze({ session: 'session', template: 'template' }),
    templateConvex: 'convex',
    audienceConvex: 'convex',
    instance: Object.freeze({ development: 'development', production: 'production' }),
  });
  const P = PROTOCOL;
  const CLERK_LOAD_TIMEOUT_MS = 15000; // what Clerk's own script loader allows
  const CLERK_INIT_TIMEOUT_MS = 30000;
  const STORE_PREFIX = 'authscope.';

  // Browser clock, in ms since the epoch, as the protocol wants it.
  const now = () => performance.timeOrigin + performance.now();
  const scriptStart = now();

  const app = document.getElementById('app');
  const ui = {
    status: document.getElementById('status'),
    error: document.getElementById('error'),
    steps: document.getElementById('steps'),
    keepOpen: document.getElementById('keep-open'),
    refreshes: document.getElementById('refreshes'),
  };
  const cfg = {
    kind: app.dataset.kind || '',
    clerkJsUrl: app.dataset.clerkJsUrl || '',
    publishableKey: app.dataset.publishableKey || '',
    // Each getToken is bounded: ClerkJS retries 5xx answers and network
    // errors with back-off for minutes, and the page must say why no token
    // came before authscope stops waiting for one.
    tokenTimeoutMs: Number(app.dataset.tokenTimeoutMs) > 0 ? Number(app.dataset.tokenTimeoutMs) : 20000,
  };

  const store = {
    get(k) {
      try { return window.sessionStorage.getItem(STORE_PREFIX + k); } catch (e) { return null; }
    },
    set(k, v) {
      try { window.sessionStorage.setItem(STORE_PREFIX + k, String(v)); } catch (e) { /* private mode: the run still works in one page load */ }
    },
    clear() {
      try {
        for (let i = window.sessionStorage.length - 1; i >= 0; i--) {
          const k = window.sessionStorage.key(i);
          if (k && k.startsWith(STORE_PREFIX)) window.sessionStorage.removeItem(k);
        }
      } catch (e) { /* nothing stored */ }
    },
  };

  // ---- what the page shows ------------------------------------------------

  const titles = {
    click: '1. Page loaded (the login click)',
    redirect: '2. Redirect to the sign-in page',
    return: '3. Back from the sign-in page',
    provider: '4. ClerkJS knows you are signed in',
    token: '5. Token fetched as ConvexProviderWithClerk does',
    send: '6. The Convex client sends the token to the backend',
    jwks: '7. The backend checks it against the issuer\'s keys',
    confirmed: '8. The backend confirms: isAuthenticated',
  };
  const marks = { pending: '·', running: '…', ok: '✓', fail: '✗', skipped: '–', warn: '!' };
  const TERMINAL = 'The verdict and why are in the terminal, where authscope runs.';
  const items = {};
  for (const step of Object.keys(titles)) {
    const li = document.createElement('li');
    const head = document.createElement('span');
    const d = document.createElement('div');
    d.className = 'detail';
    li.appendChild(head);
    li.appendChild(d);
    ui.steps.appendChild(li);
    items[step] = li;
  }
  function show(step, status, detail) {
    const li = items[step];
    li.className = status;
    li.firstChild.textContent = (marks[status] || '') + ' ' + titles[step] + ' — ' + status;
    li.lastChild.textContent = detail || '';
  }
  for (const step of Object.keys(titles)) show(step, 'pending', '');
  function setStatus(text) { ui.status.textContent = text; }
  function fatal(text) {
    ui.error.hidden = false;
    ui.error.textContent = text;
    setStatus('Stopped. See the message below; authscope shows it in the terminal too.');
  }
  const message = (e) => (e && e.message ? String(e.message) : String(e));

  // ---- the run's secret and state -------------------------------------------

  const query = new URLSearchParams(location.search);
  const state = query.get(P.paramState) || '';
  // Read before Clerk.load(): ClerkJS strips the handoff from the URL.
  const handoff = query.has(P.paramDevBrowser);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  let secret = fragment.get(P.paramSecret);
  if (secret) {
    if (store.get('state') !== state) store.clear(); // a new run in this tab
    store.set('secret', secret);
    store.set('state', state);
    // Keep the secret out of history and out of the redirect URL Clerk gets.
    history.replaceState(null, '', location.pathname + location.search);
  } else {
    secret = store.get('secret');
  }

  // ---- talking to the loopback ---------------------------------------------

  async function post(path, msg) {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [P.header]: secret },
      body: JSON.stringify(Object.assign({ state: state }, msg)),
      cache: 'no-store',
      credentials: 'same-origin',
      referrerPolicy: 'no-referrer',
    });
    let reply = null;
    try { reply = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const err = new Error((reply && reply.error) || ('HTTP ' + res.status));
      err.status = res.status;
      throw err;
    }
    return reply;
  }

  // report posts one step's final Event. A 409 means the step was already
  // reported (the page was reloaded): that is fine.
  async function report(step, status, start, end, fields, detail) {
    show(step, status, detail);
    const ev = Object.assign({ step: step, status: status, start: start, end: end }, fields || {});
    try {
      await post(P.pathEvent, ev);
    } catch (e) {
      if (e.status !== 409) throw e;
    }
  }

  // ---- ClerkJS ---------------------------------------------------------------

  // loadClerk injects the ClerkJS script the publishable key names (the same
  // tag Clerk's quickstart writes, data-clerk-publishable-key included) so
  // that a load failure is seen here, with its own timeout.
  function loadClerk() {
    return new Promise((resolve, reject) => {
      if (window.Clerk) { resolve(window.Clerk); return; }
      const url = cfg.clerkJsUrl;
      const s = document.createElement('script');
      s.type = 'text/javascript';
      s.async = true;
      s.setAttribute('data-clerk-publishable-key', cfg.publishableKey);
      const timer = setTimeout(() => reject(new Error('ClerkJS did not load within ' + CLERK_LOAD_TIMEOUT_MS / 1000 + ' s from ' + url + '.')), CLERK_LOAD_TIMEOUT_MS);
      s.addEventListener('load', () => {
        clearTimeout(timer);
        if (window.Clerk) resolve(window.Clerk);
        else reject(new Error('ClerkJS loaded from ' + url + ' but did not create window.Clerk.'));
      });
      s.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new Error('ClerkJS could not be loaded from ' + url + ' (unreachable, blocked or not found). Check the publishable key and that this browser can reach the Frontend API.'));
      });
      s.src = url;
      document.head.appendChild(s);
    });
  }

  function withTimeout(promise, ms, what, why) {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what + ' did not finish within ' + ms / 1000 + ' s' + (why ? ': ' + why : '') + '.')), ms); }),
    ]).finally(() => clearTimeout(timer));
  }

  // loadProblem says why a load() that resolved cannot be trusted, or ''.
  // ClerkJS resolves load() even when the Frontend API failed: its status
  // is then "degraded" (no environment, so no sign-in page) or "error".
  function loadProblem(clerk) {
    if (clerk.loaded === false) return 'Clerk.load() finished but ClerkJS did not load; the browser console has its reason.';
    const status = clerk.status === undefined ? 'ready' : String(clerk.status);
    if (status === 'ready') return '';
    return 'ClerkJS loaded with status "' + status + '": the Frontend API at ' + cfg.clerkJsUrl.replace(/\/npm\/.*$/, '') +
      ' did not answer its environment or client request (the browser console and Network tab show the answers), so ClerkJS knows no sign-in page and no session.';
  }

  // signInProblem checks the sign-in URL ClerkJS built: it must be a page of
  // another origin (the Account Portal), never this page itself, which is
  // what ClerkJS builds when it has no environment.
  function signInProblem(signInUrl) {
    let u;
    try { u = new URL(signInUrl); } catch (e) { return 'ClerkJS built no usable sign-in URL (' + JSON.stringify(signInUrl) + ').'; }
    if (u.origin === location.origin) {
      return 'ClerkJS gave this page itself (' + u.origin + ') as the sign-in page: the Frontend API\'s environment names no sign-in page, so the redirect would come straight back here.';
    }
    return '';
  }

  function instanceType(clerk) {
    if (clerk.instanceType) return String(clerk.instanceType);
    return cfg.publishableKey.startsWith('pk_live_') ? P.instance.production : P.instance.development;
  }

  // The sign-in URL as reported: the dev-browser value is a credential of
  // this browser, so it is replaced before the URL leaves the page.
  function redactDevBrowser(u) {
    try {
      const x = new URL(u);
      if (x.searchParams.has(P.paramDevBrowser)) x.searchParams.set(P.paramDevBrowser, 'redacted');
      return x.toString();
    } catch (e) {
      return u;
    }
  }

  function sessionClaims(clerk) {
    const t = clerk.session && clerk.session.lastActiveToken;
    return (t && t.jwt && t.jwt.claims) || null;
  }

  // Clerk's error, as Clerk sent it: the raw body when the object carries one,
  // else the parsed errors ClerkAPIResponseError keeps.
  function errorBody(e) {
    if (!e) return '';
    if (typeof e.body === 'string') return e.body;
    if (e.body && typeof e.body === 'object') return JSON.stringify(e.body);
    if (Array.isArray(e.errors)) {
      // ClerkJS keeps the parsed errors in camelCase; put them back in the
      // Frontend API's wire shape (ClerkErrors, flow/clerk/SPEC.md "Error
      // bodies").
      const body = {
        errors: e.errors.map((x) => ({ message: x.message, long_message: x.longMessage, code: x.code, meta: x.meta })),
      };
      if (e.clerkTraceId) body.clerk_trace_id = e.clerkTraceId;
      return JSON.stringify(body);
    }
    return '';
  }

  // fetchAccessToken is ConvexProviderWithClerk's fetchAccessToken
  // (flow/clerk/SPEC.md "The two token paths"): the session token when the
  // session claims' aud is "convex", else the "convex" template; an
  // exception gives null. What it swallows (status, body, message) is
  // reported alongside. getToken is bounded by cfg.tokenTimeoutMs.
  async function fetchAccessToken(clerk, round, skipCache) {
    const claims = sessionClaims(clerk);
    const aud = claims ? claims.aud : undefined;
    const useSession = aud === P.audienceConvex;
    const options = useSession ? { skipCache: skipCache } : { template: P.templateConvex, skipCache: skipCache };
    const r = {
      round: round,
      path: useSession ? P.tokenPaths.session : P.tokenPaths.template,
      skipCache: skipCache,
      token: null,
    };
    if (!useSession) r.template = P.templateConvex;
    if (aud !== undefined) r.sessionAud = aud;
    r.start = now();
    try {
      r.token = (await withTimeout(clerk.session.getToken(options), cfg.tokenTimeoutMs, 'Clerk\'s session.getToken()',
        'ClerkJS retries 5xx answers and network errors from the Frontend API with back-off for minutes, so the Frontend API is failing or unreachable; the browser console and Network tab show its answers')) || null;
    } catch (e) {
      r.token = null;
      r.httpStatus = Number(e && e.status) || 0;
      r.body = errorBody(e);
      r.error = message(e);
    }
    r.end = now();
    return r;
  }

  async function postToken(r) {
    try {
      await post(P.pathToken, r);
    } catch (e) {
      if (e.status !== 409) throw e;
    }
  }

  function tokenDetail(r) {
    const ms = Math.round(r.end - r.start) + ' ms';
    if (r.token) return r.path + ' path, ' + r.token.length + ' bytes, ' + ms;
    return r.path + ' path: null' + (r.httpStatus ? ' (HTTP ' + r.httpStatus + ')' : '') + (r.error ? ': ' + r.error : '') + ', ' + ms;
  }

  // ---- steps 5–8 as the terminal has them ----------------------------------

  // showProgress lists steps 5–8 of the latest round as authscope reports
  // them (their text comes from tokens and servers: textContent only).
  function showProgress(cmd) {
    const label = cmd.round > 0 ? 'refresh #' + cmd.round + ': ' : '';
    let last = null;
    for (const st of cmd.steps || []) {
      if (!items[st.step]) continue;
      show(st.step, st.status, label + (st.error || st.summary || ''));
      last = st;
    }
    if (!last || last.step !== P.laterSteps.confirmed || last.status === 'running' || last.status === 'pending') {
      setStatus('authscope is checking the token (steps 6–8). ' + TERMINAL);
      return;
    }
    setStatus('Step 8: ' + (last.error || last.summary || last.status) + '. ' + TERMINAL);
  }

  // ---- refresh commands ----------------------------------------------------

  const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // leave tells authscope the tab is going away (closed, reloaded,
  // navigated): keepalive lets the request outlive the page. A reload
  // asks for work again at once, and authscope waits a moment for that.
  function leave() {
    try {
      fetch(P.pathLeave, {
        method: 'POST',
        keepalive: true,
        headers: { 'Content-Type': 'application/json', [P.header]: secret },
        body: JSON.stringify({ state: state }),
        cache: 'no-store',
        credentials: 'same-origin',
        referrerPolicy: 'no-referrer',
      }).catch(() => { /* the page is going: nothing to do */ });
    } catch (e) { /* the page is going: nothing to do */ }
  }

  async function serveCommands(clerk) {
    ui.keepOpen.hidden = false;
    window.addEventListener('pagehide', leave);
    let after = Number(store.get('after') || 0);
    let seen = 0;
    let failures = 0;
    let served = 0;
    for (;;) {
      let cmd;
      try {
        cmd = await post(P.pathCommand, { after: after, seen: seen });
        failures = 0;
      } catch (e) {
        if (e.status === 401 || e.status === 403) { fatal('authscope refused this page: ' + message(e)); return; }
        failures++;
        if (failures >= 3) {
          ui.keepOpen.hidden = true;
          setStatus('authscope has stopped (its loopback no longer answers). You can close this tab.');
          return;
        }
        await delay(1000 * failures); // back off before asking again
        continue;
      }
      if (!cmd || cmd.kind === P.commands.close) {
        ui.keepOpen.hidden = true;
        setStatus('authscope is done. You can close this tab.');
        return;
      }
      if (cmd.kind === P.commands.progress) {
        seen = Math.max(seen, Number(cmd.version) || 0);
        showProgress(cmd);
        continue;
      }
      if (cmd.kind === P.commands.wait || cmd.kind !== P.commands.refresh) continue;
      setStatus('Fetching a fresh token for refresh #' + cmd.round + '…');
      show('token', 'running', 'refresh #' + cmd.round);
      for (const id of [P.laterSteps.send, P.laterSteps.jwks, P.laterSteps.confirmed]) show(id, 'pending', '');
      const r = await fetchAccessToken(clerk, cmd.round, !!cmd.skipCache);
      await postToken(r);
      // Stored once answered: a reload while fetching asks for this round again.
      after = Math.max(after, cmd.round);
      store.set('after', after);
      served++;
      ui.refreshes.textContent = 'Refresh #' + cmd.round + ': ' + tokenDetail(r) + ' (' + served + ' served by this page).';
      setStatus(afterToken(r));
    }
  }

  // afterToken is the status once a token was posted: never "signed in"
  // over a null token.
  function afterToken(r) {
    if (!r.token) {
      return 'ConvexProviderWithClerk got no token (null), so the Convex client stays signed out. ' + TERMINAL;
    }
    return 'Token sent to authscope: the backend checks it now (steps 6–8). ' + TERMINAL;
  }

  // ---- the run ---------------------------------------------------------------

  // signInTime rounds as authscope does in the terminal: to a tenth of a
  // second under a minute, else to the second.
  function signInTime(ms) {
    return ms < 60000 ? (Math.round(ms / 100) / 10) + ' s' : Math.round(ms / 1000) + ' s';
  }

  // current is the step under way, which an unexpected exception fails.
  let current = P.steps.click;
  let currentStart = scriptStart;
  function enter(step) { current = step; currentStart = now(); }

  async function main() {
    if (!secret || !state) {
      fatal('This page was opened without its secret or state. Open the complete link authscope printed in the terminal, including the part after "#".');
      return;
    }
    const firstVisit = !store.get('clicked');
    const redirectedAt = Number(store.get('redirectedAt') || 0);
    if (!firstVisit) show(P.steps.click, P.status.ok, 'earlier in this tab');
    if (redirectedAt) show(P.steps.redirect, P.status.ok, 'earlier in this tab, before the sign-in page');

    // Step 1: the landing page loaded.
    if (firstVisit) {
      await report(P.steps.click, P.status.ok, performance.timeOrigin, scriptStart, {
        pageUrl: location.origin + location.pathname,
        userAgent: navigator.userAgent,
      }, 'loaded in ' + Math.round(scriptStart - performance.timeOrigin) + ' ms');
      store.set('clicked', '1');
    }

    // ClerkJS: a failure here is step 2 on the way out, step 3 on return.
    const failStep = redirectedAt ? P.steps.return : P.steps.redirect;
    enter(failStep);
    const loadStart = now();
    let clerk;
    show(redirectedAt ? P.steps.provider : P.steps.redirect, 'running', 'loading ClerkJS from ' + cfg.clerkJsUrl);
    try {
      setStatus('Loading ClerkJS from ' + cfg.clerkJsUrl + '…');
      clerk = await loadClerk();
      await withTimeout(clerk.load({ telemetry: false }), CLERK_INIT_TIMEOUT_MS, 'Clerk.load()');
      const problem = loadProblem(clerk);
      if (problem) throw new Error(problem);
    } catch (e) {
      const text = message(e);
      fatal(text);
      await report(failStep, P.status.fail, loadStart, now(), { error: text, instanceType: cfg.publishableKey.startsWith('pk_live_') ? P.instance.production : P.instance.development }, text);
      return;
    }
    const loadEnd = now();
    const signedIn = clerk.isSignedIn === undefined ? !!clerk.session : !!clerk.isSignedIn && !!clerk.session;

    if (!signedIn) {
      if (redirectedAt) {
        const text = 'Back from the sign-in page, but ClerkJS has no session' + (handoff ? '' : ' and the URL carried no dev browser token (' + P.paramDevBrowser + ')') + '. Sign in again from the terminal.';
        fatal(text);
        await report(P.steps.return, P.status.fail, redirectedAt, scriptStart, { error: text, handoff: handoff }, text);
        return;
      }
      // Step 2: no session, off to the sign-in page.
      const redirectUrl = location.href;
      const signInUrl = typeof clerk.buildSignInUrl === 'function' ? redactDevBrowser(String(clerk.buildSignInUrl({ redirectUrl: redirectUrl }))) : '';
      const wrong = signInProblem(signInUrl);
      if (wrong) {
        fatal(wrong);
        await report(P.steps.redirect, P.status.fail, loadStart, now(), { error: wrong, signInUrl: signInUrl, instanceType: instanceType(clerk), clerkVersion: String(clerk.version || '') }, wrong);
        return;
      }
      const leaving = now();
      store.set('redirectedAt', leaving);
      await report(P.steps.redirect, P.status.ok, loadStart, leaving, {
        signInUrl: signInUrl,
        instanceType: instanceType(clerk),
        clerkVersion: String(clerk.version || ''),
      }, signInUrl);
      setStatus('Redirecting to the sign-in page…');
      await clerk.redirectToSignIn({ redirectUrl: redirectUrl });
      return;
    }

    if (redirectedAt) {
      // Step 3: back with the handoff; the time the user spent signing in.
      await report(P.steps.return, P.status.ok, redirectedAt, scriptStart, { handoff: handoff },
        'signed in for ' + signInTime(scriptStart - redirectedAt) + (handoff ? ', with the dev browser token' : ''));
    } else if (firstVisit) {
      const why = 'already signed in: ClerkJS found a session in this browser';
      await report(P.steps.redirect, P.status.skipped, loadStart, loadEnd, { instanceType: instanceType(clerk), clerkVersion: String(clerk.version || ''), error: why }, why);
      await report(P.steps.return, P.status.skipped, loadEnd, loadEnd, { error: why }, why);
    }

    // Step 4: ClerkProvider knows the user.
    enter(P.steps.provider);
    const claims = sessionClaims(clerk);
    const provider = {
      userId: String((clerk.user && clerk.user.id) || ''),
      sessionId: String((clerk.session && clerk.session.id) || ''),
    };
    if (claims && claims.aud !== undefined) provider.sessionAud = claims.aud;
    await report(P.steps.provider, P.status.ok, loadStart, loadEnd, provider,
      provider.userId + ', session ' + provider.sessionId + ', aud ' + (claims && claims.aud !== undefined ? JSON.stringify(claims.aud) : 'not set'));

    // Step 5: the first token, as the Convex client's first fetch asks for it.
    setStatus('Fetching a token as ConvexProviderWithClerk does…');
    show('token', 'running', '');
    current = null; // step 5 reports through the token report
    const r = await fetchAccessToken(clerk, 0, false);
    show('token', r.token ? P.status.ok : P.status.fail, tokenDetail(r));
    await postToken(r);

    setStatus(afterToken(r));
    await serveCommands(clerk);
  }

  main().catch(async (e) => {
    const text = 'The page stopped: ' + message(e);
    fatal(text);
    if (!current) return;
    try {
      await report(current, P.status.fail, currentStart, now(), { error: text }, text);
    } catch (_) { /* the loopback is gone: nothing more to tell */ }
  });
})();
