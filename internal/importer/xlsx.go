package importer

import (
	"errors"
	"io"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// xlsxSource yields the rows of one worksheet, streamed with excelize. Cells
// are read raw (RawCellValue): a date-formatted cell comes as its serial
// number, a money cell as the stored double ("59.900000000000006"); cells
// formatted as text come as typed. ParseTime and ParseMoney accept both.
type xlsxSource struct {
	f        *excelize.File
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

// openXLSX opens the workbook and picks the first sheet whose header row (its
// first non-blank row) detects as a kind, or, with want set, has all of that
// kind's required columns. When no sheet fits, the error of the most useful
// sheet is returned: missing columns over an unknown kind.
func openXLSX(path string, size int64, want kpi.Kind, lim Limits) (*xlsxSource, []string, *binding, int, error) {
	f, err := excelize.OpenFile(path, xlsxOptions(lim))
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, nil, nil, 0, &LimitError{What: LimitXLSXUnzipped, Limit: lim.MaxXLSXUnzipped}
		}
		return nil, nil, nil, 0, errors.New("无法打开 Excel 文件 (cannot open xlsx): " + err.Error())
	}
	var date1904 bool
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	var best error
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			continue
		}
		s := &xlsxSource{f: f, rows: rows, size: size, date1904: date1904}
		header, hrow, err := s.firstRow(lim)
		if err != nil {
			_ = rows.Close()
			_ = f.Close()
			return nil, nil, nil, 0, err
		}
		if header == nil {
			_ = rows.Close()
			continue
		}
		b, err := resolve(header, want)
		if err == nil {
			if dim, err := f.GetSheetDimension(name); err == nil {
				s.lastRow = dimensionLastRow(dim)
			}
			return s, header, b, hrow, nil
		}
		_ = rows.Close()
		var mc *MissingColumnsError
		if best == nil || (errors.As(err, &mc) && !errors.As(best, &mc)) {
			best = err
		}
	}
	_ = f.Close()
	if best == nil {
		best = ErrNoHeader
	}
	return nil, nil, nil, 0, best
}

// firstRow returns the first non-blank row (nil at the end of the sheet).
func (s *xlsxSource) firstRow(lim Limits) ([]string, int, error) {
	for {
		cells, row, err := s.next()
		if err == io.EOF {
			return nil, 0, nil
		}
		if err != nil {
			return nil, 0, err
		}
		if err := checkRow(cells, row, lim); err != nil {
			return nil, 0, err
		}
		if !blankRow(cells) {
			return cells, row, nil
		}
	}
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

func (s *xlsxSource) close() error {
	err := s.rows.Close()
	if e := s.f.Close(); err == nil {
		err = e
	}
	return err
}

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
