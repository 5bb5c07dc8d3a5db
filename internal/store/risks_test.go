package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kefuboard/kefuboard/internal/kpi"
	"github.com/kefuboard/kefuboard/internal/risk"
)

func importMessages(t *testing.T, s *Store, ms ...kpi.Message) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.BeginImport(ctx, "店一", ShopSettings{Platform: "pdd", TZ: "Asia/Shanghai"}, ImportMeta{FileName: "chats.csv", Kind: kpi.KindMessages, Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ms {
		if err := tx.AddMessage(&ms[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// The risk scan: agent messages (not buyers' or bots') hit by category with
// full-width folding; a buyer-day with three waits over five minutes is a
// slow item, two is not; a mark survives a re-import and a word-list rescan;
// a word-list edit finds new hits.
func TestRiskScan(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := func(hm string) kpi.Millis { return shanghai(t, "2026-11-10 "+hm) }
	msgs := []kpi.Message{
		{Buyer: "甲", Role: kpi.RoleBuyer, SentAt: at("10:00:00"), Content: "能便宜点吗"},
		{Buyer: "甲", Role: kpi.RoleAgent, Agent: "小美", SentAt: at("10:00:20"), Content: "亲可以加我ＶＸ私聊哦"},
		{Buyer: "甲", Role: kpi.RoleBuyer, SentAt: at("10:01:00"), Content: "你们是骗子吧，加微信"}, // a buyer's words are not scanned
		{Buyer: "甲", Role: kpi.RoleBot, SentAt: at("10:01:01"), Content: "爱买不买"},         // nor a bot's
		{Buyer: "甲", Role: kpi.RoleAgent, Agent: "小美", SentAt: at("10:01:30"), Content: "保证明天到，质量绝对没问题"},
		// 乙 waits over five minutes three times (once unanswered): slow.
		{Buyer: "乙", Role: kpi.RoleBuyer, SentAt: at("11:00:00"), Content: "在吗"},
		{Buyer: "乙", Role: kpi.RoleAgent, Agent: "阿强", SentAt: at("11:06:00"), Content: "在的"},
		{Buyer: "乙", Role: kpi.RoleBuyer, SentAt: at("11:10:00"), Content: "发什么快递"},
		{Buyer: "乙", Role: kpi.RoleAgent, Agent: "阿强", SentAt: at("11:20:00"), Content: "中通"},
		{Buyer: "乙", Role: kpi.RoleBuyer, SentAt: at("11:30:00"), Content: "好的"},
		// 丙 only twice: not slow.
		{Buyer: "丙", Role: kpi.RoleBuyer, SentAt: at("12:00:00"), Content: "在吗"},
		{Buyer: "丙", Role: kpi.RoleAgent, Agent: "阿强", SentAt: at("12:06:00"), Content: "在的，您说"},
		{Buyer: "丙", Role: kpi.RoleBuyer, SentAt: at("12:10:00"), Content: "好"},
	}
	importMessages(t, s, msgs...)
	shop, _ := s.ShopByName(ctx, "店一")
	day, _ := kpi.ParseDay("2026-11-10")
	items, err := s.Risks(ctx, shop, day, day, RiskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]RiskItem{}
	for _, it := range items {
		got[it.Category+"/"+it.Buyer] = it
	}
	if len(items) != 3 {
		t.Fatalf("%d items, want off_platform and over_promise of 小美 and slow of 乙: %+v", len(items), items)
	}
	if it := got[risk.OffPlatform+"/甲"]; it.Agent != "小美" || len(it.Words) != 1 || it.Words[0] != "vx" || it.Content != "亲可以加我ＶＸ私聊哦" {
		t.Errorf("off_platform item %+v", it)
	}
	if it := got[risk.OverPromise+"/甲"]; len(it.Words) != 2 || it.Words[0] != "保证" || it.Words[1] != "绝对" {
		t.Errorf("over_promise item %+v", it)
	}
	if it := got[RiskSlow+"/乙"]; it.Count != 3 || it.Agent != "阿强" || it.SentAt != at("11:00:00") {
		t.Errorf("slow item %+v", it)
	}
	counts := func() map[string]int {
		t.Helper()
		sh, _ := s.ShopByName(ctx, "店一") // the current data version, as every request reads it
		c, err := s.RiskCounts(ctx, sh, day, day)
		if err != nil {
			t.Fatal(err)
		}
		agents, _ := s.Agents(ctx, sh.ID)
		names := map[int64]string{}
		for _, a := range agents {
			names[a.ID] = a.Name
		}
		out := map[string]int{}
		for agent, byCat := range c {
			for cat, n := range byCat {
				out[names[agent]+"/"+cat] = n
			}
		}
		return out
	}
	if c := counts(); len(c) != 3 || c["小美/"+risk.OffPlatform] != 1 || c["小美/"+risk.OverPromise] != 1 || c["阿强/"+RiskSlow] != 1 {
		t.Errorf("risk counts %v", c)
	}
	// The off-platform rule counts the day's items; an item marked false
	// positive no longer counts.
	alertRules := func() []string {
		t.Helper()
		if err := s.RefreshAlerts(ctx, "店一"); err != nil {
			t.Fatal(err)
		}
		as, err := s.Alerts(ctx, shop, day, day)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.Rule)
		}
		return out
	}
	if got := alertRules(); !slices.Contains(got, "off_platform") || slices.Contains(got, "pdd_abuse") {
		t.Errorf("alerts %v: want off_platform, not pdd_abuse", got)
	}
	if err := s.MarkRisk(ctx, shop.ID, got[risk.OffPlatform+"/甲"].Key, RiskFalsePositive, "owner", ""); err != nil {
		t.Fatal(err)
	}
	if got := alertRules(); slices.Contains(got, "off_platform") {
		t.Errorf("alerts %v after the item was marked a false positive", got)
	}
	// Marks survive a re-import of the same file and a rescan.
	op := got[risk.OffPlatform+"/甲"]
	if err := s.MarkRisk(ctx, shop.ID, op.Key, RiskConfirmed, "owner", "已警告"); err != nil {
		t.Fatal(err)
	}
	importMessages(t, s, msgs...)
	if err := s.SetWords(ctx, shop.ID, risk.Abuse, []string{"骗子", "能便宜"}); err != nil {
		t.Fatal(err)
	}
	msgs[4].Content = "能便宜点的，保证" // a newer export changes the message: still over_promise
	importMessages(t, s, msgs...)
	if err := s.RescanRisks(ctx, shop); err != nil {
		t.Fatal(err)
	}
	items, _ = s.Risks(ctx, shop, day, day, RiskFilter{})
	got = map[string]RiskItem{}
	for _, it := range items {
		got[it.Category+"/"+it.Buyer] = it
	}
	if it := got[risk.OffPlatform+"/甲"]; it.Status != RiskConfirmed || it.MarkedBy != "owner" {
		t.Errorf("the mark was lost: %+v", it)
	}
	if it := got[risk.Abuse+"/甲"]; len(it.Words) != 1 || it.Words[0] != "能便宜" {
		t.Errorf("after the word-list edit: abuse item %+v (items %+v)", it, items)
	}
	if _, ok := got[RiskSlow+"/乙"]; !ok {
		t.Error("the rescan dropped the slow item")
	}
	if c := counts(); c["小美/"+risk.Abuse] != 1 {
		t.Errorf("the cached counts missed the rescan: %v", c)
	}
	if err := s.Recompute(ctx, "店一"); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Risks(ctx, shop, day, day, RiskFilter{}); len(again) != len(items) {
		t.Errorf("recompute: %d items, rescan had %d", len(again), len(items))
	}
}
