#!/usr/bin/env bash
# The firmware example (examples/firmware): the full client (core, driver, embassy adapter,
# TLS) in a #![no_std] #![no_main] application for thumbv7em-none-eabihf. Builds it, builds the
# same board without the client (feature `baseline`), reports .text/.data/.bss (llvm-size) of
# both, and fails when flash or RAM exceeds the README's budget by more than its margin.
#
# Prints one line per check (PASS / FAIL / SKIPPED); exits non-zero if any check failed.
# The crate is outside the workspace and builds in its own target directory.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
crate="$root/examples/firmware"
target_dir="${FIRMWARE_TARGET_DIR:-$crate/target}"
thumb=thumbv7em-none-eabihf
elf="$target_dir/$thumb/release/msync-firmware"
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# The budget (README "Firmware size"): flash = text + data, RAM = data + bss, in bytes, and
# the margin a build may exceed them by before this check fails.
budget_flash=$((224 * 1024))
budget_ram=$((88 * 1024))
margin_percent=10

declare -A tally=([PASS]=0 [FAIL]=0 [SKIPPED]=0)
record() { # status name detail
    printf '%-7s %s: %s\n' "$1" "$2" "$3"
    tally[$1]=$((tally[$1] + 1))
}
run() { # NAME CMD...: runs with output in a log, shown on failure
    local name=$1
    shift
    echo "+ $*" >"$log/$name"
    "$@" >>"$log/$name" 2>&1
}
show_log() { sed 's/^/    | /' "$log/$1" | tail -n 40; }
firmware_cargo() { # ARGS...: cargo in the crate's directory (its .cargo/config.toml picks the
    # target and the linker script)
    (cd "$crate" && CARGO_TARGET_DIR="$target_dir" cargo "$@")
}

# llvm-size: on PATH, or the toolchain's (rustup component llvm-tools), installed if possible.
find_llvm_size() {
    command -v llvm-size && return
    local sysroot
    sysroot=$(rustc --print sysroot)
    if ! ls "$sysroot"/lib/rustlib/*/bin/llvm-size >/dev/null 2>&1; then
        rustup component add llvm-tools >/dev/null 2>&1 || true
    fi
    ls "$sysroot"/lib/rustlib/*/bin/llvm-size 2>/dev/null | head -n 1
}

echo "== firmware example ($thumb)"
if ! rustup target list --installed 2>/dev/null | grep -qx "$thumb" && ! rustup target add "$thumb" >/dev/null 2>&1; then
    record SKIPPED "firmware" "target $thumb not installable"
    exit 0
fi
llvm_size=$(find_llvm_size)
if [ -z "$llvm_size" ]; then
    record FAIL "firmware size" "no llvm-size (rustup component add llvm-tools failed)"
    exit 1
fi

sizes() { # ELF: "text data bss" (llvm-size, Berkeley format)
    "$llvm_size" "$1" | awk 'NR == 2 { print $1, $2, $3 }'
}

# The adapter alone for the bare-metal target, with defmt logging (the firmware builds without).
if run adapter cargo build -p msync-embassy --locked --target "$thumb" --no-default-features \
    --features defmt,medium-ethernet; then
    record PASS "msync-embassy $thumb --features defmt" "builds"
else
    record FAIL "msync-embassy $thumb --features defmt" "does not build"
    show_log adapter
fi

if run baseline firmware_cargo build --release --locked --features baseline; then
    read -r base_text base_data base_bss <<<"$(sizes "$elf")"
    record PASS "firmware baseline" "board + network without the client: text $base_text B, data $base_data B, bss $base_bss B"
else
    record FAIL "firmware baseline" "does not build"
    show_log baseline
fi

if run build firmware_cargo build --release --locked; then
    read -r text data bss <<<"$(sizes "$elf")"
    record PASS "firmware build" "text $text B, data $data B, bss $bss B ($llvm_size)"
    flash=$((text + data))
    ram=$((data + bss))
    if [ -n "${base_text:-}" ]; then
        echo "        the client adds: flash $((flash - base_text - base_data)) B, RAM $((ram - base_data - base_bss)) B"
    fi
    for what in flash ram; do
        used=${!what}
        budget_var="budget_$what"
        budget=${!budget_var}
        limit=$((budget + budget * margin_percent / 100))
        detail="$used B of a $budget B budget ($((used * 100 / budget))%), limit $limit B (+$margin_percent%)"
        if [ "$used" -le "$limit" ]; then
            record PASS "firmware $what" "$detail"
        else
            record FAIL "firmware $what" "$detail"
        fi
    done
else
    record FAIL "firmware build" "does not build for $thumb"
    show_log build
fi

# Outside the workspace, so the workspace's fmt and clippy steps miss it.
if run fmt firmware_cargo fmt --check && run clippy firmware_cargo clippy --release --locked -- -D warnings; then
    record PASS "firmware lint" "cargo fmt --check and clippy -D warnings clean"
else
    record FAIL "firmware lint" "cargo fmt --check or clippy -D warnings"
    show_log fmt
    [ -f "$log/clippy" ] && show_log clippy
fi

echo "== firmware: ${tally[PASS]} passed, ${tally[FAIL]} failed, ${tally[SKIPPED]} skipped"
[ "${tally[FAIL]}" = 0 ]
