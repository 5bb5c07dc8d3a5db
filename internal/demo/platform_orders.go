package demo

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// hdrPlatformOrders is the header of the PDD order export: no buyer column,
// no creation time (支付时间 is the first time an order has).
var hdrPlatformOrders = []string{
	"商品", "订单号", "订单状态", "商品总价(元)", "店铺优惠折扣(元)", "平台优惠折扣(元)", "邮费(元)",
	"用户实付金额(元)", "商家实收金额(元)", "商品数量(件)", "收货人", "手机", "支付时间", "拼单成功时间",
	"订单确认时间", "承诺发货时间", "发货时间", "确认收货时间", "商品id", "商品规格", "快递单号", "快递公司",
	"商家备注", "售后状态", "买家留言",
}

// PDD order statuses and after-sale states, as the export writes them.
const (
	pddShipped   = "已发货，待签收"
	pddSigned    = "已签收"
	pddToShip    = "待发货"
	pddCancelled = "已取消"

	pddNoAfter    = "无售后或售后取消"
	pddRefunded   = "退款成功"
	pddAfterOpen  = "售后处理中"
	pddRefundOpen = "退款中"
)

var (
	pddColours  = []string{"白色", "灰色", "米色", "浅蓝", "粉色", "墨绿"}
	pddVariants = []string{"标准款", "升级款", "加大款", "两件装"}
	pddNotes    = []string{"加急发货", "已改地址", "送收纳袋", "已电话确认", "补发一件"}
	pddMessages = []string{"请尽快发货", "不要放快递柜，谢谢", "送人的，不要放价格单", "麻烦包装好一点", "发中通可以吗", "周末才在家，请电话联系"}
	// Couriers with the shape of their waybill numbers: prefix, random digits.
	pddCouriers = []struct {
		name, prefix string
		digits       int
	}{
		{"中通快递", "7", 13}, {"圆通快递", "YT", 13}, {"韵达快递", "43", 13}, {"申通快递", "77", 13}, {"极兔速递", "JT", 13},
	}
	pddCourierWeights = newWeighted([]float64{35, 20, 20, 10, 15})
	pddShopCoupons    = []int64{200, 300, 500, 1000, 2000}
)

// pfOrder is one row of the order export. Money in fen; times are unix
// seconds, 0 for an empty cell.
type pfOrder struct {
	t                           int64 // when the buyer ordered (not exported; it orders the file)
	seq                         int   // draw order, breaks ties of t
	id                          string
	prod, qty                   int
	spec                        string
	total, shopDisc, platDisc   int64
	post                        int64
	pay, group, promise         int64
	ship, confirm               int64
	status, after               string
	waybill, courier, note, msg string
	receiver, phone             string
	agent                       int  // -1: no agent involved
	refunded                    bool // 售后状态 退款成功: out of 去退销售额
	unpaid                      bool // cancelled before payment
}

func (o *pfOrder) paid() int64     { return o.total - o.shopDisc - o.platDisc + o.post }
func (o *pfOrder) received() int64 { return o.paid() + o.platDisc }

// pddPrice is the PDD price of a catalogue product: about 70% of the
// flagship shop's, ending in .90 as PDD prices do.
func pddPrice(p product) int64 { return max(p.price*7/10/100*100-10, 390) }

