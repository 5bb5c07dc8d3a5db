package demo

import (
	"strconv"
	"time"
)

// Each file uses a different time layout of docs/IMPORT-FORMATS.md, so the demo import
// exercises the parser the way real exports do.

func local(t int64) time.Time { return time.Unix(t, 0).In(shanghai) }

// plainTime: 2024-03-18 07:31:42 (reviews).
func plainTime(t int64) string { return local(t).Format("2006-01-02 15:04:05") }

// isoTime: 2024-03-18T07:31:42+08:00 (complaints).
func isoTime(t int64) string { return local(t).Format(time.RFC3339) }

// orderTime: 2024/3/18 7:31:42 — Excel's own rendering on Chinese Windows,
// unpadded month, day and hour (Go's layouts cannot unpad a 24-hour hour).
// Zero means absent and gives "".
func orderTime(t int64) string {
	if t == 0 {
		return ""
	}
	lt := local(t)
	y, m, d := lt.Date()
	b := make([]byte, 0, 20)
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(m), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(d), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(lt.Hour()), 10)
	b = append(b, ':')
	b = append2(b, lt.Minute())
	b = append(b, ':')
	b = append2(b, lt.Second())
	return string(b)
}

// cnTime: 2024年3月18日 07:31:42 (customers' 入会时间).
func cnTime(t int64) string {
	lt := local(t)
	y, m, d := lt.Date()
	return strconv.Itoa(y) + "年" + strconv.Itoa(int(m)) + "月" + strconv.Itoa(d) + "日 " + lt.Format("15:04:05")
}

// excelSerial converts to an Excel date serial of the Shanghai wall clock
// (days since 1899-12-30), as Excel itself stores dates.
func excelSerial(t int64) float64 { return float64(t+8*hour)/day + 25569 }

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// appendPad appends v zero-padded to at least w digits.
func appendPad(b []byte, v, w int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < w; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// yuan: 1234.50 → "1234.50".
func yuan(fen int64) string {
	b := strconv.AppendInt(nil, fen/100, 10)
	b = append(b, '.')
	return string(append2(b, int(fen%100)))
}

// yuanSigned: "￥1,234.50" — full-width yen (in GBK, unlike ¥) and thousands
// separators, as shop back-ends print money.
func yuanSigned(fen int64) string {
	s := strconv.FormatInt(fen/100, 10)
	b := []byte("￥")
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	b = append(b, '.')
	return string(append2(b, int(fen%100)))
}

// buyerKey renders a buyer number as a stable, seed-dependent account name.
// The 28-bit permutation (odd multiply, add, xor-shift: each invertible)
// keeps ids unique without a lookup table.
func (g *gen) buyerKey(n int32) string { return string(g.appendBuyer(nil, n)) }

const buyerPrefix = "tb_用户"

func (g *gen) appendBuyer(b []byte, n int32) []byte {
	const mask = 1<<28 - 1
	x := (uint32(n)*g.idMul + g.idAdd) & mask
	x ^= x >> 13
	x = (x * 0x2c1b3c6d) & mask
	x ^= x >> 11
	b = append(b, buyerPrefix...)
	const hexd = "0123456789abcdef"
	for s := 24; s >= 0; s -= 4 {
		b = append(b, hexd[(x>>uint(s))&15])
	}
	return b
}
