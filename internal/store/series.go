package store

import (
	"context"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// AllAgents selects the whole shop in Daily and Hourly.
const AllAgents int64 = -1

// DayPoint is one day of a trend: that day's sums and distinct buyers.
type DayPoint struct {
	Day  kpi.Day
	Sums kpi.Sums
	Dist kpi.Distinct
	// Plat are the platform figures of the day's single-day reports (nil without).
	Plat     map[string]kpi.PlatformFigure
	PlatRows []kpi.AgentReportRow
	// ShopSums are the whole shop's sums of the day, for an agent's point
	// (nil for the shop's own point): conversion counts as computed only
	// when the shop has orders that day.
	ShopSums *kpi.Sums
}

func (p *DayPoint) scope() *kpi.Sums {
	if p.ShopSums != nil {
		return p.ShopSums
	}
	return &p.Sums
}

// Values evaluates the day's metrics: computed where the day has raw rows,
// else the platform's figures of that day.
func (p *DayPoint) Values(agent bool) kpi.Values {
	return kpi.Combine(kpi.Evaluate(&p.Sums, &p.Dist, agent), &p.Sums, p.scope(), p.Plat)
}

// Daily returns one point per day of [from, to] (days without data are zero)
// for the shop (agentID = AllAgents) or one credited agent. Pages draw trends
// from it; it reads only the per-day aggregates.
func (s *Store) Daily(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) ([]DayPoint, error) {
	v, err := s.cache.Get(cacheKey{"daily", shop.ID, shop.DataVersion, from, to, agentID}, func() (any, error) {
		return s.daily(ctx, shop, from, to, agentID)
	})
	if err != nil {
		return nil, err
	}
	return append([]DayPoint(nil), v.([]DayPoint)...), nil
}

func (s *Store) daily(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) ([]DayPoint, error) {
	if to < from {
		return nil, nil
	}
	pts := make([]DayPoint, int(to-from)+1)
	for i := range pts {
		pts[i].Day = from + kpi.Day(i)
	}
	filter, args := agentFilter(shop.ID, from, to, agentID)
	rows, err := s.read.QueryContext(ctx, `SELECT day, `+sumSelect+` FROM daily_stats WHERE `+filter+` GROUP BY day`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: daily sums: %w", err)
	}
	for rows.Next() {
		var day int64
		var sums kpi.Sums
		dst := []any{&day}
		for _, f := range sums.Fields() {
			dst = append(dst, f)
		}
		if err := rows.Scan(dst...); err != nil {
			rows.Close()
			return nil, err
		}
		pts[kpi.Day(day)-from].Sums = sums
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Distinct buyers per day: the union of that day's agents' sets.
	rows, err = s.read.QueryContext(ctx, `SELECT day, kind, buyers FROM daily_buyers WHERE kind IN (0, 1) AND `+filter, args...)
	if err != nil {
		return nil, fmt.Errorf("store: daily buyers: %w", err)
	}
	defer rows.Close()
	type key struct {
		day  int64
		kind int
	}
	sets := map[key]map[int64]struct{}{}
	for rows.Next() {
		var k key
		var blob []byte
		if err := rows.Scan(&k.day, &k.kind, &blob); err != nil {
			return nil, err
		}
		m := sets[k]
		if m == nil {
			m = map[int64]struct{}{}
			sets[k] = m
		}
		if err := decodeSet(blob, func(id int64) { m[id] = struct{}{} }); err != nil {
			return nil, err
		}
	}
	for k, m := range sets {
		d := &pts[kpi.Day(k.day)-from].Dist
		if k.kind == setConsulting {
			d.ConsultingBuyers = int64(len(m))
		} else {
			d.PayingBuyers = int64(len(m))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if agentID != AllAgents {
		all, err := s.Daily(ctx, shop, from, to, AllAgents)
		if err != nil {
			return nil, err
		}
		for i := range pts {
			sums := all[i].Sums
			pts[i].ShopSums = &sums
		}
	}
	return pts, s.dailyPlatform(ctx, shop, pts, agentID)
}

func agentFilter(shopID int64, from, to kpi.Day, agentID int64) (string, []any) {
	q := `shop_id = ? AND day BETWEEN ? AND ?`
	args := []any{shopID, int64(from), int64(to)}
	if agentID != AllAgents {
		q += ` AND agent_id = ?`
		args = append(args, agentID)
	}
	return q, args
}

// HourCell is the response sums of one weekday and hour of the day.
type HourCell struct {
	BuyerMessages, Unreplied, Within30s, Within3m, WaitSumMs, WaitN int64
}

// Reply30sRate is the cell's 30-second rate (ok=false without messages).
func (c HourCell) Reply30sRate() (float64, bool) {
	if c.BuyerMessages == 0 {
		return 0, false
	}
	return float64(c.Within30s) / float64(c.BuyerMessages), true
}

// Hourly sums the response facts of [from, to] by weekday (0 = Sunday) and
// local hour, for the shop (AllAgents) or one agent: the heat map of when
// buyers wait.
func (s *Store) Hourly(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) (*[7][24]HourCell, error) {
	v, err := s.cache.Get(cacheKey{"hourly", shop.ID, shop.DataVersion, from, to, agentID}, func() (any, error) {
		return s.hourly(ctx, shop, from, to, agentID)
	})
	if err != nil {
		return nil, err
	}
	c := *v.(*[7][24]HourCell)
	return &c, nil
}

func (s *Store) hourly(ctx context.Context, shop *Shop, from, to kpi.Day, agentID int64) (*[7][24]HourCell, error) {
	filter, args := agentFilter(shop.ID, from, to, agentID)
	rows, err := s.read.QueryContext(ctx, `SELECT day, hour, SUM(buyer_messages), SUM(unreplied), SUM(within_30s),
		SUM(within_3m), SUM(wait_sum_ms), SUM(wait_n) FROM hourly_resp WHERE `+filter+` GROUP BY day, hour`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: hourly: %w", err)
	}
	defer rows.Close()
	var out [7][24]HourCell
	for rows.Next() {
		var day, hour int64
		var c HourCell
		if err := rows.Scan(&day, &hour, &c.BuyerMessages, &c.Unreplied, &c.Within30s, &c.Within3m, &c.WaitSumMs, &c.WaitN); err != nil {
			return nil, err
		}
		if hour < 0 || hour > 23 {
			continue
		}
		o := &out[kpi.Day(day).Weekday()][hour]
		o.BuyerMessages += c.BuyerMessages
		o.Unreplied += c.Unreplied
		o.Within30s += c.Within30s
		o.Within3m += c.Within3m
		o.WaitSumMs += c.WaitSumMs
		o.WaitN += c.WaitN
	}
	return &out, rows.Err()
}