// dayOrders draws the orders of day d and attributes some paid ones to the
// agents (their 最终成团人数), filling their 客服销售额 and 去退销售额. The
// agents' part of the day's paid sales is kept within 40–70%: a day is
// small enough for one air fryer to tip it either way.
func (g *platformGen) dayOrders(d int, stats []pfStat) []pfOrder {
	r := &g.ro
	attributed := 0
	for _, s := range stats {
		attributed += s.groups
	}
	share := 0.4 + 0.3*r.float() // agents' part of the day's paid orders
	nPaid := max(int(float64(attributed)/share+0.999), attributed, 3)
	nUnpaid := int(0.03*float64(nPaid) + r.float())
	ds := g.days[d].Unix()
	orders := make([]pfOrder, 0, nPaid+nUnpaid+8)
	for i := 0; i < nPaid+nUnpaid; i++ {
		orders = append(orders, g.newOrder(ds, i >= nPaid))
	}

	// The agents' orders are a random sample of the day's paid orders.
	var paid []int
	for i := range orders {
		if !orders[i].unpaid {
			paid = append(paid, i)
		}
	}
	for i := len(paid) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		paid[i], paid[j] = paid[j], paid[i]
	}
	k := 0
	for _, s := range stats {
		for n := 0; n < s.groups; n++ {
			orders[paid[k]].agent = s.agent
			k++
		}
	}
	for range 500 {
		var agents, shop int64
		hi, lo := -1, -1 // largest unattributed, smallest attributed paid order
		for i := range orders {
			o := &orders[i]
			switch {
			case o.unpaid:
				continue
			case o.agent >= 0:
				agents += o.paid()
				if lo < 0 || o.paid() < orders[lo].paid() {
					lo = i
				}
			case hi < 0 || o.paid() > orders[hi].paid():
				hi = i
			}
			shop += o.paid()
		}
		if agents*10 > shop*7 { // too much: more orders no agent touched
			orders = append(orders, g.newOrder(ds, false))
			continue
		}
		if agents*10 >= shop*4 || hi < 0 || lo < 0 || orders[hi].paid() <= orders[lo].paid() {
			break
		}
		orders[hi].agent, orders[lo].agent = orders[lo].agent, -1 // too little: the agent sold the big one
	}

	for i := range orders {
		orders[i].seq = i
	}
	slices.SortFunc(orders, func(a, b pfOrder) int {
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	at := make([]int, len(g.agents)) // agent → index in stats
	for si, s := range stats {
		at[s.agent] = si
	}
	for i := range orders {
		o := &orders[i]
		if o.agent < 0 {
			continue
		}
		s := &stats[at[o.agent]]
		s.sales += o.paid()
		if !o.refunded {
			s.netSales += o.paid()
		}
		if o.note == "" && r.chance(0.08) {
			o.note = "客服" + g.agents[o.agent].name + "：" + pick(r, pddNotes)
		}
	}
	return orders
}

// newOrder draws one order of the day starting at ds. An unpaid one was
// cancelled before payment: it has no times at all.
func (g *platformGen) newOrder(ds int64, unpaid bool) pfOrder {
	r := &g.ro
	o := pfOrder{agent: -1, unpaid: unpaid, after: pddNoAfter}
	o.t = ds + int64(g.hours.draw(r))*hour + int64(r.intn(hour))
	o.id = g.orderID(o.t)
	o.prod = g.prods.draw(r)
	o.qty = 1
	if x := r.float(); x < 0.05 {
		o.qty = 3
	} else if x < 0.2 {
		o.qty = 2
	}
	o.spec = pick(r, pddColours) + "," + pick(r, pddVariants)
	o.total = pddPrice(catalogue[o.prod]) * int64(o.qty)
	if r.chance(0.35) {
		if c := pick(r, pddShopCoupons); c <= o.total/5 {
			o.shopDisc = c
		}
	}
	if r.chance(0.25) {
		o.platDisc = min(int64(r.between(5, 80))*10, o.total/10)
	}
	if r.chance(0.05) {
		o.post = int64(pick(r, []int{500, 800})) // 偏远地区
	}
	o.receiver = pick(r, surnames) + "*"
	if r.chance(0.6) {
		o.receiver += pick(r, givenChars)
	}
	o.phone = pick(r, phonePrefixes) + "****" + string(appendPad(nil, r.intn(10000), 4))
	if r.chance(0.05) {
		o.msg = pick(r, pddMessages)
	}
	if r.chance(0.04) {
		o.note = pick(r, pddNotes)
	}
	if unpaid {
		o.status = pddCancelled
		return o
	}

	// Paid: the group forms at once or within minutes, PDD promises shipping
	// within 48 hours, the shop ships during working hours.
	o.pay = o.t
	o.group = o.pay + int64(r.intn(5))
	if r.chance(0.3) {
		o.group = o.pay + int64(r.between(60, 1800))
	}
	o.promise = o.pay + 48*hour
	if r.chance(0.035) { // refunded before shipping: the order is cancelled
		if t := o.pay + int64(r.between(600, 6*hour)); t <= g.exportT {
			o.status, o.after, o.refunded = pddCancelled, pddRefunded, true
			return o
		}
		o.status, o.after = pddToShip, pddRefundOpen
		return o
	}
	ship := o.pay + int64(r.between(2*hour, 40*hour))
	if s := (ship - ds) % day; s < 9*hour || s >= 20*hour { // next morning
		ship += (day + 9*hour - s) % day
		ship += int64(r.intn(2 * hour))
	}
	if ship > o.promise && !r.chance(0.1) { // mostly on time, a few late
		ship = ds + day + int64(r.between(9*hour, 19*hour))
	}
	if ship > g.exportT {
		o.status = pddToShip
		if r.chance(0.02) {
			o.after = pddRefundOpen
		}
		return o
	}
	o.ship = ship
	c := pddCouriers[pddCourierWeights.draw(r)]
	o.courier = c.name
	o.waybill = c.prefix + g.digits(c.digits)
	sign := ship + int64(r.between(30*hour, 4*day))
	o.status = pddShipped
	if sign <= g.exportT {
		o.status = pddSigned
	}
	confirm := sign + int64(r.between(hour, 4*day))
	if r.chance(0.25) {
		confirm = ship + 10*day // PDD confirms on the buyer's behalf
	}
	if confirm <= g.exportT {
		o.confirm = confirm
	}
	// After-sales: asked a few days after payment; settled or still open.
	if x := r.float(); x < 0.095 {
		asked := o.pay + int64(r.between(hour, 7*day))
		switch {
		case asked > g.exportT:
		case x < 0.07 && asked+int64(r.between(hour, 3*day)) <= g.exportT:
			o.after, o.refunded = pddRefunded, true
		case x < 0.085:
			o.after = pddAfterOpen
		default:
			o.after = pddRefundOpen
		}
	}
	return o
}

// orderID: PDD's "240420-123456789012345", the date and 15 digits, unique.
func (g *platformGen) orderID(t int64) string {
	for {
		n := g.ro.between64(100000000000000, 999999999999999)
		if !g.orderIDs[n] {
			g.orderIDs[n] = true
			return local(t).Format("060102") + "-" + strconv.FormatInt(n, 10)
		}
	}
}

func (g *platformGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.ro.intn(10))
	}
	return string(b)
}

