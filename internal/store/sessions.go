package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// SessionStore keeps scs sessions in a SQLite file of their own beside the
// database (kefuboard-sessions.db next to kefuboard.db): a signed-in page
// writes its session on every request (scs extends the idle timeout), and in
// the main file that write queued behind an import holding the single write
// connection for minutes. Apart, pages answer while imports run, and the
// backup of the main file holds no session token. The file is opened on
// first use, so commands other than serve never create it.
type SessionStore struct {
	path string
	once sync.Once
	db   *sql.DB
	err  error
}

// Sessions returns the scs store of this database's sessions file.
func (s *Store) Sessions() *SessionStore {
	s.sessOnce.Do(func() { s.sess = &SessionStore{path: sessionsPath(s.path)} })
	return s.sess
}

// sessionsPath is the sessions file beside the database file.
func sessionsPath(db string) string {
	if strings.HasSuffix(db, ".db") {
		return strings.TrimSuffix(db, ".db") + "-sessions.db"
	}
	return db + "-sessions"
}

func (ss *SessionStore) open() (*sql.DB, error) {
	ss.once.Do(func() {
		db, err := sql.Open("sqlite", dsn(ss.path, true))
		if err != nil {
			ss.err = err
			return
		}
		db.SetMaxOpenConns(1) // one writer; session rows are tiny
		if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, data BLOB NOT NULL, expiry INTEGER NOT NULL) WITHOUT ROWID;
			CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expiry)`); err != nil {
			db.Close()
			ss.err = fmt.Errorf("store: sessions file %s: %w", ss.path, err)
			return
		}
		ss.db = db
	})
	return ss.db, ss.err
}

// Find returns the data of an unexpired session.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	db, err := ss.open()
	if err != nil {
		return nil, false, err
	}
	var b []byte
	err = db.QueryRow(`SELECT data FROM sessions WHERE token = ? AND expiry > ?`, token, time.Now().UnixMilli()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// Commit saves a session.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	db, err := ss.open()
	if err != nil {
		return err
	}
	_, err = db.Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UnixMilli())
	return err
}

// Delete removes a session.
func (ss *SessionStore) Delete(token string) error {
	db, err := ss.open()
	if err != nil {
		return err
	}
	_, err = db.Exec(`DELETE FROM sessions WHERE token = ?`, token)
	return err
}

// DeleteExpired removes expired sessions; the server calls it hourly.
func (ss *SessionStore) DeleteExpired(ctx context.Context) error {
	db, err := ss.open()
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= ?`, time.Now().UnixMilli())
	return err
}

// Count is how many session rows there are (tests, the security notes).
func (ss *SessionStore) Count(ctx context.Context) (int, error) {
	db, err := ss.open()
	if err != nil {
		return 0, err
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n)
	return n, err
}

func (ss *SessionStore) close() error {
	if ss == nil || ss.db == nil {
		return nil
	}
	return ss.db.Close()
}

// Setting reads a JSON setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	return getSetting(ctx, s.read, key)
}

// SetSetting writes a JSON setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return putSetting(ctx, s.write, key, value)
}

// getSetting reads a setting through q (a transaction sees its own
// writes); "" when unset.
func getSetting(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// putSetting writes a setting through q.
func putSetting(ctx context.Context, q querier, key, value string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
