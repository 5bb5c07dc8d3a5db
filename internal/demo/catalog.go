package demo

import "strings"

// The demo shop sells home goods (家居日用), like the golden fixture's shop, so
// the demo and the fixture read as the same business. Every string that can
// land in orders.csv must be representable in GBK: the tests check that.

type product struct {
	name    string
	price   int64   // fen
	weight  float64 // popularity
	fragile bool    // breakage and quality complaints are likelier
}

var catalogue = []product{
	{"保温杯", 6900, 9, false},
	{"陶瓷马克杯", 3500, 7, true},
	{"保温饭盒", 7900, 6, false},
	{"纯棉T恤", 5990, 8, false},
	{"袜子三双装", 2990, 9, false},
	{"数据线", 1990, 7, false},
	{"不锈钢炒锅", 18900, 4, false},
	{"陶瓷碗碟套装", 12800, 3, true},
	{"乳胶枕", 29900, 4, false},
	{"纯棉四件套", 25900, 4, false},
	{"毛巾两条装", 3990, 6, false},
	{"折叠收纳箱", 4580, 5, false},
	{"电热水壶", 13900, 4, false},
	{"空气炸锅", 39900, 3, false},
	{"桌面加湿器", 15900, 3, false},
	{"玻璃保鲜盒", 6990, 4, true},
	{"记忆棉拖鞋", 4990, 5, false},
	{"旋转拖把套装", 8990, 4, false},
	{"扫地机器人", 159900, 1, false},
	{"智能马桶盖", 129900, 1, false},
	{"懒人沙发", 59900, 2, false},
	{"筷子十双装", 2590, 5, false},
}

// agentNames are the sub-account names agents use in chat; the first Agents
// of them are used. Half work 早班, half 晚班 (see shiftOf).
var agentNames = []string{
	"小美", "小雪", "阿强", "小雨", "小杰", "阿月", "小琳", "阿东", "小菲", "阿亮",
	"小婷", "阿峰", "小慧", "阿俊", "小晴", "阿斌", "小露", "阿涛", "小雅", "阿辉",
}

// MaxAgents is the largest team the demo knows names for.
const MaxAgents = 20

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"}

var givenChars = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玲", "红", "飞", "鹏", "宇", "欣"}

var phonePrefixes = []string{"138", "139", "135", "136", "150", "151", "158", "159", "186", "187", "188", "177", "199", "133", "153"}

var memberLevels = []string{"普通会员", "白银会员", "黄金会员", "铂金会员", "钻石会员"}

// Refund reasons. Quality ones match METRICS.md's quality word list; the
// others must not contain any of those words.
var (
	qualityReasons = []string{"质量问题", "商品破损", "发错货", "少件/漏发", "与描述不符", "颜色有色差", "有划痕瑕疵", "收到就坏了"}
	preShipReasons = []string{"不想要了", "拍错了", "多拍了", "地址填错了", "协商一致退款"}
	otherReasons   = []string{"不想要了", "七天无理由退货", "尺码/规格不合适", "效果不好", "买贵了", "快递一直未送达"}
)

// Refund statuses, by the words docs/IMPORT-FORMATS.md maps to success / closed / pending.
var (
	pendingRefundWords = []string{"处理中", "待商家处理", "待买家退货", "待商家收货"}
	closedRefundWords  = []string{"退款关闭", "已撤销", "已拒绝"}
)

var complaintTypes = []string{"发货慢", "服务态度差", "商品质量问题", "售后处理不当", "虚假宣传", "未按约定时间发货"}
var complaintStatuses = []string{"处理中", "已处理", "已完结", "已撤销"}

var memberTags = []string{"老客户", "高价值", "价格敏感", "差评风险", "活动参与者", "宝妈", "学生党", "企业采购"}

// Review texts by mood. %s-free on purpose: the product name has its own column.
var (
	goodReviews = []string{
		"东西收到了，质量很好，和描述的一样", "物流很快，包装也很用心，好评", "客服小姐姐很耐心，推荐购买",
		"第二次购买了，一如既往的好", "性价比很高，家里人都说好用", "做工精细，没有异味，满意",
		"发货速度快，东西不错，下次还来", "很实用，颜值也高，五星好评", "", "", "",
	}
	midReviews = []string{
		"一般般吧，对得起这个价格", "东西还行，就是物流有点慢", "包装有点简陋，东西没坏",
		"和图片有一点色差，能接受", "用了几天再来评价，暂时还可以",
	}
	badReviews = []string{
		"收到就是坏的，申请退款还一直拖着不处理，差评", "质量太差了，用了三天就坏了",
		"跟图片颜色差太多了，色差严重，不推荐", "发货太慢了，催了好几次客服才回", "客服态度很差，问什么都不耐烦",
		"少发了一件，联系客服到现在没人管", "做工粗糙，线头很多，和描述不符", "包装破损，里面东西也有划痕",
	}
)

