package importer

import (
	"strings"
	"unicode"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// colDef is one column of an import format (docs/IMPORT-FORMATS.md).
type colDef struct {
	name     string   // canonical English name
	zh       string   // Chinese label used in messages
	required bool     // the header must have it (a row rule like messages.agent is not "required")
	aliases  []string // other accepted header texts, matched case-insensitively after normalisation
}

// Aliases shared between kinds ("as messages", "as orders" in docs/IMPORT-FORMATS.md).
var (
	buyerAliases   = []string{"买家", "买家ID", "买家昵称", "买家账号", "顾客", "客户", "用户ID", "用户", "buyer_id", "买家会员名", "买家会员名称", "下单帐号", "下单账号", "客户名", "客户ID"}
	orderIDAliases = []string{"订单号", "订单编号", "订单ID", "主订单编号"}
	productAliases = []string{"商品", "商品名称", "宝贝标题", "选购商品", "全部商品名称", "商品标题"}
)

// Column indices per kind. The order of each table below follows these constants.
const (
	mBuyer = iota
	mRole
	mAgent
	mSentAt
	mContent
	mMsgID
	mStage
	mShop
	mSender
	mDate
	mTranscript
)

const (
	oOrderID = iota
	oBuyer
	oCreatedAt
	oPaidAt
	oAmount
	oQuantity
	oStatus
	oProduct
	oAgent
	oShippedAt
	oPickedUpAt
	oDeliveredAt
	oAfterSale
	oItemPrice
)

const (
	fRefundID = iota
	fOrderID
	fType
	fStatus
	fRequestedAt
	fCompletedAt
	fReason
	fAmount
	fIntervened
	fMerchantLiable
	fAgent
	fBuyer
	fNeedsReturn
)

const (
	vBuyer = iota
	vRating
	vCreatedAt
	vOrderID
	vReviewID
	vContent
	vProduct
	vDSRDescription
	vDSRService
	vDSRLogistics
)

const (
	cBuyer = iota
	cCreatedAt
	cComplaintID
	cOrderID
	cAgent
	cType
	cStatus
)

// The agent report's fixed columns; its figures are resolved by layoutReport.
const (
	aAgent = iota
	aDate
)

const (
	uBuyer = iota
	uName
	uPhone
	uBirthday
	uLevel
	uTags
	uJoinedAt
)

// kindSpec is the column table of one kind plus its lookup index.
type kindSpec struct {
	kind   kpi.Kind
	zh     string
	cols   []colDef
	lookup map[string]int // normalised header text -> column index
	rank   map[string]int // normalised header text -> its place in the column's alias list (0 = the canonical name)
}

var specs = map[kpi.Kind]*kindSpec{
	kpi.KindMessages: {kind: kpi.KindMessages, zh: "聊天记录", cols: []colDef{
		mBuyer:   {"buyer", "买家", true, buyerAliases},
		mRole:    {"role", "发送方", true, []string{"发送方", "发送者", "发送角色", "角色", "消息类型", "sender", "账号类型"}},
		mAgent:   {"agent", "客服", false, []string{"客服", "客服账号", "客服昵称", "子账号", "接待客服", "客服名称"}},
		mSentAt:  {"sent_at", "发送时间", true, []string{"时间", "发送时间", "消息时间", "聊天时间"}},
		mContent: {"content", "内容", false, []string{"内容", "消息内容", "聊天内容", "发送内容"}},
		mMsgID:   {"msg_id", "消息ID", false, []string{"消息ID", "消息编号"}},
		mStage:   {"stage", "咨询类型", false, []string{"咨询类型", "会话类型"}},
		mShop:    {"shop", "店铺", false, []string{"店铺", "店铺名称"}},
		// Collector layouts (docs/IMPORT-FORMATS.md "Chat data from collectors").
		mSender:     {"sender_account", "发送账号", false, []string{"发送账号", "发送人", "发送者账号", "发送方账号"}},
		mDate:       {"date", "日期", false, []string{"日期", "聊天日期", "会话日期"}},
		mTranscript: {"transcript", "聊天记录", false, []string{"聊天记录", "会话记录", "聊天全文"}},
	}},
	kpi.KindOrders: {kind: kpi.KindOrders, zh: "订单", cols: []colDef{
		// Where several columns could fill one field, the alias earlier in
		// its list wins (what the buyer paid before what the shop received).
		oOrderID:   {"order_id", "订单号", true, orderIDAliases},
		oBuyer:     {"buyer", "买家", false, buyerAliases},
		oCreatedAt: {"created_at", "下单时间", false, []string{"订单创建时间", "订单提交时间", "下单时间", "创建时间"}},
		oPaidAt:    {"paid_at", "支付时间", true, []string{"支付时间", "订单付款时间", "支付完成时间", "付款确认时间", "买家付款时间", "付款时间", "成团时间"}},
		oAmount: {"amount", "实付金额", true, []string{"用户实付金额", "买家实际支付金额", "买家实付金额", "订单应付金额", "应付金额", "订单实付金额",
			"实付金额", "买家实付", "支付金额", "实收金额", "商家实收金额", "订单金额", "总金额"}},
		oQuantity:    {"quantity", "商品数量", false, []string{"商品数量", "宝贝总数量", "订购数量", "购买数量", "数量", "件数"}},
		oStatus:      {"status", "订单状态", false, []string{"订单状态"}},
		oProduct:     {"product", "商品", false, productAliases},
		oAgent:       {"agent", "客服", false, []string{"客服", "绩效客服", "下单客服", "归属客服"}},
		oShippedAt:   {"shipped_at", "发货时间", false, []string{"发货时间"}},
		oPickedUpAt:  {"picked_up_at", "揽收时间", false, []string{"揽收时间"}},
		oDeliveredAt: {"delivered_at", "签收时间", false, []string{"签收时间", "确认收货时间"}},
		oAfterSale:   {"aftersale_status", "售后状态", false, []string{"售后状态"}},
		oItemPrice:   {"item_price", "商品单价", false, []string{"商品单价", "商品价格", "京东价", "单价", "宝贝单价"}},
	}},
	kpi.KindRefunds: {kind: kpi.KindRefunds, zh: "售后", cols: []colDef{
		fRefundID:    {"refund_id", "售后单号", true, []string{"售后单号", "售后编号", "退款编号", "退款单号"}},
		fOrderID:     {"order_id", "订单号", true, orderIDAliases},
		fType:        {"type", "售后类型", true, []string{"售后类型", "退款类型"}},
		fStatus:      {"status", "售后状态", true, []string{"售后状态", "退款状态"}},
		fRequestedAt: {"requested_at", "申请时间", true, []string{"申请时间", "退款的申请时间", "售后申请时间", "发起时间"}},
		// 退款完结时间 before 完结时间: in Taobao's export the latter may hold something else.
		fCompletedAt:    {"completed_at", "完结时间", false, []string{"退款完结时间", "退款完成时间", "完结时间", "退款时间", "完成时间"}},
		fReason:         {"reason", "退款原因", false, []string{"退款原因", "买家退款原因", "售后原因", "申请原因"}},
		fAmount:         {"amount", "退款金额", false, []string{"退款金额", "买家退款金额", "退商品金额"}},
		fIntervened:     {"intervened", "平台介入", false, []string{"平台介入", "是否介入", "是否平台介入", "客服介入状态"}},
		fMerchantLiable: {"merchant_liable", "商家责任", false, []string{"商家责任", "是否商家责任", "判责结果", "责任方"}},
		fAgent:          {"agent", "处理客服", false, []string{"处理客服", "售后客服"}},
		fBuyer:          {"buyer", "买家", false, buyerAliases},
		// Taobao's refund export has no type: 是否需要退货 是 → return_refund, 否 → refund_only.
		fNeedsReturn: {"needs_return", "是否需要退货", false, []string{"是否需要退货"}},
	}},
	kpi.KindReviews: {kind: kpi.KindReviews, zh: "评价", cols: []colDef{
		vBuyer:          {"buyer", "买家", true, buyerAliases},
		vRating:         {"rating", "评分", true, []string{"评分", "星级", "评价等级", "评价类型"}},
		vCreatedAt:      {"created_at", "评价时间", true, []string{"评价时间"}},
		vOrderID:        {"order_id", "订单号", false, orderIDAliases},
		vReviewID:       {"review_id", "评价ID", false, []string{"评价ID", "评价编号"}},
		vContent:        {"content", "评价内容", false, []string{"评价内容", "内容"}},
		vProduct:        {"product", "商品", false, productAliases},
		vDSRDescription: {"dsr_description", "描述相符", false, []string{"描述相符", "描述相符评分"}},
		vDSRService:     {"dsr_service", "服务态度", false, []string{"服务态度", "服务态度评分"}},
		vDSRLogistics:   {"dsr_logistics", "物流服务", false, []string{"物流服务", "物流服务评分"}},
	}},
	kpi.KindComplaints: {kind: kpi.KindComplaints, zh: "投诉", cols: []colDef{
		cBuyer:       {"buyer", "买家", true, buyerAliases},
		cCreatedAt:   {"created_at", "投诉时间", true, []string{"投诉时间", "发起时间"}},
		cComplaintID: {"complaint_id", "投诉单号", false, []string{"投诉单号", "投诉编号"}},
		cOrderID:     {"order_id", "订单号", false, orderIDAliases},
		cAgent:       {"agent", "被投诉客服", false, []string{"被投诉客服", "客服"}},
		cType:        {"type", "投诉类型", false, []string{"投诉类型", "投诉原因"}},
		cStatus:      {"status", "投诉状态", false, []string{"投诉状态", "处理状态"}},
	}},
	kpi.KindAgentReport: {kind: kpi.KindAgentReport, zh: "客服绩效报表", cols: []colDef{
		aAgent: {"agent", "客服账号", true, reportIdentity},
		aDate:  {"date", "日期", false, reportDate},
	}},
	kpi.KindCustomers: {kind: kpi.KindCustomers, zh: "会员", cols: []colDef{
		uBuyer:    {"buyer", "买家", true, buyerAliases},
		uName:     {"name", "姓名", false, []string{"姓名", "客户姓名", "会员名"}},
		uPhone:    {"phone", "手机号", false, []string{"手机", "手机号", "电话"}},
		uBirthday: {"birthday", "生日", false, []string{"生日"}},
		uLevel:    {"level", "会员等级", false, []string{"会员等级", "等级"}},
		uTags:     {"tags", "标签", false, []string{"标签"}},
		uJoinedAt: {"joined_at", "入会时间", false, []string{"入会时间", "注册时间"}},
	}},
}

// kindBadReviews reads a copied list of bad reviews that has no rating
// column (Options.BadReviews): the reviews table with the rating optional.
const kindBadReviews kpi.Kind = "reviews_without_rating"

func init() {
	bad := *specs[kpi.KindReviews]
	bad.cols = append([]colDef(nil), bad.cols...)
	bad.cols[vRating].required = false
	specs[kindBadReviews] = &bad
	for _, sp := range specs {
		sp.lookup, sp.rank = make(map[string]int), make(map[string]int)
		for i, c := range sp.cols {
			sp.lookup[strings.ToLower(c.name)] = i
			for j, a := range c.aliases {
				sp.lookup[strings.ToLower(a)] = i
				sp.rank[strings.ToLower(a)] = j + 1
			}
		}
	}
}

// MatchHeader maps one header cell to a canonical column name of kind, using
// only that kind's alias table. The text is normalised first (see
// normaliseHeader); when that does not match, a trailing bracketed unit such
// as "(元)" or "（元）" is removed and the match retried once.
func MatchHeader(kind kpi.Kind, header string) (canonical string, ok bool) {
	sp := specs[kind]
	if sp == nil {
		return "", false
	}
	i, ok := sp.match(header)
	if !ok {
		return "", false
	}
	return sp.cols[i].name, true
}

// match returns the column index header maps to.
func (sp *kindSpec) match(header string) (int, bool) {
	i, _, ok := sp.matchRank(header)
	return i, ok
}

// matchRank is match with the alias's place in its column's list, for
// choosing between two cells that name the same column.
func (sp *kindSpec) matchRank(header string) (col, rank int, ok bool) {
	n := normaliseHeader(header)
	if n == "" {
		return 0, 0, false
	}
	if i, ok := sp.lookup[n]; ok {
		return i, sp.rank[n], true
	}
	if u, ok := stripUnit(header); ok {
		n = normaliseHeader(u)
		if i, ok := sp.lookup[n]; ok {
			return i, sp.rank[n], true
		}
	}
	return 0, 0, false
}

// isHeaderJunk reports the characters trimmed from both ends of a header cell:
// white space (including the full-width space U+3000 and BOM/zero-width
// characters), '*' marking required columns, ASCII and Chinese quotes,
// half- and full-width brackets, and a trailing colon.
func isHeaderJunk(r rune) bool {
	if unicode.IsSpace(r) {
		return true
	}
	switch r {
	case '\ufeff', '\u200b', '*', '＊', ':', '：',
		'"', '\'', '`', '“', '”', '‘', '’', '＂', '＇', '「', '」', '『', '』',
		'(', ')', '（', '）', '[', ']', '［', '］', '【', '】', '〔', '〕',
		'{', '}', '｛', '｝', '<', '>', '《', '》', '〈', '〉', '〖', '〗':
		return true
	}
	return false
}

// normaliseHeader trims junk from both ends and lower-cases the rest.
func normaliseHeader(s string) string {
	return strings.ToLower(strings.TrimFunc(s, isHeaderJunk))
}

// stripUnit removes one trailing bracketed part, e.g. "实付金额(元)" -> "实付金额",
// "下单时间【北京时间】" -> "下单时间". ok is false when there is none.
func stripUnit(s string) (string, bool) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	var open string
	switch {
	case strings.HasSuffix(s, ")"):
		open = "("
	case strings.HasSuffix(s, "）"):
		open = "（"
	case strings.HasSuffix(s, "]"):
		open = "["
	case strings.HasSuffix(s, "］"):
		open = "［"
	case strings.HasSuffix(s, "】"):
		open = "【"
	default:
		return "", false
	}
	// Accept a mixed pair too, e.g. "金额（元)".
	i := strings.LastIndex(s, open)
	for _, o := range []string{"(", "（", "[", "［", "【"} {
		if j := strings.LastIndex(s, o); j > i {
			i = j
		}
	}
	if i <= 0 {
		return "", false
	}
	return s[:i], true
}
