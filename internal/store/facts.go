package store

import (
	"database/sql"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// factWriter writes the engine's per-buyer facts and changed order credits.
type factWriter struct {
	t       *ImportTx
	st      *shopState
	resp    *batchInsert
	days    *batchInsert
	changed *batchInsert
}

func newFactWriter(t *ImportTx, st *shopState) *factWriter {
	return &factWriter{t: t, st: st,
		resp: newBatchInsert(t.ctx, t.tx, "resp_facts", "shop_id", "buyer_id", "day", "hour", "agent_id", "msgs", "unreplied",
			"within_30s", "within_3m", "within_5m", "wait_sum_ms", "wait_n"),
		days: newBatchInsert(t.ctx, t.tx, "buyer_days", "shop_id", "buyer_id", "day", "in_window", "last_agent_id", "effective",
			"first_agent_id", "first_wait_ms", "first_msg", "inquiry", "recv_agent_id", "converted"),
		changed: newBatchInsert(t.ctx, t.tx, "temp.changed_orders", "order_id", "credit"),
	}
}

// write stores one buyer's facts. Response facts are written only when the
// buyer's messages changed (they were kept otherwise); orders only when their
// credit or conversion changed.
func (w *factWriter) write(buyer int64, msgsChanged bool, f *kpi.BuyerFacts, orders *buyerOrders) error {
	shop := w.st.shop.ID
	if msgsChanged {
		for _, r := range f.Resp {
			if err := w.resp.add(shop, buyer, int64(r.Day), int64(r.Hour), r.Agent, r.Msgs, r.Unreplied,
				r.Within30s, r.Within3m, r.Within5m, r.WaitSumMs, r.WaitN); err != nil {
				return err
			}
			w.st.dirty[famResp][r.Day] = struct{}{}
		}
	}
	for _, d := range f.Days {
		var firstWait any
		if d.InWindow && d.FirstWait >= 0 {
			firstWait = d.FirstWait
		}
		if err := w.days.add(shop, buyer, int64(d.Day), d.InWindow, d.LastAgent, d.Effective,
			d.FirstAgent, firstWait, int64(d.FirstMsg), d.Inquiry, d.RecvAgent, d.Converted); err != nil {
			return err
		}
		w.st.dirty[famBuyerDays][d.Day] = struct{}{}
	}
	if orders == nil {
		return nil
	}
	for i, c := range f.Credits {
		old := orders.old[i]
		conv := nullDay(c.ConvertedDay)
		sameConv := (conv == nil && !old.converted.Valid) || (conv != nil && old.converted.Valid && old.converted.Int64 == conv.(int64))
		if c.Agent == old.credit && sameConv {
			continue
		}
		if _, err := w.t.exec(`UPDATE orders SET credited_agent_id = ?, converted_day = ? WHERE id = ?`, c.Agent, conv, c.ID); err != nil {
			return fmt.Errorf("store: credit order: %w", err)
		}
		if c.Agent != old.credit {
			for _, d := range []sql.NullInt64{old.paid, old.ship, old.deliver} {
				w.st.markDay(famOrders, d)
			}
			if err := w.changed.add(old.orderID, c.Agent); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *factWriter) close() error {
	for _, b := range []*batchInsert{w.resp, w.days, w.changed} {
		if err := b.close(); err != nil {
			return err
		}
	}
	return nil
}
