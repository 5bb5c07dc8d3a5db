// Package memo is a small bounded memo table for values that are keyed by
// everything they depend on (a shop's data version included), so an entry is
// never stale and needs no invalidation: old keys just age out, oldest first.
package memo

import "sync"

// Cache memoises values by key; safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	m     map[K]V
	order []K
	max   int
}

// New returns a cache holding at most max entries.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{m: make(map[K]V, max), max: max}
}

// Get returns the value of k, computing and keeping it on a miss; errors are
// not kept. Two callers missing together both compute (the value is the
// same), which is cheaper than making one wait on the other's lock.
func (c *Cache[K, V]) Get(k K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
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

// Len is the number of entries kept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
