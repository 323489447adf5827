#!/usr/bin/env bash
# Runs libFuzzer targets one after the other: run-fuzzers.sh BUILD_DIR SECONDS TIMEOUT TARGET...
# Each target fuzzes a fresh copy of its seed corpus (fuzz/corpus/<target>) in
# BUILD_DIR/corpus/<target>, with its dictionary (fuzz/dict/<target>.dict) when there is one.
# Prints executions, exec/s and coverage per target, and any finding's file; exits 1 when a
# target found something.
set -uo pipefail

build=$1 seconds=$2 timeout=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=()
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for target in "$@"; do
    exe=$build/fuzz/fuzz_$target
    if [ ! -x "$exe" ]; then
        echo "fuzz: no target $target ($exe)" >&2
        status=1
        continue
    fi
    corpus=$build/corpus/$target findings=$build/findings/$target log=$build/logs/$target.log
    rm -rf "$corpus"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    [ -d "$here/corpus/$target" ] && cp -r "$here/corpus/$target/." "$corpus/"
    dict=()
    [ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
    echo "fuzz: $target for ${seconds}s"
    "$exe" "$corpus" "${dict[@]}" -max_total_time="$seconds" -timeout="$timeout" \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    found=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tr '\n' ' ')
    line=$(printf '%-18s executions %-10s exec/s %-7s cov: %-6s ft: %-6s' "$target" \
        "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}")
    if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
        status=1
        line="$line FOUND (exit $rc) ${found:-see $log}"
        grep -m1 -E "ERROR: |runtime error|fuzz: invariant" "$log" || true
    else
        line="$line ok"
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "fuzz: summary (logs in $build/logs)"
printf '  %s\n' "${summary[@]}"
exit $status
