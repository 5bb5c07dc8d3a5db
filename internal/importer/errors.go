package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// ErrNoHeader is returned by Open for a file (or every sheet of a workbook)
// without a single non-blank row.
var ErrNoHeader = errors.New("文件是空的：没有找到表头行 (no header row)")

// ErrLegacyXLS is returned (wrapped, with the cause) by Open for an
// Excel 97–2003 .xls file that cannot be read: damaged, password-protected,
// older than Excel 97 (BIFF5), or an encrypted .xlsx (same OLE container).
var ErrLegacyXLS = errors.New("无法读取该 Excel 97–2003 (.xls) 文件：文件可能已损坏或设置了密码。请在 Excel 中打开并另存为 .xlsx 后再导入 (the .xls file could not be read: damaged or password-protected; save it as .xlsx)")

// RowError rejects one row; the other rows of the file still import.
type RowError struct {
	Row    int      // 1-based row number as the user sees it in Excel (header is row 1)
	Column string   // header text of the offending column, "" if not column-specific
	Value  string   // the offending cell (trimmed)
	Reason string   // in Chinese, says what was expected
	Raw    []string // a copy of the row's original cells, for the rejects CSV
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("第 ")
	b.WriteString(strconv.Itoa(e.Row))
	b.WriteString(" 行")
	if e.Column != "" {
		b.WriteString("，列「")
		b.WriteString(e.Column)
		b.WriteString("」")
	}
	if e.Value != "" {
		b.WriteString("，值「")
		b.WriteString(truncate(e.Value, 60))
		b.WriteString("」")
	}
	b.WriteString("：")
	b.WriteString(e.Reason)
	return b.String()
}

// MissingColumnsError refuses a file whose header lacks required columns.
type MissingColumnsError struct {
	Kind       kpi.Kind
	Missing    []string // canonical names of the missing required columns
	Recognised []string // header texts that were recognised, in file order
}

func (e *MissingColumnsError) Error() string {
	var b strings.Builder
	b.WriteString(kindLabel(e.Kind))
	b.WriteString("文件缺少必需的列：")
	sp := specs[e.Kind]
	for i, m := range e.Missing {
		if i > 0 {
			b.WriteString("、")
		}
		if sp != nil {
			for _, c := range sp.cols {
				if c.name == m {
					b.WriteString(c.zh)
					b.WriteString(" ")
				}
			}
		}
		b.WriteString("(" + m + ")")
	}
	b.WriteString("。已识别的列：")
	if len(e.Recognised) == 0 {
		b.WriteString("无")
	} else {
		b.WriteString(joinLimited(e.Recognised, 30))
	}
	b.WriteString(" (missing required columns)")
	return b.String()
}

// UnknownKindError refuses a file whose header matches no kind.
type UnknownKindError struct {
	Header     []string   // the header cells seen
	Candidates []kpi.Kind // kinds it could be, best first (most required columns recognised)
}

func (e *UnknownKindError) Error() string {
	var b strings.Builder
	b.WriteString("无法识别文件类型。表头：")
	if len(e.Header) == 0 {
		b.WriteString("（空）")
	} else {
		b.WriteString(joinLimited(e.Header, 30))
	}
	if len(e.Candidates) > 0 {
		b.WriteString("。可能是：")
		for i, k := range e.Candidates {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(kindLabel(k))
		}
		b.WriteString("。请检查表头是否完整，或在导入时指定文件类型")
	} else {
		b.WriteString("。没有一列能被识别；支持的文件类型：")
		for i, k := range kpi.Kinds {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(kindLabel(k))
		}
	}
	b.WriteString(" (unknown file kind)")
	return b.String()
}

// LimitError refuses a whole file that would exhaust the machine. Nothing of
// the file may be written when Next returns it.
type LimitError struct {
	What  string // what was too big, e.g. "单元格长度 (cell length)"
	Limit int64  // the limit that was exceeded (bytes, or cells for row width)
	Row   int    // the row where it happened, 0 when not row-specific
}

// What values of LimitError.
const (
	LimitFileSize     = "文件大小 (file size)"
	LimitXLSXUnzipped = "Excel 解压后大小 (xlsx unzipped size)"
	LimitColumns      = "每行单元格数 (cells per row)"
	LimitCellBytes    = "单元格长度 (cell length)"
	LimitRowBytes     = "单行长度 (row length)"
)

func (e *LimitError) Error() string {
	var b strings.Builder
	b.WriteString("文件超出限制，整个文件未导入：")
	b.WriteString(e.What)
	b.WriteString(" 超过上限 ")
	switch e.What {
	case LimitColumns:
		b.WriteString(strconv.FormatInt(e.Limit, 10))
		b.WriteString(" 个")
	case LimitCompression:
		b.WriteString(strconv.FormatInt(e.Limit, 10))
		b.WriteString(" 倍（文件异常：解压后远大于文件本身）")
	default:
		b.WriteString(humanBytes(e.Limit))
	}
	if e.Row > 0 {
		b.WriteString("（第 ")
		b.WriteString(strconv.Itoa(e.Row))
		b.WriteString(" 行）")
	}
	return b.String()
}

func kindLabel(k kpi.Kind) string {
	if sp := specs[k]; sp != nil {
		return sp.zh + " (" + string(k) + ")"
	}
	return string(k)
}

func joinLimited(s []string, n int) string {
	if len(s) <= n {
		return strings.Join(s, "、")
	}
	return strings.Join(s[:n], "、") + "…（共 " + strconv.Itoa(len(s)) + " 列）"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}

// CorruptError refuses a file whose structure breaks while it is read (for
// example a damaged sheet inside an .xlsx). Row is the last row reached.
type CorruptError struct {
	Row int
	Err error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("文件已损坏，第 %d 行附近无法读取，请重新导出后再导入 (corrupt file near row %d: %v)", e.Row, e.Row, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }
