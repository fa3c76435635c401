// A minimal Convex Auth React app, wired as Convex Auth's setup says:
// ConvexAuthProvider from @convex-dev/auth/react around the app, a sign-in
// with the Password provider (useAuthActions().signIn), and a component
// that renders useConvexAuth() from convex/react. cmd/authscope's
// TestRealConvexAuth bundles it with esbuild and runs it in Chromium
// against the embedded backend, which runs authscope's Convex Auth
// (auth:signIn over the sync socket and POST /api/action, the well-known
// routes at its site URL).
//
// The root element's data attributes configure it: the backend URL and
// the demo user's email address and password.
import React, { useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { ConvexReactClient, useConvexAuth } from 'convex/react';
import { ConvexAuthProvider, useAuthActions, useAuthToken } from '@convex-dev/auth/react';

const root = document.getElementById('root');
const cfg = root.dataset;
// verbose: the client's debug log names the backend's message on every
// retry ("attempting to reauthenticate: <message>"), also when it gives
// up without its "Failed to authenticate" line.
const convex = new ConvexReactClient(cfg.convexUrl, { skipConvexDeploymentUrlCheck: true, verbose: true });

function State() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const { signIn } = useAuthActions();
  const token = useAuthToken();
  const started = useRef(false);
  const [error, setError] = React.useState('');
  useEffect(() => {
    if (isLoading || token !== null || started.current) return;
    started.current = true;
    signIn('password', { email: cfg.email, password: cfg.password, flow: 'signIn' })
      .catch((e) => setError(String(e.message || e)));
  }, [isLoading, token, signIn]);
  const state = { isLoading, isAuthenticated, providerLoaded: true, signedIn: token !== null, providerError: error };
  return <pre id="state">{JSON.stringify(state)}</pre>;
}

createRoot(root).render(
  <ConvexAuthProvider client={convex}>
    <State />
  </ConvexAuthProvider>,
);
