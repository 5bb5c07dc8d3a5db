package memo

import (
	"errors"
	"sync"
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	c := New[int, int](2)
	calls := 0
	get := func(k int) int {
		v, err := c.Get(k, func() (int, error) { calls++; return k * 10, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get(1) != 10 || get(1) != 10 || calls != 1 {
		t.Fatalf("hit: calls %d", calls)
	}
	if get(2) != 20 || calls != 2 {
		t.Fatalf("miss: calls %d", calls)
	}
	get(3) // evicts 1, the oldest
	if get(1); calls != 4 || c.Len() != 2 {
		t.Errorf("evicted entry not recomputed: calls %d len %d", calls, c.Len())
	}
	boom := errors.New("boom")
	if _, err := c.Get(9, func() (int, error) { return 0, boom }); err != boom {
		t.Errorf("error %v", err)
	}
	if _, err := c.Get(9, func() (int, error) { return 90, nil }); err != nil || c.Len() != 2 {
		t.Error("error result was kept")
	}
}

// Callers missing one key together share one computation.
func TestCacheSharesAComputation(t *testing.T) {
	c := New[int, int](4)
	var mu sync.Mutex
	calls := 0
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Get(1, func() (int, error) {
				mu.Lock()
				calls++
				mu.Unlock()
				<-release
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("got %d %v", v, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive
	close(release)
	wg.Wait()
	if calls != 1 {
		t.Errorf("%d computations for one key, want 1", calls)
	}
}
