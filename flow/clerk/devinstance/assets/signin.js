// Sign-in page of authscope's demo instance: what the Account Portal does
// for a development instance, reduced to "click a demo user".
//
// 1. ClerkJS sends the return address in the hash (#/?redirect_url=…); a
//    server never sees a hash, so move it into the query and reload: the
//    server checks it and renders it into data-redirect-url.
// 2. On a click: use the dev browser handed over in ?__clerk_db_jwt= (or
//    create one), sign in with POST /v1/client/sign_ins, and go back to the
//    checked address with __clerk_db_jwt added (the dev-browser handoff).
//
// clerk.AutoSignIn (flow/clerk/autosignin.go) does the same steps in Go;
// keep the two in step.
(() => {
  'use strict';

  const API_VERSION = '2026-08-20';         // clerk.APIVersion
  const DEV_BROWSER_KEY = '__clerk_db_jwt'; // clerk.DevBrowserParam
  const REDIRECT_KEY = 'redirect_url';      // clerk.RedirectURLParam
  const STRATEGY = 'demo_user';             // clerk.DemoSignInStrategy

  const main = document.getElementById('signin');
  if (!main) return;
  const status = document.getElementById('status');
  const params = new URLSearchParams(location.search);

  // Step 1: hash → query.
  if (!params.has(REDIRECT_KEY)) {
    const hash = location.hash.replace(/^#/, '');
    const q = hash.indexOf('?');
    const redirect = q >= 0 ? new URLSearchParams(hash.slice(q + 1)).get(REDIRECT_KEY) : null;
    if (redirect) {
      params.set(REDIRECT_KEY, redirect);
      location.replace(location.pathname + '?' + params.toString());
      return;
    }
  }

  const redirectUrl = main.dataset.redirectUrl || '';
  let devBrowser = params.get(DEV_BROWSER_KEY) || '';

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }

  function apiUrl(path) {
    const u = new URL(path, location.origin);
    u.searchParams.set('__clerk_api_version', API_VERSION);
    if (devBrowser) u.searchParams.set(DEV_BROWSER_KEY, devBrowser);
    return u.href;
  }

  async function post(path, form) {
    const res = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form || {}).toString(),
    });
    let body = null;
    try { body = await res.json(); } catch (_) { /* not JSON */ }
    return { res, body };
  }

  function errorText(res, body) {
    const e = body && Array.isArray(body.errors) && body.errors[0];
    return e ? (e.long_message || e.message) + ' (' + e.code + ')' : 'HTTP ' + res.status;
  }

  async function ensureDevBrowser() {
    if (devBrowser) return;
    const { res, body } = await post('/v1/dev_browser');
    if (!res.ok || !body || !body.id) throw new Error('creating a dev browser failed: ' + errorText(res, body));
    devBrowser = body.id;
  }

  async function signIn(userId) {
    await ensureDevBrowser();
    let { res, body } = await post('/v1/client/sign_ins', { strategy: STRATEGY, identifier: userId });
    if (res.status === 401) {
      // The handed-over dev browser is unknown (an old run): start afresh,
      // as ClerkJS does on dev_browser_unauthenticated.
      devBrowser = '';
      await ensureDevBrowser();
      ({ res, body } = await post('/v1/client/sign_ins', { strategy: STRATEGY, identifier: userId }));
    }
    if (!res.ok) throw new Error(errorText(res, body));
    return body;
  }

  function setBusy(busy) {
    for (const b of main.querySelectorAll('button[data-user-id]')) b.disabled = busy;
  }

  main.addEventListener('click', async (ev) => {
    const button = ev.target.closest('button[data-user-id]');
    if (!button) return;
    setBusy(true);
    say('Signing in…');
    try {
      const body = await signIn(button.dataset.userId);
      if (!redirectUrl) {
        say('Signed in (session ' + ((body.response && body.response.created_session_id) || '?') + '). You can close this tab.');
        return;
      }
      const back = new URL(redirectUrl);
      if (back.protocol !== 'http:' && back.protocol !== 'https:') throw new Error('refusing to return to ' + back.protocol);
      back.searchParams.set(DEV_BROWSER_KEY, devBrowser);
      say('Signed in, returning…');
      location.assign(back.href);
    } catch (e) {
      say('Sign-in failed: ' + e.message, true);
      setBusy(false);
    }
  });
})();
