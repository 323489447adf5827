#!/usr/bin/env bash
# Runs every benchmark of a build and prints each figure beside its target.
#
#   tests/bench/run-benchmarks.sh BUILD_DIR
#
# A benchmark reports a figure by printing (qInfo) a line such as
#   validation: 1234567 records/s (target >= 1000000)
#   first page: 12.5 ms (target <= 50; sqlite3 shell 0.1 ms)
# The target is an operator (>=, >, <=, <) and a number in the figure's unit; text after it is
# shown as is, and where it ends in "= NUMBER" that number is the threshold (relative targets).
# A target that is not a number is shown without a verdict, and so are QBENCHMARK results.
# A missing or failing benchmark is reported in the table; it does not stop the others.
# Exit status: 1 when a benchmark that ran crashed or failed, 2 on a usage error, else 0.
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 BUILD_DIR" >&2
    exit 2
fi
build_dir=${1%/}
if [ ! -d "$build_dir" ]; then
    echo "$0: no build directory $build_dir" >&2
    exit 2
fi
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export QT_QPA_PLATFORM=offscreen
timeout_seconds=${BENCH_TIMEOUT:-1800}

rows=()            # "figure|measured|target|verdict"
declare -A row_of  # figure -> index in rows: a figure printed again (each QBENCHMARK pass) keeps
                   # its last value

add_row() {
    local row="$1|$2|$3|$4"
    if [ -n "${row_of[$1]:-}" ]; then
        rows[${row_of[$1]}]=$row
    else
        row_of[$1]=${#rows[@]}
        rows+=("$row")
    fi
}
status=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

number='[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?'
# Optional QtTest prefix "QINFO  : Class::function(tag) ", then "name: figure unit (target ...)".
# Groups: 2 function, 3 data tag, 4 name, 5 figure, 8 unit, 9 operator, 10 target, 13 the rest.
prefix_re="^(Q[A-Z]+ *: *[A-Za-z0-9_]+::([A-Za-z0-9_]+)\\(([^)]*)\\) +)?"
figure_re="$prefix_re([^:]+): +($number) *([^(]*)\\(target *(>=|<=|>|<)? *($number)([^)]*)\\)"
# A figure whose target is not a number ("(target (no target))"): listed without a verdict.
other_re="$prefix_re([^:]+): +($number) *([^(]*)\\(target *(.*)\\) *$"
# A relative target names its threshold last: "(target <= 1.2 x sqlite3 shell 1179 ms = 1415 ms)".
threshold_re="= *($number)[^0-9]*$"

# verdict MEASURED OP TARGET -> met / MISSED / "?"
verdict() {
    awk -v m="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (op == "" || op == ">=") ok = (m + 0 >= t + 0)
        else if (op == ">") ok = (m + 0 > t + 0)
        else if (op == "<=") ok = (m + 0 <= t + 0)
        else if (op == "<") ok = (m + 0 < t + 0)
        else { print "?"; exit }
        print (ok ? "met" : "MISSED")
    }'
}

trim() {
    local s=$1
    s=${s#"${s%%[![:space:]]*}"}
    s=${s%"${s##*[![:space:]]}"}
    printf '%s' "$s"
}

# Benchmarks the sources promise but the build does not have.
for source in "$source_dir"/bench_*.cpp; do
    [ -e "$source" ] || continue
    name=$(basename "$source" .cpp)
    if [ ! -x "$build_dir/tests/$name" ]; then
        rows+=("$name|-|-|MISSING (not built in $build_dir/tests)")
    fi
done

found=0
for exe in "$build_dir"/tests/bench_*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    found=1
    name=$(basename "$exe")
    log="$log_dir/$name.log"
    echo "== $name" >&2
    start=$(date +%s)
    timeout "$timeout_seconds" "$exe" >"$log" 2>&1
    rc=$?
    echo "   finished in $(($(date +%s) - start)) s, exit status $rc" >&2
    figures=0
    result_name=""
    while IFS= read -r line; do
        if [[ $line =~ $figure_re ]]; then
            figure=$(trim "${BASH_REMATCH[4]}")
            function=${BASH_REMATCH[2]}
            data_tag=${BASH_REMATCH[3]}
            [ -n "$function" ] && figure+=" ($function${data_tag:+: $data_tag})"
            measured=$(trim "${BASH_REMATCH[5]} ${BASH_REMATCH[8]}")
            value=${BASH_REMATCH[5]}
            op=${BASH_REMATCH[9]}
            threshold=${BASH_REMATCH[10]}
            extra=$(trim "${BASH_REMATCH[13]}")
            target="${op:->=} $threshold"
            case $extra in [[:alnum:]]*) target+=" $extra" ;; *) target+=$extra ;; esac
            [[ $extra =~ $threshold_re ]] && threshold=${BASH_REMATCH[1]}
            add_row "$figure" "$measured" "$target" "$(verdict "$value" "$op" "$threshold")"
            figures=$((figures + 1))
        elif [[ $line =~ $other_re ]]; then
            figure=$(trim "${BASH_REMATCH[4]}")
            function=${BASH_REMATCH[2]}
            data_tag=${BASH_REMATCH[3]}
            [ -n "$function" ] && figure+=" ($function${data_tag:+: $data_tag})"
            add_row "$figure" "$(trim "${BASH_REMATCH[5]} ${BASH_REMATCH[8]}")" \
                "$(trim "${BASH_REMATCH[9]}")" info
            figures=$((figures + 1))
        elif [[ $line =~ ^RESULT\ *:\ *([^ ].*):\ *$ ]]; then
            result_name=${BASH_REMATCH[1]}   # Qt 6 prints the figure on the next line
        elif [[ $line =~ ^RESULT\ *:\ *([^ ].*\)):\ +([^ ].*)$ ]]; then
            add_row "${BASH_REMATCH[1]}" "$(trim "${BASH_REMATCH[2]%% (total*}")" - info
            figures=$((figures + 1))
        elif [ -n "$result_name" ]; then
            add_row "$result_name" "$(trim "${line%% (total*}")" - info
            figures=$((figures + 1))
            result_name=""
        fi
    done <"$log"
    if [ "$rc" -ne 0 ]; then
        status=1
        rows+=("$name|-|-|FAILED (exit status $rc; its last lines are above)")
        tail -n 15 "$log" | sed "s/^/   $name: /" >&2
    elif [ "$figures" -eq 0 ]; then
        rows+=("$name|-|-|no figure printed")
    fi
done
if [ "$found" -eq 0 ]; then
    rows+=("(none)|-|-|MISSING: no bench_* executable in $build_dir/tests")
fi

# The table, columns padded to their widest cell.
header="figure|measured|target|verdict"
widths=(0 0 0 0)
for row in "$header" "${rows[@]}"; do
    IFS='|' read -r -a cells <<<"$row"
    for i in 0 1 2 3; do
        cell=${cells[$i]:-}
        [ ${#cell} -gt "${widths[$i]}" ] && widths[$i]=${#cell}
    done
done
print_row() {
    IFS='|' read -r -a cells <<<"$1"
    printf "%-${widths[0]}s | %-${widths[1]}s | %-${widths[2]}s | %s\n" \
        "${cells[0]:-}" "${cells[1]:-}" "${cells[2]:-}" "${cells[3]:-}"
}
echo
print_row "$header"
printf '%s\n' "$(printf '%*s' $((widths[0] + widths[1] + widths[2] + widths[3] + 9)) '' | tr ' ' '-')"
for row in "${rows[@]}"; do
    print_row "$row"
done
exit "$status"
