package loyalty

import (
	"math"
	"reflect"
	"testing"
)

func TestClassify(t *testing.T) {
	const gw = GeneralWinback
	huge := int64(math.MaxInt64)
	tests := []struct {
		name string
		in   []RFM
		want []string
	}{
		{"empty", nil, []string{}},
		{"single buyer equals the means", []RFM{{3, 2, 500}}, []string{gw}},
		{"recency tie with mean is low",
			[]RFM{{0, 1, 100}, {5, 1, 100}, {10, 1, 100}},
			[]string{GeneralDevelop, gw, gw}},
		{"frequency tie with mean is low",
			[]RFM{{5, 1, 100}, {5, 2, 100}, {5, 3, 100}},
			[]string{gw, gw, GeneralKeep}},
		{"monetary tie with mean is low",
			[]RFM{{5, 1, 100}, {5, 1, 200}, {5, 1, 300}},
			[]string{gw, gw, Winback}},
		{"all 8 segments",
			[]RFM{
				{0, 5, 1000}, {0, 1, 1000}, {10, 5, 1000}, {10, 1, 1000},
				{0, 5, 100}, {0, 1, 100}, {10, 5, 100}, {10, 1, 100},
			},
			[]string{Champion, Develop, Keep, Winback, GeneralValue, GeneralDevelop, GeneralKeep, GeneralWinback}},
		{"monetary sums overflow int64 and floats cannot tell the values apart",
			[]RFM{{1, 1, huge}, {1, 1, huge}, {1, 1, huge - 1}},
			[]string{Winback, Winback, gw}},
		{"recency near MaxInt",
			[]RFM{{math.MaxInt, 1, 1}, {math.MaxInt, 1, 1}, {0, 1, 1}},
			[]string{gw, gw, GeneralDevelop}},
		{"negative extremes",
			[]RFM{{1, 1, math.MinInt64}, {1, 1, math.MinInt64 + 1}},
			[]string{gw, Winback}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Classify = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestClassifyMillionBuyers(t *testing.T) {
	// 1e6 buyers × 1e9 fen; one spends 1 fen more and is the only M-high one.
	bs := make([]RFM, 1_000_000)
	for i := range bs {
		bs[i] = RFM{RecencyDays: 30, Frequency: 2, MonetaryFen: 1_000_000_000}
	}
	bs[123456].MonetaryFen++
	got := Classify(bs)
	for i, s := range got {
		want := GeneralWinback
		if i == 123456 {
			want = Winback
		}
		if s != want {
			t.Fatalf("buyer %d: %s, want %s", i, s, want)
		}
	}
}

func TestSegmentLabelRank(t *testing.T) {
	if len(Segments) != 8 {
		t.Fatalf("%d segments", len(Segments))
	}
	for i, s := range Segments {
		if SegmentRank(s.Key) != i || SegmentLabel(s.Key) != s.Label || s.Label == "" || s.Advice == "" {
			t.Errorf("segment %d %+v: rank %d label %q", i, s, SegmentRank(s.Key), SegmentLabel(s.Key))
		}
	}
	tests := []struct {
		key, label string
		rank       int
	}{
		{Champion, "重要价值客户", 0},
		{Winback, "重要挽留客户", 3},
		{GeneralWinback, "一般挽留客户", 7},
		{"", "", 8},
		{"vip", "vip", 8},
	}
	for _, tc := range tests {
		if got := SegmentLabel(tc.key); got != tc.label {
			t.Errorf("SegmentLabel(%q) = %q, want %q", tc.key, got, tc.label)
		}
		if got := SegmentRank(tc.key); got != tc.rank {
			t.Errorf("SegmentRank(%q) = %d, want %d", tc.key, got, tc.rank)
		}
	}
}
