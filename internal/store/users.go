package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Roles of a sign-in.
const (
	RoleOwner = "owner"
	RoleAgent = "agent"
)

// ErrDuplicate is returned when a unique name is already taken.
var ErrDuplicate = errors.New("store: duplicate")

// User is a sign-in. AgentID links an agent login to the agent whose numbers
// it may see (0 = not linked yet); owners ignore it.
type User struct {
	ID           int64
	Username     string
	PasswordHash string
	Role         string
	AgentID      int64
	AgentName    string // of AgentID, for display
	ShopID       int64  // of AgentID's shop
	Active       bool
	CreatedAt    time.Time
	LastLoginAt  time.Time
	// SessionEpoch moves on with every password change, reset or
	// deactivation; a session signed in under another epoch has ended.
	SessionEpoch int64
}

const userSelect = `SELECT u.id, u.username, u.password_hash, u.role, COALESCE(u.agent_id, 0),
	COALESCE(a.name, ''), COALESCE(a.shop_id, 0), u.active, u.created_at, u.last_login_at, u.session_epoch
	FROM users u LEFT JOIN agents a ON a.id = u.agent_id`

func scanUser(r rowScanner) (*User, error) {
	var u User
	var created, last int64
	if err := r.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, &u.AgentID, &u.AgentName, &u.ShopID, &u.Active, &created, &last, &u.SessionEpoch); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	u.CreatedAt = time.UnixMilli(created)
	if last > 0 {
		u.LastLoginAt = time.UnixMilli(last)
	}
	return &u, nil
}

// CountUsers returns how many sign-ins exist (0 = first run).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// CreateUser adds a sign-in. The password must already be hashed.
func (s *Store) CreateUser(ctx context.Context, username, hash, role string, agentID int64) (*User, error) {
	username = strings.TrimSpace(username)
	if username == "" {
		return nil, errors.New("用户名不能为空")
	}
	if role != RoleOwner && role != RoleAgent {
		return nil, fmt.Errorf("未知角色 %q（应为 owner 或 agent）", role)
	}
	var agent any
	if agentID > 0 {
		agent = agentID
	}
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, agent_id, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`, username, hash, role, agent, time.Now().UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: create user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrDuplicate
	}
	id, _ := res.LastInsertId()
	return s.UserByID(ctx, id)
}

// UserByID returns a sign-in or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.read.QueryRowContext(ctx, userSelect+` WHERE u.id = ?`, id))
}

// UserByName returns a sign-in by username (case-insensitive) or ErrNotFound.
func (s *Store) UserByName(ctx context.Context, username string) (*User, error) {
	return scanUser(s.read.QueryRowContext(ctx, userSelect+` WHERE u.username = ?`, strings.TrimSpace(username)))
}

// Users lists every sign-in by username.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.read.QueryContext(ctx, userSelect+` ORDER BY u.role DESC, u.username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces a user's password hash and ends every session of the
// user (a reset is meant to lock out whoever knew the old password).
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	return s.updateUser(ctx, `UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?`, hash, id)
}

// ErrNotFirst refuses a first-run owner when a user exists already.
var ErrNotFirst = errors.New("店主账号已经创建，请直接登录")

// CreateFirstOwner creates the first owner, atomically: of several first-run
// forms sent at once, one creates the owner and the others get ErrNotFirst.
func (s *Store) CreateFirstOwner(ctx context.Context, username, hash string) (*User, error) {
	username = strings.TrimSpace(username)
	res, err := s.write.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, created_at)
		SELECT ?, ?, 'owner', ? WHERE NOT EXISTS (SELECT 1 FROM users)`, username, hash, time.Now().UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: create first owner: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNotFirst
	}
	id, _ := res.LastInsertId()
	return s.UserByID(ctx, id)
}

// SetUserActive activates or deactivates a sign-in. The last active owner
// cannot be deactivated: nobody could manage the shop any more.
func (s *Store) SetUserActive(ctx context.Context, id int64, active bool) error {
	if !active {
		var owners int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'owner' AND active AND id != ?`, id).Scan(&owners); err != nil {
			return err
		}
		var role string
		if err := s.read.QueryRowContext(ctx, `SELECT role FROM users WHERE id = ?`, id).Scan(&role); err != nil {
			return ErrNotFound
		}
		if role == RoleOwner && owners == 0 {
			return errors.New("不能停用最后一个店主账号")
		}
	}
	return s.updateUser(ctx, `UPDATE users SET active = ?, session_epoch = session_epoch + 1 WHERE id = ?`, active, id)
}

// LinkUserAgent links an agent login to an agent (0 unlinks).
func (s *Store) LinkUserAgent(ctx context.Context, id, agentID int64) error {
	var agent any
	if agentID > 0 {
		agent = agentID
	}
	return s.updateUser(ctx, `UPDATE users SET agent_id = ? WHERE id = ?`, agent, id)
}

// TouchLogin records a successful sign-in.
func (s *Store) TouchLogin(ctx context.Context, id int64) error {
	return s.updateUser(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, time.Now().UnixMilli(), id)
}

func (s *Store) updateUser(ctx context.Context, q string, args ...any) error {
	res, err := s.write.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: update user: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
