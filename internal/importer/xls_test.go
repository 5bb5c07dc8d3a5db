package importer

import (
	"io"
	"os"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSDevCompare(t *testing.T) {
	xlsx, xls := os.Getenv("XLSX"), os.Getenv("XLS")
	if xls == "" {
		t.Skip()
	}
	st, _ := os.Stat(xls)
	wb, err := openXLS(xls, st.Size(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(wb.sheetNames(), wb.date1904())
	if xlsx == "" {
		for _, n := range wb.sheetNames() {
			s, _ := wb.openSheet(n)
			for i := 0; i < 8; i++ {
				c, r, err := s.next()
				if err != nil {
					t.Log(n, err)
					break
				}
				t.Logf("%s %d %q", n, r, c)
			}
		}
		return
	}
	f, _ := excelize.OpenFile(xlsx, excelize.Options{RawCellValue: true})
	diffs := 0
	for _, name := range f.GetSheetList() {
		rows, _ := f.GetRows(name, excelize.Options{RawCellValue: true})
		s, err := wb.openSheet(name)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int][]string{}
		for {
			c, r, err := s.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got[r] = c
		}
		for r, row := range rows {
			for c, v := range row {
				if fv, err := strconv.ParseFloat(v, 64); err == nil {
					v = formatXLSNumber(fv)
				}
				g := ""
				if c < len(got[r+1]) {
					g = got[r+1][c]
				}
				if g != v {
					diffs++
					if diffs < 10 {
						t.Errorf("%s r%d c%d want %q got %q", name, r+1, c+1, v, g)
					}
				}
			}
		}
	}
	t.Log("diffs", diffs)
}
