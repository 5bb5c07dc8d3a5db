package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/kefuboard/kefuboard/internal/importer"
	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/loyalty"
	"github.com/kefuboard/kefuboard/internal/store"
	"github.com/kefuboard/kefuboard/views"
)

// The customer pages (会员档案, LOYALTY.md). The owner sees every customer
// with full phone numbers; an agent sees the customers they served, phones
// masked, and logs care contacts for them; anything else is 403.
//
//	GET  /customers                   segments, repurchase and 80/30, the list
//	GET  /customers.csv               the filtered list as CSV (UTF-8 BOM)
//	GET  /customers/:id               one record and its timeline
//	POST /customers/:id/care          log a care contact (asks inside the cap)
//	GET  /care                        the care calendar of the coming days
//	POST /care/campaigns              add a campaign reminder (owner)
//	POST /care/campaigns/:id/delete   remove one (owner)
//	POST /care/cap                    the frequency cap in days (owner)
func (s *Server) customersRoutes(a *fiber.App) {
	a.Get("/customers", s.customersPage)
	a.Get("/customers.csv", s.customersCSV)
	a.Get("/customers/:id<int>", s.customerPage)
	a.Post("/customers/:id<int>/care", s.logCare)
	a.Get("/care", s.carePage)
	a.Post("/care/campaigns", requireOwner, s.addCampaign)
	a.Post("/care/campaigns/:id<int>/delete", requireOwner, s.deleteCampaign)
	a.Post("/care/cap", requireOwner, s.setCareCap)
}

// customersPerPage is the list's page size.
const customersPerPage = 50

// customerQuery reads the list's search, filters, sort and page.
func customerQuery(c *fiber.Ctx, agent int64) (store.CustomerQuery, int) {
	q := store.CustomerQuery{Tab: c.Query("tab"), Q: trimRunes(c.Query("q"), 50), Segment: c.Query("segment"), Level: trimRunes(c.Query("level"), 40),
		Tag: trimRunes(c.Query("tag"), 30), Sort: c.Query("sort"), Asc: c.Query("dir") == "asc", AgentID: agent}
	if q.Tab != store.TabProspects {
		q.Tab = store.TabCustomers
	}
	if _, ok := store.CustomerSorts[q.Sort]; !ok {
		q.Sort = "spend"
	}
	q.PaidAfter, _ = kpi.ParseDay(c.Query("after"))
	q.PaidBefore, _ = kpi.ParseDay(c.Query("before"))
	page, _ := strconv.Atoi(c.Query("page"))
	return q, max(page, 1)
}

func trimRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n])
	}
	return s
}

func (s *Server) customersPage(c *fiber.Ctx) error {
	return queuePage(s, c, "会员档案", "customers", "customers", views.CustomersModel{}, views.CustomersPage,
		func(shop *store.Shop, per Period, self int64) (views.CustomersModel, error) {
			return s.customersModel(c, shop, per, self)
		})
}

