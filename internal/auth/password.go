// Package auth hashes and checks passwords (bcrypt).
package auth

import (
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// ErrWeakPassword refuses a password that is too short or too long for bcrypt.
var ErrWeakPassword = errors.New("密码至少 8 位，且不超过 72 字节")

// ErrCommonPassword refuses a password on the list of the most common ones.
var ErrCommonPassword = errors.New("这个密码太常见（如 12345678、password、88888888），很容易被猜到：请换一个")

// Cost is bcrypt's work factor; tests lower it to run fast.
var Cost = bcrypt.DefaultCost

// CheckRules applies the one password rule of every form and command:
// 8 characters to 72 bytes, not one of the most common passwords.
func CheckRules(pw string) error {
	if len([]rune(pw)) < MinPasswordLen || len(pw) > 72 {
		return ErrWeakPassword
	}
	if commonPasswords[strings.ToLower(pw)] || oneChar(pw) {
		return ErrCommonPassword
	}
	return nil
}

// HashPassword validates (CheckRules) and hashes a password.
func HashPassword(pw string) (string, error) {
	if err := CheckRules(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	return string(h), err
}

// oneChar: "aaaaaaaa", "00000000" — a single character repeated.
func oneChar(pw string) bool {
	for _, r := range pw {
		if r != []rune(pw)[0] {
			return false
		}
	}
	return true
}

// commonPasswords are the most used passwords of 8 characters or more (from
// the public leaked-password lists, with the Chinese favourites: 88888888,
// 5201314…, woaini…), compared in lower case.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range strings.Fields(`12345678 123456789 1234567890 12345678910 87654321 987654321 0123456789
		11223344 12341234 11112222 12121212 13141314 52013140 5201314520 14725836 123123123 321321321 147258369
		123456abc abc12345 abcd1234 abc123456 a1234567 a12345678 a123456789 aa123456 qq123456 q1w2e3r4 1q2w3e4r
		1qaz2wsx qwertyui qwerty123 qwer1234 asdfghjk asdf1234 zxcvbnm123 zxcvbnm1 password password1 password123
		passw0rd p@ssw0rd admin123 admin888 administrator iloveyou woaini1314 woaini520 wodemima mima1234
		88888888 66666666 11111111 00000000 99999999 12344321 1234qwer qwertyuiop welcome1 sunshine football
		baseball princess whatever trustno1 letmein1 superman starwars computer michael1 shadow123 master123
		dragon123 monkey123 123qweasd 123qwe123 qweasdzxc 1234abcd 147852369 963852741 159357456 789456123
		kefuboard kefuboard1 kefuboard123 taobao123 tmall123 pinduoduo jingdong123 douyin123`) {
		m[p] = true
	}
	return m
}()

// CheckPassword reports whether pw matches hash.
func CheckPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// dummyHash is compared against when a username does not exist, so a sign-in
// takes as long for unknown users as for wrong passwords. It is made on first
// use: hashing at init would cost every CLI command ~70 ms.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("kefuboard-dummy-password"), bcrypt.DefaultCost)
	return h
})

// BurnTime spends a bcrypt comparison's time for an unknown user.
func BurnTime(pw string) { _ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw)) }

// RandomPassword is 12 random characters without look-alikes (0/O, 1/l/I):
// for invitations, resets and the demo, shown to the owner once.
func RandomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}

// ErrUsername refuses a user name outside the one rule of every form.
var ErrUsername = errors.New("用户名需 2–32 个字符，只能包含字母、汉字、数字和 _ - . @")

// CheckUsername applies the one user-name rule: 2–32 characters, letters of
// any script, digits and _ - . @.
func CheckUsername(u string) error {
	n := utf8.RuneCountInString(u)
	if n < 2 || n > 32 {
		return ErrUsername
	}
	for _, r := range u {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-.@", r) {
			return ErrUsername
		}
	}
	return nil
}
