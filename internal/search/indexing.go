//go:build !nosearchindex

package search

// indexesNewWriting is true in every build but hearthbench's (noindexing.go).
const indexesNewWriting = true
