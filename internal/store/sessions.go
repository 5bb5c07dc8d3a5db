package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SessionStore keeps scs sessions in the same SQLite file. It is written here
// rather than using scs/sqlite3store so that lookups, which happen on every
// page, go through the read pool and are never queued behind an import
// holding the single write connection.
type SessionStore struct{ s *Store }

// Sessions returns the scs store over this database.
func (s *Store) Sessions() *SessionStore { return &SessionStore{s} }

// Find returns the data of an unexpired session.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := ss.s.read.QueryRow(`SELECT data FROM sessions WHERE token = ? AND expiry > ?`, token, time.Now().UnixMilli()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// Commit saves a session.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	_, err := ss.s.write.Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UnixMilli())
	return err
}

// Delete removes a session.
func (ss *SessionStore) Delete(token string) error {
	_, err := ss.s.write.Exec(`DELETE FROM sessions WHERE token = ?`, token)
	return err
}

// DeleteExpired removes expired sessions; the server calls it hourly.
func (ss *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := ss.s.write.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= ?`, time.Now().UnixMilli())
	return err
}

// Setting reads a JSON setting ("" when unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting writes a JSON setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
