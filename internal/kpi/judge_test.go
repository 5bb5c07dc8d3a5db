package kpi

import "testing"

func TestThresholdJudge(t *testing.T) {
	th := Thresholds("pdd")
	for _, tc := range []struct {
		key  string
		v    float64
		want Status
	}{
		{"reply_30s_rate", 0.80, StatusGood},
		{"reply_30s_rate", 0.79, StatusWarn},
		{"reply_30s_rate", 0.59, StatusBad},
		{"avg_response_seconds", 30, StatusGood},
		{"avg_response_seconds", 45, StatusWarn},
		{"avg_response_seconds", 61, StatusBad},
		{"effective_reply_rate", 0.50, StatusWarn}, // the pdd rule: below 50% is bad
		{"effective_reply_rate", 0.499, StatusBad},
		{"bad_review_rate", 0, StatusGood},
	} {
		if got := th[tc.key].Judge(tc.v, Better[tc.key]); got != tc.want {
			t.Errorf("%s %v: %v, want %v", tc.key, tc.v, got, tc.want)
		}
	}
	if Thresholds("taobao")["effective_reply_rate"].Bad != 0.60 {
		t.Error("pdd rule leaked to taobao")
	}
	for _, m := range Metrics {
		if _, ok := Better[m.Key]; !ok {
			t.Errorf("%s has no direction", m.Key)
		}
	}
	if (Threshold{Good: 1, Bad: 0}).Judge(5, 0) != StatusNone {
		t.Error("neutral metric judged")
	}
}
