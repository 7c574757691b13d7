# Hearth. `make run` serves with demo content on the embedded SQLite store;
# `make test` is what CI runs.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
ADDR    ?= 127.0.0.1:8080

.PHONY: run build test lint bench fuzz lighthouse clean

run: build
	./bin/hearth serve --addr $(ADDR) --data-dir ./data --demo

build:
	go build -trimpath -ldflags "$(LDFLAGS)" -o bin/hearth ./cmd/hearth

test:
	go vet ./...
	@# One run: each test says which stores it needs (see onEveryStore in
	@# internal/httpapi), and with HEARTH_TEST_POSTGRES set those that need
	@# every store run on PostgreSQL too. Nothing is left out by its name.
	go test -race -count=1 -timeout 25m ./...

lint:
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)
	go vet ./...

bench: build
	go run ./cmd/hearthbench --bin ./bin/hearth

# Lighthouse on /, /join and /signin of a running server (make run, in
# another terminal); needs Node.js and npm, and fetches Lighthouse once.
lighthouse:
	.ci/lighthouse http://$(ADDR)

clean:
	rm -rf bin

# Every fuzz target for FUZZTIME each (a duration such as 30s, or a count
# of inputs such as 20000x), one after another (the seed corpora also run
# as plain tests in `make test`).
fuzz: FUZZTIME ?= 30s
fuzz:
	go test -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME) ./internal/httpapi
	go test -run '^$$' -fuzz '^FuzzTokensParse$$' -fuzztime $(FUZZTIME) ./internal/auth
	go test -run '^$$' -fuzz '^FuzzDecodePHC$$' -fuzztime $(FUZZTIME) ./internal/auth
	go test -run '^$$' -fuzz '^FuzzCanonicalHandle$$' -fuzztime $(FUZZTIME) ./internal/auth
	go test -run '^$$' -fuzz '^FuzzCheckPassword$$' -fuzztime $(FUZZTIME) ./internal/auth
	go test -run '^$$' -fuzz '^FuzzVerifyPassword$$' -fuzztime $(FUZZTIME) ./internal/auth
	go test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./internal/seal
	go test -run '^$$' -fuzz '^FuzzDecodeCursor$$' -fuzztime $(FUZZTIME) ./internal/kernel
	go test -run '^$$' -fuzz '^FuzzMatch$$' -fuzztime $(FUZZTIME) ./internal/moderation
	go test -run '^$$' -fuzz '^FuzzWords$$' -fuzztime $(FUZZTIME) ./internal/search
	go test -run '^$$' -fuzz '^FuzzASCIISegmentsAreUAX29$$' -fuzztime $(FUZZTIME) ./internal/search
	go test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./internal/safety
