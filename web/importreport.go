package web

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/views"
)

// The preview of a platform agent report (客服绩效): its period — from the
// rows' date column, the file name, or a field the owner fills in — and the
// first agents with their first figures.

// reportPreviewFigures is how many figure columns the preview shows.
const reportPreviewFigures = 6

// inspectReport previews an agent report. Without a period (no date column,
// no date in the name) the rows are read under a stand-in period, only to
// show them; the import then needs the period the owner types.
func inspectReport(f *stagedFile, loc *time.Location, lim importer.Limits) {
	r, err := importer.Open(f.Path, importer.Options{Kind: kpi.KindAgentReport, Location: loc, Limits: lim})
	if err != nil {
		f.Refused = importErrMessage(err)
		return
	}
	f.Kind, f.Encoding = r.Kind(), r.Encoding()
	if sp, ok := r.Period(); ok {
		f.Period = periodText(sp)
	}
	f.NeedsPeriod = r.NeedsPeriod()
	if f.NeedsPeriod {
		r.Close()
		stand := kpi.Span{From: 0, To: 0}
		if r, err = importer.Open(f.Path, importer.Options{Kind: kpi.KindAgentReport, Location: loc, Limits: lim, Period: &stand}); err != nil {
			f.Refused = importErrMessage(err)
			return
		}
	}
	defer r.Close()
	var figures []string // metric keys in the order first seen
	for len(f.Rows) < importPreviewRows {
		rec, rowErr, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.Refused = importErrMessage(err)
			return
		}
		if rowErr != nil {
			f.Rows = append(f.Rows, previewRow{Row: rowErr.Row, Error: rowErr.Error()})
			continue
		}
		a := rec.AgentReport
		if len(figures) == 0 {
			for _, v := range a.Values {
				if len(figures) < reportPreviewFigures {
					figures = append(figures, v.Metric())
					f.Columns = append(f.Columns, previewColumn{Header: v.Column, Canonical: v.Key})
				}
			}
		}
		name := a.Agent
		if a.Benchmark == kpi.BenchmarkAvg {
			name = "同行同层均值（行业基准）"
		} else if a.Benchmark == kpi.BenchmarkTop {
			name = "同行同层优秀（行业基准）"
		}
		row := previewRow{Row: rec.Row, Cells: []string{name}}
		if !f.NeedsPeriod {
			row.Cells = append(row.Cells, periodText(kpi.Span{From: a.From, To: a.To}))
		}
		for _, key := range figures {
			row.Cells = append(row.Cells, figureText(a.Values, key))
		}
		f.Rows = append(f.Rows, row)
	}
	lead := []previewColumn{{Header: "客服", Canonical: "agent"}}
	if !f.NeedsPeriod {
		lead = append(lead, previewColumn{Header: "报表日期", Canonical: "date"})
	}
	f.Columns = append(lead, f.Columns...)
	f.Skipped = r.Skipped()
	if len(f.Rows) == 0 {
		f.Refused = "这份客服绩效报表里没有客服的数据行（只有表头或汇总行）。"
	}
}

// periodText writes a period as the period field reads it.
func periodText(s kpi.Span) string {
	if s.From == s.To {
		return s.From.String()
	}
	return s.From.String() + ".." + s.To.String()
}

// figureText is one platform figure as the pages would show it.
func figureText(vals []kpi.PlatformValue, metric string) string {
	for _, v := range vals {
		if v.Metric() != metric {
			continue
		}
		switch v.Unit {
		case kpi.PUnitRate:
			return views.FormatMetric(kpi.UnitRate, v.Value, true)
		case kpi.PUnitFen:
			return views.FormatMetric(kpi.UnitYuan, v.Value/100, true)
		case kpi.PUnitSeconds:
			return views.FormatMetric(kpi.UnitSeconds, v.Value, true)
		case kpi.PUnitCount:
			return views.FormatMetric(kpi.UnitCount, v.Value, true)
		}
		return views.FormatMetric(kpi.UnitRatio, v.Value, true)
	}
	return "—"
}

// formPeriod reads an agent report's period field of the preview form.
// ok is false for an empty field.
func formPeriod(c *fiber.Ctx, idx string) (kpi.Span, bool) {
	v := strings.TrimSpace(c.FormValue("period_" + idx))
	if v == "" {
		return kpi.Span{}, false
	}
	sp, err := importer.ParsePeriod(v)
	return sp, err == nil
}

// badPeriods checks the period fields of the agent reports the owner chose to
// import: a field that does not read, or an empty one where the file has no
// dates of its own, is marked on the staged file (shown on the preview).
func (m *importState) badPeriods(c *fiber.Ctx, st *staging) bool {
	bad := false
	for _, f := range st.Files {
		idx := strconv.Itoa(f.Index)
		f.PeriodError = ""
		kind := f.Kind
		if k, ok := kpi.ParseKind(c.FormValue("kind_" + idx)); ok {
			kind = k
		}
		if f.Refused != "" || c.FormValue("include_"+idx) == "" || kind != kpi.KindAgentReport {
			continue
		}
		v := strings.TrimSpace(c.FormValue("period_" + idx))
		switch _, err := importer.ParsePeriod(v); {
		case v == "" && f.NeedsPeriod:
			f.PeriodError = "请填写报表日期：这份报表没有日期列，文件名里也没有日期。"
		case v != "" && err != nil:
			f.PeriodError = err.Error()
		default:
			continue
		}
		f.Period, bad = v, true
	}
	return bad
}
