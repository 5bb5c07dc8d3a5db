package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/risk"
)

// RiskSlow is the category of a buyer-day that waited too often (回复慢).
const RiskSlow = "slow"

// SlowWaits is how many buyer messages of a buyer-day must wait over five
// minutes for a human reply (or never get one) to make it a slow item.
const SlowWaits = 3

// RiskCategories are the risk scan's categories in display order.
var RiskCategories = []string{risk.Abuse, risk.OffPlatform, risk.OverPromise, RiskSlow}

// RiskLabel is a risk category's Chinese name.
func RiskLabel(c string) string {
	if c == RiskSlow {
		return "回复慢"
	}
	return risk.Label(c)
}

// RiskRule names the platform rule an item of the category breaks (seed 000).
func RiskRule(c string) string {
	switch c {
	case risk.Abuse:
		return "拼多多规则：辱骂买家，全店商品下架 3 天（种子 000）"
	case risk.OffPlatform:
		return "平台禁止诱导站外交易（种子 000 的四个坑）"
	case risk.OverPromise:
		return "过度承诺做不到会引来投诉和差评（种子 000）"
	case RiskSlow:
		return "同一买家当天 3 次以上等待超过 5 分钟（种子 000：回复慢）"
	}
	return ""
}

// riskMatcher is the shop's matcher over the three agent-message lists.
func (s *Store) riskMatcher(ctx context.Context, shopID int64) (*risk.Matcher, error) {
	return s.matcherFor(ctx, shopID, risk.Abuse, risk.OffPlatform, risk.OverPromise)
}

// scanMessage is the risk scan of one agent message as the import writes
// it (its content is at hand): one pass of the shop's matcher, one item per
// category hit. A message the import changes had its items deleted first.
func (t *ImportTx) scanMessage(p *pendingMsg, id int64) error {
	if p.m.Role != kpi.RoleAgent {
		return nil
	}
	st := p.st
	if st.risk == nil {
		m, err := t.s.riskMatcher(t.ctx, st.shop.ID)
		if err != nil {
			return err
		}
		st.risk = m
	}
	hits := st.risk.Scan(p.m.Content)
	if len(hits) == 0 {
		return nil
	}
	w, err := t.riskWriter()
	if err != nil {
		return err
	}
	agent, _ := p.args[5].(int64)
	return w.write(st, id, p.buyer, agent, int64(p.m.SentAt), hits)
}

