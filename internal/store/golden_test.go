package store

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

const goldenDir = "../../../shared/fixtures/golden"

// simple parsers for the canonical fixture only; the importer package has the real ones.
func gTime(s string) kpi.Millis {
	if s == "" {
		return 0
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	t, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		panic(err)
	}
	return kpi.Millis(t.UnixMilli())
}
func gFen(s string) kpi.Fen { f, _ := strconv.ParseFloat(s, 64); return kpi.Fen(math.Round(f * 100)) }
func gInt(s string) int64  { n, _ := strconv.ParseInt(s, 10, 64); return n }

func readCSV(t testing.TB, name string) []map[string]string {
	f, err := os.Open(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func importGoldenRaw(t testing.TB, s *Store) {
	ctx := context.Background()
	files := []struct {
		name string
		kind kpi.Kind
		add  func(tx *ImportTx, r map[string]string) error
	}{
		{"messages.csv", kpi.KindMessages, func(tx *ImportTx, r map[string]string) error {
			role := map[string]kpi.Role{"buyer": kpi.RoleBuyer, "agent": kpi.RoleAgent, "bot": kpi.RoleBot}[r["role"]]
			stage := map[string]kpi.Stage{"presale": kpi.StagePresale, "aftersale": kpi.StageAftersale}[r["stage"]]
			return tx.AddMessage(&kpi.Message{MsgID: r["msg_id"], Buyer: r["buyer"], Role: role, Agent: r["agent"], SentAt: gTime(r["sent_at"]), Content: r["content"], Stage: stage})
		}},
		{"orders.csv", kpi.KindOrders, func(tx *ImportTx, r map[string]string) error {
			return tx.AddOrder(&kpi.Order{OrderID: r["order_id"], Buyer: r["buyer"], CreatedAt: gTime(r["created_at"]), PaidAt: gTime(r["paid_at"]),
				Amount: gFen(r["amount"]), Quantity: gInt(r["quantity"]), Status: r["status"], Product: r["product"], Agent: r["agent"],
				ShippedAt: gTime(r["shipped_at"]), PickedUpAt: gTime(r["picked_up_at"]), DeliveredAt: gTime(r["delivered_at"])})
		}},
		{"refunds.csv", kpi.KindRefunds, func(tx *ImportTx, r map[string]string) error {
			typ := map[string]kpi.RefundType{"refund_only": kpi.RefundOnly, "return_refund": kpi.ReturnRefund, "exchange": kpi.Exchange, "reissue": kpi.Reissue}[r["type"]]
			st := map[string]kpi.RefundStatus{"success": kpi.RefundSuccess, "closed": kpi.RefundClosed}[r["status"]]
			return tx.AddRefund(&kpi.Refund{RefundID: r["refund_id"], OrderID: r["order_id"], Buyer: r["buyer"], Type: typ, Status: st,
				RequestedAt: gTime(r["requested_at"]), CompletedAt: gTime(r["completed_at"]), Reason: r["reason"], Amount: gFen(r["amount"]),
				Intervened: r["intervened"] == "true", MerchantLiable: r["merchant_liable"] == "true", Agent: r["agent"]})
		}},
		{"reviews.csv", kpi.KindReviews, func(tx *ImportTx, r map[string]string) error {
			return tx.AddReview(&kpi.Review{ReviewID: r["review_id"], OrderID: r["order_id"], Buyer: r["buyer"], Rating: int8(gInt(r["rating"])),
				CreatedAt: gTime(r["created_at"]), Content: r["content"], Product: r["product"],
				DSRDescription: int8(gInt(r["dsr_description"])), DSRService: int8(gInt(r["dsr_service"])), DSRLogistics: int8(gInt(r["dsr_logistics"]))})
		}},
		{"complaints.csv", kpi.KindComplaints, func(tx *ImportTx, r map[string]string) error {
			return tx.AddComplaint(&kpi.Complaint{ComplaintID: r["complaint_id"], Buyer: r["buyer"], CreatedAt: gTime(r["created_at"]), OrderID: r["order_id"],
				Agent: r["agent"], Type: r["type"], Status: r["status"]})
		}},
	}
	for _, f := range files {
		tx, err := s.BeginImport(ctx, "示例旗舰店", ShopSettings{Platform: "pdd"}, ImportMeta{FileName: f.name, Kind: f.kind})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range readCSV(t, f.name) {
			if err := f.add(tx, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGoldenRaw(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	importGoldenRaw(t, s)
	from, _ := kpi.ParseDay("2024-03-02")
	to, _ := kpi.ParseDay("2024-03-04")
	r, err := s.Report(context.Background(), "示例旗舰店", from, to)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.JSON()
	want, _ := os.ReadFile(filepath.Join(goldenDir, "expected.json"))
	compareJSON(t, got, want)
}

func compareJSON(t testing.TB, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("bad json: %v\n%s", err, got)
	}
	json.Unmarshal(want, &w)
	diff(t, "", g, w)
}

func diff(t testing.TB, path string, g, w any) {
	t.Helper()
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			t.Errorf("%s: got %v, want object", path, g)
			return
		}
		for k := range wv {
			diff(t, path+"."+k, gv[k], wv[k])
		}
		for k := range gv {
			if _, ok := wv[k]; !ok {
				t.Errorf("%s.%s: unexpected key", path, k)
			}
		}
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			t.Errorf("%s: got %v, want %d items", path, g, len(wv))
			return
		}
		for i := range wv {
			diff(t, path+"["+strconv.Itoa(i)+"]", gv[i], wv[i])
		}
	case float64:
		gv, ok := g.(float64)
		if !ok || math.Abs(gv-wv) > 1e-9 {
			t.Errorf("%s: got %v, want %v", path, g, wv)
		}
	default:
		if g != w {
			t.Errorf("%s: got %v, want %v", path, g, w)
		}
	}
}
