package importer

import (
	"archive/zip"
	"errors"
	"io"
	"strings"
)

// Zip bombs. An XLSX is a zip of XML parts; a small file can unpack into
// gigabytes (one shared string of 900 MB, one inline cell, a sea of white
// space between tags), and excelize holds a shared string or a cell whole in
// memory before kefuboard sees it. So before excelize opens a workbook, its
// parts are streamed once through a decompressor that keeps nothing and
// refuses:
//
//   - a part whose declared or actual size passes MaxXLSXUnzipped, or all
//     parts together past it;
//   - a part that unpacks to more than maxRatio times its packed size (real
//     workbooks compress 5–20×) once it is past ratioFloor bytes;
//   - the shared-strings part past maxSharedStrings;
//   - in a sheet or the shared strings, any run of text between two XML tags
//     longer than the cell limit plus some slack: no cell, string or white
//     space may be bigger than a cell.
//
// The work is one decompression of the file, bounded memory (a 32 KiB buffer).
const (
	maxRatio         = 200
	ratioFloor       = 8 << 20
	maxSharedStrings = 256 << 20
	runSlack         = 4 << 10
)

// Limit kinds of a bomb.
const (
	LimitCompression   = "Excel 压缩比 (xlsx compression ratio)"
	LimitSharedStrings = "Excel 共享字符串 (xlsx shared strings)"
)

// checkXLSXParts streams every XML part of the workbook at path and refuses
// a decompression bomb with a *LimitError before excelize reads it.
func checkXLSXParts(path string, lim Limits) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil // not a readable zip: excelize says what is wrong with it
	}
	defer zr.Close()
	var total int64
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if int64(f.UncompressedSize64) > lim.MaxXLSXUnzipped {
			return &LimitError{What: LimitXLSXUnzipped, Limit: lim.MaxXLSXUnzipped}
		}
		xml := strings.HasSuffix(strings.ToLower(f.Name), ".xml")
		if !xml {
			total += int64(f.UncompressedSize64)
			continue
		}
		n, err := scanPart(f, buf, lim, total)
		total += n
		if err != nil {
			return err
		}
		if total > lim.MaxXLSXUnzipped {
			return &LimitError{What: LimitXLSXUnzipped, Limit: lim.MaxXLSXUnzipped}
		}
	}
	return nil
}

// scanPart decompresses one XML part, counting its bytes and the longest run
// between tags. It returns the bytes unpacked.
func scanPart(f *zip.File, buf []byte, lim Limits, before int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, nil // a damaged part: excelize reports it
	}
	defer rc.Close()
	name := strings.ToLower(f.Name)
	shared := name == "xl/sharedstrings.xml"
	cells := shared || strings.HasPrefix(name, "xl/worksheets/")
	maxRun := int64(lim.MaxCellBytes) + runSlack
	packed := int64(f.CompressedSize64)
	var n, run int64
	inTag := false
	for {
		k, err := rc.Read(buf)
		for _, c := range buf[:k] {
			switch {
			case !cells:
			case c == '<':
				inTag, run = true, 0
			case c == '>':
				inTag, run = false, 0
			case !inTag:
				if run++; run > maxRun {
					return n, &LimitError{What: LimitCellBytes, Limit: int64(lim.MaxCellBytes)}
				}
			}
		}
		n += int64(k)
		switch {
		case before+n > lim.MaxXLSXUnzipped:
			return n, &LimitError{What: LimitXLSXUnzipped, Limit: lim.MaxXLSXUnzipped}
		case shared && n > maxSharedStrings:
			return n, &LimitError{What: LimitSharedStrings, Limit: maxSharedStrings}
		case n > ratioFloor && n > maxRatio*max(packed, 1):
			return n, &LimitError{What: LimitCompression, Limit: maxRatio}
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, nil // damaged: excelize reports it
		}
	}
}
