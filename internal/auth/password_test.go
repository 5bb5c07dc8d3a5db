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
		{"12345678", true},
		{"客服绩效看板密码", true},
		{strings.Repeat("x", 72), true},
		{strings.Repeat("x", 73), false},
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
