// Package frontend holds the static web app, embedded in the binary.
package frontend

import "embed"

// Files is the web app: plain HTML, CSS and ES modules, no build step.
//
//go:embed index.html
var Files embed.FS