// Chat lines, in the shop's own words (seeds 000–002: 接待, 议价, 催付, 告别,
// 安抚情绪, 物流, 退换货). Templates use {p} for the product, {shop} for the
// shop and {agent} for the agent's name. They are rendered once per
// generation into plain strings, so a message stores a string header that
// points at shared bytes and writing a million messages allocates nothing.
var (
	// Pre-sale questions come with the answer a decent agent gives, so a
	// conversation reads as one: the opening (per product) and follow-ups.
	tmplBuyerOpen = []qa{
		{"这款{p}还有货吗？", "有现货的亲，今天16点前拍下当天发货哦"},
		{"{p}今天下单什么时候发货？", "今天16点前拍下当天就发，之后的第二天上午发出哦"},
		{"你好，{p}是什么材质的？", "亲，材质在详情页第二张图有写哦，都是正规厂家的货"},
		{"在吗？想问下{p}", "在的亲，您想了解哪方面呢？"},
		{"{p}有优惠券吗？", "亲，现在领券立减10元，页面就可以领哦"},
		{"{p}买两个能便宜点吗？", "买两件可以给您备注送个小赠品哈"},
		{"请问{p}有其他颜色吗？", "目前有三个颜色可选，页面规格里可以选哦"},
		{"{p}质量怎么样啊", "这款是我们店的爆款，支持七天无理由退换，您放心"},
	}
	genericOpen = []string{"在吗？", "你好", "亲，在吗", "有人吗", "老板在吗"}
	buyerAsk    = []qa{
		{"发什么快递？", "默认发中通，偏远地区除外都包邮的"},
		{"能包邮吗？", "全国包邮的亲，偏远地区除外"},
		{"几天能到？", "一般2到4天就能到呢"},
		{"质量怎么样啊", "这款是我们店的爆款，支持七天无理由退换，您放心"},
		{"能便宜点吗", "这个价格已经是活动价了，真的很难再便宜了呢"},
		{"买两件能优惠吗", "买两件可以给您备注送个小赠品哈"},
		{"有赠品吗", "现在下单送一个收纳袋哦"},
		{"有没有其他颜色", "目前有三个颜色可选，页面规格里可以选哦"},
		{"尺寸多大", "有的亲，详情页第三张图有尺寸说明哦"},
		{"会不会有异味", "没有异味的亲，出厂前都通风处理过"},
		{"保修多久", "保修一年，有问题随时联系我们"},
		{"能开发票吗", "支持开发票的，下单后备注抬头就可以"},
		{"和别家的有什么区别", "我们是品牌直营，售后有保障，用料也更足哦"},
		{"再便宜五块我就拍了", "我帮您申请一下，给您改价少5元可以吗？"},
		{"老客户有优惠吗", "老客户下单备注一下，给您多送一份小礼品哈"},
		{"嗯嗯", "亲，看您还没付款，今天下单今天就能发货哦"},
	}
	tmplAgentGreet = []string{
		"亲，在的呢，很高兴为您服务~", "您好，我是客服{agent}，请问有什么可以帮您？", "亲，在的哦，您看中哪款商品了呢？",
		"您好，欢迎光临{shop}，{agent}为您服务", "让您久等了，{agent}在的哦",
	}
	agentNudge   = []string{"活动库存不多了，喜欢的话尽早下单哦", "亲，看您还没付款，今天下单今天就能发货哦", "现在拍下还能赶上今天的发货哦"}
	buyerBought  = []string{"好的，我去拍", "那我下单了", "行，一会儿付款", "好，买两个", "好的，等下就拍"}
	agentThanks  = []string{"收到亲，已为您备注尽快发货，感谢支持~", "好的亲，核对一下收货地址哦，没问题就给您安排发货", "感谢亲的支持，今天就给您发出哈"}
	buyerNotNow  = []string{"好的我再看看", "嗯嗯，我考虑一下", "谢谢，先不要了", "我再对比一下"}
	agentBye     = []string{"好的亲，后续有问题欢迎来找我们哦~", "亲亲，有需要随时找我哦，祝您生活愉快", "好的，期待您的再次光临~"}
	tmplBotHello = []string{"您好，欢迎光临{shop}，客服正在赶来的路上，请稍等~", "亲，欢迎光临{shop}！常见问题可以点击下方快捷菜单哦"}
	botOffHours  = []string{"亲，客服在线时间为8:00-23:00，您的留言我们上班后会第一时间回复~"}
	buyerNudge   = []string{"在吗？", "有人吗？？", "人呢", "怎么没人回"}
	buyerTrail   = []string{"好的谢谢", "嗯嗯", "ok", "知道了"}

	buyerLogistics = []string{"我的快递怎么还没到？", "什么时候发货啊，都两天了", "物流好几天没更新了", "能帮我催一下快递吗", "发的什么快递？单号多少"}
	agentLogistics = []string{"亲，帮您查询了，包裹已经在派送途中，预计明天送达哦", "给您催过快递了，有进展第一时间通知您",
		"亲，今天就给您安排发出哈，实在抱歉久等了", "非常抱歉，最近单量大，已经加急处理了"}
	tmplBuyerQuality = []string{"收到的{p}有破损，怎么处理？", "{p}质量有问题，我要退货", "颜色和图片差太多了", "少发了一件",
		"发错货了，我买的不是这个", "{p}用了一次就坏了"}
	buyerChange = []string{"拍错了，能退吗？", "不想要了，怎么退款", "尺码不合适，能换吗", "买多了，退一个", "地址填错了，能取消吗"}
	agentSoothe = []string{"非常抱歉给您带来不好的体验，麻烦拍个照片发给我看看", "我理解您的心情，我们一定会为您妥善处理的",
		"亲，给您申请了退款，请留意到账哦", "您直接申请退货退款就可以，运费我们承担", "给您补发一件，今天就安排", "给您换一个新的，麻烦先把原来的寄回哦"}
	agentRefundOK = []string{"可以的亲，您直接在订单页申请退款就好", "没问题亲，退货地址已经发您了，寄回后第一时间处理", "已经帮您取消了，钱会原路退回"}
	buyerAfterAsk = []string{"好的", "那要多久能到账？", "运费谁出？", "谢谢", "尽快处理吧", "都三天了还没人处理？", "再不处理我就投诉了"}
	buyerUsage    = []string{"这个怎么用啊", "第一次用需要清洗吗？", "说明书找不到了", "充电要多久"}
	agentUsage    = []string{"亲，首次使用前用温水清洗一下就可以了", "给您发个使用视频，跟着操作就行哈", "说明书电子版发您了，有问题随时问我"}

	// Risky lines for the chat-risk scan (the product card): off-platform payment,
	// over-promising, and (very rarely) abuse. Written at a low rate so the
	// risk queue has a few items, not a flood.
	agentRisky = []string{"亲，加我微信，私下转账给您便宜20块", "支付宝转账给我也可以，不用走平台", "质量绝对没问题，保证正品",
		"百分百没有色差的，您放心", "保证明天就能到"}
	agentAbuse = []string{"爱买不买，别浪费我时间"}
)

