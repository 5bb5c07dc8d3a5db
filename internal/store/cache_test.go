package store

import (
	"errors"
	"testing"
)

func TestReadCache(t *testing.T) {
	c := newReadCache(2)
	calls := 0
	get := func(version int64) any {
		v, err := c.get(cacheKey{what: "sums", shop: 1, version: version}, func() (any, error) { calls++; return version * 10, nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get(1) != int64(10) || get(1) != int64(10) || calls != 1 {
		t.Fatalf("hit: calls %d", calls)
	}
	// A new data version misses: an import is seen at once.
	if get(2) != int64(20) || calls != 2 {
		t.Fatalf("new version: calls %d", calls)
	}
	get(3) // evicts version 1, the oldest
	if get(1); calls != 4 {
		t.Errorf("evicted entry not recomputed: calls %d", calls)
	}
	boom := errors.New("boom")
	if _, err := c.get(cacheKey{what: "x"}, func() (any, error) { return nil, boom }); err != boom {
		t.Errorf("error %v", err)
	}
	if _, ok := c.m[cacheKey{what: "x"}]; ok {
		t.Error("error result cached")
	}
}
