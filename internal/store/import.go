package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/risk"
)

// Counts says what an import did with the rows of a file.
type Counts struct {
	Added, Updated, Unchanged, Rejected int64
}

// Reject is a row the importer could not accept, kept so the user can download,
// fix and re-import it.
type Reject struct {
	Row    int
	Column string
	Value  string
	Reason string
	Raw    []string
}

// ImportMeta describes the file being imported.
type ImportMeta struct {
	FileName string
	Kind     kpi.Kind
	Encoding string
	Header   []string
}

// ImportResult is what a committed import did.
type ImportResult struct {
	RunID int64
	Shop  *Shop
	Counts
}

// ImportTx is one file's import: its rows, rejects and the recomputed metrics
// are committed together or not at all. Not safe for concurrent use.
type ImportTx struct {
	ctx    context.Context
	s      *Store
	tx     *sql.Tx
	meta   ImportMeta
	main   *shopState
	shops  map[string]*shopState
	runID  int64
	counts Counts
	stmts  map[string]*sql.Stmt
	// Queued messages (see messages.go).
	pending     []pendingMsg
	pendingKeys map[string]bool
	msgFull     string
}

// shopState is what the import tracks per shop it writes to (a messages file
// may name other shops in its shop column).
type shopState struct {
	shop   *Shop
	clock  kpi.Clock
	buyers map[string]int64
	agents map[string]int64
	// Buyers whose facts must be recomputed: msgBuyers had messages change
	// (response facts too), affected had messages or orders change (buyer-days
	// and order credits), reviewBuyers had reviews change (DSR cap ranks).
	msgBuyers, affected, reviewBuyers map[int64]struct{}
	dirty                             [numFamilies]map[kpi.Day]struct{}
	// Customer records to rebuild (records.go) beyond msgBuyers and
	// reviewBuyers: buyers of changed orders, refunds, complaints and member
	// rows, and the orders of changed refunds.
	orderBuyers, refundBuyers, complaintBuyers, memberBuyers map[int64]struct{}
	recordOrders                                             map[string]struct{}
	// canon maps a merged agent to the agent it is merged into (merge.go).
	canon map[int64]int64
	// risk is the shop's risk matcher, built at the first agent message;
	// full marks a recompute (every derived row is rebuilt).
	risk *risk.Matcher
	full bool
}

func newShopState(sh *Shop) *shopState {
	st := &shopState{shop: sh, clock: kpi.Clock{Loc: sh.loc}, buyers: map[string]int64{}, agents: map[string]int64{},
		msgBuyers: map[int64]struct{}{}, affected: map[int64]struct{}{}, reviewBuyers: map[int64]struct{}{},
		orderBuyers: map[int64]struct{}{}, refundBuyers: map[int64]struct{}{}, complaintBuyers: map[int64]struct{}{},
		memberBuyers: map[int64]struct{}{}, recordOrders: map[string]struct{}{}}
	for f := range st.dirty {
		st.dirty[f] = map[kpi.Day]struct{}{}
	}
	return st
}

