# Cross-compiling for 64-bit ARM (a Raspberry Pi 4 or 5 on a 64-bit OS) with
# Debian's cross toolchain (crossbuild-essential-arm64) and multiarch
# libraries (the :arm64 -dev packages): scripts/package arm64.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Libraries and CMake package files under /usr/lib/aarch64-linux-gnu.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config CACHE FILEPATH "pkg-config for arm64")
# No CMAKE_FIND_ROOT_PATH: with multiarch the target's files are in the host's
# /usr, under the architecture's own directories.
# Test binaries run under user-mode qemu (doctest lists its cases at build time).
# No -L /usr/aarch64-linux-gnu: that takes the cross toolchain's ld.so, which
# with the multiarch libc6:arm64 (a newer point release) hangs every
# pthread_create; qemu finds the multiarch /lib/ld-linux-aarch64.so.1 itself.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
