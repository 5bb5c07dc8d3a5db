package ingest

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// TestGolden is the contract: importing the hand-checked fixture through the
// real importer and reporting its period gives exactly expected.json.
func TestGolden(t *testing.T) {
	s, _ := openStore(t)
	for _, f := range goldenFiles {
		res := mustImport(t, s, filepath.Join(goldenDir, f), goldenOpts())
		if res.Rejected != 0 {
			t.Errorf("%s: %d rows rejected", f, res.Rejected)
		}
	}
	var want struct{ Shop, From, To string }
	wantRaw := readFile(t, filepath.Join(goldenDir, "expected.json"))
	json.Unmarshal(wantRaw, &want)
	got := reportJSON(t, s, want.Shop, want.From, want.To)
	compareJSON(t, []byte(got), wantRaw)
}

func compareJSON(t testing.TB, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	diff(t, "", g, w)
}

// diff compares decoded JSON; numbers within 1e-9, every key both ways.
func diff(t testing.TB, path string, g, w any) {
	t.Helper()
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			t.Errorf("%s: got %v, want an object", path, g)
			return
		}
		for k := range wv {
			if _, ok := gv[k]; !ok {
				t.Errorf("%s.%s: missing", path, k)
				continue
			}
			diff(t, path+"."+k, gv[k], wv[k])
		}
		for k, v := range gv {
			if _, ok := wv[k]; !ok && !laterAddition(k, v) {
				t.Errorf("%s.%s: unexpected key", path, k)
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			t.Errorf("%s: got %v, want %d items", path, g, len(wv))
			return
		}
		for i := range wv {
			diff(t, path+"["+strconv.Itoa(i)+"]", gv[i], wv[i])
		}
	case float64:
		gv, ok := g.(float64)
		if !ok || math.Abs(gv-wv) > 1e-9 {
			t.Errorf("%s: got %v, want %v", path, g, wv)
		}
	default:
		if g != w {
			t.Errorf("%s: got %v, want %v", path, g, w)
		}
	}
}

// laterAddition reports a key the report gained after the fixture was
// written, with the value it must have on data without platform reports: the
// platform-only metrics (always null here) and the "sources" objects.
func laterAddition(key string, v any) bool {
	if key == "sources" {
		_, ok := v.(map[string]any)
		return ok
	}
	m, ok := kpi.MetricByKey(key)
	return ok && m.PlatformOnly() && v == nil
}
