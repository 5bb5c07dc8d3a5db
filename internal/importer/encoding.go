package importer

import (
	"bufio"
	"bytes"
	"io"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a text file is inspected to choose its encoding:
// the first 1 MiB. Valid UTF-8 there (an incomplete character cut at the
// boundary is allowed) means UTF-8; otherwise the file is GB18030, a superset
// of GBK. Cells decoded from a "UTF-8" file that later turn out to hold
// invalid bytes get them replaced by U+FFFD, as the GB18030 decoder does.
const sniffSize = 1 << 20

// Encoding names returned by Reader.Encoding.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncGB18030 = "gb18030"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncXLSX    = "xlsx"
	EncXLS     = "xls" // legacy Excel 97–2003 (BIFF8)
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	magicZip   = []byte("PK\x03\x04")
	magicOLE   = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// countingReader counts the bytes read from the file, for Progress (which a
// progress bar may call from another goroutine).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// decode sniffs br (whose buffer holds at least sniffSize bytes) and returns
// the UTF-8 text stream and the encoding name.
func decode(br *bufio.Reader) (*bufio.Reader, string, error) {
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		if _, err := br.Discard(len(bomUTF8)); err != nil {
			return nil, "", err
		}
		return br, EncUTF8BOM, nil
	case bytes.HasPrefix(head, bomUTF16LE):
		d := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, d), 64<<10), EncUTF16LE, nil
	case bytes.HasPrefix(head, bomUTF16BE):
		d := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
		return bufio.NewReaderSize(transform.NewReader(br, d), 64<<10), EncUTF16BE, nil
	case validUTF8Prefix(head, len(head) == sniffSize):
		return br, EncUTF8, nil
	}
	d := simplifiedchinese.GB18030.NewDecoder()
	return bufio.NewReaderSize(transform.NewReader(br, d), 64<<10), EncGB18030, nil
}

// validUTF8Prefix reports whether b is valid UTF-8; when cut is true (b is a
// prefix of the file) an incomplete character at the very end is allowed.
func validUTF8Prefix(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			return !utf8.FullRune(b[len(b)-i:]) && utf8.Valid(b[:len(b)-i])
		}
	}
	return false
}

// sniffDelimiter looks at the first non-blank line of the decoded text: tab
// when it has more tabs than commas, else comma.
func sniffDelimiter(r *bufio.Reader) byte {
	b, _ := r.Peek(64 << 10)
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if blankLine(line) {
			continue
		}
		if bytes.Count(line, []byte{'\t'}) > bytes.Count(line, []byte{','}) {
			return '\t'
		}
		return ','
	}
	return ','
}

func blankLine(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', ',', '\r', '"':
		default:
			return false
		}
	}
	return true
}
