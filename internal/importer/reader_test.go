package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func at(t testing.TB, s string) kpi.Millis {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai())
	if err != nil {
		t.Fatal(err)
	}
	return kpi.Millis(tm.UnixMilli())
}

func TestReadGBKCSV(t *testing.T) {
	text := "订单编号,买家昵称,下单时间,付款时间,实付金额(元),商品数量,订单状态,宝贝标题,备注\r\n" +
		"240302-1,张三,2024/3/2 10:00,2024/3/2 10:05,\"¥1,234.50\",2,已付款,保温杯（大号）,送礼\r\n" +
		"240302-2,李四,2024年3月2日 11:00:00,,88元,,已取消,陶瓷杯,\r\n"
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, []byte(text)) {
		t.Fatal("not encoded")
	}
	r, recs, rowErrs := openAll(t, writeFile(t, "gbk.csv", gbk), Options{})
	if r.Encoding() != EncGB18030 || r.Kind() != kpi.KindOrders || len(rowErrs) != 0 || len(recs) != 2 {
		t.Fatalf("enc %s kind %s recs %d errs %v", r.Encoding(), r.Kind(), len(recs), rowErrs)
	}
	if h := r.Header(); len(h) != 9 || h[0] != "订单编号" || h[4] != "实付金额(元)" {
		t.Errorf("header %q", h)
	}
	cols := r.Columns()
	if cols["amount"] != "实付金额(元)" || cols["order_id"] != "订单编号" || cols["product"] != "宝贝标题" || len(cols) != 8 {
		t.Errorf("columns %v", cols)
	}
	o := recs[0].Order
	want := kpi.Order{OrderID: "240302-1", Buyer: "张三", CreatedAt: at(t, "2024-03-02 10:00:00"), PaidAt: at(t, "2024-03-02 10:05:00"),
		Amount: 123450, Quantity: 2, Status: "已付款", Product: "保温杯（大号）"}
	if *o != want {
		t.Errorf("order 1 = %+v\nwant %+v", *o, want)
	}
	o = recs[1].Order
	if o.Amount != 8800 || o.Quantity != 1 || o.PaidAt != 0 || o.Status != "已取消" || o.CreatedAt != at(t, "2024-03-02 11:00:00") || recs[1].Row != 3 {
		t.Errorf("order 2 = %+v row %d", *o, recs[1].Row)
	}
}

func TestReadUTF8BOM(t *testing.T) {
	text := "\xEF\xBB\xBFmsg_id,buyer,role,agent,sent_at,content\nm1,b1,buyer,,2024-03-18 07:31:42,你好\n"
	r, recs, rowErrs := openAll(t, writeFile(t, "bom.csv", []byte(text)), Options{})
	if r.Encoding() != EncUTF8BOM || r.Kind() != kpi.KindMessages || len(recs) != 1 || len(rowErrs) != 0 {
		t.Fatalf("enc %s kind %s recs %d errs %v", r.Encoding(), r.Kind(), len(recs), rowErrs)
	}
	if r.Header()[0] != "msg_id" || recs[0].Message.MsgID != "m1" || recs[0].Message.Content != "你好" {
		t.Errorf("header %q msg %+v", r.Header(), recs[0].Message)
	}
}

func TestReadTSV(t *testing.T) {
	text := "评价ID\t买家\t评分\t评价时间\t评价内容\t描述相符\n" +
		"rv1\tb1\t好评\t2024-03-04 18:00:00\t不错,很好,推荐\t5\n" +
		"rv2\tb2\t2\t2024-03-04 19:00:00\t\"引号\"内容\t\n"
	r, recs, rowErrs := openAll(t, writeFile(t, "reviews.tsv", []byte(text)), Options{})
	if r.Kind() != kpi.KindReviews || len(recs) != 2 || len(rowErrs) != 0 {
		t.Fatalf("kind %s recs %d errs %v", r.Kind(), len(recs), rowErrs)
	}
	v := recs[0].Review
	if v.Rating != 5 || v.Content != "不错,很好,推荐" || v.DSRDescription != 5 || v.ReviewID != "rv1" {
		t.Errorf("review 1 %+v", v)
	}
	if v := recs[1].Review; v.Rating != 2 || v.DSRDescription != 0 || v.Content != `引号"内容` {
		t.Errorf("review 2 %+v", v)
	}
}

