import { StrictMode, useCallback, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { AuthProvider, useAuth } from "react-oidc-context";
import { ConvexProviderWithAuth, ConvexReactClient } from "convex/react";
import App from "./App.tsx";

const convex = new ConvexReactClient(import.meta.env.VITE_CONVEX_URL as string);

function useAuthFromOidc() {
  const auth = useAuth();
  const fetchAccessToken = useCallback(
    async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
      const user = forceRefreshToken ? await auth.signinSilent() : auth.user;
      return user?.id_token ?? null;
    },
    [auth],
  );
  return useMemo(
    () => ({ isLoading: auth.isLoading, isAuthenticated: auth.isAuthenticated, fetchAccessToken }),
    [auth.isLoading, auth.isAuthenticated, fetchAccessToken],
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AuthProvider authority={import.meta.env.VITE_OIDC_AUTHORITY} client_id="my-app" redirect_uri={window.location.origin}>
      <ConvexProviderWithAuth client={convex} useAuth={useAuthFromOidc}>
        <App />
      </ConvexProviderWithAuth>
    </AuthProvider>
  </StrictMode>,
);
