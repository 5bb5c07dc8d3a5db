package importer

import "strings"

// formulaStart are the characters that make a spreadsheet read a cell as a
// formula (or, for tab and CR, shift it into one): "=cmd|' /C calc'!A0".
const formulaStart = "=+-@\t\r"

// SafeCSVCell neutralises a cell kefuboard writes into a CSV the owner opens
// in Excel (the league export, the rejected rows): a leading apostrophe makes
// Excel and WPS show the text as typed instead of evaluating it. The importer
// strips that apostrophe again (unneutralise), so a fixed rejects file
// re-imports the value the platform exported.
func SafeCSVCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// unneutralise undoes SafeCSVCell on a cell read from a file.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
