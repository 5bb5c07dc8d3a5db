package importer

import (
	"bufio"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
)

// formatsDoc is the import-format reference whose column tables this test
// holds the code to (and the code holds the doc to).
const formatsDoc = "../../docs/IMPORT-FORMATS.md"

type specCol struct {
	name     string
	required bool
	aliases  []string
}

// readFormatsDoc parses the column tables of docs/IMPORT-FORMATS.md: kind -> columns.
// "as messages" / "as orders" take the aliases of that kind's column.
func readFormatsDoc(t *testing.T) map[kpi.Kind][]specCol {
	t.Helper()
	f, err := os.Open(formatsDoc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[kpi.Kind][]specCol{}
	var kind kpi.Kind
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			kind = ""
			if k, ok := kpi.ParseKind(strings.Fields(line)[1]); ok {
				kind = k
			}
			continue
		}
		if kind == "" || !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, "|")
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		c := specCol{name: name, required: strings.TrimSpace(cells[2]) == "yes"}
		al := strings.TrimSpace(cells[3])
		switch al {
		case "as messages":
			c.aliases = colAliases(out[kpi.KindMessages], name)
		case "as orders":
			c.aliases = colAliases(out[kpi.KindOrders], name)
		default:
			// "标签 (separated by `,` ...)": drop the remark in parentheses.
			if i := strings.Index(al, " ("); i >= 0 {
				al = al[:i]
			}
			for _, a := range strings.Split(al, ",") {
				if a = strings.TrimSpace(a); a != "" {
					c.aliases = append(c.aliases, a)
				}
			}
		}
		out[kind] = append(out[kind], c)
	}
	if len(out) != len(kpi.Kinds) {
		t.Fatalf("IMPORT-FORMATS.md: found %d kinds", len(out))
	}
	return out
}

func colAliases(cols []specCol, name string) []string {
	for _, c := range cols {
		if c.name == name {
			return c.aliases
		}
	}
	return nil
}

// Every column and alias of IMPORT-FORMATS.md matches, for its own kind, and the
// required flags agree with the spec.
func TestAliasesFromFormatsDoc(t *testing.T) {
	spec := readFormatsDoc(t)
	total := 0
	defer func() {
		if total < 150 {
			t.Errorf("only %d header texts checked: IMPORT-FORMATS.md parsing is off", total)
		}
	}()
	for kind, cols := range spec {
		sp := specs[kind]
		if len(sp.cols) != len(cols) {
			t.Errorf("%s: %d columns in code, %d in IMPORT-FORMATS.md", kind, len(sp.cols), len(cols))
		}
		for _, c := range cols {
			n := 0
			for _, h := range append([]string{c.name, strings.ToUpper(c.name)}, c.aliases...) {
				n++
				total++
				got, ok := MatchHeader(kind, h)
				if !ok || got != c.name {
					t.Errorf("%s: MatchHeader(%q) = %q, %v; want %q", kind, h, got, ok, c.name)
				}
			}
			if n < 2 {
				t.Errorf("%s.%s: no aliases parsed", kind, c.name)
			}
			for _, col := range sp.cols {
				if col.name == c.name && col.required != c.required {
					t.Errorf("%s.%s: required = %v, IMPORT-FORMATS.md says %v", kind, c.name, col.required, c.required)
				}
			}
		}
	}
}

// No alias maps to two columns of the same kind.
func TestAliasesUniquePerKind(t *testing.T) {
	for kind, sp := range specs {
		seen := map[string]string{}
		for _, c := range sp.cols {
			for _, a := range append([]string{c.name}, c.aliases...) {
				k := normaliseHeader(a)
				if prev, ok := seen[k]; ok && prev != c.name {
					t.Errorf("%s: %q is both %s and %s", kind, a, prev, c.name)
				}
				seen[k] = c.name
			}
		}
	}
}

