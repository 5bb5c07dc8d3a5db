package auth

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashPassword(t *testing.T) {
	Cost = bcrypt.MinCost
	for _, tc := range []struct {
		pw string
		ok bool
	}{
		{"short", false},
		{"1234567", false},
		{"12345678", false}, // the most common password there is
		{"Password", false},
		{"88888888", false},
		{"aaaaaaaaaaaa", false},
		{"kb-7f3k-2026", true},
		{"客服绩效看板密码", true},
		{strings.Repeat("xy", 36), true},
		{strings.Repeat("xy", 36) + "z", false},
	} {
		h, err := HashPassword(tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("%q: err %v", tc.pw, err)
			continue
		}
		if tc.ok && (!CheckPassword(h, tc.pw) || CheckPassword(h, "y"+tc.pw[1:])) {
			t.Errorf("%q: check failed", tc.pw)
		}
	}
}

func TestCheckUsername(t *testing.T) {
	for u, ok := range map[string]bool{"boss": true, "小王": true, "a.b@c-d_e": true, "x": false, "a b": false,
		"<script>": false, strings.Repeat("a", 33): false, strings.Repeat("客", 32): true} {
		if (CheckUsername(u) == nil) != ok {
			t.Errorf("%q: %v", u, CheckUsername(u))
		}
	}
}
