# StructDesk: set-up, build and test in one place.
#
#   make run     install what is missing, build, open the GUI (STORE=path to open another store)
#   make test    install what is missing, build, run the whole suite headless
#
#   make fuzz    build the libFuzzer targets (clang) and run each for FUZZ_SECONDS (default 60)
#
# Other targets: deps build bench asan test-asan format format-check clean. JOBS=N limits build parallelism.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

# Every Debian 12 package the build, the tests and `make run` need. Keep it in this one place.
DEB_PACKAGES := cmake ninja-build g++ pkg-config \
	qt6-base-dev qt6-svg-dev qt6-qpa-plugins libqt6sql6-sqlite libsqlite3-dev nlohmann-json3-dev \
	xvfb xauth x11-apps imagemagick sqlite3 nodejs npm fonts-dejavu-core openjdk-17-jre-headless \
	clang-format

STORE ?=
JOBS ?=
BUILD_JOBS := $(if $(JOBS),-j $(JOBS))
GUI := ./build/default/app/structdesk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps configure build test npm-deps run bench asan test-asan fuzz format format-check clean

# Installs only what is missing; `apt-get update` runs only then. A package counts as present when
# dpkg has it installed, or, for nodejs and npm, when its command is already on PATH (NodeSource's
# nodejs bundles npm and conflicts with Debian's npm package).
deps:
	@missing=""; \
	for pkg in $(DEB_PACKAGES); do \
		case "$$pkg" in \
			nodejs) command -v node >/dev/null 2>&1 && continue ;; \
			npm) command -v npm >/dev/null 2>&1 && continue ;; \
		esac; \
		status=$$(dpkg-query -W -f='$${db:Status-Status}' "$$pkg" 2>/dev/null || true); \
		[ "$$status" = installed ] || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "deps: all required Debian packages are installed"; \
		exit 0; \
	fi; \
	echo "deps: installing$$missing"; \
	if [ "$$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then \
		echo "deps: not root and sudo is not installed; as root run:" >&2; \
		echo "  apt-get update && apt-get install -y$$missing" >&2; \
		exit 1; \
	fi; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

configure: deps
	cmake --preset default

build: configure
	cmake --build --preset default $(BUILD_JOBS)

# The DynamoDB tests need their servers: dynalite from npm (tests/package.json) and AWS's
# DynamoDB Local, fetched at a pinned, hash-checked version (tests/fetch-dynamodb-local.sh).
npm-deps: deps
	@if [ -f tests/package.json ]; then \
		if [ ! -d tests/node_modules ] || [ tests/package.json -nt tests/node_modules ] || \
		   { [ -f tests/package-lock.json ] && [ tests/package-lock.json -nt tests/node_modules ]; }; then \
			if [ -f tests/package-lock.json ]; then npm ci --prefix tests --no-audit --no-fund; \
			else npm install --prefix tests --no-audit --no-fund; fi; \
			mkdir -p tests/node_modules && touch tests/node_modules; \
		fi; \
	fi
	@bash tests/fetch-dynamodb-local.sh

test: build npm-deps
	QT_QPA_PLATFORM=offscreen ctest --preset default -LE bench

run: build
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${QT_QPA_PLATFORM:-}" ]; then \
		echo "make run: no display (DISPLAY is not set), so the GUI cannot open a window." >&2; \
		echo "  On a machine without a desktop, run it under a virtual X server:  xvfb-run make run" >&2; \
		exit 1; \
	fi
	$(GUI) $(if $(STORE),"$(STORE)")

bench: deps
	cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build build/bench $(BUILD_JOBS)
	bash tests/bench/run-benchmarks.sh build/bench

asan: deps
	cmake --preset asan
	cmake --build --preset asan $(BUILD_JOBS)

test-asan: asan npm-deps
	QT_QPA_PLATFORM=offscreen ctest --preset asan -LE bench

# Every parser under libFuzzer (fuzz/fuzz_*.cpp), one target after the other, each for
# FUZZ_SECONDS on a copy of its seed corpus (fuzz/corpus/<target>; the committed corpus never
# grows). FUZZ_TARGETS=name... runs only those. Not part of `make test`. Exits non-zero when a
# target finds a crash, a hang (FUZZ_TIMEOUT seconds for one input), a leak or a sanitizer report;
# the input is saved under build/fuzz/findings/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_TARGETS ?= $(patsubst fuzz/fuzz_%.cpp,%,$(wildcard fuzz/fuzz_*.cpp))

fuzz: deps
	@command -v clang++ >/dev/null 2>&1 || \
		{ echo "fuzz: clang++ is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	CMAKE_CXX_COMPILER_LAUNCHER=$${CMAKE_CXX_COMPILER_LAUNCHER:-$$(command -v ccache || true)} \
		cmake --preset fuzz
	cmake --build --preset fuzz $(BUILD_JOBS)
	@bash fuzz/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TIMEOUT) $(FUZZ_TARGETS)

# The C++ sources clang-format keeps in the repository's .clang-format style.
FORMAT_SOURCES = find app model widgets tests fuzz -path tests/node_modules -prune -o \
	-type f \( -name '*.cpp' -o -name '*.h' \) -print0

format:
	@command -v clang-format >/dev/null 2>&1 || \
		{ echo "format: clang-format is not installed (apt-get install clang-format)" >&2; exit 1; }
	$(FORMAT_SOURCES) | xargs -0 -r clang-format -i

# Fails naming each file and line that `make format` would change.
format-check:
	@command -v clang-format >/dev/null 2>&1 || \
		{ echo "format-check: clang-format is not installed (make deps installs it)" >&2; exit 1; }
	@$(FORMAT_SOURCES) | xargs -0 -r clang-format --dry-run -Werror || \
		{ echo "format-check: run 'make format' and commit the result" >&2; exit 1; }
	@echo "format-check: every source file is formatted"

clean:
	rm -rf build