// pddTime: 2024-04-20 13:05:09; 0 gives "".
func pddTime(t int64) string {
	if t == 0 {
		return ""
	}
	return plainTime(t)
}

// pfOrderWriter writes the order export: GBK, CRLF, as the back-end's CSV
// download opened and saved on Chinese Windows.
type pfOrderWriter struct {
	file *os.File
	buf  *bufio.Writer
	enc  io.WriteCloser
	w    *csv.Writer
}

func newPlatformOrderWriter(path string) (*pfOrderWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	ow := &pfOrderWriter{file: f, buf: bufio.NewWriterSize(f, 64<<10)}
	ow.enc = transform.NewWriter(ow.buf, simplifiedchinese.GBK.NewEncoder())
	ow.w = csv.NewWriter(ow.enc)
	ow.w.UseCRLF = true
	if err := ow.w.Write(hdrPlatformOrders); err != nil {
		ow.abort()
		return nil, fmt.Errorf("demo: %s: %w", path, err)
	}
	return ow, nil
}

func (ow *pfOrderWriter) write(g *platformGen, orders []pfOrder) error {
	rec := make([]string, len(hdrPlatformOrders))
	for i := range orders {
		o := &orders[i]
		rec = append(rec[:0],
			catalogue[o.prod].name, o.id, o.status, yuan(o.total), yuan(o.shopDisc), yuan(o.platDisc), yuan(o.post),
			yuan(o.paid()), yuan(o.received()), strconv.Itoa(o.qty), o.receiver, o.phone, pddTime(o.pay), pddTime(o.group),
			pddTime(o.group), pddTime(o.promise), pddTime(o.ship), pddTime(o.confirm), strconv.FormatInt(g.goodsID[o.prod], 10), o.spec,
			o.waybill, o.courier, o.note, o.after, o.msg)
		_ = ow.w.Write(rec)
	}
	if err := ow.w.Error(); err != nil {
		return fmt.Errorf("demo: %s: %w", ow.file.Name(), err)
	}
	return nil
}

func (ow *pfOrderWriter) close() error {
	ow.w.Flush()
	err := errors.Join(ow.w.Error(), ow.enc.Close(), ow.buf.Flush(), ow.file.Close())
	if err != nil {
		return fmt.Errorf("demo: %s: %w", ow.file.Name(), err)
	}
	return nil
}

func (ow *pfOrderWriter) abort() { _ = ow.file.Close() }
