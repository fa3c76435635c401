import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      domain: "https://brave-otter-12.clerk.accounts.dev/",
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
