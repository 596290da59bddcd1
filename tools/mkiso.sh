#!/bin/sh
# mkiso.sh OUT.iso GRUB.CFG KERNEL [MODULE...]
# Builds a GRUB (i386-pc, BIOS) rescue ISO holding the kernel as
# /boot/locus.elf and each module as /boot/modules/<file name>. A line
# "@MODULES@" in GRUB.CFG becomes one "module" line per module, named
# after its file.
set -e
out=$1 cfg=$2 kernel=$3
shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/locus-iso.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub" "$dir/boot/modules"
cp "$kernel" "$dir/boot/locus.elf"
modules=""
for m in "$@"; do
	cp "$m" "$dir/boot/modules/"
	name=$(basename "$m")
	modules="$modules	module /boot/modules/$name $name\n"
done
awk -v modules="$modules" '$1 == "@MODULES@" { printf "%s", modules; next } { print }' \
	"$cfg" >"$dir/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$dir" >"$dir.log" 2>&1; then
	cat "$dir.log" >&2
	rm -f "$dir.log"
	echo "mkiso: grub-mkrescue failed for $out" >&2
	exit 1
fi
rm -f "$dir.log"
