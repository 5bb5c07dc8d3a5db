package importer

import (
	"errors"
	"io"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// headerScanRows is how many non-blank rows at the top of a sheet (or a CSV)
// may come before the header: platform downloads start with banner rows
// (生意参谋: "下载数据最多5000条…", "收藏网址：…") and a two-row header has a
// group row above the field row.
const headerScanRows = 20

// rowStream is a stream of rows with their Excel row numbers.
type rowStream interface {
	next() (cells []string, row int, err error)
}

// workbook is a spreadsheet file whose sheets are read one after the other
// until one holds a header: XLSX (excelize) or legacy BIFF .xls.
type workbook interface {
	sheetNames() []string
	// openSheet streams one sheet; the source's close releases the sheet only.
	openSheet(name string) (sheetSource, error)
	date1904() bool
	close() error
}

// sheetSource is a source over one sheet of a workbook.
type sheetSource interface {
	source
}

// findHeader reads up to headerScanRows non-blank rows of rs and returns the
// first that resolves as a header (detected kind, or want's required
// columns), with its row number. Rows above it are skipped. When none
// resolves, the most useful refusal is returned: missing columns over an
// unknown header (the row that matched the most columns), else the first
// row's; io.EOF-only streams give ErrNoHeader.
func findHeader(rs rowStream, want kpi.Kind, lim Limits) (header []string, b *binding, row int, err error) {
	var best error
	bestScore := -1
	for seen := 0; seen < headerScanRows; {
		cells, r, err := rs.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, 0, err
		}
		if err := checkRow(cells, r, lim); err != nil {
			return nil, nil, 0, err
		}
		stripNUL(cells)
		if blankRow(cells) {
			continue
		}
		seen++
		h := append([]string(nil), cells...)
		b, err := resolve(h, want)
		if err == nil {
			return h, b, r, nil
		}
		if s := refusalScore(err); s > bestScore {
			best, bestScore = err, s
		}
	}
	if best == nil {
		best = ErrNoHeader
	}
	return nil, nil, 0, best
}

// refusalScore ranks why a row is not a header: a row that names a kind but
// lacks columns beats one that names nothing, and more recognised columns
// beat fewer. The first row wins ties (strictly greater replaces).
func refusalScore(err error) int {
	var mc *MissingColumnsError
	if errors.As(err, &mc) {
		return 1000 + len(mc.Recognised)
	}
	var uk *UnknownKindError
	if errors.As(err, &uk) {
		return len(uk.Candidates)
	}
	return 0
}

// openWorkbookSheet picks the first sheet of wb with a header (findHeader)
// and returns its source; the source's close also closes the workbook. When
// no sheet has one, the most useful sheet's refusal is returned.
func openWorkbookSheet(wb workbook, want kpi.Kind, lim Limits) (source, []string, *binding, error) {
	var best error
	bestScore := -1
	for _, name := range wb.sheetNames() {
		s, err := wb.openSheet(name)
		if err != nil {
			continue
		}
		header, b, _, err := findHeader(s, want, lim)
		if err == nil {
			return &ownedSheet{sheetSource: s, wb: wb}, header, b, nil
		}
		_ = s.close()
		var le *LimitError
		var ce *CorruptError
		if errors.As(err, &le) || errors.As(err, &ce) {
			_ = wb.close()
			return nil, nil, nil, err
		}
		if sc := refusalScore(err); sc > bestScore {
			best, bestScore = err, sc
		}
	}
	_ = wb.close()
	if best == nil {
		best = ErrNoHeader
	}
	return nil, nil, nil, best
}

// ownedSheet closes its workbook with the sheet.
type ownedSheet struct {
	sheetSource
	wb workbook
}

func (o *ownedSheet) close() error {
	err := o.sheetSource.close()
	if e := o.wb.close(); err == nil {
		err = e
	}
	return err
}
