package importer

import (
	"reflect"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func TestParseBool(t *testing.T) {
	for _, s := range []string{"1", "true", "TRUE", "True", "yes", "YES", "是", "y", "Y", "t", "T", " 是 "} {
		if b, err := ParseBool(s); err != nil || !b {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, b, err)
		}
	}
	for _, s := range []string{"", " ", "0", "false", "FALSE", "no", "No", "否", "n", "N", "f", "F"} {
		if b, err := ParseBool(s); err != nil || b {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, b, err)
		}
	}
	for _, s := range []string{"2", "-1", "ok", "有", "商家", "1.0", "yes!", "tru"} {
		if _, err := ParseBool(s); err == nil {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

func TestParseLiable(t *testing.T) {
	for _, s := range []string{"商家", "商家责任", "卖家", "卖家责任", "是", "true", "1", "Y"} {
		if !parseLiable(s) {
			t.Errorf("parseLiable(%q) = false", s)
		}
	}
	for _, s := range []string{"", "买家", "平台", "物流", "买家责任", "否", "false", "0", "无"} {
		if parseLiable(s) {
			t.Errorf("parseLiable(%q) = true", s)
		}
	}
}

func TestParseRole(t *testing.T) {
	cases := map[string]kpi.Role{
		"buyer": kpi.RoleBuyer, "Buyer": kpi.RoleBuyer, "买家": kpi.RoleBuyer, "顾客": kpi.RoleBuyer, "客户": kpi.RoleBuyer, "用户": kpi.RoleBuyer,
		"agent": kpi.RoleAgent, "AGENT": kpi.RoleAgent, "客服": kpi.RoleAgent, "商家": kpi.RoleAgent, "人工": kpi.RoleAgent, "卖家": kpi.RoleAgent,
		"bot": kpi.RoleBot, "机器人": kpi.RoleBot, "自动回复": kpi.RoleBot, "系统": kpi.RoleBot, "智能客服": kpi.RoleBot,
	}
	for s, want := range cases {
		if got, ok := parseRole(s); !ok || got != want {
			t.Errorf("parseRole(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "客服人员", "admin", "买"} {
		if _, ok := parseRole(s); ok {
			t.Errorf("parseRole(%q) accepted", s)
		}
	}
}

func TestParseStage(t *testing.T) {
	cases := map[string]kpi.Stage{"": kpi.StageUnknown, "presale": kpi.StagePresale, "PreSale": kpi.StagePresale, "售前": kpi.StagePresale,
		"aftersale": kpi.StageAftersale, "售后": kpi.StageAftersale, "其他": kpi.StageUnknown, "pre": kpi.StageUnknown}
	for s, want := range cases {
		if got := parseStage(s); got != want {
			t.Errorf("parseStage(%q) = %v", s, got)
		}
	}
}

func TestParseRefundTypeStatus(t *testing.T) {
	types := map[string]kpi.RefundType{
		"refund_only": kpi.RefundOnly, "仅退款": kpi.RefundOnly, "仅退款(未发货)": kpi.RefundOnly,
		"return_refund": kpi.ReturnRefund, "RETURN_REFUND": kpi.ReturnRefund, "退货退款": kpi.ReturnRefund, "退货退款(已收货)": kpi.ReturnRefund,
		"exchange": kpi.Exchange, "换货": kpi.Exchange, "reissue": kpi.Reissue, "补寄": kpi.Reissue, "补发": kpi.Reissue, "补发商品": kpi.Reissue,
		// Douyin's 售后类型: 退款 and 未发货仅退款 are refunds without a return.
		"退款": kpi.RefundOnly, "未发货仅退款": kpi.RefundOnly, "已发货仅退款": kpi.RefundOnly,
	}
	for s, want := range types {
		if got, ok := parseRefundType(s); !ok || got != want {
			t.Errorf("parseRefundType(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"退款中", "refund", "维修", ""} {
		if _, ok := parseRefundType(s); ok {
			t.Errorf("parseRefundType(%q) accepted", s)
		}
	}
	status := map[string]kpi.RefundStatus{
		"退款成功": kpi.RefundSuccess, "已退款": kpi.RefundSuccess, "完成": kpi.RefundSuccess, "售后成功": kpi.RefundSuccess, "success": kpi.RefundSuccess, "SUCCESS": kpi.RefundSuccess,
		"退款关闭": kpi.RefundClosed, "已撤销": kpi.RefundClosed, "已拒绝": kpi.RefundClosed, "关闭": kpi.RefundClosed, "closed": kpi.RefundClosed,
		"pending": kpi.RefundPending, "待商家处理": kpi.RefundPending, "退款中": kpi.RefundPending, "未完成": kpi.RefundPending,
		"售后完成": kpi.RefundSuccess, "售后关闭": kpi.RefundClosed, "售后处理中": kpi.RefundPending, "无售后或售后取消": kpi.RefundClosed,
	}
	for s, want := range status {
		if got := parseRefundStatus(s); got != want {
			t.Errorf("parseRefundStatus(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseSmallValues(t *testing.T) {
	ratings := map[string]int8{"1": 1, "5": 5, "3.0": 3, "好评": 5, "中评": 3, "差评": 1, "正面": 5, "中性": 3, "负面": 1,
		"4星": 4, "★★": 2, "★★★★★": 5}
	for s, want := range ratings {
		if got, ok := parseRating(s); !ok || got != want {
			t.Errorf("parseRating(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"0", "6", "4.5", "-1", "", "五星", "3.1"} {
		if _, ok := parseRating(s); ok {
			t.Errorf("parseRating(%q) accepted", s)
		}
	}
	for s, want := range map[string]int8{"": 0, "1": 1, "5": 5, "4.00": 4} {
		if got, ok := parseDSR(s); !ok || got != want {
			t.Errorf("parseDSR(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"0", "6", "好评", "x"} {
		if _, ok := parseDSR(s); ok {
			t.Errorf("parseDSR(%q) accepted", s)
		}
	}
	for s, want := range map[string]int64{"": 1, "0": 0, "1": 1, "12": 12, "2.0": 2, "1,000": 1000} {
		if got, ok := parseQuantity(s); !ok || got != want {
			t.Errorf("parseQuantity(%q) = %v, %v", s, got, ok)
		}
	}
	for _, s := range []string{"-1", "1.5", "abc", "1e3", ".0", "9999999999999999999"} {
		if _, ok := parseQuantity(s); ok {
			t.Errorf("parseQuantity(%q) accepted", s)
		}
	}
}

func TestParseBirthday(t *testing.T) {
	ok := map[string]string{
		"05-12": "05-12", "5-12": "05-12", "5-2": "05-02", "12/25": "12-25", "1/2": "01-02", "5月12日": "05-12", "5月12": "05-12",
		"02-29": "02-29", "1990-11-03": "11-03", "1990/11/3": "11-03", "1990年11月3日": "11-03", "1990-11-03 00:00:00": "11-03",
		"33180": "11-03", // Excel serial of 1990-11-03
	}
	for s, want := range ok {
		if got, ok := parseBirthday(s, nil, nil); !ok || got != want {
			t.Errorf("parseBirthday(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for _, s := range []string{"13-01", "00-10", "02-30", "04-31", "5-", "abc", "1225", "12-25-", "1990-02-30", "5月32日", "0"} {
		if got, ok := parseBirthday(s, nil, nil); ok {
			t.Errorf("parseBirthday(%q) = %q, accepted", s, got)
		}
	}
}

func TestSplitTags(t *testing.T) {
	cases := map[string][]string{
		"":                         nil,
		"老客户":                      {"老客户"},
		"老客户;高价值":                  {"老客户", "高价值"},
		"a, b，c；d、e;":              {"a", "b", "c", "d", "e"},
		" ,;、 ":                    nil,
		"VIP ， 复购\u3000、\u3000高价值": {"VIP", "复购", "高价值"},
	}
	for s, want := range cases {
		if got := splitTags(s); !reflect.DeepEqual(got, want) {
			t.Errorf("splitTags(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTrimCell(t *testing.T) {
	cases := map[string]string{
		"": "", "a": "a", " a ": "a", "\u3000小美\u3000": "小美", "小美": "小美", "a\r": "a", "\ufeffbuyer": "buyer",
		"\u00a0x\u00a0": "x", "内容 ": "内容", " 内容": "内容", "\t": "", "a b": "a b", "\u200b买家": "买家",
	}
	for in, want := range cases {
		if got := trimCell(in); got != want {
			t.Errorf("trimCell(%q) = %q, want %q", in, got, want)
		}
	}
}
