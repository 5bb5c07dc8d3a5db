package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchInsert buffers rows and writes them with multi-row INSERTs: one
// statement per 100-odd rows costs far less than one per row in SQLite.
type batchInsert struct {
	ctx     context.Context
	tx      *sql.Tx
	head    string // INSERT INTO t (a, b, c) VALUES
	cols    int
	perStmt int
	args    []any
	full    *sql.Stmt
}

func newBatchInsert(ctx context.Context, tx *sql.Tx, table string, cols ...string) *batchInsert {
	per := 32000 / len(cols) // SQLite's default bound on variables is 32766
	if per > 200 {
		per = 200
	}
	return &batchInsert{ctx: ctx, tx: tx, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ",
		cols: len(cols), perStmt: per}
}

// orIgnore makes the inserts skip rows already there.
func (b *batchInsert) orIgnore() *batchInsert {
	b.head = strings.Replace(b.head, "INSERT INTO", "INSERT OR IGNORE INTO", 1)
	return b
}

func (b *batchInsert) query(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.cols), ", ") + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// add appends one row (len(vals) == number of columns).
func (b *batchInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) == b.cols*b.perStmt {
		if b.full == nil {
			st, err := b.tx.PrepareContext(b.ctx, b.query(b.perStmt))
			if err != nil {
				return fmt.Errorf("store: batch insert: %w", err)
			}
			b.full = st
		}
		if _, err := b.full.ExecContext(b.ctx, b.args...); err != nil {
			return fmt.Errorf("store: batch insert: %w", err)
		}
		b.args = b.args[:0]
	}
	return nil
}

// close writes what is buffered and releases the statement.
func (b *batchInsert) close() error {
	defer func() {
		if b.full != nil {
			b.full.Close()
		}
	}()
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(b.ctx, b.query(len(b.args)/b.cols), b.args...)
	b.args = b.args[:0]
	if err != nil {
		return fmt.Errorf("store: batch insert: %w", err)
	}
	return nil
}