func TestMatchHeaderNormalisation(t *testing.T) {
	cases := []struct {
		kind kpi.Kind
		in   string
		want string
	}{
		{kpi.KindOrders, "*订单号", "order_id"},
		{kpi.KindOrders, "订单号*", "order_id"},
		{kpi.KindOrders, `"订单号"`, "order_id"},
		{kpi.KindOrders, "“订单号”", "order_id"},
		{kpi.KindOrders, "【订单号】", "order_id"},
		{kpi.KindOrders, "（订单号）", "order_id"},
		{kpi.KindOrders, "[订单号]", "order_id"},
		{kpi.KindOrders, "\u3000 订单号 \u3000", "order_id"},
		{kpi.KindOrders, "\ufeff订单号", "order_id"},
		{kpi.KindOrders, "订单号：", "order_id"},
		{kpi.KindOrders, "ORDER_ID", "order_id"},
		{kpi.KindOrders, "Order_Id", "order_id"},
		{kpi.KindOrders, "订单id", "order_id"},
		{kpi.KindOrders, "实付金额(元)", "amount"},
		{kpi.KindOrders, "实付金额（元）", "amount"},
		{kpi.KindOrders, "*实付金额（元）", "amount"},
		{kpi.KindOrders, "实付金额 (元)", "amount"},
		{kpi.KindOrders, "下单时间【北京时间】", "created_at"},
		{kpi.KindOrders, "amount(yuan)", "amount"},
		{kpi.KindMessages, "买家ID", "buyer"},
		{kpi.KindMessages, "buyer_ID", "buyer"},
		{kpi.KindMessages, "客服", "agent"},
		{kpi.KindOrders, "客服", "agent"},
		{kpi.KindComplaints, "客服", "agent"},
		{kpi.KindMessages, "内容", "content"},
		{kpi.KindReviews, "内容", "content"},
		{kpi.KindRefunds, "发起时间", "requested_at"},
		{kpi.KindComplaints, "发起时间", "created_at"},
	}
	for _, c := range cases {
		got, ok := MatchHeader(c.kind, c.in)
		if !ok || got != c.want {
			t.Errorf("MatchHeader(%s, %q) = %q, %v; want %q", c.kind, c.in, got, ok, c.want)
		}
	}
	none := []struct {
		kind kpi.Kind
		in   string
	}{
		{kpi.KindRefunds, "客服"}, // only 处理客服/售后客服 for refunds
		{kpi.KindCustomers, "内容"},
		{kpi.KindOrders, "发起时间"},
		{kpi.KindOrders, ""},
		{kpi.KindOrders, "（）"},
		{kpi.KindOrders, "订单号码"},
		{kpi.KindOrders, "(元)"},
		{kpi.KindOrders, "备注"},
		{kpi.Kind("nope"), "buyer"},
	}
	for _, c := range none {
		if got, ok := MatchHeader(c.kind, c.in); ok {
			t.Errorf("MatchHeader(%s, %q) = %q, want no match", c.kind, c.in, got)
		}
	}
}

// headerOf returns the canonical header row of a kind.
func headerOf(kind kpi.Kind) []string {
	var h []string
	for _, c := range specs[kind].cols {
		h = append(h, c.name)
	}
	return h
}

func TestDetectKind(t *testing.T) {
	cases := []struct {
		header []string
		want   kpi.Kind
	}{
		{headerOf(kpi.KindMessages), kpi.KindMessages},
		{headerOf(kpi.KindOrders), kpi.KindOrders},
		{headerOf(kpi.KindRefunds), kpi.KindRefunds},
		{headerOf(kpi.KindReviews), kpi.KindReviews},
		{headerOf(kpi.KindComplaints), kpi.KindComplaints},
		{headerOf(kpi.KindCustomers), kpi.KindCustomers},
		// Chinese exports.
		{[]string{"消息ID", "买家昵称", "发送方", "客服账号", "发送时间", "消息内容"}, kpi.KindMessages},
		{[]string{"用户", "角色", "时间"}, kpi.KindMessages},
		{[]string{"主订单编号", "买家账号", "订单创建时间", "付款时间", "商家实收金额（元）", "购买数量", "订单状态", "宝贝标题"}, kpi.KindOrders},
		{[]string{"售后单号", "订单编号", "售后类型", "售后状态", "申请时间", "退款金额"}, kpi.KindRefunds},
		{[]string{"评价ID", "订单号", "买家", "评价等级", "评价时间", "评价内容", "描述相符"}, kpi.KindReviews},
		{[]string{"投诉单号", "买家", "投诉时间"}, kpi.KindComplaints},
		{[]string{"买家", "发起时间", "投诉类型"}, kpi.KindComplaints},
		{[]string{"买家", "被投诉客服", "发起时间"}, kpi.KindComplaints},
		{[]string{"买家", "投诉时间"}, kpi.KindComplaints},
		{[]string{"买家", "姓名", "手机号"}, kpi.KindCustomers},
		{[]string{"buyer", "tags"}, kpi.KindCustomers},
		{[]string{"客户", "会员等级"}, kpi.KindCustomers},
		{[]string{"买家", "生日"}, kpi.KindCustomers},
		// Order of the rules: refund_id beats rating beats role beats complaint beats orders.
		{[]string{"退款单号", "评分", "role", "投诉时间", "order_id", "amount"}, kpi.KindRefunds},
		{[]string{"评分", "role", "投诉时间", "order_id", "amount"}, kpi.KindReviews},
		{[]string{"发送方", "投诉时间", "order_id", "amount"}, kpi.KindMessages},
		{[]string{"投诉编号", "order_id", "amount", "buyer", "name"}, kpi.KindComplaints},
		{[]string{"order_id", "amount", "buyer", "name"}, kpi.KindOrders},
	}
	for _, c := range cases {
		got, err := DetectKind(c.header)
		if err != nil || got != c.want {
			t.Errorf("DetectKind(%q) = %q, %v; want %q", c.header, got, err, c.want)
		}
	}
}

