import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      type: "customJwt",
      issuer: "https://brave-otter-12.clerk.accounts.dev",
      // Bust caches so the backend always sees the newest keys.
      jwks: `https://brave-otter-12.clerk.accounts.dev/.well-known/jwks.json?t=${Date.now()}`,
      algorithm: "RS256",
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
