package store

import (
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// factWriter writes the engine's per-buyer facts and order credits.
type factWriter struct {
	t    *ImportTx
	st   *shopState
	resp *batchInsert
	days *batchInsert
}

func newFactWriter(t *ImportTx, st *shopState) *factWriter {
	return &factWriter{t: t, st: st,
		resp: newBatchInsert(t.ctx, t.tx, "resp_facts", "shop_id", "buyer_id", "day", "hour", "agent_id", "msgs", "unreplied",
			"within_30s", "within_3m", "within_5m", "wait_sum_ms", "wait_n"),
		days: newBatchInsert(t.ctx, t.tx, "buyer_days", "shop_id", "buyer_id", "day", "in_window", "last_agent_id", "effective",
			"first_agent_id", "first_wait_ms", "first_msg", "inquiry", "recv_agent_id", "converted"),
	}
}

func (w *factWriter) write(buyer int64, f *kpi.BuyerFacts) error {
	shop := w.st.shop.ID
	for _, r := range f.Resp {
		if err := w.resp.add(shop, buyer, int64(r.Day), int64(r.Hour), r.Agent, r.Msgs, r.Unreplied,
			r.Within30s, r.Within3m, r.Within5m, r.WaitSumMs, r.WaitN); err != nil {
			return err
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
		w.st.dirty[d.Day] = struct{}{}
	}
	for _, c := range f.Credits {
		if _, err := w.t.exec(`UPDATE orders SET credited_agent_id = ?, converted_day = ? WHERE id = ?`,
			c.Agent, nullDay(c.ConvertedDay), c.ID); err != nil {
			return fmt.Errorf("store: credit order: %w", err)
		}
	}
	return nil
}

func (w *factWriter) close() error {
	if err := w.resp.close(); err != nil {
		return err
	}
	return w.days.close()
}