// qa is a buyer line and the agent line that answers it.
type qa struct{ q, a string }

// phrasebook holds the rendered lines for one generation.
type phrasebook struct {
	buyerOpen    [][]qa     // per product
	buyerQuality [][]string // per product
	agentGreet   [][]string // per agent
	botHello     []string
}

func render(t, p, shop, agent string) string {
	return strings.NewReplacer("{p}", p, "{shop}", shop, "{agent}", agent).Replace(t)
}

func newPhrasebook(shop string, agents []string) *phrasebook {
	pb := &phrasebook{}
	for _, pr := range catalogue {
		var open []qa
		var qual []string
		for _, t := range tmplBuyerOpen {
			open = append(open, qa{render(t.q, pr.name, shop, ""), t.a})
		}
		for _, t := range tmplBuyerQuality {
			qual = append(qual, render(t, pr.name, shop, ""))
		}
		pb.buyerOpen = append(pb.buyerOpen, open)
		pb.buyerQuality = append(pb.buyerQuality, qual)
	}
	for _, a := range agents {
		var g []string
		for _, t := range tmplAgentGreet {
			g = append(g, render(t, "", shop, a))
		}
		pb.agentGreet = append(pb.agentGreet, g)
	}
	for _, t := range tmplBotHello {
		pb.botHello = append(pb.botHello, render(t, "", shop, ""))
	}
	return pb
}
