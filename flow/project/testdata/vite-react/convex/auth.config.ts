const authConfig = {
  providers: [
    {
      // The Clerk Frontend API URL, set on the Convex dashboard:
      // npx convex env set CLERK_JWT_ISSUER_DOMAIN https://<your-instance>.clerk.accounts.dev
      domain: process.env.CLERK_JWT_ISSUER_DOMAIN!,
      applicationID: "convex",
    },
  ],
};

export default authConfig;
