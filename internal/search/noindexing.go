//go:build nosearchindex

package search

// indexesNewWriting is false only in the build hearthbench makes with
// -tags nosearchindex, to measure what indexing costs a reply against the
// same server that writes no postings for new writing. Search in that
// build finds nothing written since it started: it is never to be served.
const indexesNewWriting = false
