package store

import "github.com/kefuboard/kefuboard/internal/kpi"

// cacheKey names one period read of the pages (Sums, Daily, Hourly). It holds
// the shop's data version, which every import and recompute bumps in the same
// transaction, so a cached value is never stale: after an import the next
// read misses. Callers get copies, never the cached value.
type cacheKey struct {
	what     string
	shop     int64
	version  int64
	from, to kpi.Day
	agent    int64
}
