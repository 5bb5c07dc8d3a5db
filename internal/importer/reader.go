package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// Limits refuse, whole, a file that would exhaust the machine (docs/IMPORT-FORMATS.md "Bad input").
// A zero field takes its default.
type Limits struct {
	MaxFileBytes    int64 // size of the file on disk; default 2 GiB
	MaxXLSXUnzipped int64 // total decompressed size of an xlsx; default 1 GiB
	MaxColumns      int   // cells per row, not counting blank cells at its end; default 512
	MaxCellBytes    int   // bytes of one cell (UTF-8); default 32 KiB
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: 2 << 30, MaxXLSXUnzipped: 1 << 30, MaxColumns: 512, MaxCellBytes: 32 << 10}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxXLSXUnzipped <= 0 {
		l.MaxXLSXUnzipped = d.MaxXLSXUnzipped
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxCellBytes <= 0 {
		l.MaxCellBytes = d.MaxCellBytes
	}
	return l
}

// Options of Open.
type Options struct {
	Kind     kpi.Kind       // "" = detect from the header
	Location *time.Location // zone of times written without one; nil = Asia/Shanghai
	Limits   Limits         // zero fields = DefaultLimits()
	// FileName is the name the user knows the file by (an upload's original
	// name); "" = the base of the path. Agent reports read their period from it.
	FileName string
	// Period, when set, is the period of an agent report without a date
	// column, as the user stated it; it wins over the file name.
	Period *kpi.Span
	// BadReviews reads the file as a copied list of bad reviews (the upload
	// option "这些都是中差评"): a reviews file whose rating column may be
	// missing or blank; such reviews are rated 2.
	BadReviews bool
}

// Record is one imported row. Exactly one pointer is set, matching the kind.
type Record struct {
	Row       int // 1-based row number as in Excel: header row 1, first data row 2
	Message   *kpi.Message
	Order     *kpi.Order
	Refund    *kpi.Refund
	Review    *kpi.Review
	Complaint *kpi.Complaint
	Customer  *kpi.Customer
	// AgentReport is one agent's (or a benchmark's) row of a platform report.
	AgentReport *kpi.AgentReportRow
	// Messages are the messages of one conversation cell (a collector's
	// 客户ID, 聊天记录 layout), in order.
	Messages []*kpi.Message
}

// empty is a row the kind skips without error (a report's total rows).
func (r Record) empty() bool {
	return r.Message == nil && r.Order == nil && r.Refund == nil && r.Review == nil &&
		r.Complaint == nil && r.Customer == nil && r.AgentReport == nil && len(r.Messages) == 0
}

// source is a CSV or XLSX row stream.
type source interface {
	next() (cells []string, row int, err error)
	progress() (read, total int64)
	close() error
}

// Reader streams the records of one file.
type Reader struct {
	src    source
	kind   kpi.Kind
	header []string
	b      *binding
	enc    string
	loc    *time.Location
	lim    Limits
	d1904  bool // serial dates count from 1904-01-01 (xlsx date1904 workbooks)
	build  func(r *Reader, cells []string, row int) (Record, *RowError)
	err    error // sticky: io.EOF or a fatal error

	// Agent reports.
	report    *reportLayout
	period    kpi.Span // the file's period (user, else file name)
	hasPeriod bool
	skipped   int // total and average rows skipped

	badReviews bool // Options.BadReviews
	nuls       int  // NUL characters stripped from cells
	// The day the file name gives (chat exports whose times have no date).
	nameDay    kpi.Day
	hasNameDay bool
}

