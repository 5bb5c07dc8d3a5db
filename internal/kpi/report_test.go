package kpi

import (
	"strings"
	"testing"
)

func TestValuesJSON(t *testing.T) {
	s := Sums{BuyerMessages: 3, Within30s: 1, SalesFen: 123456, PaidOrders: 2, Units: 3}
	d := Distinct{PayingBuyers: 3}
	b, err := Evaluate(&s, &d, false).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{
		`"buyer_messages":3,`, // counts are integers
		`"reply_30s_rate":0.3333333333333333,`,
		`"sales":1234.56,`,             // money in yuan, 2 decimals
		`"aov":411.52,`,                // 1234.56/3 = 411.52 exactly
		`"items_per_buyer":1.0,`,       // floats keep a decimal point
		`"avg_response_seconds":null,`, // no denominator: null, never 0
		`"refund_rate":0.0,`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("missing %s in %s", want, js)
		}
	}
	if !strings.HasPrefix(js, `{"buyer_messages"`) || !strings.HasSuffix(js, `"service_score":null}`) {
		t.Errorf("keys not in METRICS.md order: %s", js)
	}
	if _, ok := Evaluate(&Sums{DSRDescSum: 5, DSRDescN: 1}, &d, true).Get("dsr_description"); ok {
		t.Error("agent DSR should be null")
	}
}

func TestAOVRoundsHalfUp(t *testing.T) {
	for _, tc := range []struct {
		fen, n int64
		want   float64
	}{{41600, 3, 138.67}, {100, 8, 0.13}, {-100, 8, -0.13}, {45540, 3, 151.8}} {
		if got, _ := roundedDiv(tc.fen, tc.n); got != tc.want {
			t.Errorf("%d/%d = %v, want %v", tc.fen, tc.n, got, tc.want)
		}
	}
}

func TestQualityAndCancel(t *testing.T) {
	if !IsQualityReason("外包装破损") || !IsQualityReason("发错颜色了") || IsQualityReason("拍错了") || IsQualityReason("价格保护") {
		t.Error("quality reasons")
	}
	if !IsCancelled(" Cancelled ") || !IsCancelled("交易关闭") || IsCancelled("已取消订单") || IsCancelled("paid") {
		t.Error("cancel words are matched exactly after trimming, case-insensitive")
	}
}
