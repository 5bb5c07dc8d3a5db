package store

import (
	"fmt"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// family groups the aggregate columns that come from one kind of fact. Each
// has its own dirty days, so an import of reviews rebuilds review columns
// only, and a messages import does not re-sum refunds.
type family int8

const (
	famResp family = iota
	famBuyerDays
	famOrders
	famRefunds
	famComplaints
	famReviews
	numFamilies
)

// A rollupSource says how one kind of fact adds to daily_stats: which rows,
// which day and agent they count under, and what they add to which columns.
// The metric definitions live in kpi and in the engine; this only sums facts.
type rollupSource struct {
	fam   family
	table string
	where string // besides the shop and the day
	day   string
	agent string
	adds  map[string]string // daily_stats column -> expression per row
}

var rollupSources = []rollupSource{
	{famResp, "resp_facts", "", "day", "agent_id", map[string]string{
		"buyer_messages": "msgs", "unreplied": "unreplied", "within_30s": "within_30s", "within_3m": "within_3m",
		"within_5m": "within_5m", "wait_sum_ms": "wait_sum_ms", "wait_n": "wait_n"}},
	{famBuyerDays, "buyer_days", "in_window = 1", "day", "last_agent_id", map[string]string{
		"window_days": "1", "effective_days": "effective"}},
	{famBuyerDays, "buyer_days", "in_window = 1 AND first_wait_ms IS NOT NULL", "day", "first_agent_id", map[string]string{
		"first_wait_sum_ms": "first_wait_ms", "first_wait_n": "1"}},
	{famBuyerDays, "buyer_days", "inquiry = 1", "day", "recv_agent_id", map[string]string{
		"inquiries": "1", "converted": "converted"}},
	{famOrders, "orders", "paid_day IS NOT NULL", "paid_day", "credited_agent_id", map[string]string{
		"paid_orders": "1", "sales_fen": "amount_fen", "units": "quantity",
		"attributed_orders": "credited_agent_id <> 0", "attributed_fen": "CASE WHEN credited_agent_id <> 0 THEN amount_fen ELSE 0 END",
		"buyerless_orders": "no_buyer"}},
	{famOrders, "orders", "ship_day IS NOT NULL", "ship_day", "credited_agent_id", map[string]string{
		"ship_sum_ms": "COALESCE(shipped_at - paid_at, 0)", "ship_n": "paid_at IS NOT NULL", "shipped": "1",
		"pickup_on_time": "COALESCE(picked_up_at - shipped_at <= 86400000, 0)"}},
	{famOrders, "orders", "deliv_day IS NOT NULL", "deliv_day", "credited_agent_id", map[string]string{
		"delivery_sum_ms": "delivered_at - COALESCE(picked_up_at, shipped_at)", "delivery_n": "1"}},
	{famRefunds, "refunds", "done_day IS NOT NULL", "done_day", "credited_agent_id", map[string]string{
		"refunds_done": "1", "disputes": "intervened AND merchant_liable",
		// An inferred refund (from an order's 售后状态) has no times: refund_rate only.
		"refund_sum_ms": "CASE WHEN inferred THEN 0 ELSE completed_at - requested_at END", "refund_n": "NOT inferred",
		"refund_only_sum_ms": fmt.Sprintf("CASE WHEN type = %d THEN completed_at - requested_at ELSE 0 END", kpi.RefundOnly),
		"refund_only_n":      fmt.Sprintf("type = %d", kpi.RefundOnly),
		"return_sum_ms":      fmt.Sprintf("CASE WHEN type = %d THEN completed_at - requested_at ELSE 0 END", kpi.ReturnRefund),
		"return_n":           fmt.Sprintf("type = %d", kpi.ReturnRefund)}},
	{famRefunds, "refunds", "NOT inferred", "req_day", "credited_agent_id", map[string]string{"quality_refunds": "quality", "refunds_requested": "1"}},
	{famComplaints, "complaints", "", "day", "credited_agent_id", map[string]string{"complaints": "1"}},
	{famReviews, "reviews", "", "day", "credited_agent_id", map[string]string{
		"reviews": "1", "bad_reviews": "rating <= 2", "medium_reviews": "rating = 3",
		"dsr_desc_sum":    "CASE WHEN dsr_counted THEN COALESCE(dsr_description, 0) ELSE 0 END",
		"dsr_desc_n":      "dsr_counted AND dsr_description IS NOT NULL",
		"dsr_service_sum": "CASE WHEN dsr_counted THEN COALESCE(dsr_service, 0) ELSE 0 END",
		"dsr_service_n":   "dsr_counted AND dsr_service IS NOT NULL",
		"dsr_logi_sum":    "CASE WHEN dsr_counted THEN COALESCE(dsr_logistics, 0) ELSE 0 END",
		"dsr_logi_n":      "dsr_counted AND dsr_logistics IS NOT NULL"}},
}

// familySQL builds the two statements that rebuild one family's columns of
// daily_stats for its dirty days (temp.dirty rows with fam = ?2): zero them,
// then upsert the sums of its sources, one UNION ALL branch per source.
func familySQL(f family) (zero, upsert string) {
	var cols []string
	for _, src := range rollupSources {
		if src.fam != f {
			continue
		}
		for _, c := range kpi.SumColumns {
			if _, ok := src.adds[c]; ok && !contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	var branches []string
	for _, src := range rollupSources {
		if src.fam != f {
			continue
		}
		sel := []string{src.day + " AS day", src.agent + " AS agent_id"}
		for _, c := range cols {
			e, ok := src.adds[c]
			if !ok {
				e = "0"
			}
			sel = append(sel, e+" AS "+c)
		}
		where := "shop_id = ?1 AND " + src.day + " IN (SELECT day FROM temp.dirty WHERE fam = ?2)"
		if src.where != "" {
			where += " AND " + src.where
		}
		branches = append(branches, "SELECT "+strings.Join(sel, ", ")+" FROM "+src.table+" WHERE "+where)
	}
	sets, sums, zeros := make([]string, len(cols)), make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = excluded." + c
		sums[i] = "SUM(" + c + ")"
		zeros[i] = c + " = 0"
	}
	zero = "UPDATE daily_stats SET " + strings.Join(zeros, ", ") + " WHERE shop_id = ?1 AND day IN (SELECT day FROM temp.dirty WHERE fam = ?2)"
	upsert = "INSERT INTO daily_stats (shop_id, day, agent_id, " + strings.Join(cols, ", ") + ") SELECT ?1, day, agent_id, " +
		strings.Join(sums, ", ") + " FROM (" + strings.Join(branches, " UNION ALL ") + ") WHERE true GROUP BY day, agent_id" +
		" ON CONFLICT (shop_id, day, agent_id) DO UPDATE SET " + strings.Join(sets, ", ")
	return zero, upsert
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var familyStatements = func() (out [numFamilies][2]string) {
	for f := family(0); f < numFamilies; f++ {
		out[f][0], out[f][1] = familySQL(f)
	}
	return out
}()

// rebuildAggregates rebuilds, family by family, the daily_stats columns of the
// dirty days, and hourly_resp for the response family's dirty days.
func (t *ImportTx) rebuildAggregates(st *shopState) error {
	for f := family(0); f < numFamilies; f++ {
		for d := range st.dirty[f] {
			if _, err := t.exec(`INSERT OR IGNORE INTO temp.dirty (fam, day) VALUES (?, ?)`, int64(f), int64(d)); err != nil {
				return fmt.Errorf("store: dirty days: %w", err)
			}
		}
		if len(st.dirty[f]) == 0 {
			continue
		}
		for _, q := range familyStatements[f] {
			if _, err := t.tx.ExecContext(t.ctx, q, st.shop.ID, int64(f)); err != nil {
				return fmt.Errorf("store: rebuild aggregates: %w", err)
			}
		}
	}
	if len(st.dirty[famResp]) == 0 {
		return nil
	}
	for _, q := range []string{
		`DELETE FROM hourly_resp WHERE shop_id = ?1 AND day IN (SELECT day FROM temp.dirty WHERE fam = ?2)`,
		`INSERT INTO hourly_resp (shop_id, day, hour, agent_id, buyer_messages, unreplied, within_30s, within_3m, wait_sum_ms, wait_n)
			SELECT ?1, day, hour, agent_id, SUM(msgs), SUM(unreplied), SUM(within_30s), SUM(within_3m), SUM(wait_sum_ms), SUM(wait_n)
			FROM resp_facts WHERE shop_id = ?1 AND day IN (SELECT day FROM temp.dirty WHERE fam = ?2) GROUP BY day, hour, agent_id`,
	} {
		if _, err := t.tx.ExecContext(t.ctx, q, st.shop.ID, int64(famResp)); err != nil {
			return fmt.Errorf("store: rebuild hourly: %w", err)
		}
	}
	return nil
}