// Open opens a CSV/TSV or XLSX file, reads its header and detects its kind
// (or checks the one given in opts). An XLSX file is recognised by its zip
// signature "PK\x03\x04", not by its extension. Whole-file refusals are
// *LimitError, *UnknownKindError, *MissingColumnsError, ErrNoHeader and
// ErrLegacyXLS.
func Open(path string, opts Options) (*Reader, error) {
	lim := opts.Limits.withDefaults()
	loc := opts.Location
	if loc == nil {
		loc = shanghai()
	}
	if opts.Kind != "" && specs[opts.Kind] == nil {
		return nil, errors.New("未知的文件类型 (unknown kind): " + string(opts.Kind))
	}
	if opts.BadReviews {
		opts.Kind = kindBadReviews
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	size := st.Size()
	if size > lim.MaxFileBytes {
		f.Close()
		return nil, &LimitError{What: LimitFileSize, Limit: lim.MaxFileBytes}
	}
	magic := make([]byte, 8)
	n, _ := f.ReadAt(magic, 0)
	magic = magic[:n]
	r := &Reader{loc: loc, lim: lim}
	switch {
	case bytes.HasPrefix(magic, magicZip), bytes.HasPrefix(magic, magicOLE):
		f.Close()
		open, enc := openXLSX, EncXLSX
		if bytes.HasPrefix(magic, magicOLE) {
			open, enc = openXLS, EncXLS
		}
		if err := r.openBook(open, path, size, opts.Kind, enc); err != nil {
			return nil, err
		}
	default:
		src, enc, err := openCSV(f, size, lim)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.src, r.enc = src, enc
		if err := r.readHeader(opts.Kind); err != nil {
			src.close()
			return nil, err
		}
	}
	r.kind = r.b.spec.kind
	r.build = builders[r.kind]
	r.badReviews = opts.BadReviews
	name := opts.FileName
	if name == "" {
		name = filepath.Base(path)
	}
	if sp, ok := PeriodFromName(name); ok && sp.From == sp.To {
		r.nameDay, r.hasNameDay = sp.From, true
	}
	if r.kind == kpi.KindAgentReport {
		r.report = r.b.report
		switch {
		case opts.Period != nil:
			r.period, r.hasPeriod = *opts.Period, true
		default:
			r.period, r.hasPeriod = PeriodFromName(name)
		}
	}
	return r, nil
}

// openBook opens a workbook (XLSX or legacy XLS) and its first sheet with a header.
func (r *Reader) openBook(open func(string, int64, Limits) (workbook, error), path string, size int64, want kpi.Kind, enc string) error {
	wb, err := open(path, size, r.lim)
	if err != nil {
		return err
	}
	r.d1904 = wb.date1904()
	r.src, r.header, r.b, err = openWorkbookSheet(wb, want, r.lim)
	r.enc = enc
	return err
}

// Period is an agent report's period as the user gave it or the file name
// says; ok is false when neither does (rows may still carry dates).
func (r *Reader) Period() (kpi.Span, bool) { return r.period, r.hasPeriod }

// NeedsPeriod reports an agent report that cannot be imported until the user
// states its period: no date column, no date in the file name.
func (r *Reader) NeedsPeriod() bool {
	return r.kind == kpi.KindAgentReport && !r.hasPeriod && r.report.date < 0
}

// NULsStripped counts the NUL characters removed from the cells read so far.
// A NUL is never data (a damaged export, or a probe): every cell of every
// kind has them removed, and the import report says how many.
func (r *Reader) NULsStripped() int { return r.nuls }

// stripNUL removes NUL characters from cells in place, returning how many.
func stripNUL(cells []string) int {
	n := 0
	for i, c := range cells {
		if strings.IndexByte(c, 0) >= 0 {
			n += strings.Count(c, "\x00")
			cells[i] = strings.ReplaceAll(c, "\x00", "")
		}
	}
	return n
}

// Skipped counts the total and average rows of an agent report passed over so far.
func (r *Reader) Skipped() int { return r.skipped }

// readHeader finds the header row of a CSV by content (findHeader).
func (r *Reader) readHeader(want kpi.Kind) (err error) {
	r.header, r.b, _, err = findHeader(r.src, want, r.lim)
	return err
}

// Kind is the kind of the file, detected or as given in Options.
func (r *Reader) Kind() kpi.Kind { return r.kind }

// Header returns the header cells as in the file (decoded), for the rejects CSV.
func (r *Reader) Header() []string { return append([]string(nil), r.header...) }

// Columns maps each recognised canonical column name to its header text.
func (r *Reader) Columns() map[string]string {
	m := make(map[string]string)
	for c, i := range r.b.idx {
		if i >= 0 {
			m[r.b.spec.cols[c].name] = r.b.names[c]
		}
	}
	return m
}

// Encoding is "utf-8", "utf-8-bom", "gb18030", "utf-16le" (or "utf-16be") or "xlsx".
func (r *Reader) Encoding() string { return r.enc }

// Progress returns the bytes of the file consumed so far and its size. It is
// safe to call from another goroutine. For XLSX it is estimated from the row
// reached and the sheet's dimension.
func (r *Reader) Progress() (read, total int64) { return r.src.progress() }

// Next returns the next record. Exactly one of the results is set: rec (its
// Row is non-zero), rowErr (the row is rejected; keep calling Next), or err:
// io.EOF at the end, or a fatal error (such as *LimitError) after which the
// whole file must be refused. Fully blank rows are skipped.
func (r *Reader) Next() (rec Record, rowErr *RowError, err error) {
	if r.err != nil {
		return Record{}, nil, r.err
	}
	for {
		cells, row, err := r.src.next()
		if err == nil {
			err = checkRow(cells, row, r.lim)
		}
		if err != nil {
			r.err = err
			return Record{}, nil, err
		}
		r.nuls += stripNUL(cells)
		if blankRow(cells) {
			continue
		}
		if r.NeedsPeriod() {
			r.err = ErrNoPeriod
			return Record{}, nil, r.err
		}
		rec, rowErr := r.build(r, cells, row)
		if rowErr != nil {
			return Record{}, rowErr, nil
		}
		if rec.empty() {
			continue
		}
		rec.Row = row
		return rec, nil, nil
	}
}

// Close releases the file (and an xlsx's temporary files).
func (r *Reader) Close() error {
	if r.err == nil {
		r.err = errors.New("importer: reader closed")
	}
	return r.src.close()
}

// parseTime is ParseTime in the reader's zone; in a 1904-system workbook a
// serial date is moved to the 1900 system first (1462 days apart).
func (r *Reader) parseTime(v string) (kpi.Millis, error) {
	if r.d1904 && isNumber(v) {
		if f, err := strconv.ParseFloat(v, 64); err == nil && f < 1e5 {
			return excelSerial(f+1462, r.loc)
		}
	}
	return ParseTime(v, r.loc)
}

// checkRow applies MaxColumns (blank cells at the end of the row do not count)
// and MaxCellBytes.
func checkRow(cells []string, row int, lim Limits) error {
	if len(cells) > lim.MaxColumns {
		last := len(cells)
		for last > 0 && trimCell(cells[last-1]) == "" {
			last--
		}
		if last > lim.MaxColumns {
			return &LimitError{What: LimitColumns, Limit: int64(lim.MaxColumns), Row: row}
		}
	}
	for _, c := range cells {
		if len(c) > lim.MaxCellBytes {
			return &LimitError{What: LimitCellBytes, Limit: int64(lim.MaxCellBytes), Row: row}
		}
	}
	return nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" && trimCell(c) != "" {
			return false
		}
	}
	return true
}
