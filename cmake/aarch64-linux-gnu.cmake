# Cross build for arm64 (Raspberry Pi 3/4/5 running 64-bit Raspberry Pi OS or Debian 12) on a
# Debian 12 amd64 host, with Debian's cross compiler and Debian's arm64 libraries installed
# side by side with the amd64 ones (multiarch: /usr/lib/aarch64-linux-gnu). No sysroot.
# Tests run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR (no binfmt_misc needed).
# deploy/cross-arm64.sh installs everything this file expects; docs/cross-build.md explains it.
#
#   cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#         -DCYLCH_KIOSK_ONLY=ON

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CYLCH_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${CYLCH_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${CYLCH_CROSS_TRIPLET}-g++)
# Debian's multiarch directory names: /usr/lib/aarch64-linux-gnu, /usr/include/aarch64-linux-gnu
# and /usr/lib/aarch64-linux-gnu/cmake/<Package> for config packages (Boost, SQLiteCpp).
set(CMAKE_LIBRARY_ARCHITECTURE ${CYLCH_CROSS_TRIPLET})

# Libraries, headers and packages: the cross C library's tree first, then the multiarch paths
# under /usr (root "/"). Programs (ccache, mold, qemu, pkg-config) are the host's.
set(CMAKE_FIND_ROOT_PATH /usr/${CYLCH_CROSS_TRIPLET} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Never pick up the host's (amd64) libraries, headers or CMake packages by accident.
set(CMAKE_IGNORE_PATH
  /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /usr/include/x86_64-linux-gnu
  /usr/lib/x86_64-linux-gnu/cmake /usr/lib/x86_64-linux-gnu/pkgconfig)

# pkg-config (libgpiod, libsystemd): only arm64 and architecture-independent .pc files.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${CYLCH_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# Run the arm64 test executables (CTest, add_test with a target) under qemu-user:
# qemu-aarch64-static (qemu-user-static) or qemu-aarch64 (qemu-user). No -L prefix: the arm64
# -dev packages bring libc6:arm64, whose /lib/ld-linux-aarch64.so.1 then loads the libraries
# from /lib/aarch64-linux-gnu as on the Pi. With -L /usr/aarch64-linux-gnu qemu would take the
# dynamic loader from libc6-arm64-cross (2.36-8cross1) but libc.so.6 from libc6:arm64
# (2.36-9+deb12u14): a mixed glibc that happens to work but is not what runs on the Pi.
find_program(CYLCH_QEMU_AARCH64 NAMES qemu-aarch64-static qemu-aarch64)
if(CYLCH_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${CYLCH_QEMU_AARCH64})
else()
  message(WARNING "qemu-aarch64 not found: the arm64 tests cannot run on this host "
                  "(apt-get install qemu-user-static)")
endif()