func TestReadUTF16LETSV(t *testing.T) {
	text := "投诉单号\t买家\t投诉时间\t被投诉客服\t投诉类型\r\nCP01\t买家甲\t2024-03-03 15:00:00\t小美\t发货慢\r\nCP02\t买家乙\t2024/3/4 9:30\t\t\r\n"
	enc, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(enc, []byte{0xFF, 0xFE}) {
		t.Fatal("no BOM")
	}
	r, recs, rowErrs := openAll(t, writeFile(t, "complaints.txt", enc), Options{})
	if r.Encoding() != EncUTF16LE || r.Kind() != kpi.KindComplaints || len(recs) != 2 || len(rowErrs) != 0 {
		t.Fatalf("enc %s kind %s recs %d errs %v", r.Encoding(), r.Kind(), len(recs), rowErrs)
	}
	want := kpi.Complaint{ComplaintID: "CP01", Buyer: "买家甲", CreatedAt: at(t, "2024-03-03 15:00:00"), Agent: "小美", Type: "发货慢"}
	if *recs[0].Complaint != want {
		t.Errorf("complaint %+v", *recs[0].Complaint)
	}
	if c := recs[1].Complaint; c.Agent != "" || c.CreatedAt != at(t, "2024-03-04 09:30:00") || recs[1].Row != 3 {
		t.Errorf("complaint 2 %+v", *c)
	}
}

func TestBadRows(t *testing.T) {
	text := "消息ID,买家,发送方,客服,发送时间,内容\n" + // row 1
		"m1, b1 ,买家,,2024-03-18 07:31:42,在吗\n" + // 2 ok
		"m2,b1,老板,,2024-03-18 07:31:43,?\n" + // 3 unknown role
		"m3,b1,客服,,2024-03-18 07:31:44,亲\n" + // 4 agent without name
		"m4,b1,客服,小美,2024-13-18 07:31:44,亲\n" + // 5 bad time
		",,,,,\n" + // 6 blank: skipped
		"\n" + // 7 empty line: skipped, still a row in Excel
		"m5,,buyer,,2024-03-18 07:31:45,x\n" + // 8 blank buyer
		"m6,b2,buyer\n" + // 9 short row: sent_at blank
		"m7,b2,bot,,2024-03-18 07:31:46,\"多行\n内容\"\n" + // 10 ok, spans two lines
		"m8,b2,buyer,,yesterday,x\n" + // 11 bad time
		"m9,b3,agent,阿强,2024-03-18 07:31:47,好的\n" // 12 ok
	r, recs, rowErrs := openAll(t, writeFile(t, "bad.csv", []byte(text)), Options{})
	if r.Kind() != kpi.KindMessages {
		t.Fatal(r.Kind())
	}
	var rows []int
	for _, rec := range recs {
		rows = append(rows, rec.Row)
	}
	if !reflect.DeepEqual(rows, []int{2, 10, 12}) {
		t.Errorf("record rows %v", rows)
	}
	if m := recs[0].Message; m.Buyer != "b1" || m.Role != kpi.RoleBuyer {
		t.Errorf("%+v", m)
	}
	if m := recs[1].Message; m.Content != "多行\n内容" || m.Role != kpi.RoleBot {
		t.Errorf("%+v", m)
	}
	want := []struct {
		row    int
		col    string
		value  string
		reason string
	}{
		{3, "发送方", "老板", "无法识别的发送方"},
		{4, "客服", "", "必须填写客服名称"},
		{5, "发送时间", "2024-13-18 07:31:44", "日期或时间不存在"},
		{8, "买家", "", "买家 (buyer) 不能为空"},
		{9, "发送时间", "", "发送时间 (sent_at) 不能为空"},
		{11, "发送时间", "yesterday", "无法识别的时间格式"},
	}
	if len(rowErrs) != len(want) {
		t.Fatalf("row errors: %v", rowErrs)
	}
	for i, w := range want {
		e := rowErrs[i]
		if e.Row != w.row || e.Column != w.col || e.Value != w.value || !strings.Contains(e.Reason, w.reason) {
			t.Errorf("row error %d = %+v, want %+v", i, e, w)
		}
		if !strings.Contains(e.Error(), e.Reason) || !strings.Contains(e.Error(), "第 ") {
			t.Errorf("Error() = %q", e.Error())
		}
	}
	if raw := rowErrs[0].Raw; !reflect.DeepEqual(raw, []string{"m2", "b1", "老板", "", "2024-03-18 07:31:43", "?"}) {
		t.Errorf("raw %q", raw)
	}
	if raw := rowErrs[4].Raw; !reflect.DeepEqual(raw, []string{"m6", "b2", "buyer"}) {
		t.Errorf("raw of a short row %q", raw)
	}
	// Raw is a copy: later rows did not overwrite it (csv reuses its record).
	if rowErrs[1].Raw[0] != "m3" || rowErrs[3].Raw[0] != "m5" {
		t.Errorf("raw reused: %q %q", rowErrs[1].Raw, rowErrs[3].Raw)
	}
}

