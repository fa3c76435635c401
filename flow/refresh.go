package flow

import "github.com/authscope/authscope/flow/clerk"

// ClerkBackgroundRefresh is how long before exp ClerkJS's token cache
// refreshes a token in the background (SPEC.md: Token cache): its
// threshold of 15 s plus a lead time of 2 s, so that the new token is
// there before the old one enters the threshold. The Convex client's own
// refetch schedule is diagnose.RefetchDelay.
const ClerkBackgroundRefresh = clerk.BackgroundRefreshThreshold + clerk.RefreshLeadTime
