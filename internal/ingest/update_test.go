package ingest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func metric(t *testing.T, report, key string) any {
	t.Helper()
	var r struct{ Metrics map[string]any }
	if err := json.Unmarshal([]byte(report), &r); err != nil {
		t.Fatal(err)
	}
	return r.Metrics[key]
}

// TestNewerExportUpdates: importing a newer export of the same rows updates
// them (an order that got paid, a refund that completed) and the report follows;
// the same export again changes nothing.
func TestNewerExportUpdates(t *testing.T) {
	s, _ := openStore(t)
	dir := t.TempDir()
	opt := goldenOpts()
	msgs := writeFile(t, dir, "m.csv", "buyer,role,agent,sent_at\nb1,buyer,,2024-03-02 10:00:00\nb1,agent,小美,2024-03-02 10:00:10\n")
	mustImport(t, s, msgs, opt)

	v1 := writeFile(t, dir, "o1.csv", "order_id,buyer,created_at,paid_at,amount\nO1,b1,2024-03-02 10:05:00,,88.00\n")
	v2 := writeFile(t, dir, "o2.csv", "order_id,buyer,created_at,paid_at,amount\nO1,b1,2024-03-02 10:05:00,2024-03-02 10:06:00,88.00\n")
	r1 := writeFile(t, dir, "r1.csv", "refund_id,order_id,type,status,requested_at,completed_at\nR1,O1,仅退款,处理中,2024-03-02 12:00:00,\n")
	r2 := writeFile(t, dir, "r2.csv", "refund_id,order_id,type,status,requested_at,completed_at\nR1,O1,仅退款,退款成功,2024-03-02 12:00:00,2024-03-02 14:00:00\n")

	if res := mustImport(t, s, v1, opt); res.Added != 1 {
		t.Fatalf("v1: %+v", res.Counts)
	}
	rep := reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-02")
	if metric(t, rep, "paid_orders") != 0.0 || metric(t, rep, "converted_inquiries") != 0.0 {
		t.Fatalf("unpaid order counted: %s", rep)
	}
	if res := mustImport(t, s, v2, opt); res.Updated != 1 || res.Added != 0 {
		t.Fatalf("v2: %+v", res.Counts)
	}
	rep = reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-02")
	if metric(t, rep, "paid_orders") != 1.0 || metric(t, rep, "sales") != 88.0 || metric(t, rep, "converted_inquiries") != 1.0 ||
		metric(t, rep, "attributed_sales") != 88.0 {
		t.Fatalf("paid order not counted: %s", rep)
	}
	if res := mustImport(t, s, v2, opt); res.Unchanged != 1 || res.Updated != 0 {
		t.Fatalf("v2 again: %+v", res.Counts)
	}
	mustImport(t, s, r1, opt)
	if rep = reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-02"); metric(t, rep, "refund_rate") != 0.0 {
		t.Fatalf("pending refund counted: %s", rep)
	}
	if res := mustImport(t, s, r2, opt); res.Updated != 1 {
		t.Fatalf("r2: %+v", res.Counts)
	}
	rep = reportJSON(t, s, "示例旗舰店", "2024-03-02", "2024-03-02")
	if metric(t, rep, "refund_rate") != 1.0 || metric(t, rep, "avg_refund_only_hours") != 2.0 {
		t.Fatalf("completed refund not counted: %s", rep)
	}
}
