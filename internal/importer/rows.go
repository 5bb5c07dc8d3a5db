package importer

import (
	"strings"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// rowCtx reads the cells of one row. The first problem found is kept in err
// and later accessors return zero values, so a builder reads its columns in
// order and reports only the first problem of the row.
type rowCtx struct {
	r     *Reader
	cells []string
	row   int
	err   *RowError
}

// str returns the trimmed cell of canonical column c ("" when absent, and
// for a placeholder such as "-" or "--" that platforms write in empty cells).
func (x *rowCtx) str(c int) string {
	i := x.r.b.idx[c]
	if i < 0 || i >= len(x.cells) {
		return ""
	}
	v := unneutralise(trimCell(x.cells[i]))
	if isPlaceholder(v) {
		return ""
	}
	return v
}

// id returns an id cell: trimmed, and without the leading apostrophe that
// spreadsheets (and Douyin's exports, besides a tab) put in front of long
// numbers to keep them text.
func (x *rowCtx) id(c int) string {
	v := x.str(c)
	for strings.HasPrefix(v, "'") || strings.HasPrefix(v, "‘") || strings.HasPrefix(v, "`") {
		v = trimCell(v[len(string([]rune(v)[0])):])
	}
	return v
}

// needID is id for a required column.
func (x *rowCtx) needID(c int) string {
	v := x.id(c)
	if v == "" && x.err == nil {
		x.need(c)
	}
	return v
}

// fail records a problem with column c (the first one wins).
func (x *rowCtx) fail(c int, value, reason string) {
	if x.err != nil {
		return
	}
	col := x.r.b.names[c]
	if col == "" {
		col = x.r.b.spec.cols[c].name
	}
	x.err = &RowError{Row: x.row, Column: col, Value: value, Reason: reason,
		Raw: append([]string(nil), x.cells...)}
}

// need returns a required, non-blank cell.
func (x *rowCtx) need(c int) string {
	if x.err != nil {
		return ""
	}
	v := x.str(c)
	if v == "" {
		col := x.r.b.spec.cols[c]
		x.fail(c, "", col.zh+" ("+col.name+") 不能为空")
	}
	return v
}

// when parses a time cell; blank is 0 unless required.
func (x *rowCtx) when(c int, required bool) kpi.Millis {
	if x.err != nil {
		return 0
	}
	var v string
	if required {
		v = x.need(c)
	} else {
		v = x.str(c)
	}
	if v == "" {
		return 0
	}
	t, err := x.r.parseTime(v)
	if err != nil {
		x.fail(c, v, err.Error())
	}
	return t
}

// money parses an amount; blank is 0 unless required.
func (x *rowCtx) money(c int, required bool) kpi.Fen {
	if x.err != nil {
		return 0
	}
	var v string
	if required {
		v = x.need(c)
	} else {
		v = x.str(c)
	}
	if v == "" {
		return 0
	}
	f, err := ParseMoney(v)
	if err != nil {
		x.fail(c, v, err.Error())
	}
	return f
}

var builders = map[kpi.Kind]func(r *Reader, cells []string, row int) (Record, *RowError){
	kpi.KindMessages:   buildMessage,
	kpi.KindOrders:     buildOrder,
	kpi.KindRefunds:    buildRefund,
	kpi.KindReviews:    buildReview,
	kpi.KindComplaints: buildComplaint,
	kpi.KindCustomers:  buildCustomer,

	kpi.KindAgentReport: buildAgentReport,
}

func buildMessage(r *Reader, cells []string, row int) (Record, *RowError) {
	if r.b.has(mTranscript) {
		return buildConversation(r, cells, row)
	}
	x := rowCtx{r: r, cells: cells, row: row}
	m := kpi.Message{Buyer: x.need(mBuyer)}
	sender := x.str(mSender)
	switch {
	case r.b.has(mRole):
		if v := x.need(mRole); v != "" {
			role, ok := parseRole(v)
			if !ok {
				x.fail(mRole, v, errRole.Error())
			}
			m.Role = role
		}
	case sender == "":
		x.need(mSender)
	default:
		m.Role = senderRole(sender, m.Buyer)
	}
	m.Agent = x.str(mAgent)
	if m.Agent == "" && m.Role == kpi.RoleAgent {
		m.Agent = sender // a collector names the agent by the sending account
	}
	if m.Role == kpi.RoleAgent && m.Agent == "" {
		x.fail(mAgent, "", errNoAgent.Error())
	}
	m.SentAt = x.sentAt()
	if x.err != nil {
		return Record{}, x.err
	}
	m.Content = x.str(mContent)
	m.MsgID = x.str(mMsgID)
	m.Stage = parseStage(x.str(mStage))
	m.Shop = x.str(mShop)
	return Record{Message: &m}, nil
}

func buildOrder(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	o := kpi.Order{OrderID: x.needID(oOrderID), Buyer: x.str(oBuyer)}
	o.CreatedAt = x.when(oCreatedAt, false)
	o.PaidAt = x.when(oPaidAt, false)
	if o.CreatedAt == 0 {
		o.CreatedAt = o.PaidAt // PDD's export has no creation time
	}
	o.Amount = x.money(oAmount, true)
	if x.err == nil && o.Amount < 0 {
		x.fail(oAmount, x.str(oAmount), errNegative.Error())
	}
	if x.err == nil {
		v := x.str(oQuantity)
		q, ok := parseQuantity(v)
		if !ok {
			x.fail(oQuantity, v, errQuantity.Error())
		}
		o.Quantity = q
	}
	o.ShippedAt = x.when(oShippedAt, false)
	o.PickedUpAt = x.when(oPickedUpAt, false)
	o.DeliveredAt = x.when(oDeliveredAt, false)
	if x.err != nil {
		return Record{}, x.err
	}
	o.Status = x.str(oStatus)
	o.Product = x.str(oProduct)
	o.Agent = x.str(oAgent)
	o.AfterSale = x.str(oAfterSale)
	return Record{Order: &o}, nil
}

func buildRefund(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	f := kpi.Refund{RefundID: x.needID(fRefundID), OrderID: x.needID(fOrderID)}
	if !r.b.has(fType) {
		// Taobao: 是否需要退货 是 → return_refund, 否 → refund_only.
		v := x.need(fNeedsReturn)
		if b, err := ParseBool(v); err != nil && v != "" {
			x.fail(fNeedsReturn, v, err.Error())
		} else if b {
			f.Type = kpi.ReturnRefund
		} else {
			f.Type = kpi.RefundOnly
		}
	} else if v := x.need(fType); v != "" {
		t, ok := parseRefundType(v)
		if !ok {
			x.fail(fType, v, errRefundType.Error())
		}
		f.Type = t
	}
	f.Status = parseRefundStatus(x.need(fStatus))
	f.RequestedAt = x.when(fRequestedAt, true)
	f.CompletedAt = x.when(fCompletedAt, false)
	f.Amount = x.money(fAmount, false)
	if x.err == nil {
		v := x.str(fIntervened)
		b, ok := parseIntervened(v)
		if !ok {
			x.fail(fIntervened, v, errIntervened.Error())
		}
		f.Intervened = b
	}
	if x.err != nil {
		return Record{}, x.err
	}
	f.MerchantLiable = parseLiable(x.str(fMerchantLiable))
	f.Reason = x.str(fReason)
	f.Agent = x.str(fAgent)
	f.Buyer = x.str(fBuyer)
	return Record{Refund: &f}, nil
}

func buildReview(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	v := kpi.Review{Buyer: x.need(vBuyer)}
	if s := x.str(vRating); s == "" && r.badReviews {
		v.Rating = 2 // a copied list of bad reviews: rated "bad" without a number
	} else if s := x.need(vRating); s != "" {
		n, ok := parseRating(s)
		if !ok {
			x.fail(vRating, s, errRating.Error())
		}
		v.Rating = n
	}
	v.CreatedAt = x.when(vCreatedAt, true)
	for _, d := range []struct {
		c   int
		dst *int8
	}{{vDSRDescription, &v.DSRDescription}, {vDSRService, &v.DSRService}, {vDSRLogistics, &v.DSRLogistics}} {
		if x.err != nil {
			break
		}
		s := x.str(d.c)
		n, ok := parseDSR(s)
		if !ok {
			x.fail(d.c, s, errDSR.Error())
		}
		*d.dst = n
	}
	if x.err != nil {
		return Record{}, x.err
	}
	v.OrderID = x.id(vOrderID)
	v.ReviewID = x.id(vReviewID)
	v.Content = x.str(vContent)
	v.Product = x.str(vProduct)
	return Record{Review: &v}, nil
}

func buildComplaint(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	c := kpi.Complaint{Buyer: x.need(cBuyer)}
	c.CreatedAt = x.when(cCreatedAt, true)
	if x.err != nil {
		return Record{}, x.err
	}
	c.ComplaintID = x.id(cComplaintID)
	c.OrderID = x.id(cOrderID)
	c.Agent = x.str(cAgent)
	c.Type = x.str(cType)
	c.Status = x.str(cStatus)
	return Record{Complaint: &c}, nil
}

func buildCustomer(r *Reader, cells []string, row int) (Record, *RowError) {
	x := rowCtx{r: r, cells: cells, row: row}
	u := kpi.Customer{Buyer: x.need(uBuyer)}
	if s := x.str(uBirthday); s != "" && x.err == nil {
		b, ok := parseBirthday(s, r.loc, r.parseTime)
		if !ok {
			x.fail(uBirthday, s, errBirthday.Error())
		}
		u.Birthday = b
	}
	u.JoinedAt = x.when(uJoinedAt, false)
	if x.err != nil {
		return Record{}, x.err
	}
	u.Name = x.str(uName)
	u.Phone = x.str(uPhone)
	u.Level = x.str(uLevel)
	u.Tags = splitTags(x.str(uTags))
	return Record{Customer: &u}, nil
}
