package importer

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// rezip copies the workbook at src, replacing the named parts, with the
// replacement written by fill (so a gigabyte need never be in memory).
func rezip(t *testing.T, src string, parts map[string]func(w io.Writer)) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "bomb.xlsx")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if fill, ok := parts[e.Name]; ok {
			fill(w)
			delete(parts, e.Name)
			continue
		}
		r, _ := e.Open()
		io.Copy(w, r)
		r.Close()
	}
	for name, fill := range parts {
		w, _ := zw.Create(name)
		fill(w)
	}
	zw.Close()
	f.Close()
	return out
}

func repeat(w io.Writer, s string, n int) {
	chunk := []byte(strings.Repeat(s, 64<<10/len(s)))
	for written := 0; written < n; written += len(chunk) {
		w.Write(chunk)
	}
}

// Finding 4 of the probe: ~1 MB workbooks that unpack into hundreds of MB
// are refused before excelize holds them, with memory bounded.
func TestXLSXBombs(t *testing.T) {
	base := makeXLSX(t, false, sh("Sheet1", map[int][]any{1: {"订单号", "买家", "下单时间", "支付时间", "实付金额"}, 2: {"o1", "b", "2024-03-01", "2024-03-01", 1}}))
	const size = 300 << 20
	sheet := func(cell func(w io.Writer)) func(w io.Writer) {
		return func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>订单号</t></is></c>`)
			cell(w)
			io.WriteString(w, `</row></sheetData></worksheet>`)
		}
	}
	bombs := map[string]map[string]func(w io.Writer){
		"huge shared string": {"xl/sharedStrings.xml": func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
			repeat(w, "a", size)
			io.WriteString(w, `</t></si></sst>`)
		}},
		"one inline cell": {"xl/worksheets/sheet1.xml": sheet(func(w io.Writer) {
			io.WriteString(w, `<c r="B1" t="inlineStr"><is><t>`)
			repeat(w, "b", size)
			io.WriteString(w, `</t></is></c>`)
		})},
		"white space":      {"xl/worksheets/sheet1.xml": sheet(func(w io.Writer) { repeat(w, " ", size) })},
		"many small cells": {"xl/worksheets/sheet1.xml": sheet(func(w io.Writer) { repeat(w, `<c t="inlineStr"><is><t>x</t></is></c>`, size) })},
	}
	for name, parts := range bombs {
		p := rezip(t, base, parts)
		st, _ := os.Stat(p)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Open(p, Options{})
		runtime.ReadMemStats(&after)
		var le *LimitError
		if !errors.As(err, &le) {
			t.Errorf("%s (%d KB): err %v, want a LimitError", name, st.Size()>>10, err)
			continue
		}
		if grew := int64(after.TotalAlloc - before.TotalAlloc); grew > 64<<20 {
			t.Errorf("%s: %d MB allocated refusing it", name, grew>>20)
		}
		t.Logf("%s: %d KB file refused: %v", name, st.Size()>>10, le)
	}
	// A legitimate workbook still opens.
	if _, recs, errs := openAll(t, base, Options{}); len(recs) != 1 || len(errs) != 0 {
		t.Errorf("the plain workbook: %d records, %v", len(recs), errs)
	}
}
