package store

import (
	"sync"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// readCache keeps the results of the period reads pages make (Sums, Daily,
// Hourly). A key holds the shop's data version, which every import and
// recompute bumps in the same transaction, so an entry can never be stale:
// after an import the next read simply misses. Entries of old versions age
// out in insertion order. Callers get copies, never the cached value.
type readCache struct {
	mu    sync.Mutex
	m     map[cacheKey]any
	order []cacheKey
	max   int
}

type cacheKey struct {
	what     string
	shop     int64
	version  int64
	from, to kpi.Day
	agent    int64
}

func newReadCache(max int) *readCache {
	return &readCache{m: make(map[cacheKey]any, max), max: max}
}

// get returns the cached value of k, computing and keeping it on a miss.
// Two requests missing together both compute; the result is the same.
func (c *readCache) get(k cacheKey, compute func() (any, error)) (any, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		if len(c.order) >= c.max {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
		c.m[k] = v
		c.order = append(c.order, k)
	}
	return v, nil
}
