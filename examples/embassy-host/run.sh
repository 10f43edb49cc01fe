#!/usr/bin/env bash
# The embassy adapter over a TAP device, end to end, inside a network namespace of its own.
#
# Creates a namespace, a TAP device in it (kernel side 10.77.0.1/24; the example's embassy-net
# stack is 10.77.0.2/24 on the other end), starts two devservers in it (plain on
# 10.77.0.1:8099, TLS on port 8443), and for each of them runs the example: it logs in as
# `device`, sends a message to `operator` and waits for one back. `operator` is the `msync`
# CLI (the tokio client), run in the namespace too. Checks both messages' content. All traffic
# stays inside the namespace, which is deleted at the end whatever happens.
#
# Needs root and /dev/net/tun; elsewhere it says so and skips (exit 0).
# Prints PASS / FAIL per check and exits non-zero if any check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
example="$root/examples/embassy-host"

if [ "$(id -u)" != 0 ] || [ ! -c /dev/net/tun ] || ! command -v ip >/dev/null 2>&1; then
    echo "SKIPPED embassy TAP example: needs root, /dev/net/tun and ip(8) (here: uid $(id -u), /dev/net/tun $([ -c /dev/net/tun ] && echo present || echo missing))"
    exit 0
fi

ns="msync-tap-$$"
tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

failed=0
pass() { printf 'PASS    %s\n' "$1"; }
fail() {
    printf 'FAIL    %s\n' "$1"
    failed=1
}
show() { # FILE: its last lines, indented, under its name
    echo "    $(basename "$(dirname "$1")")/$(basename "$1"):"
    sed 's/^/    | /' "$1" | tail -n 30
}
in_ns() { ip netns exec "$ns" "$@"; }

echo "== embassy TAP example (network namespace $ns)"
echo "+ building msync-devserver, msync and the example"
workspace_target="${CARGO_TARGET_DIR:-$root/target}"
if ! cargo build --locked -q -p msync-devserver -p msync-cli >"$tmp/build.log" 2>&1 ||
    ! (cd "$example" && CARGO_TARGET_DIR="${EMBASSY_HOST_TARGET_DIR:-$example/target}" \
        cargo build --locked -q) >>"$tmp/build.log" 2>&1; then
    fail "build"
    show "$tmp/build.log"
    exit 1
fi
# Outside the workspace, so the workspace's fmt and clippy steps miss the example.
if (cd "$example" && cargo fmt --check && CARGO_TARGET_DIR="${EMBASSY_HOST_TARGET_DIR:-$example/target}" \
    cargo clippy --locked -q -- -D warnings) >"$tmp/lint.log" 2>&1; then
    pass "lint: the example is cargo fmt --check and clippy -D warnings clean"
else
    fail "lint: cargo fmt --check or clippy -D warnings"
    show "$tmp/lint.log"
fi
devserver="$workspace_target/debug/msync-devserver"
msync="$workspace_target/debug/msync"
host_example="${EMBASSY_HOST_TARGET_DIR:-$example/target}/debug/msync-embassy-host"

ip netns add "$ns"
in_ns ip link set lo up
in_ns ip tuntap add dev tap0 mode tap
in_ns ip addr add 10.77.0.1/24 dev tap0
in_ns ip link set tap0 up

app='embassy#tap'
password='tap-secret'
users=(--user "$app:device:$password" --user "$app:operator:$password")
in_ns "$devserver" --listen 10.77.0.1:8099 "${users[@]}" >"$tmp/devserver.log" 2>&1 &
pids+=($!)
# TLS on every address of the namespace: the example connects to 10.77.0.1, the CLI to
# localhost, the name the devserver's certificate carries.
in_ns "$devserver" --listen 0.0.0.0:8443 --tls --cert-out "$tmp/cert.pem" "${users[@]}" \
    >"$tmp/devserver-tls.log" 2>&1 &
pids+=($!)
for port in 8099 8443; do
    ready=0
    for _ in $(seq 300); do
        in_ns bash -c "echo >/dev/tcp/10.77.0.1/$port" 2>/dev/null && ready=1 && break
        sleep 0.1
    done
    if [ "$ready" = 0 ]; then
        fail "devserver on 10.77.0.1:$port did not start within 30 s"
        show "$tmp/devserver.log"
        show "$tmp/devserver-tls.log"
        exit 1
    fi
done

sent='hello from embassy over TAP 👋'
reply='hello device, 你好'
# exchange NAME PORT PEER_ENDPOINT_FLAGS... -- EXAMPLE_FLAGS...
exchange() {
    local name=$1 port=$2
    shift 2
    local peer=() flags=()
    while [ "$1" != -- ]; do peer+=("$1"); shift; done
    shift
    flags=("$@")
    local out="$tmp/$name"
    mkdir -p "$out"
    in_ns env MSYNC_PASSWORD="$password" "$msync" listen --json "${peer[@]}" --app-key "$app" \
        --user operator --count 1 --timeout 60 >"$out/listen.json" 2>"$out/listen.log" &
    local listen=$!
    pids+=("$listen")
    in_ns env MSYNC_PASSWORD="$password" timeout 90 "$host_example" --tap tap0 \
        --address 10.77.0.2/24 --server "10.77.0.1:$port" --app-key "$app" --user device \
        --peer operator --send "$sent" --expect "$reply" "${flags[@]}" \
        >"$out/example.out" 2>"$out/example.log" &
    local device=$!
    pids+=("$device")
    # Stored for the device if it is not online yet, delivered when it logs in.
    if ! in_ns env MSYNC_PASSWORD="$password" "$msync" send "${peer[@]}" --app-key "$app" \
        --user operator --to device "$reply" >"$out/send.out" 2>&1; then
        fail "$name: operator sends to the device"
        show "$out/send.out"
    fi
    local device_status=0 listen_status=0
    wait "$device" || device_status=$?
    wait "$listen" || listen_status=$?
    if [ "$device_status" = 0 ] && grep -qxF "received from operator: $reply" "$out/example.out"; then
        pass "$name: the embassy client logged in, was acknowledged, received \"$reply\" from operator, logged out"
    else
        fail "$name: the embassy client (exit status $device_status)"
        show "$out/example.out"
        show "$out/example.log"
    fi
    if [ "$listen_status" = 0 ] &&
        grep -F '"from":"device"' "$out/listen.json" | grep -qF "\"text\":\"$sent\""; then
        pass "$name: operator received \"$sent\" from device"
    else
        fail "$name: operator's listen (exit status $listen_status)"
        show "$out/listen.json"
        show "$out/listen.log"
    fi
}

exchange plain 8099 --rest http://10.77.0.1:8099 --ws ws://10.77.0.1:8099/websocket --
exchange tls 8443 --rest https://localhost:8443 --ws wss://localhost:8443/websocket \
    --ca-cert "$tmp/cert.pem" -- --ca "$tmp/cert.pem"

if [ "$failed" != 0 ]; then
    echo "    devserver log:"
    show "$tmp/devserver.log"
    show "$tmp/devserver-tls.log"
fi
echo "== embassy TAP example: $([ "$failed" = 0 ] && echo passed || echo FAILED)"
exit "$failed"
