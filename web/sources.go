package web

import "github.com/kefuboard/kefuboard/internal/kpi"

// sourceNote says where a metric's value comes from, for the pages: the
// label (计算 / 平台, "" for no value) and one sentence for the tooltip
// naming the platform's own column and how a platform figure was added up.
func sourceNote(v kpi.Values, key string) (label, note string) {
	src, col, agg := v.SourceOf(key)
	switch src {
	case kpi.SourcePlatform:
		note = "来源：平台客服绩效报表「" + col + "」"
		if agg != "" {
			note += "，" + agg
		}
		return src.Label(), note
	case kpi.SourceComputed:
		return src.Label(), "来源：kefuboard 按导入的原始数据计算"
	}
	if why := v.WhyNull(key); why != "" {
		return "", why
	}
	return "", ""
}
