// Package store keeps kefuboard's data in SQLite (modernc.org/sqlite, no cgo):
// the imported rows, the facts the metric engine derives from them, and the
// per-day aggregates the pages read. One write connection serialises imports;
// a pool of read connections serves pages while an import runs (WAL).
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"github.com/kefuboard/kefuboard/internal/memo"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is an open kefuboard database.
type Store struct {
	path  string
	write *sql.DB // exactly one connection: SQLite allows one writer
	read  *sql.DB
	cache *memo.Cache[cacheKey, any] // period reads of the pages, keyed by data version

	sessOnce sync.Once
	sess     *SessionStore // sessions, in a file of their own (sessions.go)

	// workGen moves with every write of the queues' work state in this
	// process (case steps and assignments, invitations and templates, risk
	// marks); imports move the data version. A page memoised under both is
	// never stale.
	workGen atomic.Int64
}

// WorkGen is the generation of the queues' work state (see workGen).
func (s *Store) WorkGen() int64 { return s.workGen.Load() }

// Open opens (creating if needed) the database at path and applies pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, write: w, cache: memo.New[cacheKey, any](512)}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s.read = r
	return s, nil
}

// BusyTimeout is how long a connection waits for another process's lock
// before SQLite gives up (tests shorten it).
var BusyTimeout = 10 * time.Second

// dsn sets the pragmas on every connection: busy_timeout first (so the others
// wait rather than fail), WAL so readers never block the writer, NORMAL sync
// (durable at checkpoints, safe against corruption), foreign keys on. The
// writer takes its lock at BEGIN (immediate) so it never fails mid-transaction.
func dsn(path string, writer bool) string {
	q := url.Values{}
	for _, p := range []string{
		fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()), "journal_mode(WAL)", "synchronous(NORMAL)",
		"foreign_keys(ON)", "cache_size(-16384)",
	} {
		q.Add("_pragma", p)
	}
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(ON)")
		// Page reads sort small results: keep them in memory. The writer
		// keeps SQLite's default (temporary files): the roll-ups GROUP BY a
		// whole import's facts, and an in-memory sorter made peak memory grow
		// with the file (5M messages: 321 MB in memory, 262 MB with files).
		q.Add("_pragma", "temp_store(MEMORY)")
		// Readers map the file (up to 1 GiB) instead of a read() per page:
		// a cold read of many rows (a command-line queue, the first page after
		// start) costs a quarter less (docs/PERFORMANCE.md, issue 10). The
		// mapped pages are the kernel's page cache, shared, not heap.
		q.Add("_pragma", "mmap_size(1073741824)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	if s.sess != nil {
		errs = append(errs, s.sess.close())
	}
	return errors.Join(errs...)
}

// migrate applies the embedded migrations/NNN_name.sql files not yet applied,
// each in its own transaction, recording them in schema_migrations.
//
// An up-to-date database is only read: opening it next to a process holding
// the write lock (a server's import) neither waits nor fails.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	applied := map[string]bool{}
	if rows, err := s.write.QueryContext(ctx, `SELECT name FROM schema_migrations`); err == nil {
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			applied[n] = true
		}
		rows.Close()
	}
	for _, name := range names {
		if applied[strings.TrimPrefix(name, "migrations/")] {
			continue
		}
		if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("store: migrations table: %w", err)
		}
		if err := s.applyMigration(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, name string) error {
	base := strings.TrimPrefix(name, "migrations/")
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("store: migration %s: %w", base, err)
	}
	if hook := migrationHooks[base]; hook != nil {
		if err := hook(ctx, s, tx); err != nil {
			return fmt.Errorf("store: migration %s: %w", base, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, unixepoch())`, base); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationHooks fill, in the migration's transaction, what SQL alone
// cannot derive for the rows already imported.
var migrationHooks = map[string]func(context.Context, *Store, *sql.Tx) error{
	"012_loyalty.sql": buildAllRecords,
}

// Ping checks the database answers (the health check).
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}

// DB is the write connection, for tests that need to reach under the API.
func (s *Store) DB() *sql.DB { return s.write }
