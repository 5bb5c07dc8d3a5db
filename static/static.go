// Package static embeds the CSS, scripts and vendored front-end libraries
// (ECharts, htmx from the npm registry; see scripts/vendor.sh) so the binary
// works offline. URLs carry a content hash so browsers may cache them forever.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed css js vendor favicon.svg
var FS embed.FS

var (
	hashOnce sync.Once
	hashes   map[string]string
)

// URL returns the cache-busting URL of an embedded file, e.g.
// URL("js/app.js") = "/static/js/app.js?v=1a2b3c4d5e".
func URL(name string) string {
	hashOnce.Do(computeHashes)
	if h, ok := hashes[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

func computeHashes() {
	hashes = map[string]string{}
	_ = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[p] = hex.EncodeToString(sum[:5])
		return nil
	})
}
