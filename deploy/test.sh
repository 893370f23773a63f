#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: C++ unit and integration tests, the web
# client's checks, unit and browser tests (all through CTest), the deployment files' checks,
# the C++ tests again under AddressSanitizer and UndefinedBehaviorSanitizer, a short fuzzing
# run of every decoder (fuzz/run.sh), and the arm64 cross build of cylch-kiosk with its unit
# tests under qemu-aarch64.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/setup.sh --for-tests

echo "== build and test (RelWithDebInfo, with the web client) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCYLCH_WERROR=ON \
  -DCYLCH_WEB_TESTS=ON >/dev/null
ninja -C build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j2

echo "== deployment files: nginx -t, systemd-analyze verify, the units against the programs =="
bash deploy/check-deploy.sh

echo "== build and test with ASan + UBSan =="
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCYLCH_SANITIZE=ON \
  -DCYLCH_WERROR=ON >/dev/null
ninja -C build-asan -j"$(nproc)" shared_tests server_tests kiosk_tests \
  integration_tests
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j2 -E "^bench\."

echo "== fuzzing: every decoder of untrusted input, 15 s each (clang, ASan + UBSan) =="
bash fuzz/run.sh 15

echo "== arm64 cross build of cylch-kiosk, unit tests under qemu-aarch64 =="
bash deploy/cross-arm64.sh
