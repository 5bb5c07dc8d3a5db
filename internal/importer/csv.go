package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// csvSource yields the records of a CSV/TSV file.
type csvSource struct {
	file  *os.File
	count *countingReader
	size  int64
	cr    *csv.Reader
	g     *guard
	extra int  // lines taken by newlines inside quoted cells so far
	check bool // the text was not decoded: replace invalid UTF-8
}

func openCSV(f *os.File, size int64, lim Limits) (*csvSource, string, error) {
	cnt := &countingReader{r: f}
	br := bufio.NewReaderSize(cnt, sniffSize)
	text, enc, err := decode(br)
	if err != nil {
		return nil, "", err
	}
	delim := sniffDelimiter(text)
	g := newGuard(text, delim, lim)
	cr := csv.NewReader(bufio.NewReaderSize(g, 64<<10))
	cr.Comma = rune(delim)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	s := &csvSource{file: f, count: cnt, size: size, cr: cr, g: g,
		check: enc == EncUTF8 || enc == EncUTF8BOM}
	return s, enc, nil
}

// next returns the next record and its row number. Rows are numbered as Excel
// shows the file: a record is one row however many lines its quoted cells
// span, and an empty line (which encoding/csv skips) still takes a row.
func (s *csvSource) next() ([]string, int, error) {
	rec, err := s.cr.Read()
	if err != nil {
		if s.g.err != nil {
			return nil, 0, s.g.err
		}
		return nil, 0, err
	}
	line, _ := s.cr.FieldPos(0)
	row := line - s.extra
	if last := len(rec) - 1; last >= 0 {
		ll, _ := s.cr.FieldPos(last)
		s.extra += ll - line + strings.Count(rec[last], "\n")
	}
	if s.check {
		for i, c := range rec {
			if !utf8.ValidString(c) {
				rec[i] = strings.ToValidUTF8(c, "\uFFFD")
			}
		}
	}
	return rec, row, nil
}

func (s *csvSource) progress() (int64, int64) {
	n := s.count.n.Load()
	if n > s.size {
		n = s.size
	}
	return n, s.size
}

func (s *csvSource) close() error { return s.file.Close() }

// guard sits between the decoded text and encoding/csv and refuses a record
// that would make csv buffer too much: more than MaxColumns×MaxCellBytes bytes
// (a line without a newline, or a quoted cell that never closes), or more
// delimiters than maxFields. It follows csv's quoting rules with LazyQuotes
// (a quote opens a quoted cell only at the start of a cell; inside one, `""`
// is a quote and a quote not followed by the delimiter or a line end is
// literal) so its record boundaries are csv's. Lines without a quote take a
// fast path of two byte scans.
type guard struct {
	r         io.Reader
	delim     byte
	maxBytes  int64
	maxFields int
	limCols   int
	n         int64 // bytes of the current record so far
	fields    int   // cells of the current record so far
	st        uint8
	err       error
}

const (
	gFieldStart = iota // at the start of a cell
	gUnquoted          // inside an unquoted cell
	gQuoted            // inside a quoted cell
	gQuote             // just after a quote inside a quoted cell
	gQuoteCR           // a quote then "\r" inside a quoted cell
)

// hardMaxFields bounds the cells csv materialises per record. Blank cells at
// the end of a row do not count towards MaxColumns (Excel pads rows up to
// its used range), so the guard allows up to Excel's own column count.
const hardMaxFields = 16384

func newGuard(r io.Reader, delim byte, lim Limits) *guard {
	return &guard{r: r, delim: delim, maxBytes: int64(lim.MaxColumns) * int64(lim.MaxCellBytes),
		maxFields: max(lim.MaxColumns, hardMaxFields), limCols: lim.MaxColumns, fields: 1}
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if n > 0 {
		if e := g.scan(p[:n]); e != nil {
			// Hand csv none of this chunk: it is refused with the file.
			g.err = e
			return 0, e
		}
	}
	return n, err
}

func (g *guard) limit() error {
	if g.n > g.maxBytes {
		return &LimitError{What: LimitRowBytes, Limit: g.maxBytes}
	}
	if g.fields > g.maxFields {
		return &LimitError{What: LimitColumns, Limit: int64(g.limCols)}
	}
	return nil
}

func (g *guard) endRecord() error {
	g.n++
	err := g.limit()
	g.n, g.fields, g.st = 0, 1, gFieldStart
	return err
}

func (g *guard) scan(b []byte) error {
	d := g.delim
	for len(b) > 0 {
		switch g.st {
		case gFieldStart, gUnquoted:
			nl := bytes.IndexByte(b, '\n')
			seg := b
			if nl >= 0 {
				seg = b[:nl]
			}
			q := bytes.IndexByte(seg, '"')
			if q < 0 {
				g.fields += bytes.Count(seg, []byte{d})
				g.n += int64(len(seg))
				if nl < 0 {
					if len(seg) > 0 {
						g.st = gUnquoted
						if seg[len(seg)-1] == d {
							g.st = gFieldStart
						}
					}
					b = nil
					continue
				}
				if err := g.endRecord(); err != nil {
					return err
				}
				b = b[nl+1:]
				continue
			}
			// Up to the quote, then decide whether it opens a quoted cell.
			if q > 0 {
				g.fields += bytes.Count(seg[:q], []byte{d})
				g.n += int64(q)
				g.st = gUnquoted
				if seg[q-1] == d {
					g.st = gFieldStart
				}
			}
			g.n++
			if g.st == gFieldStart {
				g.st = gQuoted
			}
			b = b[q+1:]
		case gQuoted:
			q := bytes.IndexByte(b, '"')
			if q < 0 {
				g.n += int64(len(b))
				b = nil
				continue
			}
			g.n += int64(q + 1)
			g.st = gQuote
			b = b[q+1:]
		case gQuote, gQuoteCR:
			c := b[0]
			b = b[1:]
			switch {
			case c == '\n':
				if err := g.endRecord(); err != nil {
					return err
				}
				continue
			case g.st == gQuoteCR:
				g.st = gQuoted
				if c == '"' {
					g.st = gQuote
				}
			case c == '"':
				g.st = gQuoted
			case c == d:
				g.fields++
				g.st = gFieldStart
			case c == '\r':
				g.st = gQuoteCR
			default:
				g.st = gQuoted
			}
			g.n++
		}
	}
	return g.limit()
}
