#!/usr/bin/env python3
"""make_bad_elf.py GOOD.elf KIND OUT: writes a deliberately malformed copy
of an i386 executable, for the kernel's test that refuses bad modules.

KIND is one of:
  truncated       the file cut inside its program header table
  kernel_segment  the first PT_LOAD moved to 0xC0000000 (kernel space)
  bad_entry       the entry point moved outside every executable segment
"""
import struct
import sys

PT_LOAD = 1


def main():
    good, kind, out = sys.argv[1:4]
    data = bytearray(open(good, "rb").read())
    e_entry, e_phoff = struct.unpack_from("<II", data, 24)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 42)
    if kind == "truncated":
        data = data[: e_phoff + e_phentsize // 2]
    elif kind == "kernel_segment":
        for i in range(e_phnum):
            off = e_phoff + i * e_phentsize
            if struct.unpack_from("<I", data, off)[0] == PT_LOAD:
                struct.pack_into("<I", data, off + 8, 0xC0000000)
                break
    elif kind == "bad_entry":
        struct.pack_into("<I", data, 24, 0x00001000)
    else:
        sys.exit(f"make_bad_elf: unknown kind {kind}")
    open(out, "wb").write(data)


if __name__ == "__main__":
    main()
