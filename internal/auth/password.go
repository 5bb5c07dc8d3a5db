// Package auth hashes and checks passwords (bcrypt).
package auth

import (
	"crypto/rand"
	"errors"
	"math/big"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// ErrWeakPassword refuses a password that is too short or too long for bcrypt.
var ErrWeakPassword = errors.New("密码至少 8 位，且不超过 72 字节")

// Cost is bcrypt's work factor; tests lower it to run fast.
var Cost = bcrypt.DefaultCost

// HashPassword validates and hashes a password.
func HashPassword(pw string) (string, error) {
	if len([]rune(pw)) < MinPasswordLen || len(pw) > 72 {
		return "", ErrWeakPassword
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	return string(h), err
}

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
