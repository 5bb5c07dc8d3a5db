// Legacy Excel 97–2003 (.xls, BIFF8) workbooks.
//
// Library choice: github.com/extrame/xls v0.0.2-0.20200426124601-4a6cf263071b
// and github.com/shakinm/xlsReader v0.9.12 were run on BIFF8 files written by
// Perl Spreadsheet::WriteExcel and LibreOffice 7. extrame formats a NUMBER cell
// with any number format as a date (11715.63 → "#,##0.99", 0.3699 → "0.60%",
// 45400 → "2024-18-18") and gives no raw values. Both returned garbage for every
// string after the first CONTINUE of LibreOffice's shared-string table. shakinm
// also reads negative RK numbers as huge positives (-12.5 → 10737405.74), drops
// formula results, has no 1904 flag, encryption or sector-chain cycle check, and
// panics on every version-4 compound file. Neither reads right: the container
// is read with github.com/richardlehane/mscfb (already used by excelize) behind
// a header check, the BIFF8 records by the reader below.

package importer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// maxXLSBytes is the largest .xls accepted: the whole workbook stream is held
// in memory (an index of 8 bytes per cell record is built per sheet).
const maxXLSBytes = 64 << 20

// BIFF8 record identifiers.
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recArray      = 0x0221
	recTable      = 0x0236
	recRK         = 0x027E
	recShrFmla    = 0x04BC
	recBOF        = 0x0809
)

// errXLSShort is a record or string that ends early.
var errXLSShort = errors.New("xls: truncated record")

// xlsBook is a BIFF8 workbook read whole into memory.
type xlsBook struct {
	stream []byte   // the Workbook stream
	names  []string // worksheet names, in workbook order
	offs   []int    // offset of each worksheet's BOF in stream
	sst    []string // shared strings
	d      bool     // 1904 date system
	size   int64
}

