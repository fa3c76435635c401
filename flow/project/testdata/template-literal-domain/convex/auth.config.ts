import { AuthConfig } from "convex/server";

export default {
  providers: [
    {
      domain: `https://${process.env.CLERK_HOST}`,
      applicationID: "convex",
    },
  ],
} satisfies AuthConfig;
