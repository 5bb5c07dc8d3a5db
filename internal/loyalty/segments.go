// Package loyalty holds the customer-loyalty rules of the member pages:
// RFM segments, period repurchase statistics with the 80/30 rule, the care
// calendar (holidays, birthdays), the contact frequency cap and phone masking.
//
// Everything here is pure computation over values the caller has already
// loaded; the package does no I/O.
package loyalty

import "math/bits"

// Segment keys, in table order (best first).
const (
	Champion       = "champion"
	Develop        = "develop"
	Keep           = "keep"
	Winback        = "winback"
	GeneralValue   = "general_value"
	GeneralDevelop = "general_develop"
	GeneralKeep    = "general_keep"
	GeneralWinback = "general_winback"
)

// unknownSegRank is the rank of an unknown segment key (after all 8).
const unknownSegRank = 8

// SegmentInfo describes one RFM segment: its key, Chinese label and a short
// Chinese advice on what to do with its customers.
type SegmentInfo struct{ Key, Label, Advice string }

// Segments lists the 8 segments best first.
var Segments = []SegmentInfo{
	{Champion, "重要价值客户", "最近买过、买得勤、花得多，是店铺的核心客户，重点维护并提供专属权益。"},
	{Develop, "重要发展客户", "最近买过且消费高但购买次数少，引导复购，提升购买频次。"},
	{Keep, "重要保持客户", "消费高、买得勤但有一段时间没来，主动联系，防止流失。"},
	{Winback, "重要挽留客户", "消费高但很久没来，优先关怀召回。"},
	{GeneralValue, "一般价值客户", "最近买过且买得勤但花得不多，推荐搭配或升级商品，提升客单价。"},
	{GeneralDevelop, "一般发展客户", "最近刚买过，次数和消费都不高，多为新客，做好售后并引导再次购买。"},
	{GeneralKeep, "一般保持客户", "买得勤但花得不多且有段时间没来，用活动通知保持联系。"},
	{GeneralWinback, "一般挽留客户", "很久没来、买得少也花得少，低成本触达即可，不要频繁打扰。"},
}

// SegmentLabel returns the Chinese label of a segment key, or the key itself
// when it is unknown.
func SegmentLabel(key string) string {
	if s, ok := SegmentByKey(key); ok {
		return s.Label
	}
	return key
}

// SegmentByKey is a segment's label and advice (ok=false for an unknown key).
func SegmentByKey(key string) (SegmentInfo, bool) {
	for _, s := range Segments {
		if s.Key == key {
			return s, true
		}
	}
	return SegmentInfo{}, false
}

// SegmentRank returns 0 for the best segment (champion) … 7 for the worst,
// and 8 for an unknown or empty key, so that sorting by rank puts unknowns last.
func SegmentRank(key string) int {
	for i, s := range Segments {
		if s.Key == key {
			return i
		}
	}
	return unknownSegRank
}

// RFM are the recency, frequency and monetary values of one buyer.
type RFM struct {
	RecencyDays int   // as-of day − last paid day (0 = paid on the as-of day)
	Frequency   int   // paid orders
	MonetaryFen int64 // spend
}

// segmentOf maps the high/low flags to a segment key (the LOYALTY.md table).
func segmentOf(rHigh, fHigh, mHigh bool) string {
	switch {
	case rHigh && fHigh && mHigh:
		return Champion
	case rHigh && !fHigh && mHigh:
		return Develop
	case !rHigh && fHigh && mHigh:
		return Keep
	case !rHigh && !fHigh && mHigh:
		return Winback
	case rHigh && fHigh && !mHigh:
		return GeneralValue
	case rHigh && !fHigh && !mHigh:
		return GeneralDevelop
	case !rHigh && fHigh && !mHigh:
		return GeneralKeep
	default:
		return GeneralWinback
	}
}

// Classify returns the segment of each buyer (same order as bs) against the
// means over all of bs. R is high when recency < mean(recency), F high when
// frequency > mean(frequency), M high when monetary > mean(monetary); a value
// equal to the mean is low.
//
// The comparisons are exact: x < sum/n is evaluated as x*n < sum in 128-bit
// integer arithmetic, so neither float rounding nor int64 overflow of the
// sums (e.g. 1e6 buyers × 1e9 fen, or values near MaxInt64) can flip a flag.
// Empty input gives an empty (non-nil) slice.
func Classify(bs []RFM) []string {
	out := make([]string, len(bs))
	if len(bs) == 0 {
		return out
	}
	var sumR, sumF, sumM i128
	for _, b := range bs {
		sumR = sumR.add(i128Of(int64(b.RecencyDays)))
		sumF = sumF.add(i128Of(int64(b.Frequency)))
		sumM = sumM.add(i128Of(b.MonetaryFen))
	}
	n := uint64(len(bs))
	for i, b := range bs {
		rHigh := mulN(int64(b.RecencyDays), n).cmp(sumR) < 0
		fHigh := mulN(int64(b.Frequency), n).cmp(sumF) > 0
		mHigh := mulN(b.MonetaryFen, n).cmp(sumM) > 0
		out[i] = segmentOf(rHigh, fHigh, mHigh)
	}
	return out
}

// i128 is a signed 128-bit integer in two's complement (hi holds the sign).
type i128 struct {
	hi int64
	lo uint64
}

func i128Of(x int64) i128 {
	if x < 0 {
		return i128{-1, uint64(x)}
	}
	return i128{0, uint64(x)}
}

func (a i128) add(b i128) i128 {
	lo, carry := bits.Add64(a.lo, b.lo, 0)
	return i128{a.hi + b.hi + int64(carry), lo}
}

func (a i128) neg() i128 {
	lo, borrow := bits.Sub64(0, a.lo, 0)
	return i128{-a.hi - int64(borrow), lo}
}

func (a i128) cmp(b i128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// mulN returns x*n exactly (|x| ≤ 2^63, n < 2^63, so the product fits).
func mulN(x int64, n uint64) i128 {
	ux := uint64(x)
	if x < 0 {
		ux = -ux // also right for MinInt64: 1<<63
	}
	hi, lo := bits.Mul64(ux, n)
	r := i128{int64(hi), lo}
	if x < 0 {
		r = r.neg()
	}
	return r
}
