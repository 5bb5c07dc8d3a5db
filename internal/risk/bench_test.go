package risk

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// politePhrases are agent phrases with no word of the default risk lists
// (TestBenchCorpus checks it).
var politePhrases = []string{
	"亲，您好", "在的呢", "请问有什么可以帮您的吗", "稍等，我帮您查询一下", "您的订单已经发货了",
	"快递一般三到五天送达", "这款是现货，下单当天就能发出", "尺码您可以参考详情页的尺码表",
	"有任何问题随时联系我们哦", "感谢您的耐心等待", "已经帮您备注好了", "麻烦提供一下订单号",
	"这边给您申请了补发", "退换货在订单页面申请就可以", "祝您生活愉快", "亲，这个颜色比较百搭",
	"我们会尽快为您处理", "非常抱歉给您带来不便", "收到货如有问题可以联系客服", "活动价格已经是最低了",
	"优惠券在店铺首页领取", "物流信息更新可能有延迟", "亲亲，面料是纯棉的", "洗涤时建议手洗",
	"我们这边核实一下情况", "好的呢", "亲，发票可以在订单详情里申请", "仓库今天下午统一发货",
	"这边帮您催一下快递", "收货后记得检查一下外包装哦",
}

// benchMessages returns n deterministic agent messages of 10–60 characters;
// about 1 % of them (hit[i]) hold a word of the default risk lists.
func benchMessages(n int) (msgs []string, hit []bool) {
	r := rand.New(rand.NewPCG(2024, 11))
	risky := allWords(DefaultRiskLists())
	msgs = make([]string, n)
	hit = make([]bool, n)
	var b strings.Builder
	for i := range msgs {
		size := 10 + r.IntN(51)
		b.Reset()
		for utf8.RuneCountInString(b.String()) < size {
			if b.Len() > 0 {
				b.WriteString([]string{"，", "。", "～", "！"}[r.IntN(4)])
			}
			b.WriteString(politePhrases[r.IntN(len(politePhrases))])
		}
		m := []rune(b.String())[:size]
		if r.IntN(100) == 0 {
			w := []rune(risky[r.IntN(len(risky))])
			at := r.IntN(len(m) + 1)
			m = append(m[:at], append(w, m[at:]...)...)
			hit[i] = true
		}
		msgs[i] = string(m)
	}
	return msgs, hit
}

var benchCorpus = sync.OnceValues(func() ([]string, int) {
	msgs, _ := benchMessages(1_000_000)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	return msgs, size
})

// TestBenchCorpus checks the benchmark's messages: a hit exactly where one
// was put, in about 1 % of them.
func TestBenchCorpus(t *testing.T) {
	lists := DefaultRiskLists()
	m := New(lists)
	msgs, hit := benchMessages(20000)
	hits := 0
	for i, msg := range msgs {
		got := m.Scan(msg)
		if (got != nil) != hit[i] {
			t.Fatalf("message %q: Scan = %v, risky word put in: %v", msg, got, hit[i])
		}
		if n := len([]rune(msg)); n < 10 || n > 60+8 {
			t.Fatalf("message %q: %d characters", msg, n)
		}
		if hit[i] {
			hits++
		}
	}
	if hits < 100 || hits > 300 {
		t.Errorf("%d hits in %d messages, want about 1 %%", hits, len(msgs))
	}
}

func benchScan(b *testing.B, scan func(string) bool) {
	msgs, size := benchCorpus()
	b.SetBytes(int64(size))
	b.ResetTimer()
	hits := 0
	for b.Loop() {
		hits = 0
		for _, m := range msgs {
			if scan(m) {
				hits++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(msgs)), "ns/msg")
	b.ReportMetric(float64(hits), "hits")
}

// BenchmarkScan: one op is one Scan of each of 1,000,000 agent messages.
func BenchmarkScan(b *testing.B) {
	m := New(DefaultRiskLists())
	benchScan(b, func(s string) bool { return m.Scan(s) != nil })
}

// BenchmarkAny: as BenchmarkScan, with Any.
func BenchmarkAny(b *testing.B) {
	m := New(DefaultRiskLists())
	benchScan(b, m.Any)
}

// BenchmarkNaive: the approach Scan replaces, Normalize and then one
// strings.Contains per (pre-normalised) word.
func BenchmarkNaive(b *testing.B) {
	type word struct{ cat, key string }
	var words []word
	for c, ws := range DefaultRiskLists() {
		for _, w := range ws {
			words = append(words, word{c, Normalize(w)})
		}
	}
	benchScan(b, func(s string) bool {
		norm := Normalize(s)
		var found []string
		for _, w := range words {
			if strings.Contains(norm, w.key) {
				found = append(found, w.cat, w.key)
			}
		}
		return found != nil
	})
}
