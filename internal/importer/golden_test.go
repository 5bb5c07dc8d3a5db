package importer

import (
	"errors"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// goldenDir is the hand-checked fixture kept in the repository (testdata/golden/README.md).
const goldenDir = "../../testdata/golden"

// readAll drains r, failing the test on a fatal error.
func readAll(t testing.TB, r *Reader) (recs []Record, rowErrs []*RowError) {
	t.Helper()
	for {
		rec, rowErr, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, rowErrs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		if rowErr != nil {
			rowErrs = append(rowErrs, rowErr)
			continue
		}
		recs = append(recs, rec)
	}
}

func openAll(t testing.TB, path string, opts Options) (*Reader, []Record, []*RowError) {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open %s: %v", path, err)
	}
	t.Cleanup(func() { r.Close() })
	recs, rowErrs := readAll(t, r)
	return r, recs, rowErrs
}

func TestGolden(t *testing.T) {
	cases := []struct {
		file string
		kind kpi.Kind
		rows int
	}{
		{"messages.csv", kpi.KindMessages, 71},
		{"orders.csv", kpi.KindOrders, 24},
		{"refunds.csv", kpi.KindRefunds, 7},
		{"reviews.csv", kpi.KindReviews, 10},
		{"complaints.csv", kpi.KindComplaints, 4},
		{"customers.csv", kpi.KindCustomers, 5},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			r, recs, rowErrs := openAll(t, filepath.Join(goldenDir, c.file), Options{})
			if r.Kind() != c.kind {
				t.Errorf("kind = %s, want %s", r.Kind(), c.kind)
			}
			if r.Encoding() != EncUTF8 {
				t.Errorf("encoding = %s", r.Encoding())
			}
			for _, e := range rowErrs {
				t.Errorf("row error: %v", e)
			}
			if len(recs) != c.rows {
				t.Errorf("records = %d, want %d", len(recs), c.rows)
			}
			for i, rec := range recs {
				if rec.Row != i+2 {
					t.Errorf("record %d: Row = %d, want %d", i, rec.Row, i+2)
				}
			}
			read, total := r.Progress()
			if read != total || total == 0 {
				t.Errorf("progress at end = %d/%d", read, total)
			}
		})
	}
}

func TestGoldenValues(t *testing.T) {
	sh := shanghai()
	at := func(s string) kpi.Millis {
		tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, sh)
		if err != nil {
			t.Fatal(err)
		}
		return kpi.Millis(tm.UnixMilli())
	}
	_, msgs, _ := openAll(t, filepath.Join(goldenDir, "messages.csv"), Options{})
	byID := map[string]*kpi.Message{}
	for _, m := range msgs {
		byID[m.Message.MsgID] = m.Message
	}
	g035 := byID["g035"]
	if g035 == nil {
		t.Fatal("g035 missing")
	}
	if g035.SentAt != at("2024-03-03 13:00:00") || g035.SentAt-byID["g034"].SentAt != 86400000 {
		t.Errorf("g035 SentAt = %v", time.UnixMilli(int64(g035.SentAt)).In(sh))
	}
	if g003 := byID["g003"]; g003.Role != kpi.RoleAgent || g003.Agent != "小美" || g003.Buyer != "pdd_buyer_10001" {
		t.Errorf("g003 = %+v", g003)
	}
	if g001 := byID["g001"]; g001.SentAt != at("2024-03-02 07:59:59") || g001.Role != kpi.RoleBuyer || g001.Content != "在吗？【窗口外 07:59:59】" {
		t.Errorf("g001 = %+v", g001)
	}

	_, refunds, _ := openAll(t, filepath.Join(goldenDir, "refunds.csv"), Options{})
	var rf02 *kpi.Refund
	for _, r := range refunds {
		if r.Refund.RefundID == "RF02" {
			rf02 = r.Refund
		}
	}
	if rf02 == nil || !rf02.Intervened || !rf02.MerchantLiable || rf02.Type != kpi.ReturnRefund ||
		rf02.Status != kpi.RefundSuccess || rf02.Amount != 5990 || rf02.RequestedAt != at("2024-03-02 18:00:00") {
		t.Errorf("RF02 = %+v", rf02)
	}

	_, custs, _ := openAll(t, filepath.Join(goldenDir, "customers.csv"), Options{})
	if c := custs[1].Customer; c.Birthday != "11-03" || c.Phone != "13987654321" {
		t.Errorf("customer 2 = %+v", c)
	}
	if c := custs[0].Customer; len(c.Tags) != 2 || c.Tags[0] != "老客户" || c.Tags[1] != "高价值" || c.Birthday != "05-12" {
		t.Errorf("customer 1 = %+v", c)
	}
}