func TestDetectKindUnknown(t *testing.T) {
	cases := []struct {
		header []string
		cands  []kpi.Kind
	}{
		// An orders file without an amount: orders is the best guess.
		{[]string{"订单号", "买家", "下单时间"}, []kpi.Kind{kpi.KindOrders, kpi.KindRefunds, kpi.KindReviews, kpi.KindComplaints, kpi.KindMessages, kpi.KindCustomers}},
		// refunds' amount alias (退款金额) is not an order amount.
		{[]string{"订单号", "退款金额"}, []kpi.Kind{kpi.KindRefunds, kpi.KindOrders, kpi.KindReviews, kpi.KindComplaints}},
		{[]string{"备注", "日期"}, nil},
		{nil, nil},
		// A buyer alone is not a customers file.
		// (orders' buyer is optional: real order exports often have none.)
		{[]string{"买家"}, []kpi.Kind{kpi.KindReviews, kpi.KindMessages, kpi.KindComplaints, kpi.KindCustomers, kpi.KindRefunds, kpi.KindOrders}},
	}
	for _, c := range cases {
		k, err := DetectKind(c.header)
		var uk *UnknownKindError
		if !errors.As(err, &uk) {
			t.Errorf("DetectKind(%q) = %q, %v; want UnknownKindError", c.header, k, err)
			continue
		}
		if !reflect.DeepEqual(uk.Header, c.header) && len(c.header) > 0 {
			t.Errorf("Header = %q", uk.Header)
		}
		if !reflect.DeepEqual(uk.Candidates, c.cands) && !(len(uk.Candidates) == 0 && len(c.cands) == 0) {
			t.Errorf("DetectKind(%q) candidates = %q, want %q", c.header, uk.Candidates, c.cands)
		}
		msg := err.Error()
		if !strings.Contains(msg, "无法识别文件类型") {
			t.Errorf("message %q", msg)
		}
		for _, h := range c.header {
			if !strings.Contains(msg, h) {
				t.Errorf("message %q lacks header %q", msg, h)
			}
		}
		for _, k := range c.cands {
			if !strings.Contains(msg, string(k)) {
				t.Errorf("message %q lacks candidate %q", msg, k)
			}
		}
	}
}

func TestResolveMissingColumns(t *testing.T) {
	_, err := resolve([]string{"订单号", "买家", "下单时间", "备注"}, kpi.KindOrders)
	var mc *MissingColumnsError
	if !errors.As(err, &mc) {
		t.Fatalf("err = %v", err)
	}
	if mc.Kind != kpi.KindOrders || !reflect.DeepEqual(mc.Missing, []string{"paid_at", "amount"}) ||
		!reflect.DeepEqual(mc.Recognised, []string{"订单号", "买家", "下单时间"}) {
		t.Errorf("%+v", mc)
	}
	for _, s := range []string{"amount", "实付金额", "订单号", "买家", "下单时间", "缺少"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q lacks %q", err.Error(), s)
		}
	}
	// Detected as messages (role present) but without buyer and sent_at.
	_, err = resolve([]string{"角色", "内容"}, "")
	if !errors.As(err, &mc) || mc.Kind != kpi.KindMessages || !reflect.DeepEqual(mc.Missing, []string{"buyer", "sent_at"}) {
		t.Errorf("err = %v", err)
	}
	// With the kind given, detection is skipped: a customers header read as complaints.
	_, err = resolve([]string{"买家", "姓名"}, kpi.KindComplaints)
	if !errors.As(err, &mc) || !reflect.DeepEqual(mc.Missing, []string{"created_at"}) {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains((&MissingColumnsError{Kind: kpi.KindOrders, Missing: []string{"order_id"}}).Error(), "已识别的列：无") {
		t.Error("empty recognised list not said")
	}
	// The first of two headers naming the same column wins.
	b, err := resolve([]string{"买家", "买家昵称", "评分", "评价时间"}, "")
	if err != nil || b.idx[vBuyer] != 0 || b.names[vBuyer] != "买家" {
		t.Errorf("first wins: %v %v", b, err)
	}
}
