// A minimal Convex + Clerk React app, wired as Convex's Clerk guide says:
// ClerkProvider (prefetchUI={false}: no UI bundle is needed, the sign-in is
// a redirect) around ConvexProviderWithClerk with Clerk's useAuth, and a
// component that renders useConvexAuth(). cmd/authscope's
// TestRealConvexProviderWithClerk bundles it with esbuild and runs it in
// Chromium against authscope's dev instance and embedded backend.
//
// The root element's data attributes configure it: the publishable key, the
// backend URL, and the client code between Clerk and Convex for the
// scenarios that change it ("miswired": Convex never gets a token;
// "altered": one character of the token's signature is changed on its way).
import React, { useCallback, useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { ClerkProvider, useAuth, useClerk } from '@clerk/react';
import { ConvexReactClient, useConvexAuth } from 'convex/react';
import { ConvexProviderWithClerk } from 'convex/react-clerk';

const root = document.getElementById('root');
const cfg = root.dataset;
const convex = new ConvexReactClient(cfg.convexUrl, { skipConvexDeploymentUrlCheck: true });

// alter changes one character inside the signature, as the token-altered
// scenario's client does.
function alter(token) {
  if (!token) return token;
  const i = token.length - 8;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

// useAppAuth is Clerk's useAuth, or the scenario's client code around it.
function useAppAuth() {
  const auth = useAuth();
  const { getToken } = auth;
  const wrapped = useCallback(async (opts) => {
    if (cfg.client === 'miswired') return null;
    const t = await getToken(opts);
    return cfg.client === 'altered' ? alter(t) : t;
  }, [getToken]);
  return useMemo(() => (cfg.client ? { ...auth, getToken: wrapped } : auth), [auth, wrapped]);
}

function State() {
  const { isLoading, isAuthenticated } = useConvexAuth();
  const { isLoaded, isSignedIn } = useAuth();
  const clerk = useClerk();
  useEffect(() => {
    if (isLoaded && !isSignedIn) clerk.redirectToSignIn({ redirectUrl: window.location.href });
  }, [isLoaded, isSignedIn, clerk]);
  return (
    <pre id="state" data-is-loading={String(isLoading)} data-is-authenticated={String(isAuthenticated)}
      data-clerk-loaded={String(isLoaded)} data-signed-in={String(!!isSignedIn)}>
      {JSON.stringify({ isLoading, isAuthenticated, clerkLoaded: isLoaded, signedIn: !!isSignedIn })}
    </pre>
  );
}

createRoot(root).render(
  <ClerkProvider publishableKey={cfg.publishableKey} prefetchUI={false}>
    <ConvexProviderWithClerk client={convex} useAuth={useAppAuth}>
      <State />
    </ConvexProviderWithClerk>
  </ClerkProvider>,
);
