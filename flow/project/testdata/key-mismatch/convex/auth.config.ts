export default {
  providers: [
    {
      // Copied from the Clerk dashboard of the team's staging app.
      domain: "https://brave-otter-12.clerk.accounts.dev",
      applicationID: "convex",
    },
  ],
};