// Each kind's value rules give row errors with the column and a reason.
func TestRowRulesPerKind(t *testing.T) {
	cases := []struct {
		name, text string
		col, value string
		reason     string
	}{
		{"rating", "buyer,rating,created_at\nb,6,2024-03-01\n", "rating", "6", "评分必须是 1–5"},
		{"dsr", "buyer,rating,created_at,服务态度\nb,5,2024-03-01,0\n", "服务态度", "0", "1–5"},
		{"negative amount", "order_id,buyer,created_at,paid_at,amount\no,b,2024-03-01,,-5\n", "amount", "-5", "不能为负数"},
		{"blank amount", "order_id,buyer,created_at,paid_at,amount\no,b,2024-03-01,,\n", "amount", "", "不能为空"},
		{"money decimals", "order_id,buyer,created_at,paid_at,amount\no,b,2024-03-01,,1.234\n", "amount", "1.234", "两位小数"},
		{"quantity", "order_id,buyer,created_at,paid_at,amount,数量\no,b,2024-03-01,,1,-1\n", "数量", "-1", "整数"},
		{"paid_at", "order_id,buyer,created_at,amount,paid_at\no,b,2024-03-01,1,soon\n", "paid_at", "soon", "时间格式"},
		{"refund type", "refund_id,order_id,type,status,requested_at\nr,o,维修,success,2024-03-01\n", "type", "维修", "售后类型"},
		{"refund status blank", "refund_id,order_id,type,status,requested_at\nr,o,仅退款,,2024-03-01\n", "status", "", "不能为空"},
		{"intervened", "refund_id,order_id,type,status,requested_at,平台介入\nr,o,仅退款,完成,2024-03-01,也许\n", "平台介入", "也许", "是/否"},
		{"refund amount", "refund_id,order_id,type,status,requested_at,退款金额\nr,o,仅退款,完成,2024-03-01,abc\n", "退款金额", "abc", "金额"},
		{"birthday", "buyer,name,birthday\nb,n,13-45\n", "birthday", "13-45", "生日"},
		{"joined_at", "buyer,name,joined_at\nb,n,x\n", "joined_at", "x", "时间格式"},
		{"complaint time", "complaint_id,buyer,created_at\nc,b,2024-02-30\n", "created_at", "2024-02-30", "不存在"},
		{"agent column absent", "buyer,role,sent_at\nb,agent,2024-03-01\n", "agent", "", "客服名称"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, recs, rowErrs := openAll(t, writeFile(t, "f.csv", []byte(c.text)), Options{})
			if len(recs) != 0 || len(rowErrs) != 1 {
				t.Fatalf("recs %d errs %v", len(recs), rowErrs)
			}
			e := rowErrs[0]
			if e.Row != 2 || e.Column != c.col || e.Value != c.value || !strings.Contains(e.Reason, c.reason) {
				t.Errorf("%+v", e)
			}
		})
	}
}

