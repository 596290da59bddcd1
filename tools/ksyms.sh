#!/bin/sh
# Reads `nm -n` output of the kernel and writes nasm source for .ksyms:
# a count, (address, name offset) pairs sorted by address, then the names.
# Only code symbols (t/T) are kept, and not the linker's section markers
# (__text_start, ...): backtraces name functions.
awk '
BEGIN { n = 0 }
$2 ~ /^[tT]$/ && $3 !~ /^\./ && $3 !~ /^__.*_(start|end)$/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "section .ksyms"
	print "\tdd " n
	off = 0
	for (i = 0; i < n; i++) {
		print "\tdd 0x" addr[i] ", " off
		off += length(name[i]) + 1
	}
	for (i = 0; i < n; i++)
		print "\tdb \"" name[i] "\", 0"
}'
