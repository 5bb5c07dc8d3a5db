package kpi

// Platform rules as data: the rules the platforms enforce, with the seed that
// names them and the consequence, checked for every day (or rolling period)
// after every import and recompute. The owner may change a rule's threshold
// or switch it off (store: rule_settings).

// Rule periods.
const (
	RuleDay       = "day"
	RuleRolling30 = "rolling30"
)

// Rule is one platform rule.
type Rule struct {
	ID          string  `json:"id"`
	Platform    string  `json:"platform"` // "" = every platform
	Name        string  `json:"name"`
	Period      string  `json:"period"`
	Metric      string  `json:"metric"`    // the KPI checked ("douyin_score" for the experience score)
	Threshold   float64 `json:"threshold"` // a breach is a value below it
	MinBuyers   float64 `json:"min_buyers,omitempty"`
	Benchmark   bool    `json:"benchmark,omitempty"` // the threshold is the industry average the owner entered
	Seed        string  `json:"seed"`
	Consequence string  `json:"consequence"`
	Enabled     bool    `json:"enabled"`
	// Count: the rule counts the day's chat risk items of the category named
	// by Metric (abuse, off_platform; not marked false positive); a breach
	// is a day with more than Threshold of them.
	Count bool `json:"count,omitempty"`
	// Pending: the rule needs data kefuboard does not have yet (the chat
	// risk scan); listed, never checked.
	Pending string `json:"pending,omitempty"`
}

// DouyinScoreKey is the pseudo-metric of the experience score in rules.
const DouyinScoreKey = "douyin_score"

// DefaultRules is the rule table of the platforms (seeds 000 and 003).
func DefaultRules() []Rule {
	return []Rule{
		{ID: "pdd_effective_reply", Platform: "pdd", Name: "有效回复率", Period: RuleDay, Metric: "effective_reply_rate", Threshold: 0.50,
			MinBuyers: 100, Seed: "000", Consequence: "罚款 ¥1000", Enabled: true},
		{ID: "pdd_reply_5m", Platform: "pdd", Name: "5分钟回复率低于行业标准", Period: RuleDay, Metric: "reply_5m_rate", Benchmark: true,
			Seed: "000", Consequence: "店铺限制、搜索降权", Enabled: true},
		{ID: "pdd_abuse", Platform: "pdd", Name: "辱骂买家", Period: RuleDay, Metric: "abuse", Count: true, Seed: "000",
			Consequence: "全店商品下架 3 天", Enabled: true},
		{ID: "douyin_alliance", Platform: "douyin", Name: "体验分低于 4.0", Period: RuleRolling30, Metric: DouyinScoreKey, Threshold: 4.0,
			Seed: "003", Consequence: "不能加入精选联盟", Enabled: true},
		{ID: "douyin_terminate", Platform: "douyin", Name: "体验分低于 3.2", Period: RuleRolling30, Metric: DouyinScoreKey, Threshold: 3.2,
			Seed: "003", Consequence: "平台可能清退店铺", Enabled: true},
		{ID: "off_platform", Name: "诱导站外交易", Period: RuleDay, Metric: "off_platform", Count: true, Seed: "000",
			Consequence: "违反平台规则（种子 000 的四个坑）", Enabled: true},
	}
}

// RulesFor are the rules of a platform.
func RulesFor(platform string, all []Rule) []Rule {
	var out []Rule
	for _, r := range all {
		if r.Platform == "" || r.Platform == platform {
			out = append(out, r)
		}
	}
	return out
}

// Alert is one breach of a rule.
type Alert struct {
	Rule        string  `json:"rule"`
	Name        string  `json:"name"`
	Day         string  `json:"day,omitempty"`
	From        string  `json:"from,omitempty"`
	To          string  `json:"to,omitempty"`
	Value       float64 `json:"value"`
	Threshold   float64 `json:"threshold"`
	Consequence string  `json:"consequence"`
	Seed        string  `json:"seed"`
}

// CheckDay checks the day rules against one day's values; bench gives the
// industry average of a metric in force that day.
func CheckDay(rules []Rule, day Day, v Values, bench func(metric string) (float64, bool)) []Alert {
	var out []Alert
	for _, r := range rules {
		if !r.Enabled || r.Pending != "" || r.Period != RuleDay || r.Count {
			continue
		}
		x, ok := v.Get(r.Metric)
		if !ok {
			continue
		}
		th := r.Threshold
		if r.Benchmark {
			if th, ok = bench(r.Metric); !ok {
				continue
			}
		}
		if r.MinBuyers > 0 {
			if n, ok := v.Get("consulting_buyers"); !ok || n < r.MinBuyers {
				continue
			}
		}
		if x < th {
			out = append(out, Alert{Rule: r.ID, Name: r.Name, Day: day.String(), Value: x, Threshold: th, Consequence: r.Consequence, Seed: r.Seed})
		}
	}
	return out
}

// CheckCounts checks the count rules against one day's risk items by
// category: more than the threshold is a breach.
func CheckCounts(rules []Rule, day Day, counts map[string]int) []Alert {
	var out []Alert
	for _, r := range rules {
		if !r.Enabled || r.Pending != "" || !r.Count {
			continue
		}
		if n := float64(counts[r.Metric]); n > r.Threshold {
			out = append(out, Alert{Rule: r.ID, Name: r.Name, Day: day.String(), Value: n, Threshold: r.Threshold, Consequence: r.Consequence, Seed: r.Seed})
		}
	}
	return out
}

// CheckRolling checks the rolling rules against the experience score of the
// 30 days ending on to.
func CheckRolling(rules []Rule, from, to Day, score DouyinScore) []Alert {
	var out []Alert
	for _, r := range rules {
		if !r.Enabled || r.Pending != "" || r.Period != RuleRolling30 || r.Metric != DouyinScoreKey || !score.OK {
			continue
		}
		if score.Total < r.Threshold {
			out = append(out, Alert{Rule: r.ID, Name: r.Name, From: from.String(), To: to.String(), Value: score.Total,
				Threshold: r.Threshold, Consequence: r.Consequence, Seed: r.Seed})
		}
	}
	return out
}
