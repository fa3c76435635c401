// A minimal Convex + WorkOS AuthKit React app, wired as Convex's AuthKit
// guide says: AuthKitProvider from @workos-inc/authkit-react around
// ConvexProviderWithAuthKit from @convex-dev/workos (with AuthKit's
// useAuth), and a component that renders useConvexAuth().
// cmd/authscope's TestRealAuthKit bundles it with esbuild and runs it in
// Chromium against authscope's WorkOS-like API, behind its TLS front at
// api.workos.com (mapped by Chromium to the API's loopback port), and the
// embedded backend.
//
// The root element's data attributes configure it: the client ID and the
// backend URL.
import React, { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthKitProvider, useAuth } from '@workos-inc/authkit-react';
import { ConvexReactClient, useConvexAuth } from 'convex/react';
import { ConvexProviderWithAuthKit } from '@convex-dev/workos';

const root = document.getElementById('root');
const cfg = root.dataset;
// verbose: the client's debug log names the backend's message on every
// retry ("attempting to reauthenticate: <message>"), also when it gives
// up without its "Failed to authenticate" line.
const convex = new ConvexReactClient(cfg.convexUrl, { skipConvexDeploymentUrlCheck: true, verbose: true });

function State() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const authkit = useAuth();
  useEffect(() => {
    if (!authkit.isLoading && !authkit.user) authkit.signIn();
  }, [authkit.isLoading, authkit.user]);
  const state = { isLoading, isAuthenticated, providerLoaded: !authkit.isLoading, signedIn: !!authkit.user, providerError: '' };
  return <pre id="state">{JSON.stringify(state)}</pre>;
}

createRoot(root).render(
  <AuthKitProvider clientId={cfg.clientId} apiHostname={cfg.apiHostname}
    redirectUri={window.location.origin + window.location.pathname} devMode={true}>
    <ConvexProviderWithAuthKit client={convex} useAuth={useAuth}>
      <State />
    </ConvexProviderWithAuthKit>
  </AuthKitProvider>,
);
