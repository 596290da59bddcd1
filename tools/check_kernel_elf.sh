#!/bin/sh
# check_kernel_elf.sh PASS1.elf FINAL.elf
# Build-time checks of the linked kernel:
#  - adding .ksyms in the second link moved no other symbol;
#  - there is a PT_TLS program header (the cpu-local image);
#  - nothing calls ___tls_get_addr (every cpu-local access is local-exec).
set -e
pass1=$1 final=$2
addresses() {
	nm -n "$1" | awk '{ print $1, $3 }' |
		grep -v -e '__ksyms_' -e '__kernel_end' -e '__kernel_phys_end'
}
if [ "$(addresses "$pass1" | md5sum)" != "$(addresses "$final" | md5sum)" ]; then
	echo "check_kernel_elf: symbols moved between the two links of $final" >&2
	exit 1
fi
if ! readelf -lW "$final" | grep -q '^ *TLS '; then
	echo "check_kernel_elf: $final has no PT_TLS program header" >&2
	exit 1
fi
if nm "$final" | grep -q '___tls_get_addr'; then
	echo "check_kernel_elf: $final references ___tls_get_addr (cpu-locals must be local-exec)" >&2
	exit 1
fi
