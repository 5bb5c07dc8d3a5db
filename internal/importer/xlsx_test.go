package importer

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

type sheet struct {
	name string
	rows map[int][]any     // Excel row number -> cells from column A
	raw  map[string]string // cell -> raw numeric value, written as is
}

func sh(name string, rows map[int][]any) sheet { return sheet{name: name, rows: rows} }

// makeXLSX writes a workbook with the given sheets (the first replaces Sheet1).
func makeXLSX(tb testing.TB, date1904 bool, sheets ...sheet) string {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			tb.Fatal(err)
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			tb.Fatal(err)
		}
		for row, cells := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := f.SetSheetRow(s.name, cell, &cells); err != nil {
				tb.Fatal(err)
			}
		}
		for cell, v := range s.raw {
			if err := f.SetCellDefault(s.name, cell, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	p := filepath.Join(tb.TempDir(), "book.xlsx")
	if err := f.SaveAs(p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// wall is a wall-clock time for excelize, which writes the UTC fields of a time.
func wall(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func TestReadXLSX(t *testing.T) {
	notes := sh("说明", map[int][]any{1: {"导出说明"}, 2: {"本文件由系统生成"}})
	orders := sheet{"订单数据", map[int][]any{
		1: {"订单号", "买家", "下单时间", "付款时间", "实付金额（元）", "数量", "商品"},
		2: {240302100201, "张三", wall(2024, 3, 18, 7, 31, 42), "2024-03-18 07:35:00", 59.9, 2, "T恤"},
		3: {"240302-2", "李四", wall(2024, 2, 29, 23, 59, 59), nil, 0.1 + 0.2, nil, " 杯子 "},
		// row 4 left empty
		5: {"240302-3", "王五", "45369.5", "2024/3/18 9:00", "¥1,234.50", "3", nil},
		6: {"240302-4", "赵六", wall(2024, 3, 18, 0, 0, 0), nil, "abc"},
	}, map[string]string{"E3": "0.30000000000000004"}}
	path := makeXLSX(t, false, notes, orders)

	// The fixture really has a date-formatted numeric cell and a numeric money cell.
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if typ, _ := f.GetCellType("订单数据", "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("C2 type %v", typ)
	}
	if v, _ := f.GetCellValue("订单数据", "C2"); !strings.Contains(v, "2024") && !strings.Contains(v, "24") {
		t.Errorf("C2 formatted %q: not a date format", v)
	}
	if v, _ := f.GetCellValue("订单数据", "C2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(v, "45369.") {
		t.Errorf("C2 raw %q", v)
	}
	if v, _ := f.GetCellValue("订单数据", "E3", excelize.Options{RawCellValue: true}); v != "0.30000000000000004" {
		t.Errorf("E3 raw %q", v)
	}
	f.Close()

	r, recs, rowErrs := openAll(t, path, Options{})
	if r.Kind() != kpi.KindOrders || r.Encoding() != EncXLSX {
		t.Fatalf("kind %s enc %s", r.Kind(), r.Encoding())
	}
	if h := r.Header(); !reflect.DeepEqual(h, []string{"订单号", "买家", "下单时间", "付款时间", "实付金额（元）", "数量", "商品"}) {
		t.Errorf("header %q", h)
	}
	var rows []int
	for _, rec := range recs {
		rows = append(rows, rec.Row)
	}
	if !reflect.DeepEqual(rows, []int{2, 3, 5}) {
		t.Fatalf("rows %v", rows)
	}
	want := []kpi.Order{
		{OrderID: "240302100201", Buyer: "张三", CreatedAt: at(t, "2024-03-18 07:31:42"), PaidAt: at(t, "2024-03-18 07:35:00"), Amount: 5990, Quantity: 2, Product: "T恤"},
		{OrderID: "240302-2", Buyer: "李四", CreatedAt: at(t, "2024-02-29 23:59:59"), Amount: 30, Quantity: 1, Product: "杯子"},
		{OrderID: "240302-3", Buyer: "王五", CreatedAt: at(t, "2024-03-18 12:00:00"), PaidAt: at(t, "2024-03-18 09:00:00"), Amount: 123450, Quantity: 3},
	}
	for i, w := range want {
		if *recs[i].Order != w {
			t.Errorf("order %d = %+v\nwant %+v", i, *recs[i].Order, w)
		}
	}
	if len(rowErrs) != 1 {
		t.Fatalf("row errors %v", rowErrs)
	}
	if e := rowErrs[0]; e.Row != 6 || e.Column != "实付金额（元）" || e.Value != "abc" || !reflect.DeepEqual(e.Raw[:2], []string{"240302-4", "赵六"}) {
		t.Errorf("row error %+v", e)
	}
	if read, total := r.Progress(); read != total || total == 0 {
		t.Errorf("progress %d/%d", read, total)
	}
}

func TestReadXLSXHeaderBelowBlankRows(t *testing.T) {
	path := makeXLSX(t, false, sh("Sheet", map[int][]any{
		3: {"buyer", "role", "sent_at"},
		4: {"b", "bot", wall(2024, 3, 18, 7, 31, 42)},
		6: {"b", "buyer", 1710718302},
	}))
	_, recs, rowErrs := openAll(t, path, Options{})
	if len(rowErrs) != 0 || len(recs) != 2 || recs[0].Row != 4 || recs[1].Row != 6 {
		t.Fatalf("recs %v errs %v", recs, rowErrs)
	}
	if recs[0].Message.SentAt != at(t, "2024-03-18 07:31:42") || recs[1].Message.SentAt != at(t, "2024-03-18 07:31:42") {
		t.Errorf("sent_at %v %v", recs[0].Message.SentAt, recs[1].Message.SentAt)
	}
}

func TestReadXLSXDate1904(t *testing.T) {
	path := makeXLSX(t, true, sh("Sheet", map[int][]any{
		1: {"buyer", "姓名", "生日", "入会时间"},
		2: {"b", "n", wall(1990, 11, 3, 0, 0, 0), wall(2024, 3, 18, 7, 31, 42)},
	}))
	_, recs, rowErrs := openAll(t, path, Options{})
	if len(rowErrs) != 0 || len(recs) != 1 {
		t.Fatalf("recs %v errs %v", recs, rowErrs)
	}
	if c := recs[0].Customer; c.Birthday != "11-03" || c.JoinedAt != at(t, "2024-03-18 07:31:42") {
		t.Errorf("customer %+v", c)
	}
}

func TestReadXLSXRefusals(t *testing.T) {
	// No sheet detects: the error names the first sheet's header.
	path := makeXLSX(t, false, sh("A", map[int][]any{1: {"日期", "备注"}}), sh("B", map[int][]any{}))
	_, err := Open(path, Options{})
	var uk *UnknownKindError
	if !errors.As(err, &uk) || !reflect.DeepEqual(uk.Header, []string{"日期", "备注"}) {
		t.Errorf("unknown: %v", err)
	}
	// Missing columns are reported over an unknown first sheet.
	path = makeXLSX(t, false, sh("A", map[int][]any{1: {"日期"}}), sh("B", map[int][]any{1: {"订单号", "实付金额"}}))
	_, err = Open(path, Options{})
	var mc *MissingColumnsError
	if !errors.As(err, &mc) || mc.Kind != kpi.KindOrders || !reflect.DeepEqual(mc.Missing, []string{"paid_at"}) {
		t.Errorf("missing: %v", err)
	}
	// With Options.Kind, the first sheet having that kind's columns is read.
	path = makeXLSX(t, false,
		sh("orders", map[int][]any{1: {"订单号", "买家", "下单时间", "支付时间", "实付金额"}}),
		sh("complaints", map[int][]any{1: {"买家", "发起时间"}, 2: {"b", "2024-03-01"}}))
	r, recs, _ := openAll(t, path, Options{Kind: kpi.KindComplaints})
	if r.Kind() != kpi.KindComplaints || len(recs) != 1 {
		t.Errorf("kind %s recs %d", r.Kind(), len(recs))
	}
	// Empty workbook.
	if _, err := Open(makeXLSX(t, false, sh("A", nil)), Options{}); !errors.Is(err, ErrNoHeader) {
		t.Errorf("empty: %v", err)
	}
	// Decompressed size limit.
	_, err = Open(path, Options{Limits: Limits{MaxXLSXUnzipped: 1000}})
	var le *LimitError
	if !errors.As(err, &le) || le.What != LimitXLSXUnzipped || le.Limit != 1000 {
		t.Errorf("unzip limit: %v", err)
	}
	// Cell limits apply to xlsx rows too.
	path = makeXLSX(t, false, sh("A", map[int][]any{1: {"buyer", "role", "sent_at", "content"}, 2: {"b", "buyer", "2024-03-01", strings.Repeat("x", 100)}}))
	r, err = Open(path, Options{Limits: Limits{MaxCellBytes: 50}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.Next(); !errors.As(err, &le) || le.What != LimitCellBytes || le.Row != 2 {
		t.Errorf("cell limit: %v", err)
	}
	// A zip that is not a workbook.
	if _, err := Open(writeFile(t, "z.xlsx", []byte("PK\x03\x04garbage")), Options{}); err == nil {
		t.Error("broken zip accepted")
	}
}
