package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// AddAgentReport stores one row of a platform agent report: the agent's
// figures for the row's period, each under its metric, replacing what an
// earlier download of the same agent and period said. A benchmark row
// (同行同层均值 / 同行同层优秀) becomes the shop's industry benchmarks for the
// period instead. The row counts as added (a new agent and period), updated
// (a value changed or appeared) or unchanged.
func (t *ImportTx) AddAgentReport(r *kpi.AgentReportRow) error {
	st := t.main
	if r.Benchmark != "" {
		return t.addBenchmarks(st, r)
	}
	agent, err := t.agentID(st, r.Agent)
	if err != nil {
		return err
	}
	if agent == 0 {
		return errors.New("store: agent report row without an agent")
	}
	var id int64
	isNew := false
	err = t.queryRow(`SELECT id FROM agent_reports WHERE shop_id = ? AND agent_id = ? AND from_day = ? AND to_day = ?`,
		st.shop.ID, agent, int64(r.From), int64(r.To)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := t.exec(`INSERT INTO agent_reports (shop_id, agent_id, from_day, to_day, import_id) VALUES (?, ?, ?, ?, ?)`,
			st.shop.ID, agent, int64(r.From), int64(r.To), t.runID)
		if err != nil {
			return fmt.Errorf("store: add agent report: %w", err)
		}
		id, _ = res.LastInsertId()
		isNew = true
	} else if err != nil {
		return fmt.Errorf("store: find agent report: %w", err)
	}
	changed := false
	for _, v := range r.Values {
		var old float64
		var col string
		err := t.queryRow(`SELECT value, col FROM agent_report_values WHERE report_id = ? AND metric = ?`, id, v.Metric()).Scan(&old, &col)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("store: agent report value: %w", err)
		case old == v.Value && col == v.Column:
			continue
		}
		changed = true
		if _, err := t.exec(`INSERT OR REPLACE INTO agent_report_values (report_id, metric, col, unit, value) VALUES (?, ?, ?, ?, ?)`,
			id, v.Metric(), v.Column, int64(v.Unit), v.Value); err != nil {
			return fmt.Errorf("store: agent report value: %w", err)
		}
	}
	switch {
	case isNew:
		t.counts.Added++
	case changed:
		t.counts.Updated++
	default:
		t.counts.Unchanged++
	}
	if changed || isNew {
		if _, err := t.exec(`UPDATE agent_reports SET import_id = ? WHERE id = ?`, t.runID, id); err != nil {
			return fmt.Errorf("store: agent report: %w", err)
		}
	}
	return nil
}

// addBenchmarks stores a report's industry row as the benchmarks of its
// period, read on its last day.
func (t *ImportTx) addBenchmarks(st *shopState, r *kpi.AgentReportRow) error {
	col := "avg"
	if r.Benchmark == kpi.BenchmarkTop {
		col = "top"
	}
	changed := false
	for _, v := range r.Values {
		if v.Unit == kpi.PUnitFen {
			v.Value /= 100 // benchmarks are in the KPI's unit (yuan), like targets
		}
		var old sql.NullFloat64
		err := t.queryRow(`SELECT `+col+` FROM benchmarks WHERE shop_id = ? AND metric = ? AND read_on = ? AND source = 'agent_report'`,
			st.shop.ID, v.Metric(), int64(r.To)).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("store: benchmark: %w", err)
		case old.Valid && old.Float64 == v.Value:
			continue
		}
		changed = true
		if _, err := t.exec(`INSERT INTO benchmarks (shop_id, metric, col, `+col+`, read_on, from_day, to_day, source, import_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'agent_report', ?)
			ON CONFLICT (shop_id, metric, read_on, source) DO UPDATE SET `+col+` = excluded.`+col+`, col = excluded.col,
			from_day = excluded.from_day, to_day = excluded.to_day, import_id = excluded.import_id`,
			st.shop.ID, v.Metric(), v.Column, v.Value, int64(r.To), int64(r.From), int64(r.To), t.runID); err != nil {
			return fmt.Errorf("store: benchmark: %w", err)
		}
	}
	if changed {
		t.counts.Updated++
	} else {
		t.counts.Unchanged++
	}
	return nil
}

// PlatformReports are the platform figures of a shop over a period, per
// agent (merged agents under the agent they are merged into): for each
// agent, the rows of the reports chosen for the period (kpi.ChooseReports:
// inside the period, not overlapping, the shortest first).
type PlatformReports struct {
	Agents map[int64][]kpi.AgentReportRow
	// Spans are every report period of the shop that touches the period,
	// including ranges that stick out of it (to say why they were not used).
	Spans []kpi.Span
}

