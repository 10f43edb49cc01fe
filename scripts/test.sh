#!/usr/bin/env bash
# The project's test command (README "Set up"): every test that runs on a fresh machine.
# It installs what it needs itself; each step says what it runs.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test --workspace"
cargo test --workspace --locked

echo "== embassy adapter over a TAP device in a network namespace (skips without root)"
bash examples/embassy-host/run.sh

echo "== interop: the official JS SDK against msync-devserver (npm ci, tests/interop/run.sh)"
(cd tests/interop && npm ci --no-audit --no-fund)
bash tests/interop/run.sh