func (s *Server) customersModel(c *fiber.Ctx, shop *store.Shop, per Period, self int64) (views.CustomersModel, error) {
	ctx := c.UserContext()
	q, page := customerQuery(c, self)
	m := views.CustomersModel{ShopID: itoa(shop.ID), ShopName: shop.Name, Owner: self == 0, Tab: q.Tab, CareHref: "/care?shop=" + itoa(shop.ID),
		Period: per.form(shop.ID)}
	if asOf, ok, err := s.st.SegmentsAsOf(ctx, shop.ID); err != nil {
		return m, err
	} else if ok {
		m.AsOf = asOf.String()
	}
	sum, err := s.customerSummary(c, shop, self)
	if err != nil {
		return m, err
	}
	base := url.Values{"shop": {itoa(shop.ID)}}
	m.Segments, m.Moves = sum.segments, sum.moves
	m.NoBuyers = sum.customers == 0 && sum.buyerless > 0
	if sum.buyerless > 0 && !m.NoBuyers {
		m.Buyerless = strconv.Itoa(sum.buyerless)
	}
	if self == 0 { // shop-wide figures: the owner's
		if m.Loyalty, err = s.loyaltyView(c, shop, per); err != nil {
			return m, err
		}
	}
	// The list.
	filters := listQuery(c, shop, q)
	m.Filter = views.CustomerFilterForm{Tab: q.Tab, Q: q.Q, Segment: q.Segment, Level: q.Level, Tag: q.Tag, Sort: q.Sort, Dir: dirOf(q.Asc)}
	if q.PaidAfter != 0 {
		m.Filter.After = q.PaidAfter.String()
	}
	if q.PaidBefore != 0 {
		m.Filter.Before = q.PaidBefore.String()
	}
	for _, sg := range loyalty.Segments {
		m.Filter.Segments = append(m.Filter.Segments, views.ImportChoice{Value: sg.Key, Label: sg.Label})
	}
	for _, l := range sum.levels {
		m.Filter.Levels = append(m.Filter.Levels, views.ImportChoice{Value: l, Label: l})
	}
	tabQ := cloneQuery(base)
	m.CustomersHref = "/customers?" + tabQ.Encode()
	tabQ.Set("tab", store.TabProspects)
	m.ProspectsHref = "/customers?" + tabQ.Encode()
	m.Columns = customerColumns(filters, q)
	q.Limit, q.Offset = customersPerPage, (page-1)*customersPerPage
	rows, total, err := s.st.Customers(ctx, shop, q)
	if err != nil {
		return m, err
	}
	pages := max((total+customersPerPage-1)/customersPerPage, 1)
	m.Total, m.PageInfo = strconv.Itoa(total), fmt.Sprintf("第 %d / %d 页", min(page, pages), pages)
	for _, r := range rows {
		m.Rows = append(m.Rows, customerRow(r, shop, self == 0))
	}
	pageHref := func(n int) string {
		pq := cloneQuery(filters)
		pq.Set("page", strconv.Itoa(n))
		return "/customers?" + pq.Encode()
	}
	if page > 1 {
		m.PrevHref = pageHref(min(page-1, pages))
	}
	if page < pages {
		m.NextHref = pageHref(page + 1)
	}
	m.CSVHref = "/customers.csv?" + filters.Encode()
	return m, nil
}

// summaryKey is what the customer list's shop-wide parts depend on.
type summaryKey struct{ shop, version, agent int64 }

// customerSummary is what the list shows whatever its query: the segment
// summary, the member levels and the orders without a buyer — reads of
// every record (hundreds of ms on a big shop), memoised per shop data
// version and viewer so a new search or sort pays for its page only.
type customerSummary struct {
	segments  []views.SegmentRow
	moves     []views.SegmentMoveRow
	customers int
	levels    []string
	buyerless int
}

func (s *Server) customerSummary(c *fiber.Ctx, shop *store.Shop, self int64) (customerSummary, error) {
	return s.summaries.Get(summaryKey{shop.ID, shop.DataVersion, self}, func() (customerSummary, error) {
		ctx := c.UserContext()
		var sum customerSummary
		var err error
		if sum.buyerless, err = s.st.BuyerlessOrders(ctx, shop.ID); err != nil {
			return sum, err
		}
		segs, moves, err := s.st.SegmentSummary(ctx, shop, self)
		if err != nil {
			return sum, err
		}
		sum.segments, sum.moves = segmentRows(segs, moves, url.Values{"shop": {itoa(shop.ID)}})
		for _, sg := range segs {
			sum.customers += sg.N
		}
		sum.levels, err = s.st.CustomerLevels(ctx, shop.ID)
		return sum, err
	})
}

// listQuery is the list's query string without the page: filters and sort.
func listQuery(c *fiber.Ctx, shop *store.Shop, q store.CustomerQuery) url.Values {
	v := url.Values{"shop": {itoa(shop.ID)}}
	for _, k := range []string{"p", "from", "to"} {
		if x := c.Query(k); x != "" {
			v.Set(k, x)
		}
	}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("tab", q.Tab)
	set("q", q.Q)
	set("segment", q.Segment)
	set("level", q.Level)
	set("tag", q.Tag)
	if q.PaidAfter != 0 {
		v.Set("after", q.PaidAfter.String())
	}
	if q.PaidBefore != 0 {
		v.Set("before", q.PaidBefore.String())
	}
	v.Set("sort", q.Sort)
	v.Set("dir", dirOf(q.Asc))
	return v
}

func dirOf(asc bool) string {
	if asc {
		return "asc"
	}
	return "desc"
}

