package kpi

import (
	"bytes"
	"strconv"
)

// rawFamily is the kind of raw rows a metric is computed from.
type rawFamily int8

const (
	rawChat       rawFamily = iota
	rawConversion           // chats and orders: conversion and attributed sales
	rawOrders
	rawRefunds
	rawComplaints
	rawReviews
	rawNone // platform-only
)

func familyOf(m Metric) rawFamily {
	if m.PlatformOnly() {
		return rawNone
	}
	switch m.Key {
	case "buyer_messages", "unreplied_messages", "reply_30s_rate", "reply_3m_rate", "reply_5m_rate", "avg_response_seconds",
		"first_response_seconds", "consulting_buyers", "effective_reply_rate", "inquiries":
		return rawChat
	case "converted_inquiries", "inquiry_conversion_rate", "attributed_sales", "attributed_orders":
		return rawConversion
	case "refund_rate", "quality_refund_rate", "dispute_refund_rate", "avg_refund_hours", "avg_refund_only_hours", "avg_return_refund_hours":
		return rawRefunds
	case "complaints", "complaint_rate":
		return rawComplaints
	case "reviews", "bad_reviews", "medium_reviews", "bad_review_rate", "medium_bad_review_rate", "dsr_description", "dsr_service", "dsr_logistics":
		return rawReviews
	}
	return rawOrders
}

// present reports whether the period's sums hold raw rows of a family: only
// then is a computed count a real zero rather than "no data". Conversion needs
// chats of the subject and orders in the shop (shop: the shop's sums), since
// a chat without any order to link to converts nothing.
func (s *Sums) present(f rawFamily, shop *Sums) bool {
	switch f {
	case rawChat:
		return s.BuyerMessages > 0 || s.WindowDays > 0 || s.Inquiries > 0 || s.AttributedOrders > 0
	case rawConversion:
		return s.AttributedOrders > 0 || s.present(rawChat, shop) && shop.present(rawOrders, shop)
	case rawOrders:
		return s.PaidOrders > 0 || s.Shipped > 0 || s.DeliveryN > 0
	case rawRefunds:
		return s.RefundsRequested > 0 || s.RefundsDone > 0
	case rawComplaints:
		return s.Complaints > 0
	case rawReviews:
		return s.Reviews > 0
	}
	return false
}

// Combine picks, metric by metric, where a value comes from: kefuboard's
// computation when the sums hold raw rows of the metric's kind and the
// computation has a value; else the platform's figure when a report gives
// one; else the computation as it stands (a zero count, or null). A value
// is never a blend of the two. plat may be nil (no platform reports); shop
// is the shop's sums of the same period (s itself for the shop).
func Combine(comp Values, s, shop *Sums, plat map[string]PlatformFigure) Values {
	out := comp.withSources()
	raw := s.hasRaw(shop)
	for i, m := range Metrics {
		fam := familyOf(m)
		if fam != rawNone && s.present(fam, shop) && !comp.Null[i] {
			out.Src[i] = SourceComputed
			continue
		}
		if f, ok := plat[m.Key]; ok {
			out.V[i], out.Null[i], out.Src[i] = platformValue(m, f), false, SourcePlatform
			out.Col[i], out.Agg[i] = f.Column, PlatformAggregation(m.Key, f.Unit)
			if f.Reports > 1 {
				out.Agg[i] += "（" + strconv.Itoa(f.Reports) + " 份报表）"
			}
			continue
		}
		switch {
		case !raw && plat != nil:
			// An agent known only from platform reports: kefuboard has no
			// raw rows of them at all, so its own "0" would be no number.
			out.V[i], out.Null[i] = 0, true
		case !comp.Null[i] && fam != rawNone:
			out.Src[i] = SourceComputed
		}
	}
	return out
}

// hasRaw reports sums that hold any raw row.
func (s *Sums) hasRaw(shop *Sums) bool {
	for f := rawChat; f < rawNone; f++ {
		if s.present(f, shop) {
			return true
		}
	}
	return s.AttributedOrders > 0 || s.Complaints > 0
}

// platformValue converts a stored platform figure to the metric's unit.
func platformValue(m Metric, f PlatformFigure) float64 {
	switch m.Unit {
	case UnitYuan:
		return float64(roundFen(f.Value)) / 100
	case UnitCount:
		return roundHalfUp(f.Value)
	case UnitHours:
		return f.Value / 3600
	}
	return f.Value
}

func roundFen(v float64) int64 { return int64(roundHalfUp(v)) }

func roundHalfUp(v float64) float64 {
	if v < 0 {
		return -roundHalfUp(-v)
	}
	return float64(int64(v + 0.5))
}

// withSources returns a copy of v with its source columns allocated.
func (v Values) withSources() Values {
	n := len(v.V)
	out := Values{V: append([]float64(nil), v.V...), Null: append([]bool(nil), v.Null...),
		Src: make([]Source, n), Col: make([]string, n), Agg: make([]string, n), Why: make([]string, n)}
	if v.Why != nil {
		copy(out.Why, v.Why)
	}
	return out
}

// SourceOf returns where a metric's value comes from, with the platform's
// column name and how it was aggregated when it is a platform figure.
func (v Values) SourceOf(key string) (src Source, column, agg string) {
	for i, m := range Metrics {
		if m.Key == key && v.Src != nil {
			return v.Src[i], v.Col[i], v.Agg[i]
		}
	}
	return SourceNone, "", ""
}

// WhyNull is the reason a metric has no value, when there is one to give.
func (v Values) WhyNull(key string) string {
	for i, m := range Metrics {
		if m.Key == key && v.Why != nil {
			return v.Why[i]
		}
	}
	return ""
}

// Sources is the JSON object naming the source of every metric that has a
// value ("computed" or "platform"), in metric order.
type Sources struct{ V Values }

// MarshalJSON writes {"key": "computed", …} for the metrics with a value.
func (s Sources) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for i, m := range Metrics {
		if s.V.Src == nil || s.V.Null[i] || s.V.Src[i] == SourceNone {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(m.Key))
		b.WriteByte(':')
		b.WriteString(strconv.Quote(s.V.Src[i].String()))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
