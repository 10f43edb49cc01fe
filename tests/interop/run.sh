#!/usr/bin/env bash
# Runs the official-SDK interop tests against msync-devserver: scenarios.test.js (the SDK with
# itself) and cli.test.js (the SDK with our `msync` CLI, run as child processes). Builds the
# devserver and msync binaries, starts the devserver on a free 127.0.0.1 port, runs
# `node --test`, and stops the server. Needs Node 20+ and `npm ci` in this folder (done here if
# missing). Logs: $MSYNC_INTEROP_LOGDIR (default tests/interop/logs): devserver.log (frames at
# debug level), devserver-stdout.log, sdk.log (the SDK's own verbose console output), cli.log
# (msync's stderr).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

cd "$root"
cargo build --locked --quiet -p msync-devserver --bin msync-devserver -p msync-cli --bin msync
target_dir="$(cargo metadata --format-version 1 --no-deps --locked \
  | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')"
bin="$target_dir/debug/msync-devserver"
msync_bin="$target_dir/debug/msync"

if [ ! -d "$here/node_modules/easemob-websdk" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

logdir="${MSYNC_INTEROP_LOGDIR:-$here/logs}"
mkdir -p "$logdir"
rm -f "$logdir/devserver.log" "$logdir/devserver-stdout.log" "$logdir/sdk.log" "$logdir/cli.log"

"$bin" --listen 127.0.0.1:0 --log "${MSYNC_DEVSERVER_LOG:-msync_devserver=debug}" \
  > "$logdir/devserver-stdout.log" 2> "$logdir/devserver.log" &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

addr=""
for _ in $(seq 1 100); do
  addr="$(sed -n 's/^msync-devserver .* listening on \(.*\)$/\1/p' "$logdir/devserver-stdout.log" | head -n 1)"
  [ -n "$addr" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$logdir/devserver.log" >&2; exit 1; }
  sleep 0.1
done
if [ -z "$addr" ]; then
  echo "devserver did not start" >&2
  exit 1
fi
echo "devserver at http://$addr (logs in $logdir)"

cd "$here"
started=$(date +%s)
MSYNC_DEVSERVER_URL="http://$addr" MSYNC_INTEROP_LOG="$logdir/sdk.log" \
  MSYNC_BIN="$msync_bin" MSYNC_INTEROP_CLI_LOG="$logdir/cli.log" \
  node --test --test-reporter=spec --test-timeout=120000 scenarios.test.js cli.test.js
echo "interop scenarios took $(( $(date +%s) - started ))s"
