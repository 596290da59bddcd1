#!/bin/sh
# Fuzzes the kernel's parsers of untrusted bytes (ELF boot modules, ACPI
# tables, the command line) with libFuzzer for a bounded time, the three
# side by side, and prints one TEST line for each.
#
#	FUZZ_SECONDS	run time of each target (default 20)
#	FUZZ_SEED	libFuzzer's random seed (default 1)
#
# Everything goes to $BUILD/fuzz/ ($BUILD relative to the repository's
# root, as tests/run.py passes it): the fuzzers (rebuilt when a source is
# newer), <name>.log with the compiler's and the fuzzer's output, and
# corpus-<name>, a fresh copy of tests/fuzz/corpus/<name> for each run so
# the checked-in seeds never change. A crash is kept as <name>-crash-<sha1>;
# rerun it with: $BUILD/fuzz/<name> $BUILD/fuzz/<name>-crash-<sha1>
set -u
cd "$(dirname "$0")/../.." || exit 1
out=${BUILD:-build}/fuzz
seconds=${FUZZ_SECONDS:-20}
seed=${FUZZ_SEED:-1}
targets="elf acpi cmdline"
mkdir -p "$out"

# The kernel sources each target exercises.
sources() {
	case $1 in
	elf) echo kernel/task/elf.c ;;
	acpi) echo kernel/smp/acpi.c ;;
	cmdline) echo kernel/lib/cmdline.c kernel/lib/format.c ;;
	esac
}

# Can clang link a fuzz target at all? (Asked only after a failed build,
# to tell a missing tool from a broken source.)
have_libfuzzer() {
	probe=$out/probe
	command -v clang >/dev/null 2>&1 &&
		echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
			>"$probe.c" &&
		clang -fsanitize=fuzzer "$probe.c" -o "$probe" >/dev/null 2>&1
}

# Builds $out/<name> unless it is newer than its sources, every kernel
# header and this script (which holds the flags).
build() {
	name=$1
	bin=$out/$name
	log=$out/$name.log
	# shellcheck disable=SC2046
	set -- "tests/fuzz/${name}_fuzz.c" $(sources "$name")
	if [ -e "$bin" ] && [ -z "$( { find "$@" tests/scripts/fuzz.sh -newer "$bin"
			find kernel -name '*.h' -newer "$bin"; } 2>/dev/null)" ]; then
		return 0
	fi
	if clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Wall -Wextra -Werror -I. -Ikernel -DLOCUS_HOST_TEST -o "$bin.new" "$@" >>"$log" 2>&1; then
		mv "$bin.new" "$bin"
	elif have_libfuzzer; then
		echo "TEST fuzz.$name FAIL build failed (log: $log)"
		return 1
	else
		echo "TEST fuzz.$name FAIL clang/libFuzzer missing: run tools/deps.sh"
		return 1
	fi
}

run() {
	name=$1
	log=$out/$name.log
	corpus=$out/corpus-$name
	rm -rf "$corpus" "$out/$name-"crash-* "$out/$name-"leak-* "$out/$name-"timeout-* \
		"$out/$name-"oom-*
	cp -R "tests/fuzz/corpus/$name" "$corpus"
	"$out/$name" -max_total_time="$seconds" -seed="$seed" -max_len=4096 -timeout=10 \
		-artifact_prefix="$out/$name-" -print_final_stats=1 "$corpus" >>"$log" 2>&1
	status=$?
	if [ "$status" -eq 0 ]; then
		echo "TEST fuzz.$name ok"
		return
	fi
	crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	echo "TEST fuzz.$name FAIL fuzzer exited with $status, input in ${crash:-(none)}" \
		"(reproduce: $out/$name ${crash:-}; log: $log)"
}

for name in $targets; do
	: >"$out/$name.log"
	{ build "$name" && run "$name"; } >"$out/$name.result" 2>>"$out/$name.log" &
done
wait
for name in $targets; do
	cat "$out/$name.result"
done
