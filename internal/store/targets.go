package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Targets lists a shop's targets, all of history (kpi.TargetInForce picks).
func (s *Store) Targets(ctx context.Context, shopID int64) ([]kpi.Target, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT metric, scope, shift, agent_id, value, floor, from_day, set_at, set_by, note
		FROM targets WHERE shop_id = ? ORDER BY from_day DESC, set_at DESC`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: targets: %w", err)
	}
	defer rows.Close()
	var out []kpi.Target
	for rows.Next() {
		var t kpi.Target
		var floor sql.NullFloat64
		var from, at int64
		if err := rows.Scan(&t.Metric, &t.Scope, &t.Shift, &t.Agent, &t.Value, &floor, &from, &at, &t.SetBy, &t.Note); err != nil {
			return nil, err
		}
		if floor.Valid {
			f := floor.Float64
			t.Floor = &f
		}
		t.From, t.SetAt = kpi.Day(from), kpi.Millis(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

// ErrBadTarget refuses a target that names an unknown KPI or scope.
var ErrBadTarget = errors.New("目标的指标或范围无效")

// SetTarget records a target (the same KPI, scope and first day: replaced).
// The data version moves on so the pages' memoised colours follow.
func (s *Store) SetTarget(ctx context.Context, shopID int64, t kpi.Target) error {
	if _, ok := kpi.MetricByKey(t.Metric); !ok || kpi.Better[t.Metric] == 0 {
		return ErrBadTarget
	}
	switch t.Scope {
	case kpi.ScopeShop:
		t.Shift, t.Agent = "", 0
	case kpi.ScopeShift:
		if t.Shift == "" {
			return ErrBadTarget
		}
		t.Agent = 0
	case kpi.ScopeAgent:
		if t.Agent == 0 {
			return ErrBadTarget
		}
		t.Shift = ""
	default:
		return ErrBadTarget
	}
	var floor any
	if t.Floor != nil {
		floor = *t.Floor
	}
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO targets (shop_id, metric, scope, shift, agent_id, value, floor, from_day, set_at, set_by, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (shop_id, metric, scope, shift, agent_id, from_day) DO UPDATE SET value = excluded.value, floor = excluded.floor,
			set_at = excluded.set_at, set_by = excluded.set_by, note = excluded.note`,
			shopID, t.Metric, t.Scope, t.Shift, t.Agent, t.Value, floor, int64(t.From), time.Now().UnixMilli(), t.SetBy, t.Note); err != nil {
			return fmt.Errorf("store: set target: %w", err)
		}
		return bumpVersion(ctx, tx, shopID)
	})
}

// SetBenchmark records the industry average and top-10% of a KPI read on a
// day (the owner's form or a CSV import: source "form" or "csv").
func (s *Store) SetBenchmark(ctx context.Context, shopID int64, metric string, avg, top *float64, readOn kpi.Day, source string) error {
	var a, t any
	if avg != nil {
		a = *avg
	}
	if top != nil {
		t = *top
	}
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO benchmarks (shop_id, metric, avg, top, read_on, source) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (shop_id, metric, read_on, source) DO UPDATE SET avg = excluded.avg, top = excluded.top`,
			shopID, metric, a, t, int64(readOn), source); err != nil {
			return fmt.Errorf("store: set benchmark: %w", err)
		}
		return bumpVersion(ctx, tx, shopID)
	})
}

// BenchmarkOn is the benchmark of a metric in force on day: the latest read
// on or before it (of any source), average and top-10% each from the latest
// reading that has it.
func BenchmarkOn(bs []Benchmark, metric string, day kpi.Day) (avg, top sql.NullFloat64, readOn kpi.Day) {
	for _, b := range bs { // newest reading first
		if b.Metric != metric || b.ReadOn > day {
			continue
		}
		if !avg.Valid && b.Avg.Valid {
			avg, readOn = b.Avg, max(readOn, b.ReadOn)
		}
		if !top.Valid && b.Top.Valid {
			top, readOn = b.Top, max(readOn, b.ReadOn)
		}
		if avg.Valid && top.Valid {
			break
		}
	}
	return avg, top, readOn
}

// Rules are a shop's platform rules: the defaults with the owner's changes.
func (s *Store) Rules(ctx context.Context, shop *Shop) ([]kpi.Rule, error) {
	rules := kpi.RulesFor(shop.Platform, kpi.DefaultRules())
	rows, err := s.read.QueryContext(ctx, `SELECT rule, threshold, enabled FROM rule_settings WHERE shop_id = ?`, shop.ID)
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var th sql.NullFloat64
		var on bool
		if err := rows.Scan(&id, &th, &on); err != nil {
			return nil, err
		}
		for i := range rules {
			if rules[i].ID == id {
				rules[i].Enabled = on
				if th.Valid && !rules[i].Benchmark {
					rules[i].Threshold = th.Float64
				}
			}
		}
	}
	return rules, rows.Err()
}

// SetRule changes a rule of a shop: its threshold (nil = the default) and
// whether it is checked. The alerts are rebuilt by the caller.
func (s *Store) SetRule(ctx context.Context, shopID int64, rule string, threshold *float64, enabled bool) error {
	var th any
	if threshold != nil {
		th = *threshold
	}
	_, err := s.write.ExecContext(ctx, `INSERT INTO rule_settings (shop_id, rule, threshold, enabled) VALUES (?, ?, ?, ?)
		ON CONFLICT (shop_id, rule) DO UPDATE SET threshold = excluded.threshold, enabled = excluded.enabled`, shopID, rule, th, enabled)
	if err != nil {
		return fmt.Errorf("store: set rule: %w", err)
	}
	return nil
}

// douyinModelKey is the setting holding a shop's edited score model.
func douyinModelKey(shopID int64) string { return fmt.Sprintf("douyin_model:%d", shopID) }

// DouyinModel is a shop's experience-score model: the owner's, else the default.
func (s *Store) DouyinModel(ctx context.Context, shopID int64) (kpi.DouyinModel, bool, error) {
	raw, err := s.Setting(ctx, douyinModelKey(shopID))
	if err != nil || raw == "" {
		return kpi.DefaultDouyinModel(), false, err
	}
	var m kpi.DouyinModel
	if err := json.Unmarshal([]byte(raw), &m); err != nil || m.Validate() != nil {
		return kpi.DefaultDouyinModel(), false, nil
	}
	return m, true, nil
}

// SetDouyinModel stores an edited model (nil = back to the default).
func (s *Store) SetDouyinModel(ctx context.Context, shopID int64, m *kpi.DouyinModel) error {
	if m == nil {
		return s.SetSetting(ctx, douyinModelKey(shopID), "")
	}
	if err := m.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(m)
	return s.SetSetting(ctx, douyinModelKey(shopID), string(b))
}

// withWrite runs fn in one write transaction.
func (s *Store) withWrite(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func bumpVersion(ctx context.Context, tx *sql.Tx, shopID int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE shops SET data_version = data_version + 1 WHERE id = ?`, shopID)
	return err
}
