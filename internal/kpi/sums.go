package kpi

// Sums are the additive facts of one shop (or agent) over some days: every
// metric of a period is a ratio of these, so the store keeps them per day and
// agent and a report of any period adds rows up. Distinct counts cannot be
// added across days; they are carried separately (Distinct).
type Sums struct {
	// Response (window buyer messages, by sent day, credited agent).
	BuyerMessages, Unreplied, Within30s, Within3m, Within5m, WaitSumMs, WaitN int64
	// Buyer-days with window messages (by the agent of the last one).
	WindowDays, EffectiveDays int64
	// First window message of each buyer-day (by its agent), replied only.
	FirstWaitSumMs, FirstWaitN int64
	// Inquiries (by receiving agent).
	Inquiries, Converted int64
	// Paid, not cancelled orders by paid day (by credited agent); Attributed*
	// only where an agent is credited.
	PaidOrders, SalesFen, Units, AttributedOrders, AttributedFen int64
	// Refunds: completed success ones by completed day; requested (and quality) by requested day.
	RefundsDone, Disputes, RefundSumMs, RefundN, RefundOnlySumMs, RefundOnlyN, ReturnSumMs, ReturnN, QualityRefunds, RefundsRequested int64
	Complaints                                                                                                                        int64
	// Reviews by created day; DSR over the reviews within each buyer's monthly cap.
	Reviews, BadReviews, MediumReviews                                     int64
	DSRDescSum, DSRDescN, DSRServiceSum, DSRServiceN, DSRLogiSum, DSRLogiN int64
	// Logistics: shipping by shipped day, delivery by delivered day.
	ShipSumMs, ShipN, Shipped, PickupOnTime, DeliverySumMs, DeliveryN int64
	// Paid orders whose export has no buyer column (by paid day).
	BuyerlessOrders int64
}

// SumColumns names the fields of Sums in order, as the store's column names.
var SumColumns = []string{
	"buyer_messages", "unreplied", "within_30s", "within_3m", "within_5m", "wait_sum_ms", "wait_n",
	"window_days", "effective_days",
	"first_wait_sum_ms", "first_wait_n",
	"inquiries", "converted",
	"paid_orders", "sales_fen", "units", "attributed_orders", "attributed_fen",
	"refunds_done", "disputes", "refund_sum_ms", "refund_n", "refund_only_sum_ms", "refund_only_n", "return_sum_ms", "return_n", "quality_refunds", "refunds_requested",
	"complaints",
	"reviews", "bad_reviews", "medium_reviews",
	"dsr_desc_sum", "dsr_desc_n", "dsr_service_sum", "dsr_service_n", "dsr_logi_sum", "dsr_logi_n",
	"ship_sum_ms", "ship_n", "shipped", "pickup_on_time", "delivery_sum_ms", "delivery_n",
	"buyerless_orders",
}

// Fields returns pointers to the fields of s in SumColumns order (for scanning).
func (s *Sums) Fields() []*int64 {
	return []*int64{
		&s.BuyerMessages, &s.Unreplied, &s.Within30s, &s.Within3m, &s.Within5m, &s.WaitSumMs, &s.WaitN,
		&s.WindowDays, &s.EffectiveDays,
		&s.FirstWaitSumMs, &s.FirstWaitN,
		&s.Inquiries, &s.Converted,
		&s.PaidOrders, &s.SalesFen, &s.Units, &s.AttributedOrders, &s.AttributedFen,
		&s.RefundsDone, &s.Disputes, &s.RefundSumMs, &s.RefundN, &s.RefundOnlySumMs, &s.RefundOnlyN, &s.ReturnSumMs, &s.ReturnN, &s.QualityRefunds, &s.RefundsRequested,
		&s.Complaints,
		&s.Reviews, &s.BadReviews, &s.MediumReviews,
		&s.DSRDescSum, &s.DSRDescN, &s.DSRServiceSum, &s.DSRServiceN, &s.DSRLogiSum, &s.DSRLogiN,
		&s.ShipSumMs, &s.ShipN, &s.Shipped, &s.PickupOnTime, &s.DeliverySumMs, &s.DeliveryN,
		&s.BuyerlessOrders,
	}
}

// Add adds o into s.
func (s *Sums) Add(o *Sums) {
	a, b := s.Fields(), o.Fields()
	for i := range a {
		*a[i] += *b[i]
	}
}

// Distinct are the distinct-buyer counts of a period, which sums cannot give.
type Distinct struct {
	ConsultingBuyers int64 // over the buyer-days with window messages (credited as LastAgent)
	PayingBuyers     int64 // over paid, not cancelled orders (credited agent)
}
