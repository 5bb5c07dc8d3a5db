package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/queues"
)

// syncCases is the import and recompute step of the bad-review queue: it
// opens a case for every review now rated 1–3 that has none, and closes as
// modified every open case whose review a newer export rates ≥ 4. Nothing
// else of a case is touched: its state is what people add.
func (t *ImportTx) syncCases(st *shopState) error {
	ctx, shopID, now := t.ctx, st.shop.ID, time.Now().UnixMilli()
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO cases (shop_id, review_row, first_rating, opened_at, review_day, agent_id, buyer, review_at)
		SELECT r.shop_id, r.id, r.rating, ?, r.day, r.credited_agent_id, b.name, r.created_at FROM reviews r JOIN buyers b ON b.id = r.buyer_id
		WHERE r.shop_id = ? AND r.rating BETWEEN 1 AND ? AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.review_row = r.id)`,
		now, shopID, queues.MaxCaseRating); err != nil {
		return fmt.Errorf("store: open cases: %w", err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, by_user, kind)
		SELECT c.id, c.opened_at, '', 'opened' FROM cases c
		WHERE c.shop_id = ? AND c.opened_at = ? AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id)`, shopID, now); err != nil {
		return fmt.Errorf("store: open cases: %w", err)
	}
	// The derived columns follow the review (a time-zone change moves its
	// day, a new order credit its agent, a newer export its buyer).
	if _, err := t.tx.ExecContext(ctx, `UPDATE cases SET review_day = x.day, agent_id = x.agent, buyer = x.buyer, review_at = x.at
		FROM (SELECT r.id AS rid, r.day AS day, r.credited_agent_id AS agent, b.name AS buyer, r.created_at AS at
			FROM reviews r JOIN buyers b ON b.id = r.buyer_id WHERE r.shop_id = ?) AS x
		WHERE x.rid = cases.review_row AND cases.shop_id = ?
		AND (cases.review_day <> x.day OR cases.agent_id <> x.agent OR cases.buyer <> x.buyer OR cases.review_at <> x.at)`,
		shopID, shopID); err != nil {
		return fmt.Errorf("store: case days: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `UPDATE cases SET state = ?1, outcome = ?1, closed = 1, closed_by_data = 1, version = version + 1
		WHERE shop_id = ?2 AND closed = 0 AND review_row IN (SELECT id FROM reviews WHERE shop_id = ?2 AND rating > ?3)
		RETURNING id, (SELECT rating FROM reviews WHERE id = cases.review_row)`,
		queues.StateModified, shopID, queues.MaxCaseRating)
	if err != nil {
		return fmt.Errorf("store: close modified cases: %w", err)
	}
	type closedCase struct{ id, rating int64 }
	var closed []closedCase
	for rows.Next() {
		var c closedCase
		if err := rows.Scan(&c.id, &c.rating); err != nil {
			rows.Close()
			return err
		}
		closed = append(closed, c)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, c := range closed {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, by_user, kind, note) VALUES (?, ?, '', ?, ?)`,
			c.id, now, queues.StateModified, "新导入的评价为 "+strconv.FormatInt(c.rating, 10)+" 星：买家已改评，案件自动结案"); err != nil {
			return fmt.Errorf("store: close modified cases: %w", err)
		}
	}
	return nil
}

// caseWindowKey is the setting holding a platform's case window in days.
func caseWindowKey(platform string) string { return "case_window:" + platform }

