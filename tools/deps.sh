#!/bin/sh
# Check for the host tools Locus needs and install the missing ones from
# Debian with apt-get (through sudo when not root). Every make target runs
# this first; when everything is present it prints nothing and returns fast.
set -e

missing=""

need() {
	# need <package> <command-or-file-that-proves-it>
	case "$2" in
	/*) [ -e "$2" ] || missing="$missing $1" ;;
	*) command -v "$2" >/dev/null 2>&1 || missing="$missing $1" ;;
	esac
}

need qemu-system-x86 qemu-system-i386
need grub-pc-bin /usr/lib/grub/i386-pc/modinfo.sh
need grub-common grub-mkrescue
need xorriso xorriso
need mtools mformat
need nasm nasm
need make make
need gcc gcc
need binutils objdump
# 32-bit libgcc (64-bit division for the kernel's printf) comes with gcc-multilib.
libgcc32=$(gcc -m32 -print-libgcc-file-name 2>/dev/null || true)
case "$libgcc32" in
/*) [ -e "$libgcc32" ] || missing="$missing gcc-multilib" ;;
*) missing="$missing gcc-multilib" ;;
esac
need python3 python3
need gdb gdb
# The fuzz targets (tests/scripts/fuzz.sh) need clang and its libFuzzer
# runtime, which lives under a folder named after the clang version: ask
# clang for it by name, and if neither naming scheme finds it, link a tiny
# fuzz target to settle the question (slower, so not the first try).
need clang clang
has_libfuzzer() {
	for name in "libclang_rt.fuzzer-$(uname -m).a" libclang_rt.fuzzer.a; do
		case "$(clang -print-file-name="$name" 2>/dev/null)" in
		/*) return 0 ;;
		esac
	done
	dir=$(mktemp -d) || return 1
	echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$dir/t.c"
	status=0
	clang -fsanitize=fuzzer "$dir/t.c" -o "$dir/t" >/dev/null 2>&1 || status=1
	rm -rf "$dir"
	return $status
}
has_libfuzzer || missing="$missing libclang-rt-dev"

[ -z "$missing" ] && exit 0

echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps: not root and no sudo; install these by hand:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || echo "deps: apt-get update failed, trying with the cached lists" >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed:$missing"
