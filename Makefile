# khuyencong — the README's commands. GNU make.
#   make run    install what is missing to build and run (no test tools), build, create
#               data/khuyencong.db, serve on 127.0.0.1:8080
#   make test   install that and the test tools, build with ASan+UBSan, run every test (CTest)

NPROC    := $(shell nproc 2>/dev/null || echo 2)
DB       := data/khuyencong.db
LISTEN   := 127.0.0.1:8080
BUILD    := build
ASAN_DIR := build/asan

.PHONY: help run build test bench fuzz format clean setup setup-test

help:
	@echo "khuyencong — targets:"
	@echo "  make run     install what is missing to build and run (scripts/setup: no test tools),"
	@echo "               build (RelWithDebInfo, no tests), create $(DB) with demo data on first"
	@echo "               run (prints the admin password once), serve http://$(LISTEN)"
	@echo "  make test    install that and the test tools (scripts/setup --test), build with"
	@echo "               ASan+UBSan into $(ASAN_DIR)/, run every test (ctest)"
	@echo "  make build   release build only (no tests), into $(BUILD)/"
	@echo "  make setup   install what build and run need; make setup-test adds the test tools"
	@echo "  make bench   issue 17's table on a national database (bench/table: each request"
	@echo "               beside its reference, SQLite and PostgreSQL), then 60 s of mixed load"
	@echo "               at 64 connections (bench/load), both into bench/results.md;"
	@echo "               QUICK=1: 50 000 rows and no mixed load, under 2 minutes"
	@echo "  make fuzz    build the libFuzzer targets (clang) into build/fuzz, run each for"
	@echo "               FUZZ_SECONDS (default 60) from tests/fuzz/corpus, then the kill -9"
	@echo "               crash test with CRASH_KILLS (default 20) kills on SQLite and PostgreSQL"
	@echo "  make format  clang-format the C lines changed since HEAD (git clang-format)"
	@echo "  make clean   remove $(BUILD)/"

setup:
	@scripts/setup

setup-test:
	@scripts/setup --test

# Commands are sequenced inside recipes (not as prerequisites) so `make -j` keeps the order.
# The release build leaves out the tests: they need cmocka, a test tool (scripts/setup --test).
define release_build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKC_TESTS=OFF
	cmake --build $(BUILD) -j$(NPROC)
endef

build:
	$(release_build)

run:
	@scripts/setup
	$(release_build)
	@mkdir -p $(dir $(DB))
	@if [ ! -e $(DB) ]; then $(BUILD)/khuyencong init --db $(DB); fi
	exec $(BUILD)/khuyencong serve --db $(DB) --listen $(LISTEN)

test:
	@scripts/setup --test
	cmake -S . -B $(ASAN_DIR) -DKC_SANITIZE=ON -DKC_TESTS=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_DIR) -j$(NPROC)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir $(ASAN_DIR) --output-on-failure -j$(NPROC)

FUZZ_SECONDS ?= 60
CRASH_KILLS ?= 20
fuzz:
	@scripts/setup --test
	scripts/fuzz all build/fuzz $(FUZZ_SECONDS)
	scripts/fuzz crash build/fuzz $(CRASH_KILLS)

# QUICK=1: a 50 000-row database, 1 s wrk runs, no sustained load (under 2 minutes).
QUICK ?=
bench:
	@scripts/setup --test
	QUICK=$(QUICK) bench/table
	$(if $(QUICK),,bench/load)

# Only the lines changed since HEAD: clang-format 14 counts UTF-8 bytes, not
# characters, so a whole-file pass would re-align every table of Vietnamese
# strings (entities.c, i18n.c...) and churn ~90 files.
format:
	@command -v git-clang-format >/dev/null || { echo "git-clang-format not found: apt-get install clang-format" >&2; exit 1; }
	git clang-format --force --extensions c,h HEAD -- src tests/unit tests/pg

clean:
	rm -rf $(BUILD)