// Shop is every agent's chosen rows together, for the shop's platform figures.
func (p *PlatformReports) Shop() []kpi.AgentReportRow {
	var out []kpi.AgentReportRow
	ids := make([]int64, 0, len(p.Agents))
	for id := range p.Agents {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		out = append(out, p.Agents[id]...)
	}
	return out
}

// PlatformReports reads the platform reports of shop that fall inside
// [from, to] (cached per data version).
func (s *Store) PlatformReports(ctx context.Context, shop *Shop, from, to kpi.Day) (*PlatformReports, error) {
	v, err := s.cache.Get(cacheKey{"platform", shop.ID, shop.DataVersion, from, to, 0}, func() (any, error) {
		return s.platformReports(ctx, shop, from, to)
	})
	if err != nil {
		return nil, err
	}
	return v.(*PlatformReports), nil
}

func (s *Store) platformReports(ctx context.Context, shop *Shop, from, to kpi.Day) (*PlatformReports, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT COALESCE(a.merged_into, a.id), r.from_day, r.to_day, r.import_id, v.metric, v.col, v.unit, v.value
		FROM agent_reports r JOIN agents a ON a.id = r.agent_id JOIN agent_report_values v ON v.report_id = r.id
		WHERE r.shop_id = ? AND r.to_day >= ? AND r.from_day <= ?
		ORDER BY 1, r.from_day, r.to_day, r.import_id, r.id`, shop.ID, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("store: platform reports: %w", err)
	}
	defer rows.Close()
	type rkey struct {
		agent int64
		span  kpi.Span
	}
	byKey := map[rkey]*kpi.AgentReportRow{}
	spans := map[kpi.Span]bool{}
	for rows.Next() {
		var agent, f, tday, imp int64
		var pv kpi.PlatformValue
		var metric string
		var unit int64
		if err := rows.Scan(&agent, &f, &tday, &imp, &metric, &pv.Column, &unit, &pv.Value); err != nil {
			return nil, err
		}
		pv.Unit = kpi.PlatformUnit(unit)
		if m, ok := kpi.MetricByKey(metric); ok {
			pv.Key = m.Key
		}
		k := rkey{agent, kpi.Span{From: kpi.Day(f), To: kpi.Day(tday)}}
		spans[k.span] = true
		r := byKey[k]
		if r == nil {
			r = &kpi.AgentReportRow{From: k.span.From, To: k.span.To}
			byKey[k] = r
		}
		// Two merged names with a report of the same period: the later import wins.
		replaced := false
		for i := range r.Values {
			if r.Values[i].Metric() == pv.Metric() {
				r.Values[i], replaced = pv, true
			}
		}
		if !replaced {
			r.Values = append(r.Values, pv)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	p := &PlatformReports{Agents: map[int64][]kpi.AgentReportRow{}}
	for sp := range spans {
		p.Spans = append(p.Spans, sp)
	}
	sort.Slice(p.Spans, func(i, j int) bool {
		return p.Spans[i].From < p.Spans[j].From || (p.Spans[i].From == p.Spans[j].From && p.Spans[i].To < p.Spans[j].To)
	})
	perAgent := map[int64][]kpi.Span{}
	for k := range byKey {
		perAgent[k.agent] = append(perAgent[k.agent], k.span)
	}
	for agent, sps := range perAgent {
		for _, sp := range kpi.ChooseReports(sps, from, to) {
			p.Agents[agent] = append(p.Agents[agent], *byKey[rkey{agent, sp}])
		}
	}
	return p, nil
}

// Benchmark is an industry benchmark of one KPI.
type Benchmark struct {
	Metric, Column string
	Avg, Top       sql.NullFloat64
	ReadOn         kpi.Day
	Source         string
}

// Benchmarks lists a shop's benchmarks, newest reading first.
func (s *Store) Benchmarks(ctx context.Context, shopID int64) ([]Benchmark, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT metric, col, avg, top, read_on, source FROM benchmarks WHERE shop_id = ? ORDER BY read_on DESC, metric`, shopID)
	if err != nil {
		return nil, fmt.Errorf("store: benchmarks: %w", err)
	}
	defer rows.Close()
	var out []Benchmark
	for rows.Next() {
		var b Benchmark
		var d int64
		if err := rows.Scan(&b.Metric, &b.Column, &b.Avg, &b.Top, &d, &b.Source); err != nil {
			return nil, err
		}
		b.ReadOn = kpi.Day(d)
		out = append(out, b)
	}
	return out, rows.Err()
}
