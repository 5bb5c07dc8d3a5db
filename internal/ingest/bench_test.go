package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/demo"
	"github.com/kefuboard/kefuboard/internal/store"
)

// BenchmarkImportDemo imports a demo shop's exports into a fresh database per
// iteration and reports messages per second (the figure docs/PERFORMANCE.md
// tracks; the full 1M-message run is scripts/perf.sh).
func BenchmarkImportDemo(b *testing.B) {
	dir := b.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 30, Agents: 6, Seed: 1, ChatsPerAgentDay: 40, End: mustDate("2026-10-31")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "k.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, f := range m.Files {
			if _, err := File(context.Background(), s, filepath.Join(dir, filepath.Base(f)), Options{Shop: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(m.Messages)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkImportMessages imports one demo messages file (~200k rows) into a
// fresh database per iteration: the hot path of every import.
func BenchmarkImportMessages(b *testing.B) {
	dir := b.TempDir()
	m, err := demo.Generate(demo.Config{Dir: dir, Days: 60, Agents: 10, Seed: 1, ChatsPerAgentDay: 40, End: mustDate("2026-10-31")})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "k.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := File(context.Background(), s, filepath.Join(dir, "messages.csv"), Options{Shop: "bench"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(m.Messages)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
