// Package memo is a small bounded memo table for values that are keyed by
// everything they depend on (a shop's data version included), so an entry is
// never stale and needs no invalidation: old keys just age out, oldest first.
package memo

import "sync"

// Cache memoises values by key; safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	m        map[K]V
	order    []K
	max      int
	inflight map[K]*call[V]
}

// call is a computation under way that later callers of its key wait for.
type call[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// New returns a cache holding at most max entries.
func New[K comparable, V any](max int) *Cache[K, V] {
	return &Cache[K, V]{m: make(map[K]V, max), max: max, inflight: map[K]*call[V]{}}
}

// Get returns the value of k, computing and keeping it on a miss; errors are
// not kept. Callers missing the same key together share one computation:
// the first computes, the others wait for it (a queue page on a big shop
// takes seconds to compute; sixteen at once would take sixteen times longer).
func (c *Cache[K, V]) Get(k K, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.m[k]; ok {
		c.mu.Unlock()
		return v, nil
	}
	if cl, ok := c.inflight[k]; ok {
		c.mu.Unlock()
		<-cl.done
		return cl.v, cl.err
	}
	cl := &call[V]{done: make(chan struct{})}
	c.inflight[k] = cl
	c.mu.Unlock()

	cl.v, cl.err = compute()
	c.mu.Lock()
	delete(c.inflight, k)
	if cl.err == nil {
		if _, ok := c.m[k]; !ok {
			if len(c.order) >= c.max {
				delete(c.m, c.order[0])
				c.order = c.order[1:]
			}
			c.m[k] = cl.v
			c.order = append(c.order, k)
		}
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.v, cl.err
}

// Len is the number of entries kept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
