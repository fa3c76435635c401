import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      type: "customJwt",
      applicationID: "my-app",
      issuer: "https://auth.acme.dev",
      jwks: process.env.ACME_JWKS!,
      algorithm: "RS256",
    },
  ],
} satisfies AuthConfig;
