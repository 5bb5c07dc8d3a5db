package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// kefuboard customers and loyalty: one object per buyer with a paid order
// (cancelled ones ignored) sorted by buyer, with the RFM segment of
// LOYALTY.md; the period keys with ceil(0.3 × buyers) and the returning
// share (a first order on `from` is not returning); null rates without
// buyers.
func TestCustomersAndLoyaltyCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	orders := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(orders, []byte("order_id,buyer,created_at,paid_at,amount,status\n"+
		"A1,甲,2026-10-20 10:00:00,2026-10-20 10:00:00,100,\n"+ // before the period: 甲 is returning
		"A2,甲,2026-11-01 10:00:00,2026-11-01 10:00:00,300,\n"+
		"A3,甲,2026-11-02 10:00:00,2026-11-02 10:00:00,200,\n"+
		"B1,乙,2026-11-01 09:00:00,2026-11-01 09:00:00,50,\n"+ // first order on from: new
		"C1,丙,2026-11-10 09:00:00,2026-11-10 09:00:00,50,\n"+
		"C2,丙,2026-11-11 09:00:00,2026-11-11 09:00:00,999,交易关闭\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, nil, "import", "--db", db, "--shop", "店", "--platform", "taobao", "--tz", "Asia/Shanghai", orders); code != 0 {
		t.Fatalf("import %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, nil, "customers", "--db", db, "--shop", "店", "--json")
	if code != 0 {
		t.Fatalf("customers %d %s", code, errs)
	}
	var cs []struct {
		Buyer       string  `json:"buyer"`
		Orders      int     `json:"orders"`
		Spend       float64 `json:"spend"`
		FirstPaid   string  `json:"first_paid"`
		LastPaid    string  `json:"last_paid"`
		RecencyDays int     `json:"recency_days"`
		Segment     string  `json:"segment"`
	}
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// As of the last data day 11-11 (the closed order still has a row).
	// Recency 9, 10, 1 (mean 6.67): 丙 high. Orders 3, 1, 1 (mean 1.67):
	// 甲 high. Spend 600, 50, 50 (mean 233.3): 甲 high.
	want := []string{"丙 1 50 2026-11-10 2026-11-10 1 general_develop", "乙 1 50 2026-11-01 2026-11-01 10 general_winback",
		"甲 3 600 2026-10-20 2026-11-02 9 keep"}
	if len(cs) != 3 {
		t.Fatalf("customers %s", out)
	}
	for i, c := range cs {
		got := c.Buyer + " " + fmt.Sprint(c.Orders) + " " + fmt.Sprint(c.Spend) + " " + c.FirstPaid + " " + c.LastPaid + " " + fmt.Sprint(c.RecencyDays) + " " + c.Segment
		if got != want[i] {
			t.Errorf("customer %d: %s, want %s", i, got, want[i])
		}
	}

	type keys struct {
		Buyers              int      `json:"buyers"`
		RepeatBuyers        int      `json:"repeat_buyers"`
		RepurchaseRate      *float64 `json:"repurchase_rate"`
		ReturningSalesShare *float64 `json:"returning_sales_share"`
		Top30SalesShare     *float64 `json:"top30_sales_share"`
		Top30Buyers         int      `json:"top30_buyers"`
	}
	period := func(from, to string) keys {
		t.Helper()
		code, out, errs := run(t, nil, "loyalty", "--db", db, "--shop", "店", "--from", from, "--to", to, "--json")
		if code != 0 {
			t.Fatalf("loyalty %d %s", code, errs)
		}
		var k keys
		if err := json.Unmarshal([]byte(out), &k); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return k
	}
	k := period("2026-11-01", "2026-11-30")
	// 3 buyers, 甲 repeats; sales 600: 甲 500 returning; top ceil(0.9) = 1 buyer: 甲 500.
	if k.Buyers != 3 || k.RepeatBuyers != 1 || k.RepurchaseRate == nil || *k.RepurchaseRate != 1.0/3 ||
		k.ReturningSalesShare == nil || *k.ReturningSalesShare != 500.0/600 || k.Top30Buyers != 1 || *k.Top30SalesShare != 500.0/600 {
		t.Errorf("November: %+v", k)
	}
	if k := period("2026-12-01", "2026-12-31"); k.Buyers != 0 || k.RepurchaseRate != nil || k.ReturningSalesShare != nil || k.Top30SalesShare != nil {
		t.Errorf("a period without orders: %+v", k)
	}
}