// openXLS reads a legacy .xls workbook. A file that is not a readable BIFF8
// workbook (damaged, encrypted, Excel 95 or older, an encrypted .xlsx) is
// refused with an error wrapping ErrLegacyXLS.
func openXLS(path string, size int64, lim Limits) (wb workbook, err error) {
	if size > maxXLSBytes {
		return nil, &LimitError{What: LimitFileSize, Limit: maxXLSBytes}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > maxXLSBytes {
		return nil, &LimitError{What: LimitFileSize, Limit: maxXLSBytes}
	}
	// mscfb is fuzzed upstream, but a panic on a crafted file must not take
	// the server down.
	defer func() {
		if p := recover(); p != nil {
			wb, err = nil, xlsUnreadable(fmt.Errorf("panic: %v", p))
		}
	}()
	stream, err := workbookStream(data)
	if err != nil {
		return nil, xlsUnreadable(err)
	}
	b, err := parseXLSBook(stream, int64(len(data)))
	if err != nil {
		return nil, xlsUnreadable(err)
	}
	return b, nil
}

func xlsUnreadable(err error) error { return fmt.Errorf("%w (%v)", ErrLegacyXLS, err) }

// checkCFBHeader refuses a compound-file header whose sector counts exceed
// the file: mscfb sizes slices from them (a count of 4e9 directory sectors
// allocates gigabytes before the first read fails).
func checkCFBHeader(data []byte) error {
	if len(data) < 512 {
		return errors.New("compound file header cut")
	}
	shift := binary.LittleEndian.Uint16(data[30:])
	if shift != 9 && shift != 12 {
		return fmt.Errorf("bad sector shift %d", shift)
	}
	sectors := uint32(len(data)>>shift) + 1
	for _, at := range []int{40, 44, 64, 72} { // directory, FAT, mini FAT, DIFAT sector counts
		if n := binary.LittleEndian.Uint32(data[at:]); n > sectors {
			return fmt.Errorf("sector count %d at %d exceeds the file", n, at)
		}
	}
	return nil
}

// workbookStream returns the BIFF8 "Workbook" stream of a compound file.
func workbookStream(data []byte) ([]byte, error) {
	if err := checkCFBHeader(data); err != nil {
		return nil, err
	}
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var book *mscfb.File
	for {
		f, err := doc.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(f.Path) != 0 {
			continue
		}
		switch {
		case strings.EqualFold(f.Name, "Workbook"):
			if book == nil {
				book = f
			}
		case strings.EqualFold(f.Name, "EncryptedPackage"):
			return nil, errors.New("encrypted xlsx")
		}
	}
	if book == nil {
		return nil, errors.New("no BIFF8 Workbook stream (Excel 95 or older, or not a workbook)")
	}
	if book.Size <= 0 || book.Size > int64(len(data)) {
		return nil, fmt.Errorf("bad Workbook stream size %d", book.Size)
	}
	// Read in small pieces: mscfb's cost per Read grows with the square of
	// the sectors it spans.
	out := make([]byte, book.Size)
	for off := 0; off < len(out); {
		n, err := book.Read(out[off:min(off+64<<10, len(out))])
		off += n
		if off == len(out) {
			break
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, io.ErrUnexpectedEOF
		}
	}
	return out, nil
}

// biffRecord is one record of a BIFF stream.
type biffRecord struct {
	id   uint16
	data []byte
	end  int // offset of the next record
}

// readRecord reads the record at off.
func readRecord(s []byte, off int) (biffRecord, error) {
	if off < 0 || off+4 > len(s) {
		return biffRecord{}, errXLSShort
	}
	id := binary.LittleEndian.Uint16(s[off:])
	n := int(binary.LittleEndian.Uint16(s[off+2:]))
	end := off + 4 + n
	if end > len(s) {
		return biffRecord{}, errXLSShort
	}
	return biffRecord{id: id, data: s[off+4 : end], end: end}, nil
}

// continued returns the data of the record at off and of the CONTINUE
// records that follow it.
func continued(s []byte, rec biffRecord) [][]byte {
	segs := [][]byte{rec.data}
	for off := rec.end; ; {
		r, err := readRecord(s, off)
		if err != nil || r.id != recContinue {
			return segs
		}
		segs = append(segs, r.data)
		off = r.end
	}
}

// parseXLSBook reads the workbook globals: BIFF8 check, encryption, date
// system, worksheets and shared strings.
func parseXLSBook(s []byte, size int64) (*xlsBook, error) {
	b := &xlsBook{stream: s, size: size}
	rec, err := readRecord(s, 0)
	if err != nil {
		return nil, err
	}
	if rec.id != recBOF || len(rec.data) < 4 {
		return nil, errors.New("no BOF record")
	}
	if v := binary.LittleEndian.Uint16(rec.data); v != 0x0600 {
		return nil, fmt.Errorf("BIFF version %#04x, not BIFF8", v)
	}
	type sheetRef struct {
		name string
		off  int
	}
	var refs []sheetRef
	for off := rec.end; ; {
		rec, err := readRecord(s, off)
		if err != nil {
			return nil, errors.New("workbook globals end early")
		}
		switch rec.id {
		case recEOF:
			for _, r := range refs {
				bof, err := readRecord(s, r.off)
				if err != nil || bof.id != recBOF || len(bof.data) < 4 {
					return nil, fmt.Errorf("sheet %q: no BOF at %d", r.name, r.off)
				}
				if binary.LittleEndian.Uint16(bof.data[2:]) != 0x0010 {
					continue // chart, macro or VB module
				}
				b.names = append(b.names, r.name)
				b.offs = append(b.offs, r.off)
			}
			return b, nil
		case recFilePass:
			return nil, errors.New("encrypted workbook")
		case recDateMode:
			b.d = len(rec.data) >= 2 && binary.LittleEndian.Uint16(rec.data) == 1
		case recBoundSheet:
			if len(rec.data) < 8 {
				return nil, errXLSShort
			}
			if rec.data[5] != 0 { // not a worksheet
				break
			}
			cr := &contReader{segs: [][]byte{rec.data[6:]}}
			cch, err := cr.u8()
			if err != nil {
				return nil, err
			}
			name, err := cr.unicode(int(cch))
			if err != nil {
				return nil, err
			}
			refs = append(refs, sheetRef{name, int(binary.LittleEndian.Uint32(rec.data))})
		case recSST:
			if b.sst, err = parseSST(continued(s, rec)); err != nil {
				return nil, err
			}
		}
		off = rec.end
	}
}

// parseSST reads the shared string table (its record and CONTINUE records).
func parseSST(segs [][]byte) ([]string, error) {
	if len(segs[0]) < 8 {
		return nil, errXLSShort
	}
	n := binary.LittleEndian.Uint32(segs[0][4:])
	segs[0] = segs[0][8:]
	total := 0
	for _, s := range segs {
		total += len(s)
	}
	sst := make([]string, 0, min(int64(n), int64(total/3)))
	r := &contReader{segs: segs}
	for i := uint32(0); i < n && !r.eof(); i++ {
		s, err := r.richString()
		if err != nil {
			return nil, err
		}
		sst = append(sst, s)
	}
	return sst, nil
}

// contReader reads a record's data and its CONTINUE records as one stream.
// Only character data restarts with an option byte in a CONTINUE record.
type contReader struct {
	segs [][]byte
	i    int // current segment
	off  int // offset in segs[i]
}

// eof is true when no byte is left.
func (r *contReader) eof() bool {
	for i, off := r.i, r.off; i < len(r.segs); i, off = i+1, 0 {
		if off < len(r.segs[i]) {
			return false
		}
	}
	return true
}

func (r *contReader) u8() (byte, error) {
	for r.off >= len(r.segs[r.i]) {
		if r.i+1 >= len(r.segs) {
			return 0, errXLSShort
		}
		r.i, r.off = r.i+1, 0
	}
	c := r.segs[r.i][r.off]
	r.off++
	return c, nil
}

func (r *contReader) u16() (uint16, error) {
	lo, err := r.u8()
	if err != nil {
		return 0, err
	}
	hi, err := r.u8()
	return uint16(lo) | uint16(hi)<<8, err
}

func (r *contReader) u32() (uint32, error) {
	lo, err := r.u16()
	if err != nil {
		return 0, err
	}
	hi, err := r.u16()
	return uint32(lo) | uint32(hi)<<16, err
}

// skip skips n bytes (formatting runs, phonetic data).
func (r *contReader) skip(n int64) error {
	for n > 0 {
		if r.off >= len(r.segs[r.i]) {
			if r.i+1 >= len(r.segs) {
				return errXLSShort
			}
			r.i, r.off = r.i+1, 0
			continue
		}
		k := min(n, int64(len(r.segs[r.i])-r.off))
		r.off += int(k)
		n -= k
	}
	return nil
}

// unicode reads an option byte and cch characters: an XLUnicodeString (or a
// short one) after its length.
func (r *contReader) unicode(cch int) (string, error) {
	flags, err := r.u8()
	if err != nil {
		return "", err
	}
	return r.chars(cch, flags&1 != 0)
}

// richString reads an XLUnicodeRichExtendedString (a shared string).
func (r *contReader) richString() (string, error) {
	cch, err := r.u16()
	if err != nil {
		return "", err
	}
	flags, err := r.u8()
	if err != nil {
		return "", err
	}
	var runs uint16
	var ext uint32
	if flags&0x08 != 0 {
		if runs, err = r.u16(); err != nil {
			return "", err
		}
	}
	if flags&0x04 != 0 {
		if ext, err = r.u32(); err != nil {
			return "", err
		}
	}
	s, err := r.chars(int(cch), flags&1 != 0)
	if err != nil {
		return "", err
	}
	if err := r.skip(4*int64(runs) + int64(ext)); err != nil {
		return "", err
	}
	return s, nil
}

// chars reads cch characters, 16-bit when high, else 8-bit (Latin-1). When
// the characters run past a record, the next one starts with an option byte
// that says how its characters are stored.
func (r *contReader) chars(cch int, high bool) (string, error) {
	u := make([]uint16, 0, cch)
	for len(u) < cch {
		if r.off >= len(r.segs[r.i]) {
			if r.i+1 >= len(r.segs) {
				return "", errXLSShort
			}
			r.i, r.off = r.i+1, 0
			if len(r.segs[r.i]) == 0 {
				continue
			}
			high = r.segs[r.i][0]&1 != 0
			r.off = 1
			continue
		}
		seg := r.segs[r.i][r.off:]
		if high {
			n := min(cch-len(u), len(seg)/2)
			if n == 0 {
				return "", errXLSShort
			}
			for j := 0; j < n; j++ {
				u = append(u, binary.LittleEndian.Uint16(seg[2*j:]))
			}
			r.off += 2 * n
		} else {
			n := min(cch-len(u), len(seg))
			for j := 0; j < n; j++ {
				u = append(u, uint16(seg[j]))
			}
			r.off += n
		}
	}
	return string(utf16.Decode(u)), nil
}

func (b *xlsBook) sheetNames() []string { return slices.Clone(b.names) }
func (b *xlsBook) date1904() bool       { return b.d }

func (b *xlsBook) close() error {
	b.stream, b.sst = nil, nil
	return nil
}

// xlsCell is a cell record of a sheet, by row.
type xlsCell struct {
	row uint32 // 0-based
	off uint32 // offset of the record in the stream
}

// xlsSheet yields the rows of one worksheet in row order. Cell records are
// indexed when the sheet is opened; rows are decoded as they are read.
type xlsSheet struct {
	b     *xlsBook
	cells []xlsCell
	pos   atomic.Int64 // index of the next cell record
	err   error        // damage found while indexing, returned by next
	errAt int          // the last row indexed before the damage
	done  atomic.Bool
}

func (b *xlsBook) openSheet(name string) (sheetSource, error) {
	i := slices.Index(b.names, name)
	if i < 0 || b.stream == nil {
		return nil, errors.New("xls: no sheet " + name)
	}
	s := &xlsSheet{b: b}
	s.index(b.offs[i])
	return s, nil
}

// index records the offset of every cell record of the sheet whose BOF is at
// off, sorted by row (stable: a later record for the same cell wins).
func (s *xlsSheet) index(off int) {
	st := s.b.stream
	bof, _ := readRecord(st, off) // checked by parseXLSBook
	depth := 1                    // embedded charts nest their own BOF…EOF
	for off = bof.end; ; {
		rec, err := readRecord(st, off)
		if err != nil {
			s.err = errors.New("sheet ends without EOF record")
			break
		}
		switch rec.id {
		case recBOF:
			depth++
		case recEOF:
			depth--
		case recFormula, recNumber, recRK, recMulRK, recLabelSST, recLabel, recRString, recBoolErr:
			if depth != 1 {
				break
			}
			if len(rec.data) < 6 {
				s.err = fmt.Errorf("cell record %#04x too short", rec.id)
				break
			}
			row := uint32(binary.LittleEndian.Uint16(rec.data))
			s.cells = append(s.cells, xlsCell{row: row, off: uint32(off)})
			s.errAt = int(row) + 1
		}
		if depth == 0 || s.err != nil {
			break
		}
		off = rec.end
	}
	less := func(a, b xlsCell) int { return int(a.row) - int(b.row) }
	if !slices.IsSortedFunc(s.cells, less) {
		slices.SortStableFunc(s.cells, less)
	}
}

func (s *xlsSheet) next() ([]string, int, error) {
	if s.err != nil {
		s.done.Store(true)
		return nil, 0, &CorruptError{Row: s.errAt, Err: s.err}
	}
	i := int(s.pos.Load())
	if i >= len(s.cells) {
		s.done.Store(true)
		return nil, 0, io.EOF
	}
	row := s.cells[i].row
	j := i
	for j < len(s.cells) && s.cells[j].row == row {
		j++
	}
	var cols []int
	var vals []string
	for _, c := range s.cells[i:j] {
		var err error
		cols, vals, err = s.b.decode(int(c.off), cols, vals)
		if err != nil {
			s.err, s.errAt = err, int(row)+1
			s.done.Store(true)
			return nil, 0, &CorruptError{Row: s.errAt, Err: err}
		}
	}
	s.pos.Store(int64(j))
	width := 0
	for k, c := range cols {
		if vals[k] != "" {
			width = max(width, c+1)
		}
	}
	cells := make([]string, width)
	for k, c := range cols {
		if c < width {
			cells[c] = vals[k]
		}
	}
	return cells, int(row) + 1, nil
}

// progress is estimated from the cell records read.
func (s *xlsSheet) progress() (int64, int64) {
	size := s.b.size
	switch {
	case s.done.Load():
		return size, size
	case len(s.cells) == 0:
		return 0, size
	}
	return size * s.pos.Load() / int64(len(s.cells)), size
}

func (s *xlsSheet) close() error {
	s.done.Store(true)
	return nil
}

// decode appends the cells of the cell record at off.
func (b *xlsBook) decode(off int, cols []int, vals []string) ([]int, []string, error) {
	rec, err := readRecord(b.stream, off)
	if err != nil {
		return cols, vals, err
	}
	d := rec.data
	if len(d) < cellRecordLen(rec.id) {
		return cols, vals, fmt.Errorf("cell record %#04x too short", rec.id)
	}
	col := int(binary.LittleEndian.Uint16(d[2:]))
	var v string
	switch rec.id {
	case recNumber:
		v = formatXLSNumber(math.Float64frombits(binary.LittleEndian.Uint64(d[6:])))
	case recRK:
		v = formatXLSNumber(rkNumber(binary.LittleEndian.Uint32(d[6:])))
	case recMulRK:
		// rw, colFirst, n × (ixfe, rk), colLast
		n := (len(d) - 6) / 6
		for k := 0; k < n; k++ {
			rk := binary.LittleEndian.Uint32(d[4+6*k+2:])
			cols = append(cols, col+k)
			vals = append(vals, formatXLSNumber(rkNumber(rk)))
		}
		return cols, vals, nil
	case recLabelSST:
		i := binary.LittleEndian.Uint32(d[6:])
		if int64(i) >= int64(len(b.sst)) {
			return cols, vals, fmt.Errorf("shared string %d of %d", i, len(b.sst))
		}
		v = b.sst[i]
	case recLabel, recRString:
		segs := continued(b.stream, rec)
		segs[0] = segs[0][6:]
		r := &contReader{segs: segs}
		cch, _ := r.u16()
		if v, err = r.unicode(int(cch)); err != nil {
			return cols, vals, err
		}
	case recBoolErr:
		v = boolErr(d[6], d[7])
	case recFormula:
		res := d[6:14]
		if res[6] != 0xFF || res[7] != 0xFF {
			v = formatXLSNumber(math.Float64frombits(binary.LittleEndian.Uint64(res)))
			break
		}
		switch res[0] {
		case 0: // string, in the STRING record that follows
			if v, err = b.formulaString(rec.end); err != nil {
				return cols, vals, err
			}
		case 1:
			v = boolErr(res[2], 0)
		case 2:
			v = boolErr(res[2], 1)
		}
	}
	return append(cols, col), append(vals, v), nil
}

// cellRecordLen is the shortest valid data of a cell record.
func cellRecordLen(id uint16) int {
	switch id {
	case recNumber:
		return 14 // rw, col, ixfe, num
	case recRK, recLabelSST:
		return 10 // rw, col, ixfe, rk or isst
	case recLabel, recRString, recBoolErr:
		return 8 // rw, col, ixfe, cch or value, flags or fError
	case recFormula:
		return 20 // rw, col, ixfe, result, flags, chn
	}
	return 6 // MULRK: rw, colFirst, colLast
}

// formulaString reads the STRING record holding a formula's text result,
// after any SHRFMLA, ARRAY or TABLE record.
func (b *xlsBook) formulaString(off int) (string, error) {
	for {
		rec, err := readRecord(b.stream, off)
		if err != nil {
			return "", err
		}
		switch rec.id {
		case recShrFmla, recArray, recTable:
			off = rec.end
			continue
		case recString:
			r := &contReader{segs: continued(b.stream, rec)}
			cch, err := r.u16()
			if err != nil {
				return "", err
			}
			return r.unicode(int(cch))
		}
		return "", nil // no cached text
	}
}

// rkNumber decodes an RK number: a 30-bit signed integer or the top 30 bits
// of a double, divided by 100 when its lowest bit is set.
func rkNumber(rk uint32) float64 {
	var f float64
	if rk&2 != 0 {
		f = float64(int32(rk) >> 2)
	} else {
		f = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		f /= 100
	}
	return f
}

// formatXLSNumber writes a number as excelize's raw values do: the shortest
// decimal that reads back as the same double, without exponent or grouping.
// Date cells are numbers too, so they come as Excel serials ("45400.5").
func formatXLSNumber(f float64) string {
	if f == 0 {
		return "0" // and -0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// boolErr formats a BOOLERR value: TRUE/FALSE, or an error such as #N/A.
func boolErr(v, isErr byte) string {
	if isErr == 0 {
		if v != 0 {
			return "TRUE"
		}
		return "FALSE"
	}
	switch v {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	}
	return "#N/A"
}
