package web

import (
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Sign-in limits. Behind the reverse proxy the README recommends, every
// request comes from the proxy's address: a limit on the address alone lets
// ten bad attempts lock everybody out. So attempts are limited per client
// (its real address: the X-Forwarded-For entry the trusted proxy added) and
// failures per account: per account from one client (a guesser), and per
// account from everywhere (a spread-out guesser), each in its own window.
type signinLimits struct {
	perClient        int          // attempts per client per minute
	perAccountClient int          // failures per account and client per 15 minutes
	perAccount       int          // failures per account per hour, from any client
	trusted          []*net.IPNet // proxies whose X-Forwarded-For is believed
	now              func() time.Time

	mu      sync.Mutex
	windows map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newSigninLimits(perClient int, trusted []*net.IPNet) *signinLimits {
	return &signinLimits{perClient: perClient, perAccountClient: 5, perAccount: 30, trusted: trusted,
		now: time.Now, windows: map[string]*window{}}
}

// count adds one to key's window (of length d) and reports whether it is
// still within max.
func (l *signinLimits) count(key string, d time.Duration, max int, add bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= d {
		w = &window{start: now}
		l.windows[key] = w
		if len(l.windows) > 100_000 { // bounded memory: drop expired windows
			for k, x := range l.windows {
				if now.Sub(x.start) >= time.Hour {
					delete(l.windows, k)
				}
			}
		}
	}
	if add {
		w.n++
	}
	return w.n <= max
}

// allow is checked before a sign-in attempt: the client's rate, and whether
// the account is locked for this client or everywhere.
func (l *signinLimits) allow(client, account string) bool {
	account = strings.ToLower(strings.TrimSpace(account))
	return l.count("c|"+client, time.Minute, l.perClient, true) &&
		l.count("ac|"+account+"|"+client, 15*time.Minute, l.perAccountClient-1, false) &&
		l.count("a|"+account, time.Hour, l.perAccount-1, false)
}

// failed records a failed sign-in of account from client.
func (l *signinLimits) failed(client, account string) {
	account = strings.ToLower(strings.TrimSpace(account))
	l.count("ac|"+account+"|"+client, 15*time.Minute, l.perAccountClient, true)
	l.count("a|"+account, time.Hour, l.perAccount, true)
}

// clientIP is the request's client: the connection's address, or, when that
// is a trusted proxy, the last address in X-Forwarded-For that is not one.
func (l *signinLimits) clientIP(c *fiber.Ctx) string {
	remote := net.ParseIP(c.Context().RemoteIP().String())
	if !l.isTrusted(remote) {
		return remote.String()
	}
	parts := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(parts[i]))
		if ip == nil {
			break
		}
		if !l.isTrusted(ip) {
			return ip.String()
		}
	}
	return remote.String()
}

func (l *signinLimits) isTrusted(ip net.IP) bool {
	for _, n := range l.trusted {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseProxies reads a list of trusted proxies: addresses or CIDR ranges,
// separated by commas or spaces ("127.0.0.1, 10.0.0.0/8").
func ParseProxies(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !strings.Contains(f, "/") {
			if ip := net.ParseIP(f); ip != nil && ip.To4() != nil {
				f += "/32"
			} else {
				f += "/128"
			}
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}
