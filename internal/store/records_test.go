package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
)

// importKind imports rows of one kind into shop 店一 (PDD, Asia/Shanghai).
func importKind(t *testing.T, s *Store, kind kpi.Kind, add func(tx *ImportTx) error) {
	t.Helper()
	tx, err := s.BeginImport(context.Background(), "店一", ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"},
		ImportMeta{FileName: string(kind) + ".csv", Kind: kind, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	if err := add(tx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// recordRow is the part of a stored record the tests compare.
type recordRow struct {
	Orders, Units, Refunds, Reviews, Bad, Complaints, Consult int
	Spend, RefundFen                                          int64
	First, Last                                               string
	Name, Tail, Birthday, Tags, Segment, Prev                 string
}

func records(t *testing.T, s *Store) map[string]recordRow {
	t.Helper()
	rows, err := s.write.Query(`SELECT buyer, orders, units, refunds, reviews, bad_reviews, complaints, consult_days, spend_fen, refund_fen,
		COALESCE(first_paid, -1), COALESCE(last_paid, -1), name, phone_tail, birthday_md, tags, segment, prev_segment FROM buyer_records`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]recordRow{}
	for rows.Next() {
		var b string
		var r recordRow
		var first, last int64
		if err := rows.Scan(&b, &r.Orders, &r.Units, &r.Refunds, &r.Reviews, &r.Bad, &r.Complaints, &r.Consult, &r.Spend, &r.RefundFen,
			&first, &last, &r.Name, &r.Tail, &r.Birthday, &r.Tags, &r.Segment, &r.Prev); err != nil {
			t.Fatal(err)
		}
		if first >= 0 {
			r.First, r.Last = kpi.Day(first).String(), kpi.Day(last).String()
		}
		out[b] = r
	}
	return out
}

// The customer records follow every kind of row: orders (paid, not
// cancelled), refunds through their order, reviews, complaints, chat days
// and member rows; a later import rebuilds only what it touched and the
// segments of everyone; a recompute and the upgrade build the same records.
func TestCustomerRecords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) kpi.Millis { return shanghai(t, s) }
	order := func(id, buyer, paid string, fen int64, status string) kpi.Order {
		o := kpi.Order{OrderID: id, Buyer: buyer, CreatedAt: at(paid), PaidAt: at(paid), Amount: kpi.Fen(fen), Quantity: 1, Status: status}
		return o
	}
	orders := []kpi.Order{
		order("A1", "甲", "2026-10-01 10:00:00", 10000, ""),
		order("A2", "甲", "2026-11-01 10:00:00", 20000, ""),
		order("A3", "甲", "2026-11-02 10:00:00", 5000, "已取消"), // cancelled: not counted
		order("B1", "乙", "2026-11-20 10:00:00", 3000, ""),
		order("C1", "丙", "2026-09-01 10:00:00", 90000, ""),
	}
	importKind(t, s, kpi.KindOrders, func(tx *ImportTx) error {
		for i := range orders {
			if err := tx.AddOrder(&orders[i]); err != nil {
				return err
			}
		}
		return nil
	})
	importMessages(t, s,
		kpi.Message{Buyer: "丁", Role: kpi.RoleBuyer, SentAt: at("2026-11-25 10:00:00"), Content: "在吗"},
		kpi.Message{Buyer: "丁", Role: kpi.RoleAgent, Agent: "小美", SentAt: at("2026-11-25 10:00:30"), Content: "在的"},
		kpi.Message{Buyer: "甲", Role: kpi.RoleBuyer, SentAt: at("2026-11-01 09:00:00"), Content: "有货吗"},
		kpi.Message{Buyer: "甲", Role: kpi.RoleBuyer, SentAt: at("2026-11-30 09:00:00"), Content: "到了"},
	)
	importKind(t, s, kpi.KindRefunds, func(tx *ImportTx) error {
		return tx.AddRefund(&kpi.Refund{RefundID: "F1", OrderID: "A2", Type: kpi.RefundOnly, Status: kpi.RefundSuccess,
			RequestedAt: at("2026-11-05 10:00:00"), CompletedAt: at("2026-11-06 10:00:00"), Amount: 2000})
	})
	importReviews(t, s, kpi.Review{ReviewID: "R1", OrderID: "B1", Buyer: "乙", Rating: 2, CreatedAt: at("2026-11-25 10:00:00")})
	importKind(t, s, kpi.KindCustomers, func(tx *ImportTx) error {
		return tx.AddCustomer(&kpi.Customer{Buyer: "甲", Name: "张三", Phone: "13812345678", Birthday: "1990-12-03", Level: "VIP2", Tags: []string{"老客", "爱晒图"}})
	})

	got := records(t, s)
	want := map[string]recordRow{
		"甲": {Orders: 2, Units: 2, Refunds: 1, Consult: 2, Spend: 30000, RefundFen: 2000, First: "2026-10-01", Last: "2026-11-01",
			Name: "张三", Tail: "5678", Birthday: "12-03", Tags: "老客、爱晒图"},
		"乙": {Orders: 1, Units: 1, Reviews: 1, Bad: 1, Spend: 3000, First: "2026-11-20", Last: "2026-11-20"},
		"丙": {Orders: 1, Units: 1, Spend: 90000, First: "2026-09-01", Last: "2026-09-01"},
		"丁": {Consult: 1}, // a prospect: chatted, never ordered
	}
	// Segments as of the last data day (11-30) from the orders themselves.
	shop, _ := s.ShopByName(ctx, "店一")
	last, _ := kpi.ParseDay("2026-11-30")
	asOf, err := s.CustomersAsOf(ctx, shop, last)
	if err != nil {
		t.Fatal(err)
	}
	prev, _ := s.CustomersAsOf(ctx, shop, MonthBefore(last))
	if len(asOf) != 3 || asOf[0].Buyer != "丙" || asOf[1].Buyer != "乙" || asOf[2].Buyer != "甲" { // by code point; 丁 never paid
		t.Fatalf("customers as of %s: %+v", last, asOf)
	}
	for _, c := range asOf {
		r := want[c.Buyer]
		r.Segment = c.Segment
		want[c.Buyer] = r
	}
	for _, c := range prev {
		r := want[c.Buyer]
		r.Prev = c.Segment
		want[c.Buyer] = r
	}
	// R: mean recency (29+10+90)/3 = 43 → 甲, 乙 high; F: mean 4/3 → 甲 high;
	// M: mean 410 yuan → 丙 high only.
	if want["甲"].Segment != loyalty.GeneralValue || want["乙"].Segment != loyalty.GeneralDevelop || want["丙"].Segment != loyalty.Winback {
		t.Errorf("segments %v %v %v", want["甲"].Segment, want["乙"].Segment, want["丙"].Segment)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("records\n got %+v\nwant %+v", got, want)
	}

	// A later import touching only 乙 (a new order) moves everyone's recency.
	more := []kpi.Order{order("B2", "乙", "2026-12-10 10:00:00", 1000, "")}
	importKind(t, s, kpi.KindOrders, func(tx *ImportTx) error { return tx.AddOrder(&more[0]) })
	last, _ = kpi.ParseDay("2026-12-10")
	asOf, _ = s.CustomersAsOf(ctx, shop, last)
	got = records(t, s)
	for _, c := range asOf {
		if r := got[c.Buyer]; r.Segment != c.Segment || r.Orders != c.Orders || r.Spend != c.SpendFen {
			t.Errorf("after the second import %s: record %+v, as-of %+v", c.Buyer, r, c)
		}
	}
	if got["乙"].Orders != 2 || got["乙"].Last != "2026-12-10" {
		t.Errorf("乙 after the new order: %+v", got["乙"])
	}

	// A recompute and an upgrade from before migration 012 build the same.
	if err := s.Recompute(ctx, "店一"); err != nil {
		t.Fatal(err)
	}
	if again := records(t, s); fmt.Sprint(again) != fmt.Sprint(got) {
		t.Errorf("recompute changed the records\n got %+v\nwant %+v", again, got)
	}
	for _, q := range []string{`DROP TABLE buyer_records`, `DROP TABLE care_contacts`, `DROP TABLE care_campaigns`,
		`DELETE FROM schema_migrations WHERE name = '012_loyalty.sql'`} {
		if _, err := s.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again := records(t, s); fmt.Sprint(again) != fmt.Sprint(got) {
		t.Errorf("the upgrade built other records\n got %+v\nwant %+v", again, got)
	}
}

// The stored segments (SQL, 64-bit) equal loyalty.Classify (Go, 128-bit)
// when values sit exactly on the means: recency 0/10/20 (mean 10), orders
// 1/2/3 (mean 2), spend 100/200/300 (mean 200) — the middle buyer is low on
// all three; 甲 is high on R only, 丙 low on R only.
func TestSegmentTiesStoredEqualComputed(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var orders []kpi.Order
	add := func(id, buyer, day string, fen int64) {
		at := shanghai(t, day+" 12:00:00")
		orders = append(orders, kpi.Order{OrderID: id, Buyer: buyer, CreatedAt: at, PaidAt: at, Amount: kpi.Fen(fen), Quantity: 1})
	}
	add("A1", "甲", "2026-11-30", 10000) // recency 0, 1 order, ¥100
	add("B1", "乙", "2026-11-15", 10000) // recency 10 (last 11-20), 2 orders, ¥200
	add("B2", "乙", "2026-11-20", 10000)
	add("C1", "丙", "2026-11-01", 10000) // recency 20 (last 11-10), 3 orders, ¥300
	add("C2", "丙", "2026-11-05", 10000)
	add("C3", "丙", "2026-11-10", 10000)
	importKind(t, s, kpi.KindOrders, func(tx *ImportTx) error {
		for i := range orders {
			if err := tx.AddOrder(&orders[i]); err != nil {
				return err
			}
		}
		return nil
	})
	shop, _ := s.ShopByName(ctx, "店一")
	day, _ := kpi.ParseDay("2026-11-30")
	want, err := s.CustomersAsOf(ctx, shop, day)
	if err != nil {
		t.Fatal(err)
	}
	got := records(t, s)
	wantSeg := map[string]string{"甲": loyalty.GeneralDevelop, "乙": loyalty.GeneralWinback, "丙": loyalty.Keep}
	for _, c := range want {
		if c.Segment != wantSeg[c.Buyer] || got[c.Buyer].Segment != c.Segment {
			t.Errorf("%s: computed %s, stored %s, want %s", c.Buyer, c.Segment, got[c.Buyer].Segment, wantSeg[c.Buyer])
		}
	}
}