// customerColumns are the list's headers, each a sort link (text columns
// ascending first, numbers descending first).
func customerColumns(filters url.Values, q store.CustomerQuery) []views.CustomerColumn {
	cols := []struct {
		label, key string
		text       bool
	}{{"买家", "buyer", true}, {"姓名", "name", true}, {"手机", "phone", true}, {"订单", "orders", false}, {"消费", "spend", false},
		{"客单价", "aov", false}, {"最近付款", "last_paid", false}, {"距今天数", "recency", false}, {"分层", "segment", true},
		{"等级", "level", true}, {"标签", "tags", true}, {"咨询天数", "consult", false}}
	out := make([]views.CustomerColumn, 0, len(cols))
	for _, col := range cols {
		h := views.CustomerColumn{Label: col.label, Text: col.text}
		if col.key != "" {
			sq := cloneQuery(filters)
			dir := "desc"
			if col.text {
				dir = "asc"
			}
			if col.key == q.Sort {
				if q.Asc {
					dir, h.Arrow = "desc", "▲"
				} else {
					dir, h.Arrow = "asc", "▼"
				}
			}
			sq.Set("sort", col.key)
			sq.Set("dir", dir)
			sq.Del("page")
			h.Href = "/customers?" + sq.Encode()
		}
		out = append(out, h)
	}
	return out
}

func segmentRows(segs []store.SegmentCount, moves []store.SegmentMove, base url.Values) ([]views.SegmentRow, []views.SegmentMoveRow) {
	var spend int64
	for _, sg := range segs {
		spend += sg.SpendFen
	}
	var rows []views.SegmentRow
	for i, sg := range segs {
		info := loyalty.Segments[i]
		q := cloneQuery(base)
		q.Set("segment", sg.Segment)
		r := views.SegmentRow{Key: sg.Segment, Label: info.Label, Advice: info.Advice, N: strconv.Itoa(sg.N), Prev: strconv.Itoa(sg.PrevN),
			Href: "/customers?" + q.Encode()}
		r.Share = views.FormatMetric(kpi.UnitRate, float64(sg.SpendFen)/float64(max(spend, 1)), spend > 0)
		switch d := sg.N - sg.PrevN; {
		case d > 0:
			r.Delta, r.DeltaClass = "+"+strconv.Itoa(d), "up"
		case d < 0:
			r.Delta, r.DeltaClass = strconv.Itoa(d), "down"
		default:
			r.Delta = "0"
		}
		rows = append(rows, r)
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].N > moves[j].N })
	var mv []views.SegmentMoveRow
	for _, m := range moves {
		from := loyalty.SegmentLabel(m.From)
		if m.From == "" {
			from = "新客户（一个月前没有付款）"
		}
		to := loyalty.SegmentLabel(m.To)
		if m.To == "" {
			to = "（没有付款订单）"
		}
		mv = append(mv, views.SegmentMoveRow{From: from, To: to, N: strconv.Itoa(m.N)})
	}
	return rows, mv
}

// loyaltyKey is what the period's repurchase figures depend on.
type loyaltyKey struct {
	shop, version int64
	from, to      kpi.Day
}

// loyaltyView is the period's repurchase and 80/30 figures with the Pareto
// curve, memoised per shop data version and period (they read every paid
// order up to the period's end). Shop-wide for agents too: the figures say
// how the shop keeps its customers, not whom an agent served.
func (s *Server) loyaltyView(c *fiber.Ctx, shop *store.Shop, per Period) (views.LoyaltyView, error) {
	return s.loyalty.Get(loyaltyKey{shop.ID, shop.DataVersion, per.From, per.To}, func() (views.LoyaltyView, error) {
		orders, _, err := s.st.LoyaltyOrders(c.UserContext(), shop, per.From, per.To)
		if err != nil {
			return views.LoyaltyView{}, err
		}
		st := loyalty.Period(orders, per.From, per.To)
		v := views.LoyaltyView{From: per.From.String(), To: per.To.String(), Buyers: strconv.Itoa(st.Buyers), Repeat: strconv.Itoa(st.RepeatBuyers),
			Repurchase: views.FormatMetric(kpi.UnitRate, st.RepurchaseRate, st.RepurchaseOK),
			Returning:  views.FormatMetric(kpi.UnitRate, st.ReturningSalesShare, st.ReturningOK),
			Top30:      views.FormatMetric(kpi.UnitRate, st.Top30SalesShare, st.Top30OK), Top30Buyers: strconv.Itoa(st.Top30Buyers),
			Verdict:        loyalty.Verdict8030(st),
			RepurchaseHelp: "本期付款 2 次及以上的买家 ÷ 本期付款买家", ReturningHelp: "本期之前付过款的买家在本期的销售额 ÷ 本期销售额",
			Top30Help: "按本期消费从高到低排前 30% 的买家的销售额 ÷ 本期销售额"}
		if len(st.Pareto) > 0 {
			pts := make([]views.ParetoPoint, len(st.Pareto))
			for i, p := range st.Pareto {
				pts[i] = views.ParetoPoint{Buyers: p.BuyerShare * 100, Sales: p.SalesShare * 100}
			}
			ch, err := views.ParetoChart("pareto", "帕累托曲线", "", pts)
			if err != nil {
				return v, err
			}
			v.Chart, v.HasData = ch, true
		}
		return v, nil
	})
}