func TestRefundFlags(t *testing.T) {
	text := "refund_id,order_id,type,status,requested_at,completed_at,intervened,判责结果,amount\n" +
		"r1,o1,退货退款(已收货),退款成功,2024-03-01 10:00:00,2024-03-02 10:00:00,是,商家责任,59.90\n" +
		"r2,o2,仅退款,待处理,2024-03-01 10:00:00,,,平台,\n" +
		"r3,o3,补发,退款关闭,2024-03-01 10:00:00,,0,卖家,1\n"
	_, recs, rowErrs := openAll(t, writeFile(t, "r.csv", []byte(text)), Options{})
	if len(recs) != 3 || len(rowErrs) != 0 {
		t.Fatalf("recs %d errs %v", len(recs), rowErrs)
	}
	r1, r2, r3 := recs[0].Refund, recs[1].Refund, recs[2].Refund
	if r1.Type != kpi.ReturnRefund || r1.Status != kpi.RefundSuccess || !r1.Intervened || !r1.MerchantLiable || r1.Amount != 5990 ||
		r1.CompletedAt != at(t, "2024-03-02 10:00:00") {
		t.Errorf("r1 %+v", r1)
	}
	if r2.Type != kpi.RefundOnly || r2.Status != kpi.RefundPending || r2.Intervened || r2.MerchantLiable || r2.Amount != 0 {
		t.Errorf("r2 %+v", r2)
	}
	if r3.Type != kpi.Reissue || r3.Status != kpi.RefundClosed || r3.Intervened || !r3.MerchantLiable {
		t.Errorf("r3 %+v", r3)
	}
}

