// Package kernel is the small vocabulary every service shares: who acts
// (Actor and the global roles), the clock, pages and their cursors, the
// rules every text meets, what moderation's intake is told of new writing,
// and the errors any service may answer with. It imports nothing of
// Hearth's but apperr, so every service can stand on it side by side, none
// on another.
package kernel

import "time"

// Now is the services' clock: UTC, to the microsecond both stores keep.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