// phoneFor is the phone a viewer may see: full for the owner, masked for
// an agent (LOYALTY.md, DATA.md: personal data).
func phoneFor(phone string, owner bool) string {
	if owner {
		return phone
	}
	return loyalty.MaskPhone(phone)
}

func customerRow(r store.CustomerRecord, shop *store.Shop, owner bool) views.CustomerRow {
	row := views.CustomerRow{Href: "/customers/" + itoa(r.BuyerID) + "?shop=" + itoa(shop.ID), Buyer: r.Buyer, Name: dash(r.Name),
		Phone: dash(phoneFor(r.Phone, owner)), Orders: strconv.Itoa(r.Orders), Spend: yuanText(r.SpendFen), AOV: "—", LastPaid: "—",
		Recency: "—", Segment: loyalty.SegmentLabel(r.Segment), SegmentKey: r.Segment, Level: dash(r.Level), Tags: dash(r.Tags),
		Consult: strconv.Itoa(r.ConsultDays)}
	if aov, ok := r.AOVFen(); ok {
		row.AOV = yuanText(aov)
	}
	if r.LastPaid != 0 {
		row.LastPaid = r.LastPaid.String()
	}
	if r.Recency >= 0 && r.Orders > 0 {
		row.Recency = strconv.Itoa(r.Recency)
	}
	return row
}

func yuanText(fen int64) string {
	return views.FormatMetric(kpi.UnitYuan, float64(fen)/100, true)
}

// maxCSVCustomers caps one export (the whole list of a big shop fits).
const maxCSVCustomers = 500_000

