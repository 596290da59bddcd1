/*
 * Checking a user program before the kernel loads it. Programs arrive as
 * GRUB boot modules: ELF32 i386 executables, statically linked at
 * 0x00400000, perhaps with a PT_TLS segment for __thread variables. A
 * module is only bytes someone put on the ISO, so elf_check validates all
 * of it first: the loader may then trust every number in the result, and
 * a malformed module is refused with a reason instead of a fault.
 *
 * Pure logic (no allocation, no printing), shared with the host tests and
 * fuzzers.
 */
#ifndef LOCUS_TASK_ELF_H
#define LOCUS_TASK_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The few ELF constants the checker needs (System V ABI, i386 supplement). */
#define EI_NIDENT 16
#define EI_CLASS 4		/* e_ident[] indices */
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define EM_386 3

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7

#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4

/*
 * The file's header and program headers, field for field. Both are free
 * of padding on i386 and on the host, so one memcpy reads either (the
 * file is little-endian, like both machines).
 */
struct elf32_header {
	uint8_t e_ident[EI_NIDENT];	/* "\177ELF", class, data, version, ... */
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint32_t e_entry;
	uint32_t e_phoff;		/* program header table: file offset */
	uint32_t e_shoff;		/* sections: not used by loading */
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf32_program_header {
	uint32_t p_type;
	uint32_t p_offset;		/* where the bytes are in the file */
	uint32_t p_vaddr;		/* where they go in memory */
	uint32_t p_paddr;		/* ignored */
	uint32_t p_filesz;		/* bytes to copy from the file */
	uint32_t p_memsz;		/* bytes in memory; the rest is zeroed */
	uint32_t p_flags;		/* PF_R, PF_W, PF_X */
	uint32_t p_align;
};

#define ELF_MAX_SEGMENTS 16	/* PT_LOAD segments accepted */
#define ELF_MAX_PROGRAM_HEADERS 64
#define ELF_MAX_TLS_SIZE 0x100000	/* 1 MiB of __thread data per thread */
#define ELF_MAX_TLS_ALIGN 4096
#define ELF_REASON_MAX 64

/* One PT_LOAD segment: copy filesz bytes from offset to vaddr, zero the
 * rest of memsz. */
struct elf_segment {
	uint32_t vaddr;
	uint32_t memsz;
	uint32_t offset;
	uint32_t filesz;
	bool writable;		/* PF_W */
	bool executable;	/* PF_X */
};

/* The PT_TLS segment: the initial image of every thread's TLS block. Its
 * filesz bytes (.tdata) lie inside a loaded segment, at vaddr. */
struct elf_tls {
	uint32_t vaddr;
	uint32_t filesz;
	uint32_t memsz;		/* .tdata + .tbss, at most ELF_MAX_TLS_SIZE */
	uint32_t align;		/* 0 or 1 (none) or a power of two <= 4096 */
};

struct elf_image_info {
	uint32_t entry;		/* inside the file-backed part of an executable segment */
	unsigned segment_count;	/* PT_LOAD segments, in file order, 1..ELF_MAX_SEGMENTS */
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	bool has_tls;
	struct elf_tls tls;	/* meaningful if has_tls */
	/* Where reasons that carry a segment number are written (so that
	 * two cores may check two programs at once). */
	char reason[ELF_REASON_MAX];
};

/*
 * Checks that file (size bytes, any alignment) is a statically linked i386
 * executable the kernel can load: every segment inside the file and inside
 * [user_base, user_limit), segments on distinct pages, the entry point in
 * an executable segment, at most one well-formed TLS segment. Returns 0
 * with *info filled and *why NULL, or -ENOEXEC with *why a human-readable
 * reason such as "bad magic", "segment 2 outside user space" or "segments
 * 1 and 2 overlap" (segment numbers are program header indices, as
 * `readelf -l` shows them). *why is either a string constant or
 * info->reason, so it lives as long as *info; the rest of *info is
 * meaningful only on success.
 */
int elf_check(const void *file, size_t size, uint32_t user_base, uint32_t user_limit,
	      struct elf_image_info *info, const char **why);

#endif
