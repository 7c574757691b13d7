// Package frontend holds the static web app, embedded in the binary: plain
// HTML, CSS and ES modules, no build step, no third-party asset. The
// browser tests' axe-core under testdata/ is not embedded.
package frontend

import "embed"

// Files is the web app, served at / with HTML5 fallback to index.html.
//
//go:embed index.html favicon.svg style.css app.js api.js ui.js pages/*.js
var Files embed.FS