// customersCSV exports the filtered list for SMS and campaign tools: UTF-8
// with a BOM (Excel), cells that could be formulas neutralised, full phones
// for the owner only.
func (s *Server) customersCSV(c *fiber.Ctx) error {
	_, shop, _, err := s.shopPeriod(c, "", "customers")
	if err != nil {
		return err
	}
	if shop == nil {
		return fiber.ErrNotFound
	}
	self, err := s.viewerAgent(c)
	if err != nil {
		return err
	}
	q, _ := customerQuery(c, self)
	q.Limit = maxCSVCustomers
	rows, _, err := s.st.Customers(c.UserContext(), shop, q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	name := fmt.Sprintf("customers-%s.csv", time.Now().In(shop.Location()).Format("20060102"))
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Write([]string{"买家", "姓名", "手机", "分层", "订单数", "消费（元）", "最近付款", "等级", "标签"})
	for _, r := range rows {
		last := ""
		if r.LastPaid != 0 {
			last = r.LastPaid.String()
		}
		rec := []string{r.Buyer, r.Name, phoneFor(r.Phone, self == 0), loyalty.SegmentLabel(r.Segment), strconv.Itoa(r.Orders),
			strconv.FormatFloat(float64(r.SpendFen)/100, 'f', 2, 64), last, r.Level, r.Tags}
		for i := range rec {
			rec[i] = importer.SafeCSVCell(rec[i])
		}
		w.Write(rec)
	}
	w.Flush()
	return c.SendString(b.String())
}

// customerShop is the shop a customer page or form names, and the viewer's agent.
func (s *Server) customerShop(c *fiber.Ctx, title string) (views.Page, *store.Shop, int64, error) {
	p, err := s.page(c, title, "customers")
	if err != nil {
		return p, nil, 0, err
	}
	id := p.ShopID
	if v := c.FormValue("shop"); v != "" {
		if id, err = strconv.ParseInt(v, 10, 64); err != nil {
			return p, nil, 0, fiber.ErrBadRequest
		}
	}
	shop, err := s.shopByID(c.UserContext(), id)
	if err != nil {
		return p, nil, 0, err
	}
	if shop == nil {
		return p, nil, 0, fiber.ErrNotFound
	}
	self, err := s.viewerAgent(c)
	if err != nil {
		return p, nil, 0, err
	}
	if self != 0 && currentUser(c).ShopID != shop.ID {
		return p, nil, 0, errForbidden
	}
	return p, shop, self, nil
}

// loadCustomer is the record the URL names, if the viewer may see it: 403
// for an agent who never served the buyer.
func (s *Server) loadCustomer(c *fiber.Ctx, shop *store.Shop, self int64) (*store.CustomerRecord, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	r, err := s.st.CustomerByID(c.UserContext(), shop, id, self)
	if errors.Is(err, store.ErrNotFound) {
		if self != 0 {
			return nil, errForbidden
		}
		return nil, fiber.ErrNotFound
	}
	return r, err
}

func (s *Server) customerPage(c *fiber.Ctx) error {
	p, shop, self, err := s.customerShop(c, "会员档案")
	if err != nil {
		return err
	}
	r, err := s.loadCustomer(c, shop, self)
	if err != nil {
		return err
	}
	m, err := s.customerModel(c, shop, r, self)
	if err != nil {
		return err
	}
	m.Form.Type, m.Form.Occasion = c.Query("type"), trimRunes(c.Query("occasion"), 40)
	return render(c, views.CustomerPage(p, m))
}

func (s *Server) customerModel(c *fiber.Ctx, shop *store.Shop, r *store.CustomerRecord, self int64) (views.CustomerPageModel, error) {
	ctx, loc := c.UserContext(), shop.Location()
	at := func(ms kpi.Millis) string { return time.UnixMilli(int64(ms)).In(loc).Format("2006-01-02 15:04") }
	owner := self == 0
	m := views.CustomerPageModel{ShopID: itoa(shop.ID), ID: itoa(r.BuyerID), Owner: owner, Buyer: r.Buyer, SegmentKey: r.Segment}
	if sg, ok := loyalty.SegmentByKey(r.Segment); ok {
		m.Segment, m.Advice = sg.Label, sg.Advice
	}
	day := func(d kpi.Day) string {
		if d == 0 {
			return "—"
		}
		return d.String()
	}
	aov, aok := r.AOVFen()
	mean, mok := r.MeanRating()
	m.Facts = []views.Fact{
		{Label: "付款订单", Value: strconv.Itoa(r.Orders) + " 笔 · " + strconv.Itoa(r.Units) + " 件"},
		{Label: "消费", Value: yuanText(r.SpendFen)},
		{Label: "客单价", Value: views.FormatMetric(kpi.UnitYuan, float64(aov)/100, aok)},
		{Label: "首次 / 最近付款", Value: day(r.FirstPaid) + " / " + day(r.LastPaid)},
		{Label: "售后", Value: strconv.Itoa(r.Refunds) + " 次 · " + yuanText(r.RefundFen)},
		{Label: "评价", Value: strconv.Itoa(r.Reviews) + " 条 · 平均 " + views.FormatMetric(kpi.UnitScore, mean, mok) + " · 中差评 " + strconv.Itoa(r.BadReviews)},
		{Label: "投诉", Value: strconv.Itoa(r.Complaints)},
		{Label: "咨询", Value: strconv.Itoa(r.ConsultDays) + " 天 · 最近 " + day(r.LastChat)},
	}
	if r.Prev != "" && r.Prev != r.Segment {
		m.Facts = append(m.Facts, views.Fact{Label: "一个月前", Value: loyalty.SegmentLabel(r.Prev)})
	}
	for _, f := range []views.Fact{{Label: "姓名", Value: r.Name}, {Label: "手机", Value: phoneFor(r.Phone, owner)},
		{Label: "生日", Value: r.Birthday}, {Label: "等级", Value: r.Level}, {Label: "标签", Value: r.Tags}} {
		if f.Value != "" {
			m.Member = append(m.Member, f)
		}
	}
	contacts, err := s.st.CareContacts(ctx, shop.ID, r.BuyerID, 0, 0, 50)
	if err != nil {
		return m, err
	}
	tl, err := s.customerTimeline(c, shop, r, contacts, at)
	if err != nil {
		return m, err
	}
	m.Timeline = tl
	if r.LastChat != 0 {
		clock := kpi.Clock{Loc: loc}
		msgs, err := s.st.ChatBetween(ctx, shop.ID, r.BuyerID, clock.StartOf(r.LastChat-29), clock.StartOf(r.LastChat+1)-1, 300)
		if err != nil {
			return m, err
		}
		m.Chat = chatLines(msgs, r.Buyer, self, 0, at)
		m.ChatNote = "最近一次咨询前后 30 天的聊天（最多 300 条）。聊天记录来自采集工具的导出。"
	} else {
		m.ChatNote = "没有这位买家的聊天记录（聊天记录只能由采集工具导出）。"
	}
	m.Contacts = careRows(contacts, shop)
	capDays, err := s.st.CareCap(ctx, shop.ID)
	if err != nil {
		return m, err
	}
	if len(contacts) > 0 && loyalty.Capped(contacts[0].Day, true, today(shop), capDays) {
		m.Capped = fmt.Sprintf("%s 已联系过；%d 天内最多联系一次，%s 之后再联系。", contacts[0].Day, capDays, contacts[0].Day+kpi.Day(capDays)-1)
	}
	for _, t := range loyalty.ContactTypes {
		m.Types = append(m.Types, views.ImportChoice{Value: t.Key, Label: t.Label})
	}
	for _, ch := range loyalty.ContactChannels {
		m.Channels = append(m.Channels, views.ImportChoice{Value: ch.Key, Label: ch.Label})
	}
	return m, nil
}

// customerTimeline is a buyer's orders, refunds, reviews (with their
// follow-up case), complaints, chat days and care contacts, newest first.
func (s *Server) customerTimeline(c *fiber.Ctx, shop *store.Shop, r *store.CustomerRecord, contacts []store.CareContact,
	at func(kpi.Millis) string) ([]views.TimelineItem, error) {
	ctx := c.UserContext()
	type item struct {
		ms kpi.Millis
		views.TimelineItem
	}
	var items []item
	add := func(ms kpi.Millis, kind, label, text, href string) {
		items = append(items, item{ms, views.TimelineItem{At: at(ms), Kind: kind, Label: label, Text: text, Href: href}})
	}
	orders, err := s.st.BuyerOrders(ctx, shop.ID, r.BuyerID)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		state := o.Status
		if o.Cancelled {
			state = "已取消"
		}
		add(o.CreatedAt, "order", "下单", fmt.Sprintf("%s · %s · %s %s", o.OrderID, dash(o.Product), yuanText(o.AmountFen), state), "")
	}
	refunds, err := s.st.BuyerRefunds(ctx, shop.ID, r.BuyerID)
	if err != nil {
		return nil, err
	}
	for _, f := range refunds {
		add(f.RequestedAt, "refund", "售后", fmt.Sprintf("%s · %s · %s · %s", f.OrderID, refundTypes[f.Type], refundStatuses[f.Status], yuanText(f.AmountFen)), "")
	}
	reviews, cases, err := s.st.BuyerReviews(ctx, shop.ID, r.BuyerID)
	if err != nil {
		return nil, err
	}
	for _, v := range reviews {
		href := ""
		if id, ok := cases[v.ReviewID+"|"+strconv.FormatInt(int64(v.At), 10)]; ok {
			href = "/cases/" + itoa(id)
		}
		add(v.At, "review", strconv.Itoa(v.Rating)+" 星评价", dash(excerpt(v.Content, 60)), href)
	}
	complaints, err := s.st.BuyerComplaints(ctx, shop.ID, r.BuyerID)
	if err != nil {
		return nil, err
	}
	for _, cp := range complaints {
		add(cp.At, "complaint", "投诉", cp.Type+" · "+cp.Status, "")
	}
	days, err := s.st.BuyerDays(ctx, shop.ID, r.BuyerID, 30)
	if err != nil {
		return nil, err
	}
	clock := kpi.Clock{Loc: shop.Location()}
	for _, d := range days {
		add(clock.StartOf(d), "chat", "咨询", d.String()+" 的聊天", "#chat")
	}
	for _, cc := range contacts {
		add(cc.At, "care", "关怀", labelOf(loyalty.ContactTypes, cc.Type)+" · "+labelOf(loyalty.ContactChannels, cc.Channel)+" "+cc.Note, "")
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].ms > items[j].ms })
	out := make([]views.TimelineItem, len(items))
	for i := range items {
		out[i] = items[i].TimelineItem
		if out[i].Kind == "chat" {
			out[i].At = out[i].At[:10]
		}
	}
	return out, nil
}

