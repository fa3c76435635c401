import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      type: "customJwt",
      issuer: "https://brave-otter-12.clerk.accounts.dev",
      jwks: "https://brave-otter-12.clerk.accounts.dev/.well-known/jwks.json",
      algorithm: "RS256",
    },
    {
      domain: "https://brave-otter-12.clerk.accounts.dev",
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
