package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Platform rule alerts are derived from the per-day aggregates: rebuilt for a
// shop after every import and recompute (and a rule or benchmark change),
// from its first day with data to its last.

// DataSpan is the first and last day a shop has aggregates for (ok=false: none).
func (s *Store) DataSpan(ctx context.Context, shopID int64) (from, to kpi.Day, ok bool, err error) {
	var a, b sql.NullInt64
	err = s.read.QueryRowContext(ctx, `SELECT MIN(day), MAX(day) FROM daily_stats WHERE shop_id = ?`, shopID).Scan(&a, &b)
	if err != nil || !a.Valid {
		return 0, 0, false, err
	}
	return kpi.Day(a.Int64), kpi.Day(b.Int64), true, nil
}

// ScoreWindow is the experience score's window: 30 days.
const ScoreWindow = 30

// DouyinDaily is the rolling 30-day experience score ending on each day of
// pts (a window reaches back before pts[0] only through pre, the 29 days
// before it, when given).
func DouyinDaily(m kpi.DouyinModel, pre, pts []DayPoint) []kpi.DouyinScore {
	all := append(append([]DayPoint(nil), pre...), pts...)
	out := make([]kpi.DouyinScore, len(pts))
	var win kpi.Sums
	start := 0
	for i := range all {
		win.Add(&all[i].Sums)
		if i-start >= ScoreWindow {
			sub(&win, &all[start].Sums)
			start++
		}
		if j := i - len(pre); j >= 0 {
			v := kpi.Evaluate(&win, &kpi.Distinct{}, false)
			out[j] = m.Score(v.Get)
		}
	}
	return out
}

// sub subtracts o from s.
func sub(s, o *kpi.Sums) {
	a, b := s.Fields(), o.Fields()
	for i := range a {
		*a[i] -= *b[i]
	}
}

// RefreshAlerts rebuilds a shop's alerts from its aggregates, its rules and
// its benchmarks.
func (s *Store) RefreshAlerts(ctx context.Context, shopName string) error {
	shop, err := s.ShopByName(ctx, shopName)
	if err != nil {
		return err
	}
	alerts, err := s.checkRules(ctx, shop)
	if err != nil {
		return err
	}
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM alerts WHERE shop_id = ?`, shop.ID); err != nil {
			return fmt.Errorf("store: alerts: %w", err)
		}
		for _, a := range alerts {
			from, to := a.Day, a.Day
			if a.Day == "" {
				from, to = a.From, a.To
			}
			f, _ := kpi.ParseDay(from)
			t, _ := kpi.ParseDay(to)
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO alerts (shop_id, rule, from_day, to_day, value, threshold) VALUES (?, ?, ?, ?, ?, ?)`,
				shop.ID, a.Rule, int64(f), int64(t), a.Value, a.Threshold); err != nil {
				return fmt.Errorf("store: alerts: %w", err)
			}
		}
		return nil
	})
}

// checkRules checks every day of the shop's data against its rules.
func (s *Store) checkRules(ctx context.Context, shop *Shop) ([]kpi.Alert, error) {
	first, last, ok, err := s.DataSpan(ctx, shop.ID)
	if err != nil || !ok {
		return nil, err
	}
	rules, err := s.Rules(ctx, shop)
	if err != nil {
		return nil, err
	}
	bench, err := s.Benchmarks(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	pts, err := s.Daily(ctx, shop, first, last, AllAgents)
	if err != nil {
		return nil, err
	}
	var out []kpi.Alert
	for i := range pts {
		day := pts[i].Day
		out = append(out, kpi.CheckDay(rules, day, pts[i].Values(false), func(metric string) (float64, bool) {
			avg, _, _ := BenchmarkOn(bench, metric, day)
			return avg.Float64, avg.Valid
		})...)
	}
	counts, err := s.riskDayCounts(ctx, shop.ID)
	if err != nil {
		return nil, err
	}
	for _, day := range sortedDays(counts) {
		out = append(out, kpi.CheckCounts(rules, day, counts[day])...)
	}
	if hasRolling(rules) {
		m, _, err := s.DouyinModel(ctx, shop.ID)
		if err != nil {
			return nil, err
		}
		scores := DouyinDaily(m, nil, pts)
		for i := range pts {
			if i+1 < ScoreWindow {
				continue // a window of 30 whole days of data
			}
			out = append(out, kpi.CheckRolling(rules, pts[i].Day-ScoreWindow+1, pts[i].Day, scores[i])...)
		}
	}
	return out, nil
}

func hasRolling(rules []kpi.Rule) bool {
	for _, r := range rules {
		if r.Period == kpi.RuleRolling30 && r.Enabled {
			return true
		}
	}
	return false
}

// Alerts lists a shop's alerts ending in [from, to], newest first, with the
// rule's name and consequence.
func (s *Store) Alerts(ctx context.Context, shop *Shop, from, to kpi.Day) ([]kpi.Alert, error) {
	rules, err := s.Rules(ctx, shop)
	if err != nil {
		return nil, err
	}
	byID := map[string]kpi.Rule{}
	for _, r := range kpi.DefaultRules() {
		byID[r.ID] = r
	}
	for _, r := range rules {
		byID[r.ID] = r
	}
	rows, err := s.read.QueryContext(ctx, `SELECT rule, from_day, to_day, value, threshold FROM alerts
		WHERE shop_id = ? AND to_day BETWEEN ? AND ? ORDER BY to_day DESC, rule`, shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: alerts: %w", err)
	}
	defer rows.Close()
	var out []kpi.Alert
	for rows.Next() {
		var a kpi.Alert
		var f, t int64
		if err := rows.Scan(&a.Rule, &f, &t, &a.Value, &a.Threshold); err != nil {
			return nil, err
		}
		r := byID[a.Rule]
		a.Name, a.Consequence, a.Seed = r.Name, r.Consequence, r.Seed
		if r.Period == kpi.RuleRolling30 {
			a.From, a.To = kpi.Day(f).String(), kpi.Day(t).String()
		} else {
			a.Day = kpi.Day(t).String()
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// riskDayCounts are a shop's risk items per day and category, leaving out
// those the owner marked false positive (the count rules read them).
func (s *Store) riskDayCounts(ctx context.Context, shopID int64) (map[kpi.Day]map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.day, r.category, count(*) FROM risk_items r
		LEFT JOIN risk_marks k ON k.shop_id = r.shop_id AND k.item_key = r.item_key
		WHERE r.shop_id = ? AND (k.status IS NULL OR k.status <> ?) GROUP BY r.day, r.category`, shopID, RiskFalsePositive)
	if err != nil {
		return nil, fmt.Errorf("store: risk day counts: %w", err)
	}
	defer rows.Close()
	out := map[kpi.Day]map[string]int{}
	for rows.Next() {
		var d int64
		var c string
		var n int
		if err := rows.Scan(&d, &c, &n); err != nil {
			return nil, err
		}
		if out[kpi.Day(d)] == nil {
			out[kpi.Day(d)] = map[string]int{}
		}
		out[kpi.Day(d)][c] = n
	}
	return out, rows.Err()
}

func sortedDays[V any](m map[kpi.Day]V) []kpi.Day {
	out := make([]kpi.Day, 0, len(m))
	for d := range m {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
