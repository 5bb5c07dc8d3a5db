// Package views holds the templ components of every page. Components receive
// view models shaped for display; they never touch the store.
package views

// Viewer is the signed-in user as the layout shows them.
type Viewer struct {
	Name      string
	Role      string // "owner" or "agent"
	AgentID   int64  // agent logins: the agent they are
	AgentName string
}

// IsOwner reports whether the viewer may see everything.
func (v *Viewer) IsOwner() bool { return v != nil && v.Role == "owner" }

// ShopOption is one entry of the shop picker.
type ShopOption struct {
	ID   int64
	Name string
}

// Flash is a one-time message shown at the top of a page.
type Flash struct {
	OK  bool
	Msg string
}

// Page is what the layout needs on every page.
type Page struct {
	// Cases are the viewer's open bad-review cases by urgency, for the nav.
	Cases  CaseCounts
	Title  string
	Active string // nav key: overview, league, agent, import, settings
	User   *Viewer
	CSRF   string
	Shops  []ShopOption
	ShopID int64
	Flash  *Flash
}

// navItem is one entry of the sidebar; Soon marks pages of later releases.
type navItem struct {
	Key, Label, Href string
	Soon             bool
	OwnerOnly        bool
}

func navItems(v *Viewer) []navItem {
	items := []navItem{
		{Key: "overview", Label: "数据总览", Href: "/", OwnerOnly: true},
		{Key: "league", Label: "客服排行", Href: "/league"},
		{Key: "agent", Label: "我的绩效", Href: "/me"},
		{Key: "reviews", Label: "中差评跟进", Href: "/cases"},
		{Key: "invites", Label: "邀评队列", Href: "/invites"},
		{Key: "risks", Label: "风险会话", Href: "/risks"},
		{Key: "customers", Label: "会员档案", Href: "/customers"},
		{Key: "targets", Label: "目标设定", Href: "/targets", OwnerOnly: true},
		{Key: "alerts", Label: "规则提醒", Href: "/alerts", OwnerOnly: true},
		{Key: "douyin", Label: "抖音体验分", Href: "/douyin", OwnerOnly: true},
		{Key: "import", Label: "数据导入", Href: "/import", OwnerOnly: true},
		{Key: "settings", Label: "设置", Href: "/settings", OwnerOnly: true},
	}
	out := items[:0]
	for _, it := range items {
		if it.OwnerOnly && !v.IsOwner() {
			continue
		}
		if it.Key == "agent" && v.IsOwner() {
			continue // owners reach agent pages from the league table
		}
		out = append(out, it)
	}
	return out
}

// caseBadgeTitle explains the nav's case count.
func caseBadgeTitle(c CaseCounts) string {
	return "已超期 " + itoa(int64(c.Overdue)) + " · 3天内到期 " + itoa(int64(c.Due))
}
