// Package browser holds kefuboard's headless-browser tests (chromedp driving
// Chromium against the real server over a demo database). All the code is in
// _test.go files; the tests skip when no Chromium is installed, unless
// KEFUBOARD_REQUIRE_BROWSER=1 (set by .ci/run) makes that a failure.
package browser
