import { AuthConfig } from "convex/server";
import { clerkProvider } from "./lib/providers";

export default {
  providers: [clerkProvider(process.env.CLERK_JWT_ISSUER_DOMAIN!)],
} satisfies AuthConfig;