// scanRisks is the import and recompute step of the risk scan that needs
// the response facts: the slow buyer-days of every buyer whose messages
// changed are rebuilt (the message items were written with the messages).
// A recompute (full) rescans every agent message too: merges and the time
// zone change an item's agent and day.
func (t *ImportTx) scanRisks(st *shopState) error {
	if len(st.msgBuyers) == 0 {
		return nil
	}
	w, err := t.riskWriter()
	if err != nil {
		return err
	}
	if st.full {
		m, err := t.s.riskMatcher(t.ctx, st.shop.ID)
		if err != nil {
			return err
		}
		if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM risk_items WHERE shop_id = ?`, st.shop.ID); err != nil {
			return fmt.Errorf("store: risk scan: %w", err)
		}
		if err := w.scanMessages(t.tx, m, st, `SELECT id, buyer_id, COALESCE(agent_id, 0), sent_at, content FROM messages WHERE shop_id = ? AND role = ?`,
			st.shop.ID, int64(kpi.RoleAgent)); err != nil {
			return err
		}
	} else if _, err := t.tx.ExecContext(t.ctx, `DELETE FROM risk_items WHERE shop_id = ? AND category = ? AND buyer_id IN (SELECT buyer_id FROM temp.affected WHERE msgs = 1)`,
		st.shop.ID, RiskSlow); err != nil {
		return fmt.Errorf("store: risk scan: %w", err)
	}
	return w.slowDays(t.tx, st, `SELECT buyer_id FROM temp.affected WHERE msgs = 1`)
}

// riskWriter inserts risk items through one prepared statement.
type riskWriter struct {
	ins *sql.Stmt
	ctx context.Context
}

func (t *ImportTx) riskWriter() (*riskWriter, error) {
	ins, err := t.prepared(`INSERT INTO risk_items (shop_id, item_key, category, words, agent_id, buyer_id, message_id, sent_at, day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	return &riskWriter{ins: ins, ctx: t.ctx}, nil
}

// queryer is a transaction or the database.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanMessages matches every message the query returns (id, buyer, agent,
// sent_at, content) and writes one item per category hit.
func (w *riskWriter) scanMessages(q queryer, m *risk.Matcher, st *shopState, query string, args ...any) error {
	rows, err := q.QueryContext(w.ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: risk scan: %w", err)
	}
	type item struct {
		id, buyer, agent, at int64
		hits                 []risk.Hit
	}
	var found []item
	for rows.Next() {
		var it item
		var content string
		if err := rows.Scan(&it.id, &it.buyer, &it.agent, &it.at, &content); err != nil {
			rows.Close()
			return err
		}
		if it.hits = m.Scan(content); len(it.hits) > 0 {
			found = append(found, it)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: risk scan: %w", err)
	}
	for _, it := range found {
		if err := w.write(st, it.id, it.buyer, it.agent, it.at, it.hits); err != nil {
			return err
		}
	}
	return nil
}

// write inserts one item per category hit of a message.
func (w *riskWriter) write(st *shopState, id, buyer, agent, at int64, hits []risk.Hit) error {
	agent = st.canonical(agent)
	day := st.clock.DayOf(kpi.Millis(at))
	for _, h := range hits {
		key := "m:" + strconv.FormatInt(id, 10) + ":" + h.Category
		if _, err := w.ins.ExecContext(w.ctx, st.shop.ID, key, h.Category, strings.Join(h.Words, "、"), agent, buyer, id, at, int64(day)); err != nil {
			return fmt.Errorf("store: risk item: %w", err)
		}
	}
	return nil
}

// slowDays writes a slow item for each buyer-day of the buyers selected by
// who with SlowWaits or more buyer messages (in the service window) waiting
// over five minutes, credited to the agent with most of them, timed at the
// day's first buyer message.
func (w *riskWriter) slowDays(q queryer, st *shopState, who string) error {
	rows, err := q.QueryContext(w.ctx, `SELECT buyer_id, day, agent_id, SUM(msgs - within_5m) AS slow FROM resp_facts
		WHERE shop_id = ? AND buyer_id IN (`+who+`) GROUP BY buyer_id, day, agent_id`, st.shop.ID)
	if err != nil {
		return fmt.Errorf("store: slow days: %w", err)
	}
	type bd struct{ buyer, day int64 }
	type tally struct{ total, best, agent int64 }
	days := map[bd]*tally{}
	var order []bd
	for rows.Next() {
		var k bd
		var agent, n int64
		if err := rows.Scan(&k.buyer, &k.day, &agent, &n); err != nil {
			rows.Close()
			return err
		}
		tl := days[k]
		if tl == nil {
			tl = &tally{agent: -1}
			days[k] = tl
			order = append(order, k)
		}
		tl.total += n
		if n > tl.best || n == tl.best && n > 0 && agent != 0 && (tl.agent == 0 || agent < tl.agent) {
			tl.best, tl.agent = n, agent
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: slow days: %w", err)
	}
	for _, k := range order {
		tl := days[k]
		if tl.total < SlowWaits {
			continue
		}
		start, end := st.clock.StartOf(kpi.Day(k.day)), st.clock.StartOf(kpi.Day(k.day+1))
		var first sql.NullInt64
		if err := q.QueryRowContext(w.ctx, `SELECT min(sent_at) FROM messages WHERE shop_id = ? AND buyer_id = ? AND role = ? AND sent_at >= ? AND sent_at < ?`,
			st.shop.ID, k.buyer, int64(kpi.RoleBuyer), int64(start), int64(end)).Scan(&first); err != nil {
			return fmt.Errorf("store: slow day: %w", err)
		}
		at := int64(start)
		if first.Valid {
			at = first.Int64
		}
		key := "s:" + strconv.FormatInt(k.buyer, 10) + ":" + strconv.FormatInt(k.day, 10)
		if _, err := w.ins.ExecContext(w.ctx, st.shop.ID, key, RiskSlow, strconv.FormatInt(tl.total, 10), max(tl.agent, 0), k.buyer, nil, at, k.day); err != nil {
			return fmt.Errorf("store: slow item: %w", err)
		}
	}
	return nil
}

// RiskItem is one hit of the risk scan.
type RiskItem struct {
	ID        int64
	Key       string
	Category  string
	Words     []string // slow: none (Count says how many waits)
	Count     int      // slow: buyer messages that waited over five minutes
	AgentID   int64
	Agent     string
	BuyerID   int64
	Buyer     string
	MessageID int64
	SentAt    kpi.Millis
	Day       kpi.Day
	Content   string // the message (slow: empty)
	Status    string // "", confirmed, false_positive
	MarkedBy  string
}

// RiskFilter narrows the risk queue.
type RiskFilter struct {
	AgentID  int64  // 0 = every agent
	Category string // "" = every category
	ItemID   int64  // just this item
	Newest   int    // only the newest n items, newest first (0 = all, oldest first)
}

// Risks lists a shop's risk items with a day in [from, to], by sent_at.
func (s *Store) Risks(ctx context.Context, shop *Shop, from, to kpi.Day, f RiskFilter) ([]RiskItem, error) {
	q := `SELECT r.id, r.item_key, r.category, r.words, r.agent_id, COALESCE(a.name, ''), r.buyer_id, b.name, COALESCE(r.message_id, 0),
		r.sent_at, r.day, COALESCE(m.content, ''), COALESCE(k.status, ''), COALESCE(k.by_user, '')
		FROM risk_items r JOIN buyers b ON b.id = r.buyer_id LEFT JOIN agents a ON a.id = r.agent_id
		LEFT JOIN messages m ON m.id = r.message_id LEFT JOIN risk_marks k ON k.shop_id = r.shop_id AND k.item_key = r.item_key
		WHERE r.shop_id = ? AND r.day BETWEEN ? AND ?`
	args := []any{shop.ID, int64(from), int64(to)}
	if f.AgentID != 0 {
		q += ` AND r.agent_id = ?`
		args = append(args, f.AgentID)
	}
	if f.Category != "" {
		q += ` AND r.category = ?`
		args = append(args, f.Category)
	}
	if f.ItemID != 0 {
		q += ` AND r.id = ?`
		args = append(args, f.ItemID)
	}
	if f.Newest > 0 {
		q += ` ORDER BY r.sent_at DESC, r.id DESC LIMIT ?`
		args = append(args, f.Newest)
	} else {
		q += ` ORDER BY r.sent_at, r.id, r.category`
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: risks: %w", err)
	}
	defer rows.Close()
	var out []RiskItem
	for rows.Next() {
		var it RiskItem
		var words string
		var at, day int64
		if err := rows.Scan(&it.ID, &it.Key, &it.Category, &words, &it.AgentID, &it.Agent, &it.BuyerID, &it.Buyer, &it.MessageID,
			&at, &day, &it.Content, &it.Status, &it.MarkedBy); err != nil {
			return nil, err
		}
		it.SentAt, it.Day = kpi.Millis(at), kpi.Day(day)
		if it.Category == RiskSlow {
			it.Count, _ = strconv.Atoi(words)
		} else if words != "" {
			it.Words = strings.Split(words, "、")
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Risk marks.
const (
	RiskConfirmed     = "confirmed"
	RiskFalsePositive = "false_positive"
)

// MarkRisk records the owner's decision on an item ("" clears it).
func (s *Store) MarkRisk(ctx context.Context, shopID int64, itemKey, status, by, note string) error {
	defer s.workGen.Add(1)
	if status == "" {
		_, err := s.write.ExecContext(ctx, `DELETE FROM risk_marks WHERE shop_id = ? AND item_key = ?`, shopID, itemKey)
		return err
	}
	if status != RiskConfirmed && status != RiskFalsePositive {
		return fmt.Errorf("store: risk mark %q", status)
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO risk_marks (shop_id, item_key, status, by_user, at, note) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (shop_id, item_key) DO UPDATE SET status = excluded.status, by_user = excluded.by_user, at = excluded.at, note = excluded.note`,
		shopID, itemKey, status, by, time.Now().UnixMilli(), note)
	return err
}

// RescanRisks re-matches every agent message of a shop after a word-list
// edit (slow items do not depend on words and stay). Marks are kept: they
// are keyed by message and category.
func (s *Store) RescanRisks(ctx context.Context, shop *Shop) error {
	m, err := s.riskMatcher(ctx, shop.ID)
	if err != nil {
		return err
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := newTx(ctx, s, tx)
	defer func() {
		for _, st := range t.stmts {
			st.Close()
		}
		tx.Rollback()
	}()
	st := newShopState(shop)
	if st.canon, err = loadMerges(ctx, tx, shop.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM risk_items WHERE shop_id = ? AND category <> ?`, shop.ID, RiskSlow); err != nil {
		return fmt.Errorf("store: rescan: %w", err)
	}
	w, err := t.riskWriter()
	if err != nil {
		return err
	}
	if err := w.scanMessages(tx, m, st, `SELECT id, buyer_id, COALESCE(agent_id, 0), sent_at, content FROM messages WHERE shop_id = ? AND role = ?`,
		shop.ID, int64(kpi.RoleAgent)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE shops SET data_version = data_version + 1 WHERE id = ?`, shop.ID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return s.RefreshAlerts(ctx, shop.Name) // the abuse and off-platform rules count the items
}

// HasChats reports whether a shop has any chat message (without chats the
// risk queue cannot say there are no risks).
func (s *Store) HasChats(ctx context.Context, shopID int64) (bool, error) {
	var one int
	err := s.read.QueryRowContext(ctx, `SELECT 1 FROM messages WHERE shop_id = ? LIMIT 1`, shopID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// RiskCounts are a period's risk items per agent and category. Items change
// only with the shop's data (imports, recomputes and word lists move its
// version), so the counts are cached under that version; the league table
// reads them on every request.
func (s *Store) RiskCounts(ctx context.Context, shop *Shop, from, to kpi.Day) (map[int64]map[string]int, error) {
	v, err := s.cache.Get(cacheKey{"riskcounts", shop.ID, shop.DataVersion, from, to, 0}, func() (any, error) {
		return s.riskCounts(ctx, shop, from, to)
	})
	if err != nil {
		return nil, err
	}
	cached := v.(map[int64]map[string]int)
	out := make(map[int64]map[string]int, len(cached))
	for a, byCat := range cached {
		out[a] = maps.Clone(byCat)
	}
	return out, nil
}

func (s *Store) riskCounts(ctx context.Context, shop *Shop, from, to kpi.Day) (map[int64]map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT agent_id, category, count(*) FROM risk_items WHERE shop_id = ? AND day BETWEEN ? AND ? GROUP BY agent_id, category`,
		shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: risk counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[string]int{}
	for rows.Next() {
		var a int64
		var c string
		var n int
		if err := rows.Scan(&a, &c, &n); err != nil {
			return nil, err
		}
		if out[a] == nil {
			out[a] = map[string]int{}
		}
		out[a][c] = n
	}
	return out, rows.Err()
}

// RiskCategoryCounts are the items of a period by category (agentID ≠ 0:
// that agent's).
func (s *Store) RiskCategoryCounts(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) (map[string]int, error) {
	q := `SELECT category, count(*) FROM risk_items WHERE shop_id = ? AND day BETWEEN ? AND ?`
	args := []any{shop.ID, int64(from), int64(to)}
	if agentID != 0 {
		q += ` AND agent_id = ?`
		args = append(args, agentID)
	}
	rows, err := s.read.QueryContext(ctx, q+` GROUP BY category`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: risk counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, rows.Err()
}

// RiskContexts are the conversations around items (ContextMs either side of
// each), in one query: item id → its messages in message order.
func (s *Store) RiskContexts(ctx context.Context, shopID int64, items []RiskItem) (map[int64][]ChatMsg, error) {
	out := map[int64][]ChatMsg{}
	if len(items) == 0 {
		return out, nil
	}
	ids := make([]any, 0, len(items)+2)
	ids = append(ids, ContextMs, shopID)
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, m.id, m.sent_at, m.role, COALESCE(m.agent_id, 0), COALESCE(a.name, ''), m.content
		FROM risk_items r JOIN messages m ON m.shop_id = r.shop_id AND m.buyer_id = r.buyer_id AND m.sent_at BETWEEN r.sent_at - ?1 AND r.sent_at + ?1
		LEFT JOIN agents a ON a.id = m.agent_id
		WHERE r.shop_id = ?2 AND r.id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(items)), ", ")+`)
		ORDER BY r.id, m.sent_at, m.id`, ids...)
	if err != nil {
		return nil, fmt.Errorf("store: risk contexts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var item int64
		var c ChatMsg
		var role int64
		if err := rows.Scan(&item, &c.ID, &c.At, &role, &c.AgentID, &c.Agent, &c.Content); err != nil {
			return nil, err
		}
		c.Role = kpi.Role(role)
		out[item] = append(out[item], c)
	}
	return out, rows.Err()
}