// BeginImport starts importing one file into the named shop, creating the
// shop (with set) on first use — inside the transaction, so a failed import
// leaves no empty shop behind.
func (s *Store) BeginImport(ctx context.Context, shopName string, set ShopSettings, meta ImportMeta) (*ImportTx, error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		if busy(err) {
			return nil, ErrBusy
		}
		return nil, fmt.Errorf("store: begin import: %w", err)
	}
	t := newTx(ctx, s, tx)
	t.meta = meta
	if t.main, err = t.shopState(shopName, set); err != nil {
		tx.Rollback()
		return nil, err
	}
	header, _ := json.Marshal(meta.Header)
	res, err := tx.ExecContext(ctx, `INSERT INTO import_runs (shop_id, file_name, kind, encoding, header, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.main.shop.ID, meta.FileName, string(meta.Kind), meta.Encoding, string(header), time.Now().UnixMilli())
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("store: record import: %w", err)
	}
	t.runID, _ = res.LastInsertId()
	return t, nil
}

func newTx(ctx context.Context, s *Store, tx *sql.Tx) *ImportTx {
	return &ImportTx{ctx: ctx, s: s, tx: tx, shops: map[string]*shopState{}, stmts: map[string]*sql.Stmt{},
		pendingKeys: map[string]bool{}, msgFull: msgInsertSQL(msgBatch)}
}

func (t *ImportTx) shopState(name string, set ShopSettings) (*shopState, error) {
	name = kpi.NormalizeName(name)
	if st, ok := t.shops[name]; ok {
		return st, nil
	}
	sh, err := ensureShop(t.ctx, t.tx, name, set)
	if err != nil {
		return nil, err
	}
	st := newShopState(sh)
	if st.canon, err = loadMerges(t.ctx, t.tx, sh.ID); err != nil {
		return nil, err
	}
	t.shops[name] = st
	return st, nil
}

// shopFor is the shop a row belongs to: its own shop column, else the import's.
// A shop named in the data is created like the import's shop.
func (t *ImportTx) shopFor(name string) (*shopState, error) {
	if name = kpi.NormalizeName(name); name == "" || name == t.main.shop.Name {
		return t.main, nil
	}
	return t.shopState(name, ShopSettings{Platform: t.main.shop.Platform, TZ: t.main.shop.TZ})
}

// Rollback abandons the import: the database is left exactly as before.
func (t *ImportTx) Rollback() error {
	for _, st := range t.stmts {
		st.Close()
	}
	return t.tx.Rollback()
}

// Reject records a rejected row.
func (t *ImportTx) Reject(r Reject) error {
	raw, _ := json.Marshal(r.Raw)
	if _, err := t.exec(`INSERT OR REPLACE INTO import_rejects (import_id, row, col, value, reason, raw) VALUES (?, ?, ?, ?, ?, ?)`,
		t.runID, r.Row, r.Column, r.Value, r.Reason, string(raw)); err != nil {
		return fmt.Errorf("store: record rejected row %d: %w", r.Row, err)
	}
	t.counts.Rejected++
	return nil
}

// Commit recomputes the facts and aggregates of every buyer and day the file
// touched, records the run and commits it all in one transaction.
func (t *ImportTx) Commit() (ImportResult, error) {
	defer func() {
		for _, st := range t.stmts {
			st.Close()
		}
	}()
	if err := t.flushMessages(); err != nil {
		t.tx.Rollback()
		return ImportResult{}, err
	}
	for _, st := range t.shops {
		if err := t.recompute(st); err != nil {
			t.tx.Rollback()
			return ImportResult{}, err
		}
	}
	c := t.counts
	if _, err := t.tx.ExecContext(t.ctx, `UPDATE import_runs SET finished_at = ?, rows_added = ?, rows_updated = ?, rows_unchanged = ?, rows_rejected = ? WHERE id = ?`,
		time.Now().UnixMilli(), c.Added, c.Updated, c.Unchanged, c.Rejected, t.runID); err != nil {
		t.tx.Rollback()
		return ImportResult{}, fmt.Errorf("store: finish import: %w", err)
	}
	if err := t.tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("store: commit import: %w", err)
	}
	return ImportResult{RunID: t.runID, Shop: t.main.shop, Counts: c}, nil
}

// prepared prepares a statement once per import.
func (t *ImportTx) prepared(query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(t.ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	return st, nil
}

func (t *ImportTx) exec(query string, args ...any) (sql.Result, error) {
	st, err := t.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(t.ctx, args...)
}

// errRow lets queryRow report a prepare error through Scan.
type errRow struct{ err error }

func (e errRow) Scan(...any) error { return e.err }

func (t *ImportTx) queryRow(query string, args ...any) rowScanner {
	st, err := t.prepared(query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(t.ctx, args...)
}

// id interns a name (buyer or agent) per shop, caching what this import saw.
func (t *ImportTx) id(table string, cache map[string]int64, shopID int64, name string) (int64, error) {
	if id, ok := cache[name]; ok {
		return id, nil
	}
	var id int64
	err := t.queryRow(`SELECT id FROM `+table+` WHERE shop_id = ? AND name = ?`, shopID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var res sql.Result
		res, err = t.exec(`INSERT INTO `+table+` (shop_id, name) VALUES (?, ?)`, shopID, name)
		if err == nil {
			id, err = res.LastInsertId()
		}
	}
	if err != nil {
		return 0, fmt.Errorf("store: %s %q: %w", table, name, err)
	}
	cache[name] = id
	return id, nil
}

func add(set map[int64]struct{}, ids ...int64) {
	for _, id := range ids {
		if id != 0 {
			set[id] = struct{}{}
		}
	}
}

// mark marks the local day of an instant dirty for a family (0 = absent).
func (st *shopState) mark(f family, ms kpi.Millis) {
	if ms != 0 {
		st.dirty[f][st.clock.DayOf(ms)] = struct{}{}
	}
}

// markDay marks a stored day column dirty for a family (NULL = none).
func (st *shopState) markDay(f family, d sql.NullInt64) {
	if d.Valid {
		st.dirty[f][kpi.Day(d.Int64)] = struct{}{}
	}
}

// ErrBusy: another process (a server's import, another command) holds the
// database's write lock longer than the busy timeout. Nothing was written;
// try again when it is done.
var ErrBusy = errors.New("数据库正被另一个导入占用（可能是网页上正在进行的导入），这个文件没有写入任何数据：请等它完成后再试")

// busy reports SQLite's "database is locked".
func busy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}
