import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      domain: "acme-dev.eu.auth0.com",
      // The API's Identifier from the Auth0 dashboard.
      applicationID: "https://api.acme.dev",
    },
  ],
} satisfies AuthConfig;
