package flow

import "time"

// ClerkBackgroundRefresh is how long before exp ClerkJS's token cache
// refreshes a token in the background: BACKGROUND_REFRESH_THRESHOLD_IN_SECONDS
// in github.com/clerk/javascript packages/clerk-js/src/core/tokenCache.ts.
// The Convex client's own refetch schedule is diagnose.RefetchDelay.
const ClerkBackgroundRefresh = 15 * time.Second
