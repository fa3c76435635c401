import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      domain: process.env.OIDC_ISSUER!,
      applicationID: "my-app",
    },
  ],
} satisfies AuthConfig;
