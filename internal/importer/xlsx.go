package importer

import (
	"errors"
	"io"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// xlsxSource yields the rows of one worksheet, streamed with excelize. Cells
// are read raw (RawCellValue): a date-formatted cell comes as its serial
// number, a money cell as the stored double ("59.900000000000006"); cells
// formatted as text come as typed. ParseTime and ParseMoney accept both.
type xlsxSource struct {
	rows     *excelize.Rows
	row      atomic.Int64 // Excel row number of the last row returned
	lastRow  int64        // from the sheet's dimension, 0 when unknown
	date1904 bool         // the workbook uses the 1904 date system (old Mac Excel)
	size     int64
	done     atomic.Bool
}

// xlsxOptions maps Limits to excelize's: the total decompressed size, and at
// most 16 MiB of worksheet or shared-string XML held in memory (bigger parts
// are extracted to a temporary file and streamed).
func xlsxOptions(lim Limits) excelize.Options {
	return excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    lim.MaxXLSXUnzipped,
		UnzipXMLSizeLimit: min(lim.MaxXLSXUnzipped, 16<<20),
	}
}

// xlsxBook is an XLSX workbook opened with excelize.
type xlsxBook struct {
	f    *excelize.File
	size int64
	d    bool
}

// openXLSX opens the workbook; openWorkbookSheet then picks the sheet.
func openXLSX(path string, size int64, lim Limits) (workbook, error) {
	if err := checkXLSXParts(path, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, xlsxOptions(lim))
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, &LimitError{What: LimitXLSXUnzipped, Limit: lim.MaxXLSXUnzipped}
		}
		return nil, errors.New("无法打开 Excel 文件 (cannot open xlsx): " + err.Error())
	}
	wb := &xlsxBook{f: f, size: size}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		wb.d = *p.Date1904
	}
	return wb, nil
}

func (wb *xlsxBook) sheetNames() []string { return wb.f.GetSheetList() }
func (wb *xlsxBook) date1904() bool       { return wb.d }
func (wb *xlsxBook) close() error         { return wb.f.Close() }

func (wb *xlsxBook) openSheet(name string) (sheetSource, error) {
	rows, err := wb.f.Rows(name)
	if err != nil {
		return nil, err
	}
	s := &xlsxSource{rows: rows, size: wb.size, date1904: wb.d}
	if dim, err := wb.f.GetSheetDimension(name); err == nil {
		s.lastRow = dimensionLastRow(dim)
	}
	return s, nil
}

func (s *xlsxSource) next() ([]string, int, error) {
	if !s.rows.Next() {
		s.done.Store(true)
		if err := s.rows.Error(); err != nil {
			return nil, 0, &CorruptError{Row: int(s.row.Load()), Err: err}
		}
		return nil, 0, io.EOF
	}
	row := s.row.Add(1)
	cells, err := s.rows.Columns()
	if err != nil {
		return nil, 0, &CorruptError{Row: int(row), Err: err}
	}
	return cells, int(row), nil
}

// progress is estimated from the row reached against the sheet's last row.
func (s *xlsxSource) progress() (int64, int64) {
	if s.done.Load() {
		return s.size, s.size
	}
	if s.lastRow <= 0 {
		return 0, s.size
	}
	r := min(s.row.Load(), s.lastRow)
	return s.size * r / s.lastRow, s.size
}

func (s *xlsxSource) close() error { return s.rows.Close() }

// dimensionLastRow reads the last row of a dimension ref such as "A1:L1000".
func dimensionLastRow(ref string) int64 {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	var n int64
	for i := 0; i < len(ref); i++ {
		if c := ref[i]; c >= '0' && c <= '9' {
			n = n*10 + int64(c-'0')
		}
	}
	return n
}
