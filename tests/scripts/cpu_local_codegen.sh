#!/bin/sh
# The object code of a cpu-local read and of an increment must be a single
# %gs-relative instruction (plus ret), and nothing may call ___tls_get_addr.
# Reads $KERNEL (the built kernel ELF).
set -u
body() {
	# Instructions of function $1 up to its first ret (the rest is padding).
	objdump -d --no-show-raw-insn "$KERNEL" |
		awk -v fn="<$1>:" '$2 == fn { on = 1; next } on && /^$/ { exit }
			on { $1 = ""; sub(/^ +/, ""); print; if ($0 ~ /^ret/) exit }'
}
check_single_gs() {
	name=$1 fn=$2
	insns=$(body "$fn")
	count=$(printf '%s\n' "$insns" | grep -v -e '^ret' -e '^$' | wc -l)
	[ -n "$insns" ] || count=0
	if [ "$count" -eq 1 ] && printf '%s\n' "$insns" | head -1 | grep -q '%gs:'; then
		echo "TEST $name ok"
	else
		echo "TEST $name FAIL $fn is not one %gs-relative instruction: $(printf '%s' "$insns" | tr '\n' ';')"
	fi
}
check_single_gs codegen.cpu_local_read_is_one_instruction cpu_local_bench_read
check_single_gs codegen.cpu_local_increment_is_one_instruction cpu_local_bench_increment
# An empty symbol list (no kernel, nm failing) must not pass for "none".
symbols=$(nm "$KERNEL" 2>/dev/null)
if [ -z "$symbols" ]; then
	echo "TEST codegen.no_tls_get_addr FAIL no symbols read from $KERNEL"
elif printf '%s\n' "$symbols" | grep -q ___tls_get_addr; then
	echo "TEST codegen.no_tls_get_addr FAIL the kernel references ___tls_get_addr"
else
	echo "TEST codegen.no_tls_get_addr ok"
fi
if readelf -lW "$KERNEL" | grep -q '^ *TLS '; then
	echo "TEST codegen.kernel_has_pt_tls ok"
else
	echo "TEST codegen.kernel_has_pt_tls FAIL no PT_TLS program header"
fi