func labelOf(cs []loyalty.Choice, key string) string {
	for _, c := range cs {
		if c.Key == key {
			return c.Label
		}
	}
	return key
}

func careRows(cs []store.CareContact, shop *store.Shop) []views.CareRow {
	out := make([]views.CareRow, 0, len(cs))
	for _, c := range cs {
		who := c.By
		if c.Agent != "" && c.Agent != c.By {
			who = c.Agent + "（" + c.By + "）"
		}
		out = append(out, views.CareRow{At: time.UnixMilli(int64(c.At)).In(shop.Location()).Format("2006-01-02 15:04"), Buyer: c.Buyer,
			Href: "/customers/" + itoa(c.BuyerID) + "?shop=" + itoa(shop.ID), Type: labelOf(loyalty.ContactTypes, c.Type),
			Channel: labelOf(loyalty.ContactChannels, c.Channel), Who: who, Occasion: c.Occasion, Note: c.Note})
	}
	return out
}

// logCare records a care contact; inside the frequency cap it shows the
// page again asking to confirm, with what was typed kept.
func (s *Server) logCare(c *fiber.Ctx) error {
	p, shop, self, err := s.customerShop(c, "会员档案")
	if err != nil {
		return err
	}
	r, err := s.loadCustomer(c, shop, self)
	if err != nil {
		return err
	}
	form := views.CareForm{Type: c.FormValue("type"), Channel: c.FormValue("channel"), Occasion: trimRunes(c.FormValue("occasion"), 40),
		Note: trimRunes(c.FormValue("note"), 500)}
	back := "/customers/" + itoa(r.BuyerID) + "?shop=" + itoa(shop.ID) + "#care"
	if !loyalty.ValidContactType(form.Type) || !loyalty.ValidChannel(form.Channel) {
		s.flash(c, false, "请选择联系类型和渠道（不提供微信等站外渠道）。")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	contact := store.CareContact{BuyerID: r.BuyerID, Type: form.Type, Channel: form.Channel, Occasion: form.Occasion, Note: form.Note,
		By: currentUser(c).Username}
	err = s.st.LogCare(c.UserContext(), shop, contact, self, c.FormValue("confirm") != "")
	if errors.Is(err, store.ErrCapped) {
		m, merr := s.customerModel(c, shop, r, self)
		if merr != nil {
			return merr
		}
		m.Form, m.Confirm = form, true
		p.Flash = &views.Flash{OK: false, Msg: "这位客户在频率限制内已经联系过。确实要再联系，请勾选「仍然记录」后再提交。"}
		c.Status(fiber.StatusConflict)
		return render(c, views.CustomerPage(p, m))
	}
	if err != nil {
		return err
	}
	s.flash(c, true, "已记录关怀联系。")
	return c.Redirect(back, fiber.StatusSeeOther)
}

// careTodoRows is how many customers each occasion lists.
const careTodoRows = 30

func (s *Server) carePage(c *fiber.Ctx) error {
	return queuePage(s, c, "关怀日历", "customers", "care", views.CareModel{}, views.CarePage,
		func(shop *store.Shop, _ Period, self int64) (views.CareModel, error) {
			return s.careModel(c, shop, self)
		})
}

func (s *Server) careModel(c *fiber.Ctx, shop *store.Shop, self int64) (views.CareModel, error) {
	ctx := c.UserContext()
	from := today(shop)
	to := from + loyalty.DefaultCareDays - 1
	m := views.CareModel{ShopID: itoa(shop.ID), ShopName: shop.Name, From: from.String(), To: to.String(), Owner: self == 0, Today: from.String()}
	capDays, err := s.st.CareCap(ctx, shop.ID)
	if err != nil {
		return m, err
	}
	m.CapDays = strconv.Itoa(capDays)
	last, err := s.st.LastCare(ctx, shop.ID, from-kpi.Day(capDays))
	if err != nil {
		return m, err
	}
	capped := func(buyer int64) bool {
		d, ok := last[buyer]
		return loyalty.Capped(d, ok, from, capDays)
	}
	// Each to-do links to the customer's contact form, type and occasion filled in.
	toCustomers := func(rs []store.CustomerRecord, kind, occasion string) ([]views.CareCustomer, int) {
		form := url.Values{"type": {kind}, "occasion": {occasion}}.Encode() + "#care"
		var out []views.CareCustomer
		hidden := 0
		for _, r := range rs {
			if capped(r.BuyerID) {
				hidden++
				continue
			}
			if len(out) < careTodoRows {
				out = append(out, views.CareCustomer{Href: "/customers/" + itoa(r.BuyerID) + "?shop=" + itoa(shop.ID) + "&" + form, Buyer: r.Buyer,
					Name: dash(r.Name), Phone: dash(phoneFor(r.Phone, self == 0)), Segment: dash(loyalty.SegmentLabel(r.Segment)), SegmentKey: r.Segment,
					Spend: yuanText(r.SpendFen)})
			}
		}
		return out, hidden
	}
	// Birthdays: every customer whose MM-DD falls in the window (29 Feb on
	// the 28th in a year without it).
	bdays, err := s.st.BirthdayCustomers(ctx, shop, loyalty.BirthdayKeys(from, to), self)
	if err != nil {
		return m, err
	}
	byDay := map[kpi.Day][]store.CustomerRecord{}
	for _, r := range bdays {
		mo, dd, ok := loyalty.ParseBirthday(r.Birthday)
		if !ok {
			continue
		}
		if d, ok := loyalty.BirthdayIn(mo, dd, from, to); ok {
			byDay[d] = append(byDay[d], r)
		}
	}
	var occ []views.OccasionView
	for d := from; d <= to; d++ {
		rs := byDay[d]
		if len(rs) == 0 {
			continue
		}
		sort.SliceStable(rs, func(i, j int) bool { return loyalty.SegmentRank(rs[i].Segment) < loyalty.SegmentRank(rs[j].Segment) })
		cs, hidden := toCustomers(rs, "birthday", "生日 "+d.String())
		occ = append(occ, views.OccasionView{Day: d.String(), Name: fmt.Sprintf("生日（%d 位）", len(rs)), Kind: "birthday", KindLabel: "生日",
			Customers: cs, Capped: hidden, More: max(len(rs)-hidden-len(cs), 0)})
	}
	// Holidays and campaigns: the best customers first.
	var top []store.CustomerRecord
	total := 0
	topList := func() ([]store.CustomerRecord, int, error) {
		if top == nil {
			var err error
			if top, err = s.st.TopCustomers(ctx, shop, self, careTodoRows+len(last)); err != nil {
				return nil, 0, err
			}
			if _, total, err = s.st.Customers(ctx, shop, store.CustomerQuery{AgentID: self, Limit: 1}); err != nil {
				return nil, 0, err
			}
		}
		return top, total, nil
	}
	general := func(day kpi.Day, name, kind, kindLabel string) error {
		rs, total, err := topList()
		if err != nil {
			return err
		}
		cs, hidden := toCustomers(rs, kind, name+" "+day.String())
		occ = append(occ, views.OccasionView{Day: day.String(), Name: name, Kind: kind, KindLabel: kindLabel, Customers: cs, Capped: hidden,
			More: max(total-hidden-len(cs), 0)})
		return nil
	}
	for _, h := range loyalty.HolidaysBetween(from, to) {
		if err := general(h.Day, h.Name, "holiday", "节日"); err != nil {
			return m, err
		}
	}
	camps, err := s.st.Campaigns(ctx, shop.ID, from, to)
	if err != nil {
		return m, err
	}
	for _, cp := range camps {
		if err := general(cp.Day, cp.Name, "campaign", "活动"); err != nil {
			return m, err
		}
	}
	sort.SliceStable(occ, func(i, j int) bool { return occ[i].Day < occ[j].Day })
	m.Occasions = occ
	contacts, err := s.st.CareContacts(ctx, shop.ID, 0, self, from-30, 30) // an agent: with their own customers
	if err != nil {
		return m, err
	}
	m.Contacts = careRows(contacts, shop)
	all, err := s.st.Campaigns(ctx, shop.ID, from, from+365)
	if err != nil {
		return m, err
	}
	for _, cp := range all {
		m.Campaigns = append(m.Campaigns, views.CampaignRow{ID: itoa(cp.ID), Day: cp.Day.String(), Name: cp.Name, Note: cp.Note})
	}
	return m, nil
}

func (s *Server) careBack(c *fiber.Ctx, shop *store.Shop, ok bool, msg string) error {
	s.flash(c, ok, msg)
	return c.Redirect("/care?shop="+itoa(shop.ID), fiber.StatusSeeOther)
}

func (s *Server) addCampaign(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	day, err := kpi.ParseDay(strings.TrimSpace(c.FormValue("day")))
	name := trimRunes(c.FormValue("name"), 40)
	if err != nil || name == "" {
		return s.careBack(c, shop, false, "请填写活动日期和名称。")
	}
	if err := s.st.AddCampaign(c.UserContext(), shop.ID, day, name, trimRunes(c.FormValue("note"), 200), currentUser(c).Username); err != nil {
		return err
	}
	return s.careBack(c, shop, true, "已添加活动提醒「"+name+"」。")
}

func (s *Server) deleteCampaign(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	if err := s.st.DeleteCampaign(c.UserContext(), shop.ID, id); err != nil {
		return err
	}
	return s.careBack(c, shop, true, "已删除活动提醒。")
}

func (s *Server) setCareCap(c *fiber.Ctx) error {
	shop, err := s.targetShop(c)
	if err != nil {
		return err
	}
	days, err := strconv.Atoi(strings.TrimSpace(c.FormValue("days")))
	if err != nil {
		return s.careBack(c, shop, false, "天数不是有效的数字。")
	}
	if err := s.st.SetCareCap(c.UserContext(), shop.ID, days); err != nil {
		return s.careBack(c, shop, false, err.Error()+"。")
	}
	return s.careBack(c, shop, true, "已保存：同一位客户 "+strconv.Itoa(days)+" 天内最多联系一次。")
}
