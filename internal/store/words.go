package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/kefuboard/kefuboard/internal/risk"
)

// WordCategories are the editable word lists, in the settings page's order.
var WordCategories = []string{risk.Abuse, risk.OffPlatform, risk.OverPromise, risk.Anger, risk.Thanks, risk.Compliance}

// DefaultWords are a category's default words.
func DefaultWords(category string) []string {
	switch category {
	case risk.Anger:
		return risk.DefaultAnger()
	case risk.Thanks:
		return risk.DefaultThanks()
	case risk.Compliance:
		return risk.DefaultCompliance()
	}
	return risk.DefaultRiskLists()[category]
}

func wordsKey(shopID int64, category string) string {
	return fmt.Sprintf("words:%d:%s", shopID, category)
}

// Words is a shop's list for a category: the owner's (custom=true), else
// the default.
func (s *Store) Words(ctx context.Context, shopID int64, category string) (words []string, custom bool, err error) {
	raw, err := s.Setting(ctx, wordsKey(shopID, category))
	if err != nil || raw == "" {
		return DefaultWords(category), false, err
	}
	if err := json.Unmarshal([]byte(raw), &words); err != nil {
		return DefaultWords(category), false, nil
	}
	return words, true, nil
}

// SetWords stores a shop's list for a category (nil = back to the default)
// and moves the shop's data version: the invitation candidates and other
// memoised views that read the lists must not show the old ones.
func (s *Store) SetWords(ctx context.Context, shopID int64, category string, words []string) error {
	value := ""
	if words != nil {
		b, err := json.Marshal(words)
		if err != nil {
			return err
		}
		value = string(b)
	}
	return s.setShopSetting(ctx, shopID, wordsKey(shopID, category), value)
}

// setShopSetting writes a setting that shapes a shop's derived views, and
// moves the shop's data version in the same transaction.
func (s *Store) setShopSetting(ctx context.Context, shopID int64, key, value string) error {
	return s.withWrite(ctx, func(tx *sql.Tx) error {
		if err := putSetting(ctx, tx, key, value); err != nil {
			return err
		}
		return bumpVersion(ctx, tx, shopID)
	})
}

// matcherFor builds one matcher over a shop's lists of the given categories.
func (s *Store) matcherFor(ctx context.Context, shopID int64, categories ...string) (*risk.Matcher, error) {
	lists := risk.Lists{}
	for _, c := range categories {
		w, _, err := s.Words(ctx, shopID, c)
		if err != nil {
			return nil, err
		}
		lists[c] = w
	}
	return risk.New(lists), nil
}

// CheckInvitation flags rewarded-review wording in an invitation text with
// the shop's compliance list (and the 送…给好评 pattern), each with the
// allowed phrasing to use instead.
func (s *Store) CheckInvitation(ctx context.Context, shopID int64, text string) ([]risk.Finding, error) {
	m, err := s.matcherFor(ctx, shopID, risk.Compliance)
	if err != nil {
		return nil, err
	}
	return m.CheckCompliance(text), nil
}
