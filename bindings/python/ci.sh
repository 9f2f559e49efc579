#!/usr/bin/env bash
# Everything CI needs for the Python binding, from a fresh clone:
#   a venv with pinned tools, the abi3 wheel built by maturin, installed, then pytest,
#   mypy --strict on the example and the shipped stubs, stubtest (stubs vs the real module),
#   the example, and a smoke run of the bench (numbers printed, never asserted).
#
#   bindings/python/ci.sh            (PYTHON=python3.X to pick the interpreter)
set -euo pipefail
cd "$(dirname "$0")"

PY=${PYTHON:-python3}
VENV=.venv
export CARGO_INCREMENTAL=0

step() { printf '\n=== python: %s\n' "$*"; }

step "venv + pinned tools"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 numpy==2.4.6 maxminddb==3.2.0

step "Rust unit tests of the binding"
cargo test --release --lib --quiet

step "abi3 wheel (maturin build --release)"
rm -rf dist
"$VENV/bin/maturin" build --release --out dist
WHEEL=$(ls dist/ipfirm-*-abi3-*.whl)
echo "built $WHEEL"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

step "pytest"
# Run from a directory without py_src so the installed wheel is what gets tested.
set +e
"$VENV/bin/python" -m pytest -q -ra -p no:cacheprovider tests
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "FAILED: pytest collected no tests" >&2
    exit 1
fi
[ "$rc" -eq 0 ] || exit "$rc"

step "mypy --strict (example, bench and the shipped stubs) + stubtest"
"$VENV/bin/python" -m mypy --strict --no-incremental example.py bench.py
"$VENV/bin/python" -m mypy.stubtest --ignore-disjoint-bases ipfirm

step "example"
"$VENV/bin/python" example.py

step "bench smoke run"
"$VENV/bin/python" bench.py --quick
