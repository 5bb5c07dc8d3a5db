package ingest

import (
	"context"
	"testing"
)

// TestShopColumnRoutesRows: a messages file whose shop column names other shops
// imports each row into its own shop (created like the import's), and
// re-importing it leaves every row unchanged.
func TestShopColumnRoutesRows(t *testing.T) {
	s, _ := openStore(t)
	dir := t.TempDir()
	f := writeFile(t, dir, "m.csv", "店铺,buyer,role,agent,sent_at\n"+
		",b1,buyer,,2024-03-02 10:00:00\n,b1,agent,小美,2024-03-02 10:00:10\n"+
		"二店,b1,buyer,,2024-03-02 11:00:00\n二店,b1,agent,阿强,2024-03-02 11:00:50\n")
	if res := mustImport(t, s, f, goldenOpts()); res.Added != 4 {
		t.Fatalf("%+v", res.Counts)
	}
	shops, _ := s.Shops(context.Background())
	if len(shops) != 2 || shops[0].Platform != "pdd" || shops[1].Platform != "pdd" {
		t.Fatalf("shops %+v %+v", shops[0], shops[1])
	}
	for shop, want := range map[string]float64{"示例旗舰店": 1, "二店": 0} {
		if got := metric(t, reportJSON(t, s, shop, "2024-03-02", "2024-03-02"), "reply_30s_rate"); got != want {
			t.Errorf("%s: reply_30s_rate %v, want %v", shop, got, want)
		}
	}
	if res := mustImport(t, s, f, goldenOpts()); res.Unchanged != 4 {
		t.Fatalf("re-import %+v", res.Counts)
	}
}