// CaseWindow is the days a bad review of the platform can be modified and
// must be explained by (queues.DefaultCaseWindow unless set).
func (s *Store) CaseWindow(ctx context.Context, platform string) (int, error) {
	raw, err := s.Setting(ctx, caseWindowKey(platform))
	if err != nil || raw == "" {
		return queues.DefaultCaseWindow, err
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 365 {
		return queues.DefaultCaseWindow, nil
	}
	return n, nil
}

// SetCaseWindow sets a platform's case window (1–365 days; 0 = the
// default) and moves the data version of that platform's shops (their
// deadlines change).
func (s *Store) SetCaseWindow(ctx context.Context, platform string, days int) error {
	value := ""
	if days != 0 {
		if days < 1 || days > 365 {
			return fmt.Errorf("期限应为 1–365 天")
		}
		value = strconv.Itoa(days)
	}
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		if err := putSetting(ctx, tx, caseWindowKey(platform), value); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE shops SET data_version = data_version + 1 WHERE platform = ?`, platform)
		return err
	})
}

// Case is one bad-review case as the queue lists it.
type Case struct {
	ID              int64
	ReviewKey       string // review_id, else order_id|buyer|created_at (the natural key)
	ReviewID        string
	OrderID         string
	Buyer           string
	BuyerID         int64
	Rating          int
	FirstRating     int
	CreatedAt       kpi.Millis
	Content         string
	Product         string
	AgentID         int64 // the serving agent (the review's credited agent), 0 = none
	Agent           string
	AssignedID      int64
	Assigned        string
	Deadline        kpi.Day
	DaysLeft        int
	Urgency         string // "" when closed
	State           string
	Outcome         string // the last outcome recorded ("" = none yet); kept through explained and closed
	Closed          bool
	ByData          bool // closed by a newer export (modified)
	CompensationFen int64
	RetryDay        kpi.Day
	FirstContactAt  kpi.Millis // 0 = never contacted
	OpenedAt        kpi.Millis
	Version         int64
}

// CaseFilter narrows the queue; the zero value is every open case.
type CaseFilter struct {
	All     bool   // closed ones too (State "" only)
	State   string // "" open, "closed", or one workflow state
	Urgency string // overdue, due, open ("" = any)
	Rating  int    // 1–3 (0 = any)
	Product string // part of the product name
	AgentID int64  // served by or assigned to this agent (0 = anyone)
	CaseID  int64  // just this case
	// ReviewFrom..ReviewTo narrow to reviews of those days (0 = any).
	ReviewFrom, ReviewTo kpi.Day
	Limit, Offset        int // a page of the queue (Limit 0 = all)
}

// Cases lists a shop's cases on day asOf by (deadline, review time, id):
// filtered, ordered and paged by SQLite over the cases' own day column.
func (s *Store) Cases(ctx context.Context, shop *Shop, asOf kpi.Day, f CaseFilter) ([]Case, error) {
	window, err := s.CaseWindow(ctx, shop.Platform)
	if err != nil {
		return nil, err
	}
	where, args := caseWhere(shop, asOf, window, f)
	q := `SELECT c.id, r.review_id, r.order_id, c.buyer, r.buyer_id, r.rating, c.first_rating, r.created_at, r.content, r.product,
		c.agent_id, COALESCE(c.assigned_agent_id, 0), c.state, c.outcome, c.closed, c.closed_by_data, c.compensation_fen,
		COALESCE(c.retry_day, 0), COALESCE(c.first_contact_at, 0), c.opened_at, c.version, c.review_day
		FROM cases c JOIN reviews r ON r.id = c.review_row
		WHERE ` + where + ` ORDER BY c.review_day, c.review_at, c.id LIMIT ? OFFSET ?`
	args = append(args, sqlLimit(f.Limit), f.Offset)
	names, err := s.agentNames(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: cases: %w", err)
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		var c Case
		var created, retry, contact, opened, day int64
		if err := rows.Scan(&c.ID, &c.ReviewID, &c.OrderID, &c.Buyer, &c.BuyerID, &c.Rating, &c.FirstRating, &created, &c.Content, &c.Product,
			&c.AgentID, &c.AssignedID, &c.State, &c.Outcome, &c.Closed, &c.ByData, &c.CompensationFen, &retry, &contact,
			&opened, &c.Version, &day); err != nil {
			return nil, err
		}
		c.CreatedAt, c.RetryDay, c.FirstContactAt, c.OpenedAt = kpi.Millis(created), kpi.Day(retry), kpi.Millis(contact), kpi.Millis(opened)
		c.Agent, c.Assigned = names[c.AgentID], names[c.AssignedID]
		c.ReviewKey = c.ReviewID
		if c.ReviewKey == "" {
			c.ReviewKey = c.OrderID + "|" + c.Buyer + "|" + ISOTime(c.CreatedAt, shop.Location())
		}
		c.Deadline = queues.Deadline(kpi.Day(day), window)
		c.DaysLeft = queues.DaysLeft(c.Deadline, asOf)
		c.Urgency = queues.Urgency(c.DaysLeft, !c.Closed)
		out = append(out, c)
	}
	return out, rows.Err()
}

// caseWhere is the SQL condition of a filter on cases c joined to reviews r.
// A deadline is review_day + W − 1, so urgency is a range of review days.
func caseWhere(shop *Shop, asOf kpi.Day, window int, f CaseFilter) (string, []any) {
	w := []string{"c.shop_id = ?"}
	args := []any{shop.ID}
	switch {
	case f.State == "" && !f.All:
		w = append(w, "c.closed = 0")
	case f.State == queues.StateClosed:
		w = append(w, "c.closed = 1")
	case f.State != "":
		w = append(w, "c.state = ?")
		args = append(args, f.State)
	}
	// deadline − asOf = review_day + W − 1 − asOf
	lastOverdue := int64(asOf) - int64(window)    // review_day ≤ this: overdue
	lastDue := lastOverdue + 1 + queues.DueWithin // review_day in (lastOverdue, lastDue]: due
	switch f.Urgency {
	case queues.Overdue:
		w = append(w, "c.closed = 0 AND c.review_day <= ?")
		args = append(args, lastOverdue)
	case queues.Due:
		w = append(w, "c.closed = 0 AND c.review_day > ? AND c.review_day <= ?")
		args = append(args, lastOverdue, lastDue)
	case queues.Open:
		w = append(w, "c.closed = 0 AND c.review_day > ?")
		args = append(args, lastDue)
	}
	if f.Rating != 0 {
		w = append(w, "r.rating = ?")
		args = append(args, f.Rating)
	}
	if f.Product != "" {
		w = append(w, "instr(r.product, ?) > 0")
		args = append(args, f.Product)
	}
	if f.AgentID != 0 {
		w = append(w, "(c.agent_id = ? OR c.assigned_agent_id = ?)")
		args = append(args, f.AgentID, f.AgentID)
	}
	if f.CaseID != 0 {
		w = append(w, "c.id = ?")
		args = append(args, f.CaseID)
	}
	if f.ReviewFrom != 0 || f.ReviewTo != 0 {
		w = append(w, "c.review_day BETWEEN ? AND ?")
		args = append(args, int64(f.ReviewFrom), int64(f.ReviewTo))
	}
	return strings.Join(w, " AND "), args
}

// agentNames maps a shop's agent ids to their names.
func (s *Store) agentNames(ctx context.Context, shopID int64) (map[int64]string, error) {
	ags, err := s.Agents(ctx, shopID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(ags))
	for _, a := range ags {
		out[a.ID] = a.Name
	}
	return out, nil
}

// ISOTime is an instant as ISO 8601 with the zone's offset (the command
// line's time format).
func ISOTime(ms kpi.Millis, loc *time.Location) string {
	return time.UnixMilli(int64(ms)).In(loc).Format(time.RFC3339)
}

// ErrCaseChanged: the case was saved by someone else since the page was
// loaded (its version moved); nothing was written.
var ErrCaseChanged = errors.New("这个案件刚被别人修改过：请刷新后再保存")

// CaseStep records a workflow step on a case at the version the person saw:
// the state moves, the event is added, the first contact is stamped.
func (s *Store) CaseStep(ctx context.Context, caseID, version int64, step queues.Step, by string) error {
	defer s.workGen.Add(1)
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		var state string
		var ver int64
		if err := tx.QueryRowContext(ctx, `SELECT state, version FROM cases WHERE id = ?`, caseID).Scan(&state, &ver); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if ver != version {
			return ErrCaseChanged
		}
		if err := queues.CheckStep(state, step); err != nil {
			return err
		}
		now := time.Now().UnixMilli()
		closed := step.State == queues.StateClosed
		var retry, amount any
		if step.State == queues.StateNoAnswer {
			retry = int64(step.RetryDay)
		}
		if step.State == queues.StateCompensated {
			amount = step.CompensationFen
		}
		q := `UPDATE cases SET state = ?, closed = ?, version = version + 1,
			retry_day = CASE WHEN ? IS NOT NULL THEN ? ELSE retry_day END,
			compensation_fen = compensation_fen + COALESCE(?, 0)`
		args := []any{step.State, closed, retry, retry, amount}
		if queues.IsContact(step.State) {
			q += `, first_contact_at = COALESCE(first_contact_at, ?)`
			args = append(args, now)
		}
		if queues.IsOutcome(step.State) {
			q += `, outcome = ?`
			args = append(args, step.State)
		}
		q += ` WHERE id = ? AND version = ?`
		args = append(args, caseID, version)
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: case step: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCaseChanged
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, by_user, kind, note, amount_fen, retry_day) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			caseID, now, by, step.State, step.Note, amount, retry)
		return err
	})
}

// AssignCase gives a case to an agent (0 = nobody) at the version seen.
func (s *Store) AssignCase(ctx context.Context, caseID, version, agentID int64, by, note string) error {
	defer s.workGen.Add(1)
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		var agent any
		if agentID != 0 {
			agent = agentID
		}
		res, err := tx.ExecContext(ctx, `UPDATE cases SET assigned_agent_id = ?, version = version + 1 WHERE id = ? AND version = ?`, agent, caseID, version)
		if err != nil {
			return fmt.Errorf("store: assign case: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCaseChanged
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_events (case_id, at, by_user, kind, note, agent_id) VALUES (?, ?, ?, 'assign', ?, ?)`,
			caseID, time.Now().UnixMilli(), by, note, agent)
		return err
	})
}

