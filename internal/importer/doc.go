// Package importer turns the files a shop owner uploads (docs/IMPORT-FORMATS.md) into
// typed kpi rows. It does no database or HTTP work: Open a file, call Next
// until io.EOF, and write the records and the rejected rows somewhere.
//
// # Formats and encodings
//
// A file is XLSX when it starts with the zip signature "PK\x03\x04" (whatever
// its extension), else CSV or TSV text. Text encoding: a UTF-8 BOM is
// stripped; a UTF-16 BOM (FF FE, Excel's "Unicode text", tab-separated)
// selects UTF-16; otherwise the first 1 MiB (sniffSize) is sniffed: valid UTF-8
// (a character cut at the 1 MiB boundary is allowed) means UTF-8, anything
// else GB18030, a superset of GBK. Text is streamed through the decoder; the
// file is never read whole. The delimiter is a tab when the first non-blank
// line has more tabs than commas, else a comma. encoding/csv reads it with
// LazyQuotes (a stray quote is kept as text), short rows have blank cells,
// fully blank rows are skipped, and every cell is trimmed of white space
// including U+3000 and a stray "\r".
//
// XLSX files are streamed with excelize from the first sheet whose first
// non-blank row detects as a kind (or, with Options.Kind, has that kind's
// required columns). Cells are read raw, so date-formatted cells arrive as
// Excel serial numbers and ParseTime converts them (1900 date system, 25569 =
// 1970-01-01, a wall-clock time in the shop's zone, rounded to the
// millisecond and then to the second when within 1 ms of one). Serial
// numbers are accepted in CSV too: any plain number with at most five integer
// digits. Money cells may carry float noise ("59.900000000000006"); a value
// within 1e-6 yuan of a whole fen is rounded to it.
//
// A legacy Excel 97–2003 workbook (BIFF8) is recognised by its OLE signature
// D0 CF 11 E0 (whatever its extension, so also a BIFF file named .xlsx). It
// is read whole into memory (at most 64 MiB, maxXLSBytes): the container
// with mscfb, the records by xls.go's reader. Sheets are chosen as for XLSX
// and cells come raw as they do from excelize: numbers as their shortest
// decimal (a percentage as its fraction), dates as serial numbers (1904
// system when the workbook says so), formulas as their cached result. A file
// that cannot be read (damaged, password-protected, Excel 95 or older, an
// encrypted .xlsx) is refused with ErrLegacyXLS.
//
// # Header and kind
//
// Header cells are matched to canonical columns after trimming spaces, '*',
// quotes and brackets, case-insensitively, against that kind's aliases only; a
// trailing unit such as "(元)" is dropped on a second try; the first of two
// cells naming the same column wins; unknown columns are ignored. The kind is
// detected by DetectKind's rules, in docs/IMPORT-FORMATS.md's order. A missing required
// column refuses the file (*MissingColumnsError); so does an unrecognisable
// header (*UnknownKindError).
//
// # Rows
//
// Record.Row and RowError.Row are the row numbers the user sees when opening
// the file in Excel: the header is row 1 and the first data row 2 in the usual
// case. In a CSV a record counts as one row however many lines its quoted cells
// span, and an empty line (skipped) still takes a row number, as in Excel. In
// an XLSX it is the sheet's row number.
//
// A row that fails validation is a *RowError (row, column header text, value,
// reason in Chinese, and a copy of the original cells for a rejects CSV); the
// other rows still import. The first problem of a row is reported; required
// columns are checked in table order. Notable value rules:
//
//   - messages.agent is required only on rows whose role is agent.
//   - refunds.merchant_liable is a yes/no flag or names the liable party: true
//     for the yes words and for 商家 / 商家责任 / 卖家 / 卖家责任, false for any
//     other text (买家, 平台, 物流…) and for blank. It never rejects a row.
//   - refunds.intervened is a yes/no flag; blank is false, other text rejects.
//   - refunds.status: success and closed words of docs/IMPORT-FORMATS.md (plus 已完成,
//     已关闭, 售后关闭); any other text is pending.
//   - orders.amount must be ≥ 0; orders.quantity is 1 when blank.
//   - customers.birthday keeps "MM-DD"; a bare number is a serial date only
//     with five digits.
//   - Cells of a file sniffed as UTF-8 that hold invalid UTF-8 further on have
//     the bad bytes replaced by U+FFFD (as the GB18030 decoder does).
//
// # Limits
//
// DefaultLimits: a file of at most 2 GiB, an XLSX of at most 1 GiB
// decompressed (at most 16 MiB of sheet XML is held in memory; excelize
// spills bigger parts to a temporary file), at most 512 cells per row (blank
// cells at the end of a row are not counted: Excel pads rows to its used
// range), at most 32 KiB per cell. The file size is checked before reading.
// A CSV record is also refused before encoding/csv buffers it when it grows
// past MaxColumns×MaxCellBytes bytes (a line without a newline, or a quoted
// cell that never closes) or past 16384 cells. Exceeding a limit is a fatal
// *LimitError from Open or Next: the caller refuses the whole file.
package importer
