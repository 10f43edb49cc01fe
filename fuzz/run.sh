#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after another, and prints per
# target the executions, the corpus size and whether it crashed. Exits non-zero on any crash.
#
#   bash fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs the nightly toolchain (`cargo +nightly`); installs cargo-fuzz when missing. Findings go
# to fuzz/artifacts/<target>/, libFuzzer's output to fuzz/logs/<target>.log, the growing corpus to fuzz/corpus/<target>/ (seeded from
# fuzz/seeds/<target>/, which make-seeds.py writes from the vectors). Not part of CI.
set -euo pipefail

seconds="${1:-60}"
shift || true
cd "$(dirname "$0")"

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
python3 make-seeds.py >/dev/null

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

nice cargo +nightly fuzz build

mkdir -p logs
failed=0
printf '%-18s %8s %12s %10s %8s  %s\n' target seconds execs exec/s corpus result
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    cp -n "seeds/$target"/* "$corpus"/ 2>/dev/null || true
    log="logs/$target.log"
    status=0
    nice cargo +nightly fuzz run "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="CRASH (exit $status, see fuzz/$log and fuzz/artifacts/$target/)"
        failed=1
    fi
    printf '%-18s %8s %12s %10s %8s  %s\n' \
        "$target" "$seconds" "${execs:-?}" "${rate:-?}" "$files" "$result"
done
exit "$failed"
