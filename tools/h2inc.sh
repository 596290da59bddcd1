#!/bin/sh
# Turns the "#define NAME value" lines of a C header into nasm %define
# lines, so C and nasm share one definition of each constant.
echo "; generated from $1 by tools/h2inc.sh - edit the header instead"
sed -n 's/^#define \([A-Z_][A-Z0-9_]*\) \(.*\)$/%define \1 \2/p' "$1"
