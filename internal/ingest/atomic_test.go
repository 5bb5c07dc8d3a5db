package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/demo"
)

func mustDate(s string) time.Time {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// TestKilledImportChangesNothing: an import that fails or is cancelled half way
// leaves the database exactly as it was — same rows, same report.
func TestKilledImportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 10, Agents: 3, Seed: 5, ChatsPerAgentDay: 30, End: mustDate("2026-10-31")})
	if err != nil {
		t.Fatal(err)
	}
	half := m.Messages / 2
	cases := []struct {
		name string
		opt  func(o *Options, cancel context.CancelFunc)
		want error
	}{
		{"injected failure", func(o *Options, _ context.CancelFunc) { o.FailAfter = half }, ErrInjected},
		{"cancelled", func(o *Options, cancel context.CancelFunc) {
			o.Progress = func(read, total int64) {
				if read < total {
					cancel()
				}
			}
		}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openStore(t)
			for _, f := range goldenFiles {
				mustImport(t, s, filepath.Join(goldenDir, f), goldenOpts())
			}
			before := fingerprint(t, path)
			report := reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-04")

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := goldenOpts()
			tc.opt(&opt, cancel)
			_, err := File(ctx, s, filepath.Join(dir, "messages.csv"), opt)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got error %v, want %v", err, tc.want)
			}
			sameFingerprint(t, before, fingerprint(t, path))
			if got := reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-04"); got != report {
				t.Errorf("report changed:\n%s\n%s", report, got)
			}
			// And the same file imports fine afterwards.
			res := mustImport(t, s, filepath.Join(dir, "messages.csv"), goldenOpts())
			if res.Added == 0 {
				t.Error("nothing added on retry")
			}
		})
	}
}