func TestOpenRefusals(t *testing.T) {
	// Missing required columns.
	_, err := Open(writeFile(t, "m.csv", []byte("订单号,买家,下单时间\no,b,2024-03-01\n")), Options{Kind: kpi.KindOrders})
	var mc *MissingColumnsError
	if !errors.As(err, &mc) || !reflect.DeepEqual(mc.Missing, []string{"paid_at", "amount"}) || !reflect.DeepEqual(mc.Recognised, []string{"订单号", "买家", "下单时间"}) {
		t.Errorf("missing: %v", err)
	}
	// Detected kind, then missing columns.
	_, err = Open(writeFile(t, "m2.csv", []byte("售后单号,订单号\nr,o\n")), Options{})
	if !errors.As(err, &mc) || mc.Kind != kpi.KindRefunds || !reflect.DeepEqual(mc.Missing, []string{"type", "status", "requested_at"}) {
		t.Errorf("missing: %v", err)
	}
	// Unknown kind.
	_, err = Open(writeFile(t, "u.csv", []byte("日期,备注,订单号\n")), Options{})
	var uk *UnknownKindError
	if !errors.As(err, &uk) || !reflect.DeepEqual(uk.Header, []string{"日期", "备注", "订单号"}) || len(uk.Candidates) == 0 {
		t.Errorf("unknown: %v", err)
	}
	// Empty files.
	for _, text := range []string{"", "\n\n", " , ,\n\r\n"} {
		if _, err := Open(writeFile(t, "e.csv", []byte(text)), Options{}); !errors.Is(err, ErrNoHeader) {
			t.Errorf("%q: %v", text, err)
		}
	}
	// Legacy .xls.
	if _, err := Open(writeFile(t, "x.xls", append(append([]byte{}, magicOLE...), make([]byte, 600)...)), Options{}); !errors.Is(err, ErrLegacyXLS) {
		t.Errorf("xls: %v", err)
	}
	// Bad kind option.
	if _, err := Open(writeFile(t, "k.csv", []byte("buyer\n")), Options{Kind: "invoices"}); err == nil {
		t.Error("unknown kind accepted")
	}
	// No such file.
	if _, err := Open(filepath.Join(t.TempDir(), "none.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestKindOption(t *testing.T) {
	// A header that detects as customers, read as complaints when told so.
	text := "买家,姓名,投诉时间\nb,n,2024-03-01 10:00:00\n"
	r, recs, _ := openAll(t, writeFile(t, "k.csv", []byte(text)), Options{Kind: kpi.KindComplaints})
	if r.Kind() != kpi.KindComplaints || len(recs) != 1 || recs[0].Complaint == nil {
		t.Fatalf("kind %s recs %v", r.Kind(), recs)
	}
	// Location option.
	ny := time.FixedZone("X", -5*3600)
	_, recs, _ = openAll(t, writeFile(t, "k.csv", []byte(text)), Options{Kind: kpi.KindComplaints, Location: ny})
	if recs[0].Complaint.CreatedAt != kpi.Millis(time.Date(2024, 3, 1, 15, 0, 0, 0, time.UTC).UnixMilli()) {
		t.Errorf("location ignored: %v", recs[0].Complaint.CreatedAt)
	}
}

func TestHeaderOnly(t *testing.T) {
	for _, text := range []string{"buyer,role,sent_at\n", "buyer,role,sent_at", "\n\nbuyer,role,sent_at\r\n\r\n,,\n"} {
		r, err := Open(writeFile(t, "h.csv", []byte(text)), Options{})
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		rec, rowErr, err := r.Next()
		if err != io.EOF || rowErr != nil || rec.Message != nil {
			t.Errorf("%q: %v %v %v", text, rec, rowErr, err)
		}
		if _, _, err := r.Next(); err != io.EOF {
			t.Errorf("second Next: %v", err)
		}
		r.Close()
	}
}

func TestRowNumbering(t *testing.T) {
	// Blank lines before the header, CRLF, a quoted cell over three lines, empty lines.
	text := "\r\n,,\r\nbuyer,role,sent_at,content\r\nb,buyer,2024-03-01,\"a\r\nb\r\nc\"\r\n\r\nb,buyer,2024-03-01,x\r\n,,,\r\nb,buyer,2024-03-01,\"\"\"q\"\"\"\r\n"
	_, recs, rowErrs := openAll(t, writeFile(t, "n.csv", []byte(text)), Options{})
	if len(rowErrs) != 0 || len(recs) != 3 {
		t.Fatalf("recs %d errs %v", len(recs), rowErrs)
	}
	var rows []int
	for _, r := range recs {
		rows = append(rows, r.Row)
	}
	// Excel: 1 empty, 2 ",,", 3 header, 4 the multi-line record, 5 empty, 6, 7 ",,,", 8.
	if !reflect.DeepEqual(rows, []int{4, 6, 8}) {
		t.Errorf("rows %v", rows)
	}
	if c := recs[0].Message.Content; c != "a\nb\nc" {
		t.Errorf("multi-line content %q", c)
	}
	if c := recs[2].Message.Content; c != `"q"` {
		t.Errorf("quoted content %q", c)
	}
}

func TestLazyQuotesAndTrim(t *testing.T) {
	text := "buyer,role,sent_at,content\n" +
		" b1\u3000,\u3000买家 ,2024-03-01 , 屏幕是5\"的吗\n" +
		"b2,buyer,2024-03-01,\"好\"评\"返现\",多余\n" +
		"b3,buyer,2024-03-01,x\r\n"
	_, recs, rowErrs := openAll(t, writeFile(t, "q.csv", []byte(text)), Options{})
	if len(recs) != 3 || len(rowErrs) != 0 {
		t.Fatalf("recs %d errs %v", len(recs), rowErrs)
	}
	if m := recs[0].Message; m.Buyer != "b1" || m.Role != kpi.RoleBuyer || m.Content != `屏幕是5"的吗` {
		t.Errorf("%+v", m)
	}
	if m := recs[1].Message; m.Content != `好"评"返现` {
		t.Errorf("%+v", m)
	}
	if m := recs[2].Message; m.Content != "x" || recs[2].Row != 4 {
		t.Errorf("%+v", m)
	}
}

func TestInvalidUTF8AfterSniff(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("buyer,role,sent_at,content\n")
	for b.Len() < sniffSize+100 {
		b.WriteString("b,buyer,2024-03-01,内容内容内容\n")
	}
	b.WriteString("b,buyer,2024-03-01,坏\xff字\n")
	r, recs, rowErrs := openAll(t, writeFile(t, "late.csv", b.Bytes()), Options{})
	if r.Encoding() != EncUTF8 || len(rowErrs) != 0 {
		t.Fatalf("%s %v", r.Encoding(), rowErrs)
	}
	if c := recs[len(recs)-1].Message.Content; c != "坏\uFFFD字" {
		t.Errorf("content %q", c)
	}
}

func TestValidUTF8Prefix(t *testing.T) {
	s := []byte("订单号")
	for cut := 1; cut < len(s); cut++ {
		got := validUTF8Prefix(s[:cut], true)
		if want := cut%3 != 0 || cut == 0; got != want && cut%3 != 0 {
			t.Errorf("cut %d: %v", cut, got)
		}
		if cut%3 != 0 && validUTF8Prefix(s[:cut], false) {
			t.Errorf("cut %d accepted at EOF", cut)
		}
	}
	if validUTF8Prefix([]byte("ab\xff"), true) || validUTF8Prefix([]byte("\xff订"), true) {
		t.Error("invalid accepted")
	}
	// A GBK file is not valid UTF-8 even when cut at the sniff boundary.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("买家,发送方"))
	if validUTF8Prefix(gbk, true) {
		t.Error("GBK taken for UTF-8")
	}
}

func TestLimits(t *testing.T) {
	lim := Limits{MaxColumns: 6, MaxCellBytes: 20}
	header := "buyer,role,sent_at,content\n"
	good := "b,buyer,2024-03-01,ok\n"
	cases := []struct {
		name, text string
		what       string
		row        int
		lim        *Limits
	}{
		{"long cell", header + good + "b,buyer,2024-03-01," + strings.Repeat("长", 7) + "\n", LimitCellBytes, 3, nil},
		{"wide row", header + good + "b,buyer,2024-03-01,x,1,2,3\n", LimitColumns, 3, nil},
		{"long header", "buyer,role,sent_at," + strings.Repeat("x", 21) + "\n", LimitCellBytes, 1, nil},
		{"unclosed quote", header + good + "b,buyer,2024-03-01,\"" + strings.Repeat("line\n", 100) + "\n", LimitRowBytes, 0, nil},
		{"long line", header + strings.Repeat("x", 200) + "\n", LimitRowBytes, 0, nil},
		{"many commas", header + good + strings.Repeat(",", 20000) + "\n", LimitColumns, 0, &Limits{MaxColumns: 6, MaxCellBytes: 10000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := lim
			if c.lim != nil {
				l = *c.lim
			}
			r, err := Open(writeFile(t, "l.csv", []byte(c.text)), Options{Limits: l})
			if err == nil {
				defer r.Close()
				for err == nil {
					_, _, err = r.Next()
				}
			}
			var le *LimitError
			if !errors.As(err, &le) || le.What != c.what || le.Row != c.row {
				t.Fatalf("err = %v (%+v)", err, le)
			}
			if !strings.Contains(le.Error(), "超过上限") {
				t.Errorf("message %q", le.Error())
			}
			if r != nil {
				if _, _, err2 := r.Next(); err2 != err {
					t.Errorf("fatal error not sticky: %v", err2)
				}
			}
		})
	}
	// Blank cells at the end of a row do not count towards MaxColumns.
	_, recs, _ := openAll(t, writeFile(t, "pad.csv", []byte(header+"b,buyer,2024-03-01,x"+strings.Repeat(",", 60)+"\n")), Options{Limits: lim})
	if len(recs) != 1 {
		t.Errorf("padded row refused")
	}
	// File size, checked before reading.
	_, err := Open(writeFile(t, "big.csv", []byte(header+good)), Options{Limits: Limits{MaxFileBytes: 10}})
	var le *LimitError
	if !errors.As(err, &le) || le.What != LimitFileSize || le.Limit != 10 {
		t.Errorf("file size: %v", err)
	}
	if d := DefaultLimits(); d.MaxFileBytes != 2<<30 || d.MaxXLSXUnzipped != 1<<30 || d.MaxColumns != 512 || d.MaxCellBytes != 32<<10 {
		t.Errorf("defaults %+v", d)
	}
	if (Limits{}).withDefaults() != DefaultLimits() {
		t.Error("zero limits are not the defaults")
	}
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("buyer,role,sent_at\n")
	for b.Len() < 3*sniffSize {
		b.WriteString("b,buyer,2024-03-01 10:00:00\n")
	}
	r, err := Open(writeFile(t, "p.csv", b.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read0, total := r.Progress()
	if total != int64(b.Len()) || read0 <= 0 || read0 >= total {
		t.Errorf("progress after open %d/%d", read0, total)
	}
	for i := 0; i < 60000; i++ {
		r.Next()
	}
	if read, _ := r.Progress(); read <= read0 || read >= total {
		t.Errorf("progress midway %d/%d (was %d)", read, total, read0)
	}
	readAll(t, r)
	if read, _ := r.Progress(); read != total {
		t.Errorf("progress at end %d/%d", read, total)
	}
}

func TestSniffDelimiter(t *testing.T) {
	cases := map[string]string{
		"a,b,c\n":            ",",
		"a\tb\tc\n":          "\t",
		"a\tb,c\td\n":        "\t",
		"a,b\tc,d\n":         ",",
		"\n , \nx\ty\n":      "\t",
		"":                   ",",
		"\"a,b\"\tc\td\te\n": "\t",
	}
	for in, want := range cases {
		r := bufioReader(in)
		if got := sniffDelimiter(r); string(got) != want {
			t.Errorf("sniffDelimiter(%q) = %q", in, got)
		}
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
