// Shared with the team's other Convex projects.

/** The provider of Clerk's Convex integration for one Clerk instance. */
export function clerkProvider(issuer: string) {
  return {
    domain: issuer.replace(/\/+$/, ""),
    applicationID: "convex",
  } as const;
}