// CaseEvent is one step of a case's timeline.
type CaseEvent struct {
	At        kpi.Millis
	By        string // "" = kefuboard itself
	Kind      string
	Note      string
	AmountFen int64
	RetryDay  kpi.Day
	Agent     string // assign: to whom
}

// CaseEvents is a case's timeline, oldest first.
func (s *Store) CaseEvents(ctx context.Context, caseID int64) ([]CaseEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT e.at, e.by_user, e.kind, e.note, COALESCE(e.amount_fen, 0), COALESCE(e.retry_day, 0), COALESCE(a.name, '')
		FROM case_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.case_id = ? ORDER BY e.at, e.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: case events: %w", err)
	}
	defer rows.Close()
	var out []CaseEvent
	for rows.Next() {
		var e CaseEvent
		var at, retry int64
		if err := rows.Scan(&at, &e.By, &e.Kind, &e.Note, &e.AmountFen, &retry, &e.Agent); err != nil {
			return nil, err
		}
		e.At, e.RetryDay = kpi.Millis(at), kpi.Day(retry)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CaseKPI is the follow-up work of a shop or an agent over the cases whose
// review day is in a period (QUEUES §1 KPIs).
type CaseKPI struct {
	Cases           int
	Contacted       int     // cases with a contact step
	MedianContactH  float64 // median hours from the review to the first contact
	HasMedian       bool
	Modified        int   // 改评: the buyer changed the review (a newer export rates it ≥ 4, or the last outcome recorded is modified)
	CompensationFen int64 // compensation recorded
	OverdueNow      int   // still open past the deadline on the as-of day
}

// ContactedShare and ModifiedShare are shares of Cases (ok=false without cases).
func (k *CaseKPI) ContactedShare() (float64, bool) { return share(k.Contacted, k.Cases) }
func (k *CaseKPI) ModifiedShare() (float64, bool)  { return share(k.Modified, k.Cases) }

func share(n, d int) (float64, bool) {
	if d == 0 {
		return 0, false
	}
	return float64(n) / float64(d), true
}

// CaseKPIs sums cases whose review day is in [from, to] for the shop (key 0)
// and per serving agent.
func CaseKPIs(cs []Case, from, to kpi.Day, loc *time.Location) map[int64]*CaseKPI {
	clock := kpi.Clock{Loc: loc}
	out := map[int64]*CaseKPI{0: {}}
	waits := map[int64][]float64{}
	for _, c := range cs {
		if d := clock.DayOf(c.CreatedAt); d < from || d > to {
			continue
		}
		keys := []int64{0}
		if c.AgentID != 0 {
			keys = append(keys, c.AgentID)
		}
		for _, k := range keys {
			v := out[k]
			if v == nil {
				v = &CaseKPI{}
				out[k] = v
			}
			v.Cases++
			if c.FirstContactAt != 0 {
				v.Contacted++
				waits[k] = append(waits[k], float64(c.FirstContactAt-c.CreatedAt)/3.6e6)
			}
			if c.Outcome == queues.StateModified || !queues.IsCase(c.Rating) {
				v.Modified++
			}
			v.CompensationFen += c.CompensationFen
			if c.Urgency == queues.Overdue {
				v.OverdueNow++
			}
		}
	}
	for k, w := range waits {
		out[k].MedianContactH, out[k].HasMedian = kpi.MedianOf(w)
	}
	return out
}

// ManualBuyer is the buyer of a case registered by hand whose order is not
// known: a review needs a buyer, and the owner's note of the review does
// not name one.
const ManualBuyer = "（手工登记）"

// AddManualReview registers a review the owner copied by hand as an import
// of its own (it appears in the import history): the order is completed
// from its last 10 digits when exactly one order ends with them, and the
// buyer is the order's. The review is timed at noon of its day.
func (s *Store) AddManualReview(ctx context.Context, shop *Shop, orderID string, rating int, day kpi.Day, text, by string) error {
	buyer := ManualBuyer
	var name string
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*), COALESCE(min(b.name), '') FROM orders o JOIN buyers b ON b.id = o.buyer_id
		WHERE o.shop_id = ? AND (o.order_id = ? OR (length(?) = 10 AND o.order_id LIKE '%' || ?))`,
		shop.ID, orderID, orderID, orderID).Scan(&n, &name)
	if err != nil {
		return err
	}
	if n == 1 {
		buyer = name
	}
	tx, err := s.BeginImport(ctx, shop.Name, ShopSettings{}, ImportMeta{FileName: "手工登记（" + by + "）", Kind: kpi.KindReviews, Encoding: "-"})
	if err != nil {
		return err
	}
	at := kpi.Clock{Loc: shop.Location()}.StartOf(day) + 12*3600*1000
	if err := tx.AddReview(&kpi.Review{OrderID: orderID, Buyer: buyer, Rating: int8(rating), CreatedAt: at, Content: text}); err != nil {
		tx.Rollback()
		return err
	}
	_, err = tx.Commit()
	return err
}

// CaseCounts are the numbers of a shop's cases on a day (the agent's, when
// given): open ones by urgency, and closed ones.
type CaseCounts struct{ Overdue, Due, Open, Closed int }

// CaseCounts counts over the cases' own day index (no review is read): the
// navigation, drawn by every page, shows Overdue + Due.
func (s *Store) CaseCounts(ctx context.Context, shop *Shop, asOf kpi.Day, agentID int64) (CaseCounts, error) {
	var n CaseCounts
	window, err := s.CaseWindow(ctx, shop.Platform)
	if err != nil {
		return n, err
	}
	lastOverdue := int64(asOf) - int64(window)
	lastDue := lastOverdue + 1 + queues.DueWithin
	// One count per range, for the served agent and for cases assigned to
	// the agent that another served (both through an index).
	count := func(cond string) string {
		if agentID == 0 {
			return `(SELECT count(*) FROM cases WHERE shop_id = ?1 AND ` + cond + `)`
		}
		return `((SELECT count(*) FROM cases WHERE shop_id = ?1 AND agent_id = ?4 AND ` + cond + `) +
			(SELECT count(*) FROM cases WHERE shop_id = ?1 AND assigned_agent_id = ?4 AND agent_id <> ?4 AND ` + cond + `))`
	}
	q := `SELECT ` + count(`closed = 0 AND review_day <= ?2`) + `, ` + count(`closed = 0 AND review_day > ?2 AND review_day <= ?3`) + `, ` +
		count(`closed = 0 AND review_day > ?3`) + `, ` + count(`closed = 1`)
	err = s.read.QueryRowContext(ctx, q, shop.ID, lastOverdue, lastDue, agentID).Scan(&n.Overdue, &n.Due, &n.Open, &n.Closed)
	return n, err
}
