#!/usr/bin/env bash
# Cross builds cylch-kiosk and its unit tests for arm64 (Raspberry Pi) with Debian's aarch64 cross
# compiler and Debian's arm64 libraries (multiarch), checks that cylch-kiosk is an aarch64 ELF and
# runs shared_tests and kiosk_tests under qemu-user (through CMAKE_CROSSCOMPILING_EMULATOR: no
# binfmt_misc needed, so it works in containers). Run as root. Idempotent: the package step is
# skipped when everything is installed. The amd64 packages stay (the native build needs them);
# installing arm64 ones may upgrade amd64 ones to the same version (multiarch requires equal
# versions), it never removes any. See docs/cross-build.md.
#
#   bash deploy/cross-arm64.sh            # install, configure, build, check, test
#   BUILD_DIR=build-arm64 JOBS=2 bash deploy/cross-arm64.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build-arm64}
jobs=${JOBS:-2}
export CCACHE_NOHASHDIR=1

phase_start=$SECONDS
timings=()
phase_done() {
  local took=$((SECONDS - phase_start))
  timings+=("$(printf '%-28s %4ds' "$1" "$took")")
  echo "cross-arm64: $1 took ${took}s"
  phase_start=$SECONDS
}

# --- 1. packages -------------------------------------------------------------------------------
host_packages=(
  cmake ninja-build ccache pkg-config file
  g++-aarch64-linux-gnu qemu-user-static
)
arm64_packages=(
  libboost1.81-dev libboost-test1.81-dev libboost-program-options1.81-dev
  libsqlitecpp-dev libsqlite3-dev libgpiod-dev libncurses-dev libsystemd-dev libssl-dev libicu-dev
)
wanted=("${host_packages[@]}" nlohmann-json3-dev)
for p in "${arm64_packages[@]}"; do wanted+=("$p:arm64"); done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "cross-arm64: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Other apt runs (deploy/setup.sh on the same machine) may hold the lock: wait for them.
  apt_opts=(-o DPkg::Lock::Timeout=600)
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  apt-get "${apt_opts[@]}" update -qq
  apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
phase_done "packages"

# --- 2. configure ------------------------------------------------------------------------------
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" \
  -DCYLCH_KIOSK_ONLY=ON -DCYLCH_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Every library the build links must be an arm64 one (the toolchain file's find settings).
if grep -E '^[A-Za-z_]+(_LIBRARY|_LIBRARIES|_DIR):[A-Z]+=.*x86_64-linux-gnu' \
    "$build_dir/CMakeCache.txt"; then
  echo "cross-arm64: the configuration above points at amd64 (x86_64-linux-gnu) paths" >&2
  exit 1
fi
phase_done "configure"

# --- 3. build ----------------------------------------------------------------------------------
ninja -C "$build_dir" -j"$jobs" shared_tests kiosk_tests cylch-kiosk
phase_done "build"

# --- 4. the binary is arm64 --------------------------------------------------------------------
kiosk_bin="$build_dir/kiosk/cylch-kiosk"
kiosk_file=$(file -b "$kiosk_bin")
echo "cross-arm64: $kiosk_bin: $kiosk_file"
if [[ $kiosk_file != ELF\ 64-bit*ARM\ aarch64* ]]; then
  echo "cross-arm64: $kiosk_bin is not an ARM aarch64 ELF executable" >&2
  exit 1
fi
for t in shared_tests kiosk_tests; do
  if [[ $(file -b "$build_dir/tests/$t") != ELF\ 64-bit*ARM\ aarch64* ]]; then
    echo "cross-arm64: $build_dir/tests/$t is not an ARM aarch64 ELF executable" >&2
    exit 1
  fi
done
# It starts on arm64 (under qemu): every shared library it needs is there and loads.
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
if ! timeout 120 "$qemu" "$kiosk_bin" --help >/dev/null; then
  echo "cross-arm64: $kiosk_bin --help failed under $qemu" >&2
  exit 1
fi
echo "cross-arm64: $kiosk_bin --help runs under $("$qemu" --version | head -1)"
# CTest must run them through qemu (the toolchain file's CMAKE_CROSSCOMPILING_EMULATOR).
if ! grep -q 'qemu-aarch64' "$build_dir/tests/CTestTestfile.cmake"; then
  echo "cross-arm64: the tests are not set up to run under qemu-aarch64" >&2
  exit 1
fi
phase_done "check (file, --help)"
echo "cross-arm64: timings"
printf '  %s\n' "${timings[@]}"

# --- 5. unit tests under qemu-aarch64 (last, so that CTest's summary closes the output) ---------
ctest --test-dir "$build_dir" --output-on-failure -j"$jobs"
