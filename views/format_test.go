package views

import (
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestFormatMetric(t *testing.T) {
	for _, tc := range []struct {
		u    kpi.Unit
		v    float64
		ok   bool
		want string
	}{
		{kpi.UnitCount, 1234567, true, "1,234,567"},
		{kpi.UnitCount, 12, true, "12"},
		{kpi.UnitRate, 0.81234, true, "81.2%"},
		{kpi.UnitRate, 0, false, "—"},
		{kpi.UnitYuan, 1234.5, true, "¥1,234.50"},
		{kpi.UnitYuan, -99.999, true, "-¥100.00"},
		{kpi.UnitSeconds, 23.46, true, "23.5 秒"},
		{kpi.UnitHours, 12, true, "12.0 小时"},
		{kpi.UnitScore, 4.8123, true, "4.81"},
	} {
		if got := FormatMetric(tc.u, tc.v, tc.ok); got != tc.want {
			t.Errorf("%v %v: %q, want %q", tc.u, tc.v, got, tc.want)
		}
	}
}
