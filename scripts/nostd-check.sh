#!/usr/bin/env bash
# The no_std proof (DESIGN.md "Testing strategy"): msync-core builds for a bare-metal target in
# every shipped feature set, and a #![no_std] #![no_main] binary with no global allocator that
# calls its codecs links and runs on the host (own _start, no C runtime, no libc) and links for
# thumbv7em-none-eabihf. Adding one allocation (feature alloc-canary) must make the build fail.
#
# Prints one line per check (PASS / FAIL / SKIPPED) and exits non-zero if any check failed.
# The proof crate (examples/nostd-link) is outside the workspace and builds in its own target
# directory; its Cargo.lock is seeded from the workspace's, so it uses the same locked versions.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
proof="$root/examples/nostd-link"
proof_target="${NOSTD_TARGET_DIR:-$proof/target}"
thumb=thumbv7em-none-eabihf
host=$(rustc -vV | sed -n 's/^host: //p')
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

declare -A tally=([PASS]=0 [FAIL]=0 [SKIPPED]=0)
declare -A links=() # targets whose proof linked: the canary means something only there
record() { # status name detail: prints the check's one-line summary
    printf '%-7s %s: %s\n' "$1" "$2" "$3"
    tally[$1]=$((tally[$1] + 1))
}
# run NAME CMD...: runs a command with its output in a log, which is shown on failure.
run() {
    local name=$1
    shift
    echo "+ $*" >"$log/$name"
    "$@" >>"$log/$name" 2>&1
}
show_log() { sed 's/^/    | /' "$log/$1" | tail -n 40; }
bytes() { # FILE: text+data+bss of an ELF image, or its file size when `size` is missing
    if command -v size >/dev/null 2>&1 && size "$1" >/dev/null 2>&1; then
        size "$1" | awk 'NR==2 { printf "text %s B, data %s B, bss %s B", $1, $2, $3 }'
    else
        printf 'file %s B' "$(wc -c <"$1")"
    fi
}
proof_cargo() { # SUBCOMMAND ARGS...: cargo on the proof crate, in its own target directory
    local subcommand=$1
    shift
    CARGO_TARGET_DIR="$proof_target" cargo "$subcommand" --manifest-path "$proof/Cargo.toml" "$@"
}

echo "== no_std proof (host $host)"
cp "$root/Cargo.lock" "$proof/Cargo.lock"

# Bare-metal target, installed if possible.
if rustup target list --installed 2>/dev/null | grep -qx "$thumb" || rustup target add "$thumb" >/dev/null 2>&1; then
    have_thumb=1
else
    have_thumb=0
fi

# 1. The core alone, for the bare-metal target, in each shipped feature set.
for features in "--no-default-features" "--no-default-features --features log" "--no-default-features --features defmt" "--no-default-features --features async"; do
    name="core-${features##* }"
    if [ "$have_thumb" = 0 ]; then
        record SKIPPED "msync-core $thumb $features" "target not installable"
        continue
    fi
    # shellcheck disable=SC2086 # $features is a list of flags
    if run "$name" cargo build -p msync-core --locked --target "$thumb" $features; then
        record PASS "msync-core $thumb $features" "builds"
    else
        record FAIL "msync-core $thumb $features" "does not build"
        show_log "$name"
    fi
done

# 2. The host proof: links without libc or crt, and runs its checks (exit status 0).
if [ "$host" = x86_64-unknown-linux-gnu ]; then
    if run host proof_cargo build --release --target "$host"; then
        binary="$proof_target/$host/release/nostd-link"
        run host-run "$binary"
        status=$?
        if [ "$status" != 0 ]; then
            record FAIL "nostd-link $host" "links, but its checks failed (exit status $status)"
        elif command -v readelf >/dev/null 2>&1 && readelf -lW "$binary" | grep -q INTERP; then
            record FAIL "nostd-link $host" "links, but asks for a dynamic loader"
        elif command -v readelf >/dev/null 2>&1 && readelf -dW "$binary" | grep -q NEEDED; then
            record FAIL "nostd-link $host" "links, but needs shared libraries"
        else
            links[$host]=1
            record PASS "nostd-link $host" "links static, no libc, no crt; runs, checks pass; $(bytes "$binary")"
        fi
    else
        record FAIL "nostd-link $host" "does not link"
        show_log host
    fi
else
    record SKIPPED "nostd-link $host" "the host proof has an entry point for x86_64-unknown-linux-gnu only"
fi

# 3. The bare-metal proof: links with the crate's linker script.
if [ "$have_thumb" = 1 ]; then
    if run thumb proof_cargo build --release --target "$thumb"; then
        links[$thumb]=1
        record PASS "nostd-link $thumb" "links; $(bytes "$proof_target/$thumb/release/nostd-link")"
    else
        record FAIL "nostd-link $thumb" "does not link"
        show_log thumb
    fi
else
    record SKIPPED "nostd-link $thumb" "target not installable"
fi

# 4. The proof crate is outside the workspace, so the workspace's fmt and clippy steps miss it.
if run lint proof_cargo fmt --check && run lint-clippy proof_cargo clippy --release --target "$host" -- -D warnings; then
    record PASS "nostd-link lint" "cargo fmt --check and clippy -D warnings clean"
else
    record FAIL "nostd-link lint" "cargo fmt --check or clippy -D warnings"
    show_log lint
    [ -f "$log/lint-clippy" ] && show_log lint-clippy
fi

# 5. The canary: the same proof plus one allocation must fail, for that reason only.
for target in "$host" "$thumb"; do
    name="canary-$target"
    if [ -z "${links[$target]:-}" ]; then
        record SKIPPED "alloc-canary $target" "the proof itself did not link for this target"
        continue
    fi
    if run "$name" proof_cargo build --release --target "$target" --features alloc-canary; then
        record FAIL "alloc-canary $target" "built although it allocates: the proof has no teeth"
    elif grep -q "no global memory allocator found" "$log/$name"; then
        record PASS "alloc-canary $target" "fails to build as required (no global memory allocator)"
    else
        record FAIL "alloc-canary $target" "failed for another reason than the missing allocator"
        show_log "$name"
    fi
done

echo "== no_std proof: ${tally[PASS]} passed, ${tally[FAIL]} failed, ${tally[SKIPPED]} skipped"
[ "${tally[FAIL]}" = 0 ]
