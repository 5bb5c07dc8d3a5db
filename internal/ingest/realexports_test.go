package ingest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/store"
)

// Files shaped like what the platforms really export (headers as in
// docs/IMPORT-FORMATS.md "What the platforms export"), imported without
// --kind.

func writeCSV(t *testing.T, name, text string, gbk bool) string {
	t.Helper()
	b := []byte(text)
	if gbk {
		var err error
		if b, err = simplifiedchinese.GB18030.NewEncoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeXLSX(t *testing.T, name string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func shopOpts(shop, platform string) Options {
	return Options{Shop: shop, Settings: store.ShopSettings{Platform: platform, TZ: "Asia/Shanghai"}}
}

// shopMetric reads one shop-level metric of the report (nil = null).
func shopMetric(t *testing.T, r reportDoc, key string) *float64 {
	t.Helper()
	v, ok := r.Metrics[key]
	if !ok {
		t.Fatalf("report has no %s", key)
	}
	return v
}

func wantMetric(t *testing.T, r reportDoc, key string, want float64) {
	t.Helper()
	if v := shopMetric(t, r, key); v == nil || !near(*v, want) {
		t.Errorf("%s = %v, want %v", key, v, want)
	}
}

func wantNull(t *testing.T, r reportDoc, key string) {
	t.Helper()
	if v := shopMetric(t, r, key); v != nil {
		t.Errorf("%s = %v, want null", key, *v)
	}
}

func orderRow(t *testing.T, s *store.Store, shop, id string) (amount, qty int64, status, product string, noBuyer bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT amount_fen, quantity, status, product, no_buyer FROM orders o JOIN shops s ON s.id = o.shop_id
		WHERE s.name = ? AND o.order_id = ?`, shop, id).Scan(&amount, &qty, &status, &product, &noBuyer)
	if err != nil {
		t.Fatalf("order %s: %v", id, err)
	}
	return
}

const pddOrderHeader = "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),邮费(元),用户实付金额(元),商家实收金额(元),商品数量(件)," +
	"收货人,手机,支付时间,拼单成功时间,订单确认时间,承诺发货时间,发货时间,确认收货时间,商品id,商品规格,快递单号,快递公司,商家备注,售后状态,买家留言\n"

func TestRealOrdersPDD(t *testing.T) {
	csv := pddOrderHeader +
		"电热水壶,240420-111111111111111,已签收,96.90,5.00,2.20,0.00,89.70,91.90,1,刘*磊,199****9852,2024-04-20 10:36:09,2024-04-20 10:36:12,2024-04-20 10:36:12,2024-04-22 10:36:09,2024-04-21 09:50:33,2024-04-25 23:35:10,341800555205,浅蓝,7548,中通快递,,无售后或售后取消,\n" +
		"保温杯,240420-222222222222222,已签收,59.90,0.00,0.00,0.00,59.90,59.90,2,王*,138****0000,2024-04-20 11:00:00,2024-04-20 11:00:01,2024-04-20 11:00:01,2024-04-22 11:00:00,2024-04-21 10:00:00,-,341800555206,白,7549,圆通速递,,退款成功,\n" +
		"保温杯,240420-333333333333333,已取消,59.90,0.00,0.00,0.00,59.90,59.90,1,李*,137****1111,,,,,,,341800555206,白,,,,无售后或售后取消,\n"
	p := writeCSV(t, "订单导出_2024-04-20.csv", csv, true)
	s, _ := openStore(t)
	res := mustImport(t, s, p, shopOpts("拼多多店", "pdd"))
	if res.Kind != kpi.KindOrders || res.Encoding != "gb18030" || res.Added != 3 || res.Rejected != 0 {
		t.Fatalf("import: %+v", res)
	}
	if amt, _, _, _, noBuyer := orderRow(t, s, "拼多多店", "240420-111111111111111"); amt != 8970 || !noBuyer {
		t.Errorf("amount %d (用户实付金额 89.70, not 商家实收金额), no buyer %v", amt, noBuyer)
	}
	r := decodeReport(t, s, "拼多多店", "2024-04-20", "2024-04-21")
	wantMetric(t, r, "paid_orders", 2)
	wantMetric(t, r, "sales", 149.60)
	wantMetric(t, r, "units", 3)
	wantMetric(t, r, "refund_rate", 0.5) // 售后状态 退款成功 on one of the two paid orders
	for _, k := range []string{"paying_buyers", "aov", "items_per_buyer"} {
		wantNull(t, r, k) // no buyer column: never a made-up buyer
	}
	wantNull(t, r, "avg_refund_hours") // an inferred refund has no times
	if r.Sources["sales"] != "computed" {
		t.Errorf("sales source %q", r.Sources["sales"])
	}
	if again := mustImport(t, s, p, shopOpts("拼多多店", "pdd")); again.Added != 0 || again.Updated != 0 || again.Unchanged != 3 {
		t.Errorf("re-import: %+v", again.Counts)
	}
	// The shop later downloads the real 售后 file: the order's refund counts once.
	shou := "售后单号,订单号,售后类型,售后状态,申请时间,完结时间\nS1,240420-222222222222222,仅退款,退款成功,2024-04-20 12:00:00,2024-04-20 18:00:00\n"
	mustImport(t, s, writeCSV(t, "售后.csv", shou, false), shopOpts("拼多多店", "pdd"))
	r = decodeReport(t, s, "拼多多店", "2024-04-20", "2024-04-21")
	wantMetric(t, r, "refund_rate", 0.5)
	wantMetric(t, r, "avg_refund_hours", 6)
	mustImport(t, s, p, shopOpts("拼多多店", "pdd")) // the order export again: still once
	wantMetric(t, decodeReport(t, s, "拼多多店", "2024-04-20", "2024-04-21"), "refund_rate", 0.5)
	// A later export: the cup's refund was reversed.
	s2, _ := openStore(t)
	mustImport(t, s2, p, shopOpts("拼多多店", "pdd"))
	later := strings.Replace(csv, ",退款成功,", ",无售后或售后取消,", 1)
	mustImport(t, s2, writeCSV(t, "订单导出_2024-04-21.csv", later, true), shopOpts("拼多多店", "pdd"))
	wantMetric(t, decodeReport(t, s2, "拼多多店", "2024-04-20", "2024-04-21"), "refund_rate", 0)
}

func TestRealOrdersRefusedWithoutPaidTime(t *testing.T) {
	s, path := openStore(t)
	before := fingerprint(t, path)
	p := writeCSV(t, "orders.csv", "订单号,买家,下单时间,实付金额,订单状态\no1,b,2024-04-20 10:00:00,10,已付款\n", false)
	_, err := File(context.Background(), s, p, shopOpts("店", "taobao"))
	if err == nil || !strings.Contains(err.Error(), "支付时间") || !strings.Contains(err.Error(), "paid_at") {
		t.Fatalf("err %v: an order file without a paid-time column must be refused, naming it", err)
	}
	sameFingerprint(t, before, fingerprint(t, path))
}

func TestRealOrdersTaobaoClassic(t *testing.T) {
	csv := "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,收货地址,运送方式,联系电话,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,物流单号,物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因\n" +
		"'1234567890123456,tb_小王,a@b.com,100.00,0.00,0,110.00,0,95.50,0,交易成功,,王,北京,快递,,138,2024-04-20 09:00:00,2024-04-20 09:05:00,围巾,1,YT1,圆通,,2,1,店,\n" +
		"1234567890123457,tb_小王,a@b.com,50.00,0.00,0,50.00,0,50.00,0,交易成功,,王,北京,快递,,138,2024-04-21 09:00:00,2024-04-21 09:05:00,手套,1,YT2,圆通,,1,1,店,\n" +
		"1234567890123458,tb_小李,c@d.com,30.00,0.00,0,30.00,0,30.00,0,交易关闭,,李,上海,快递,,139,2024-04-21 10:00:00,,帽子,1,,,,1,1,店,买家取消\n"
	s, _ := openStore(t)
	res := mustImport(t, s, writeCSV(t, "ExportOrderList202404.csv", csv, true), shopOpts("淘宝店", "taobao"))
	if res.Added != 3 || res.Rejected != 0 {
		t.Fatalf("%+v", res)
	}
	if amt, qty, _, _, noBuyer := orderRow(t, s, "淘宝店", "1234567890123456"); amt != 9550 || qty != 2 || noBuyer {
		t.Errorf("amount %d qty %d noBuyer %v (买家实际支付金额 before 总金额; leading ' dropped)", amt, qty, noBuyer)
	}
	r := decodeReport(t, s, "淘宝店", "2024-04-20", "2024-04-21")
	wantMetric(t, r, "paid_orders", 2)
	wantMetric(t, r, "paying_buyers", 1) // tb_小王 twice
	wantMetric(t, r, "aov", 145.50)
}

func TestRealOrdersSubOrdersMerged(t *testing.T) {
	// Taobao's newer sub-order report (xlsx): one row per item, item amounts summed.
	p := writeXLSX(t, "子订单报表.xlsx", [][]any{
		{"子订单编号", "主订单编号", "商品标题", "商品价格", "购买数量", "订单状态", "买家应付货款", "买家实付金额", "退款状态", "退款金额", "订单创建时间", "订单付款时间", "发货时间"},
		{"s1", "M100", "围巾", 60, 1, "交易成功", 60, 55.5, "", 0, "2024-04-20 09:00:00", "2024-04-20 09:01:00", "2024-04-21 09:00:00"},
		{"s2", "M100", "手套", 20, 2, "交易成功", 40, 38, "", 0, "2024-04-20 09:00:00", "2024-04-20 09:01:00", "2024-04-21 09:00:00"},
		{"s3", "M200", "帽子", 30, 1, "交易成功", 30, 30, "", 0, "2024-04-20 10:00:00", "2024-04-20 10:01:00", ""},
	})
	s, _ := openStore(t)
	if res := mustImport(t, s, p, shopOpts("天猫店", "tmall")); res.Added != 2 {
		t.Fatalf("%+v: two orders", res.Counts)
	}
	if amt, qty, _, product, _ := orderRow(t, s, "天猫店", "M100"); amt != 9350 || qty != 3 || product != "围巾、手套" {
		t.Errorf("M100: amount %d qty %d product %q", amt, qty, product)
	}

	// JD (GBK): the order total repeats on each item row beside 京东价: taken once.
	jd := "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,商家备注,运费金额,付款确认时间,增值税发票,货号,订单完成时间,订单来源,订单渠道\n" +
		"J1,101,牙刷,2,在线支付,2024-04-20 08:00:00,10.00,35.00,35.00,0,33.00,完成,普通订单,jd_user1,张,北京,139,,,0,2024-04-20 08:01:00,否,A1,2024-04-23 08:00:00,PC,京东\n" +
		"J1,102,牙膏,1,在线支付,2024-04-20 08:00:00,15.00,35.00,35.00,0,33.00,完成,普通订单,jd_user1,张,北京,139,,,0,2024-04-20 08:01:00,否,A2,2024-04-23 08:00:00,PC,京东\n" +
		"J0,101,牙刷,2,在线支付,2024-04-20 08:00:00,10.00,35.00,35.00,0,33.00,(删除)完成,普通订单,jd_user1,张,北京,139,,,0,2024-04-20 08:01:00,否,A1,,PC,京东\n"
	s2, _ := openStore(t)
	if res := mustImport(t, s2, writeCSV(t, "jd.csv", jd, true), shopOpts("京东店", "jd")); res.Added != 2 {
		t.Fatalf("%+v", res.Counts)
	}
	if amt, qty, _, _, noBuyer := orderRow(t, s2, "京东店", "J1"); amt != 3300 || qty != 3 || noBuyer {
		t.Errorf("J1: amount %d (应付金额 once) qty %d noBuyer %v", amt, qty, noBuyer)
	}
	r := decodeReport(t, s2, "京东店", "2024-04-20", "2024-04-20")
	wantMetric(t, r, "paid_orders", 1) // J0 is a (删除) parent order
	wantMetric(t, r, "paying_buyers", 1)
}

func TestRealOrdersDouyinAndYouzan(t *testing.T) {
	dy := "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,优惠总金额,收件人,收件人手机号,买家留言,订单提交时间,旗帜颜色,商家备注,订单完成时间,支付完成时间,订单状态,承诺发货时间,售后状态,取消原因,发货时间\n" +
		"\t4937\t,\t4937-1\t,面膜,10片,1,88,-,79.00,79.00,0,-,##abc,##def,-,2024-04-20 20:00:00,-,-,-,2024-04-20 20:00:05,已发货,2024-04-22 20:00:00,-,-,2024-04-21 10:00:00\n" +
		"\t4938\t,\t4938-1\t,面霜,-,2,89,-,45.00,90.00,0,-,##abc,##def,-,2024-04-20 21:00:00,-,-,-,-,已关闭,-,-,超时未支付,-\n"
	s, _ := openStore(t)
	res := mustImport(t, s, writeCSV(t, "抖店订单.csv", dy, false), shopOpts("抖店", "douyin"))
	if res.Added != 2 || res.Rejected != 0 {
		t.Fatalf("%+v", res)
	}
	if amt, qty, _, _, noBuyer := orderRow(t, s, "抖店", "4937"); amt != 7900 || qty != 1 || !noBuyer {
		t.Errorf("4937: amount %d qty %d noBuyer %v (tab-wrapped id, - placeholders)", amt, qty, noBuyer)
	}
	r := decodeReport(t, s, "抖店", "2024-04-20", "2024-04-21")
	wantMetric(t, r, "paid_orders", 1)
	wantMetric(t, r, "avg_ship_hours", (14*3600-5)/3600.0)

	yz := "订单号,买家付款时间,收货人手机号/提货人手机号,全部商品名称,商品种类数,订单实付金额,订单状态,买家备注,商家订单备注\n" +
		"E2024,2024-04-20 12:00:00,138****,茶叶,1,128.00,交易成功,,\n"
	s2, _ := openStore(t)
	if res := mustImport(t, s2, writeCSV(t, "youzan.csv", yz, false), shopOpts("有赞店", "other")); res.Added != 1 {
		t.Fatalf("youzan: %+v", res)
	}
	wantMetric(t, decodeReport(t, s2, "有赞店", "2024-04-20", "2024-04-20"), "sales", 128)
}

func TestRealRefunds(t *testing.T) {
	s, _ := openStore(t)
	orders := "订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\nT1,tb1,2024-04-01 10:00:00,2024-04-01 10:00:00,100\nT2,tb2,2024-04-01 11:00:00,2024-04-01 11:00:00,50\n"
	mustImport(t, s, writeCSV(t, "o.csv", orders, true), shopOpts("淘宝店", "taobao"))
	tb := "订单编号,退款编号,支付宝交易号,订单付款时间,商品编码,退款完结时间,买家实际支付金额,宝贝标题,买家退款金额,手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,退款状态,货物状态,退货物流信息,发货物流信息,客服介入状态,买家退款原因,买家退款说明,买家退货时间,责任方,售中或售后,商家备注,完结时间,部分退款/全部退款\n" +
		"T1,R1,2088,2024-04-01 10:00:00,,2024-04-03 10:00:00,100,围巾,100,系统退款,是,2024-04-02 10:00:00,,退款成功,已收货,,,客服介入中,质量问题,,,商家,售后,,2024-04-05 00:00:00,全部退款\n" +
		"T2,R2,2089,2024-04-01 11:00:00,,2024-04-02 11:00:00,50,手套,50,系统退款,否,2024-04-02 09:00:00,,退款成功,未收货,,,未介入,不想要了,,,买家,售中,,,全部退款\n"
	res := mustImport(t, s, writeCSV(t, "ExportRefundList.csv", tb, true), shopOpts("淘宝店", "taobao"))
	if res.Kind != kpi.KindRefunds || res.Added != 2 || res.Rejected != 0 {
		t.Fatalf("%+v", res)
	}
	r := decodeReport(t, s, "淘宝店", "2024-04-01", "2024-04-05")
	wantMetric(t, r, "avg_return_refund_hours", 24) // R1: 是否需要退货 是, 退款完结时间 (not 完结时间)
	wantMetric(t, r, "avg_refund_only_hours", 2)    // R2: 否
	wantMetric(t, r, "dispute_refund_rate", 0.5)    // R1: 客服介入中 and 责任方 商家
	wantMetric(t, r, "quality_refund_rate", 0.5)    // R1: 质量问题
	wantMetric(t, r, "refund_rate", 1)

	dy := "售后单号,订单号,商品单号,售后类型,售后状态,售后申请时间,退商品金额（元）\n" +
		"A1,T1,G1,退款,售后完成,2024-04-01 12:00:00,10\nA2,T2,G2,未发货仅退款,待商家处理,2024-04-01 12:00:00,5\nA3,T2,G2,退货退款,售后关闭,2024-04-01 12:00:00,5\n"
	s2, _ := openStore(t)
	if res := mustImport(t, s2, writeCSV(t, "售后.csv", dy, false), shopOpts("抖店", "douyin")); res.Added != 3 || res.Rejected != 0 {
		t.Fatalf("douyin 售后: %+v", res)
	}
}

func TestRealReviews(t *testing.T) {
	s, _ := openStore(t)
	mustImport(t, s, writeCSV(t, "o.csv", "订单编号,买家会员名,订单付款时间,买家实际支付金额\n3001234567890123,tb1,2024-04-01 10:00:00,100\n", false), shopOpts("店", "tmall"))
	words := "买家昵称,评价类型,评价时间,订单号,评价内容\ntb1,正面,2024-04-02 10:00:00,3001234567890123,好\ntb2,中性,2024-04-02 11:00:00,,一般\ntb3,负面,2024-04-02 12:00:00,,差\ntb4,差评,2024-04-02 13:00:00,,差\n"
	if res := mustImport(t, s, writeCSV(t, "评价.csv", words, false), shopOpts("店", "tmall")); res.Added != 4 || res.Rejected != 0 {
		t.Fatalf("%+v", res)
	}
	r := decodeReport(t, s, "店", "2024-04-02", "2024-04-02")
	wantMetric(t, r, "reviews", 4)
	wantMetric(t, r, "bad_reviews", 2)
	wantMetric(t, r, "medium_reviews", 1)

	// A copied list of bad reviews: no rating; the order given by its last 10 digits.
	copied := "序号,订单号,买家昵称,商品ID,评价内容,评价时间,是否已回复\n1,4567890123,tb1,88,质量太差,2024-04-03 09:00:00,否\n"
	opt := shopOpts("店", "tmall")
	opt.BadReviews = true
	if res := mustImport(t, s, writeCSV(t, "差评列表.csv", copied, false), opt); res.Added != 1 || res.Rejected != 0 {
		t.Fatalf("copied list: %+v", res)
	}
	r = decodeReport(t, s, "店", "2024-04-03", "2024-04-03")
	wantMetric(t, r, "bad_reviews", 1)
	db, _ := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	defer db.Close()
	var order string
	var rating int
	if err := db.QueryRow(`SELECT order_id, rating FROM reviews WHERE content = '质量太差'`).Scan(&order, &rating); err != nil || order != "3001234567890123" || rating != 2 {
		t.Errorf("copied review: order %q rating %d %v", order, rating, err)
	}
}

// Finding 5 of the probe: rejected cells that a spreadsheet would run as a
// formula are written neutralised, and read back as they were on re-import.
func TestRejectsCSVNeutralisesFormulas(t *testing.T) {
	s, _ := openStore(t)
	p := writeCSV(t, "m.csv", "buyer,role,agent,sent_at,content\n=HYPERLINK(\"http://x\"),buyer,,not a time,+cmd|' /C calc'!A0\n", false)
	res := mustImport(t, s, p, goldenOpts())
	if res.Rejected != 1 {
		t.Fatalf("%+v", res.Counts)
	}
	var b strings.Builder
	if err := WriteRejects(context.Background(), s, res.RunID, &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(out, `'+cmd`) || strings.Contains(out, ",=") || strings.Contains(out, ",+") {
		t.Errorf("rejects CSV not neutralised:\n%s", out)
	}
	// The owner fixes the time and imports the file again: the cells are what the export said.
	fixed := writeCSV(t, "fixed.csv", strings.Replace(strings.TrimPrefix(out, "\ufeff"), "not a time", "2024-03-02 10:00:00", 1), false)
	if res := mustImport(t, s, fixed, goldenOpts()); res.Added != 1 || res.Rejected != 0 {
		t.Fatalf("re-import: %+v", res.Counts)
	}
	db, _ := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	defer db.Close()
	var content, buyer string
	if err := db.QueryRow(`SELECT m.content, b.name FROM messages m JOIN buyers b ON b.id = m.buyer_id WHERE m.content LIKE '%cmd%'`).Scan(&content, &buyer); err != nil ||
		content != "+cmd|' /C calc'!A0" || buyer != `=HYPERLINK("http://x")` {
		t.Errorf("re-imported %q %q %v", content, buyer, err)
	}
}

// Finding 13 of the probe: a NUL past the first 8 KB of a file (where the
// upload's binary check looks) is never stored; the import says how many.
func TestNULsStripped(t *testing.T) {
	s, _ := openStore(t)
	var b strings.Builder
	b.WriteString("buyer,role,agent,sent_at,content\n")
	for b.Len() < 9000 {
		b.WriteString("b1,buyer,,2024-03-02 10:00:00,padding row\n")
	}
	b.WriteString("b2,buyer,,2024-03-02 10:00:01,hi\x00there\n")
	res := mustImport(t, s, writeCSV(t, "m.csv", b.String(), false), goldenOpts())
	if res.NULs != 1 || res.Rejected != 0 {
		t.Fatalf("%+v", res)
	}
	db, _ := sql.Open("sqlite", "file:"+s.Path()+"?mode=ro")
	defer db.Close()
	var clean int
	db.QueryRow(`SELECT count(*) FROM messages WHERE content = 'hithere'`).Scan(&clean)
	if clean != 1 {
		t.Errorf("the NUL was not stripped (%d rows with hithere)", clean)
	}
}
