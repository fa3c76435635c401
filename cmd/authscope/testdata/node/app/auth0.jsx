// A minimal Convex + Auth0 React app, wired as Convex's Auth0 guide says:
// Auth0Provider (refresh tokens, localStorage cache) around
// ConvexProviderWithAuth0, and a component that renders useConvexAuth().
// cmd/authscope's TestRealConvexProviderWithAuth0 bundles it with esbuild
// and runs it in Chromium against authscope's Auth0-like tenant (behind a
// TLS front at a mapped host) and the embedded backend.
//
// The root element's data attributes configure it: the tenant's domain and
// client ID, the backend URL, the API audience to ask for, and the app's
// own client code for the scenario that changes it ("access-token": a
// useAuth hook that hands Convex the access token instead of the ID token).
import React, { useCallback, useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { Auth0Provider, useAuth0 } from '@auth0/auth0-react';
import { ConvexProviderWithAuth, ConvexReactClient, useConvexAuth } from 'convex/react';
import { ConvexProviderWithAuth0 } from 'convex/react-auth0';

const root = document.getElementById('root');
const cfg = root.dataset;
// verbose: the client's debug log names the backend's message on every
// retry ("attempting to reauthenticate: <message>"), also when it gives
// up without its "Failed to authenticate" line.
const convex = new ConvexReactClient(cfg.convexUrl, { skipConvexDeploymentUrlCheck: true, verbose: true });

// useAuthSendingAccessToken is ConvexProviderWithAuth0's hook with one
// change, the mistake the scenario shows: it returns access_token.
function useAuthSendingAccessToken() {
  const { isLoading, isAuthenticated, getAccessTokenSilently } = useAuth0();
  const fetchAccessToken = useCallback(async ({ forceRefreshToken }) => {
    try {
      const response = await getAccessTokenSilently({ detailedResponse: true, cacheMode: forceRefreshToken ? 'off' : 'on' });
      return response.access_token;
    } catch {
      return null;
    }
  }, [getAccessTokenSilently]);
  return useMemo(() => ({ isLoading, isAuthenticated, fetchAccessToken }), [isLoading, isAuthenticated, fetchAccessToken]);
}

function State() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const auth0 = useAuth0();
  useEffect(() => {
    if (!auth0.isLoading && !auth0.isAuthenticated && !auth0.error) auth0.loginWithRedirect();
  }, [auth0.isLoading, auth0.isAuthenticated, auth0.error]);
  const state = { isLoading, isAuthenticated, providerLoaded: !auth0.isLoading, signedIn: auth0.isAuthenticated,
    providerError: auth0.error ? String(auth0.error.message || auth0.error) : '' };
  return <pre id="state">{JSON.stringify(state)}</pre>;
}

function Convex({ children }) {
  if (cfg.client === 'access-token') {
    return <ConvexProviderWithAuth client={convex} useAuth={useAuthSendingAccessToken}>{children}</ConvexProviderWithAuth>;
  }
  return <ConvexProviderWithAuth0 client={convex}>{children}</ConvexProviderWithAuth0>;
}

const authorizationParams = { redirect_uri: window.location.origin + window.location.pathname };
if (cfg.audience) authorizationParams.audience = cfg.audience;

createRoot(root).render(
  <Auth0Provider domain={cfg.domain} clientId={cfg.clientId} authorizationParams={authorizationParams}
    useRefreshTokens={true} cacheLocation="localstorage">
    <Convex><State /></Convex>
  </Auth0Provider>,
);
