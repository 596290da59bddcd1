// host-test-sources: kernel/task/elf.c
/*
 * The ELF checker against executables built here, field by field.
 *
 * Each image is written into a heap block of exactly its size, starting at
 * an odd address: AddressSanitizer then catches any read past the end of
 * the file, and UBSan any header read through a misaligned pointer.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lib/compiler.h"
#include "lib/xorshift.h"
#include "task/elf.h"
#include "uapi/errno.h"

#define USER_BASE 0x00001000u
#define USER_LIMIT 0xbf800000u
#define TEXT 0x00400000u	/* where the project's linker script puts programs */
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551u
#define MAX_PH 24

/* An executable before it is written out: headers, then the file size. */
struct image {
	struct elf32_header eh;
	struct elf32_program_header ph[MAX_PH];
	size_t size;
};

static struct elf_image_info info;	/* *why may point into it: keep it */

static void add_ph(struct image *im, uint32_t type, uint32_t offset, uint32_t vaddr,
		   uint32_t filesz, uint32_t memsz, uint32_t flags, uint32_t align)
{
	im->ph[im->eh.e_phnum++] = (struct elf32_program_header){
		.p_type = type,
		.p_offset = offset,
		.p_vaddr = vaddr,
		.p_paddr = vaddr,
		.p_filesz = filesz,
		.p_memsz = memsz,
		.p_flags = flags,
		.p_align = align,
	};
}

/* Just the ELF header: no program headers yet, file of size bytes. */
static void make_header(struct image *im, size_t size)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, "\177ELF", 4);
	im->eh.e_ident[EI_CLASS] = ELFCLASS32;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_386;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = TEXT + 0x100;
	im->eh.e_phoff = sizeof(struct elf32_header);
	im->eh.e_ehsize = sizeof(struct elf32_header);
	im->eh.e_phentsize = sizeof(struct elf32_program_header);
	im->size = size;
}

/*
 * What `ld -T user.ld` makes of a program with __thread variables:
 *	0 LOAD r-x  headers and .text		0x400000, one page
 *	1 LOAD rw-  .tdata .data, then .bss	0x401000, 0x100 in the file, 0x2000 in memory
 *	2 TLS       .tdata 0x10, .tbss 0x30	inside segment 1
 *	3 GNU_STACK
 */
static void make_program(struct image *im)
{
	make_header(im, 0x1100);
	add_ph(im, PT_LOAD, 0, TEXT, 0x1000, 0x1000, PF_R | PF_X, 0x1000);
	add_ph(im, PT_LOAD, 0x1000, TEXT + 0x1000, 0x100, 0x2000, PF_R | PF_W, 0x1000);
	add_ph(im, PT_TLS, 0x1000, TEXT + 0x1000, 0x10, 0x40, PF_R, 4);
	add_ph(im, PT_GNU_STACK, 0, 0, 0, 0, PF_R | PF_W, 16);
}

/* A program of one text segment and nothing else. */
static void make_minimal(struct image *im)
{
	make_header(im, 0x200);
	add_ph(im, PT_LOAD, 0, TEXT, 0x200, 0x200, PF_R | PF_X, 0x1000);
}

/* Writes the image out (what fits of the headers, a pattern elsewhere). */
static uint8_t *write_image(const struct image *im, uint8_t **block)
{
	*block = malloc(im->size + 1);
	uint8_t *file = *block + 1;

	for (size_t i = 0; i < im->size; i++)
		file[i] = (uint8_t)(i * 7 + 1);
	memcpy(file, &im->eh, MIN(sizeof(im->eh), im->size));
	for (unsigned i = 0; i < im->eh.e_phnum && i < MAX_PH; i++) {
		uint64_t at = (uint64_t)im->eh.e_phoff + i * sizeof(im->ph[i]);

		if (at + sizeof(im->ph[i]) <= im->size)
			memcpy(file + at, &im->ph[i], sizeof(im->ph[i]));
	}
	return file;
}

static int check_bytes(const uint8_t *file, size_t size, const char **why)
{
	*why = "untouched";
	return elf_check(file, size, USER_BASE, USER_LIMIT, &info, why);
}

static int run(const struct image *im, const char **why)
{
	uint8_t *block;
	uint8_t *file = write_image(im, &block);
	int err = check_bytes(file, im->size, why);

	free(block);
	return err;
}

#define CHECK_ACCEPTED(im)                                                     \
	do {                                                                   \
		const char *why__;                                             \
		CHECK_EQ(run(im, &why__), 0);                                  \
		CHECK(why__ == NULL);                                          \
	} while (0)

#define CHECK_REFUSED(im, reason)                                              \
	do {                                                                   \
		const char *why__;                                             \
		CHECK_EQ(run(im, &why__), -ENOEXEC);                           \
		CHECK_STR(why__ ? why__ : "(null)", reason);                   \
	} while (0)

/* What the loader relies on, for any image the checker accepted. */
static bool info_is_sound(const struct elf_image_info *in, size_t size)
{
	bool entry_ok = false;

	if (in->segment_count == 0 || in->segment_count > ELF_MAX_SEGMENTS)
		return false;
	for (unsigned i = 0; i < in->segment_count; i++) {
		const struct elf_segment *s = &in->segments[i];
		uint64_t end = (uint64_t)s->vaddr + s->memsz;

		if (s->filesz > s->memsz || s->memsz == 0 || s->vaddr < USER_BASE ||
		    end > USER_LIMIT || (uint64_t)s->offset + s->filesz > size)
			return false;
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &in->segments[j];

			if (s->vaddr / 4096 <= (t->vaddr + (uint64_t)t->memsz - 1) / 4096 &&
			    t->vaddr / 4096 <= (end - 1) / 4096)
				return false;
		}
		if (s->executable && in->entry >= s->vaddr && in->entry - s->vaddr < s->filesz)
			entry_ok = true;
	}
	if (in->has_tls && (in->tls.filesz > in->tls.memsz || in->tls.memsz > 0x100000))
		return false;
	return entry_ok;
}

HOST_TEST(program_with_data_bss_and_tls)
{
	struct image im;

	make_program(&im);
	CHECK_ACCEPTED(&im);
	CHECK_EQ(info.entry, TEXT + 0x100);
	CHECK_EQ(info.segment_count, 2);
	CHECK_EQ(info.segments[0].vaddr, TEXT);
	CHECK_EQ(info.segments[0].memsz, 0x1000);
	CHECK_EQ(info.segments[0].offset, 0);
	CHECK_EQ(info.segments[0].filesz, 0x1000);
	CHECK(info.segments[0].executable && !info.segments[0].writable);
	CHECK_EQ(info.segments[1].vaddr, TEXT + 0x1000);
	CHECK_EQ(info.segments[1].memsz, 0x2000);
	CHECK_EQ(info.segments[1].offset, 0x1000);
	CHECK_EQ(info.segments[1].filesz, 0x100);
	CHECK(info.segments[1].writable && !info.segments[1].executable);
	CHECK(info.has_tls);
	CHECK_EQ(info.tls.vaddr, TEXT + 0x1000);
	CHECK_EQ(info.tls.filesz, 0x10);
	CHECK_EQ(info.tls.memsz, 0x40);
	CHECK_EQ(info.tls.align, 4);
	CHECK(info_is_sound(&info, im.size));
}

HOST_TEST(minimal_program_has_no_tls)
{
	struct image im;

	make_minimal(&im);
	CHECK_ACCEPTED(&im);
	CHECK_EQ(info.segment_count, 1);
	CHECK(!info.has_tls);
}

HOST_TEST(other_program_headers_ignored)
{
	struct image im;

	make_program(&im);
	add_ph(&im, PT_NOTE, 0x800, TEXT + 0x800, 0x20, 0x20, PF_R, 4);
	add_ph(&im, PT_PHDR, 52, TEXT + 52, 0x80, 0x80, PF_R, 4);
	add_ph(&im, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 3);	/* PT_NULL */
	add_ph(&im, 0x70000000, 0, 0, 0, 0, 0, 0);			/* processor-specific */
	CHECK_ACCEPTED(&im);
	CHECK_EQ(info.segment_count, 2);
}

HOST_TEST(refuses_short_file)
{
	struct image im;

	make_minimal(&im);
	im.size = sizeof(struct elf32_header) - 1;
	CHECK_REFUSED(&im, "too short for an ELF header");
	im.size = 0;
	CHECK_REFUSED(&im, "too short for an ELF header");
}

HOST_TEST(refuses_bad_magic)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_ident[3] = 'f';
	CHECK_REFUSED(&im, "bad magic");
	make_minimal(&im);
	im.eh.e_ident[0] = 0x7e;
	CHECK_REFUSED(&im, "bad magic");
}

HOST_TEST(refuses_64_bit)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_ident[EI_CLASS] = 2;	/* ELFCLASS64 */
	CHECK_REFUSED(&im, "not 32-bit");
}

HOST_TEST(refuses_big_endian)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_ident[EI_DATA] = 2;	/* ELFDATA2MSB */
	CHECK_REFUSED(&im, "not little-endian");
}

HOST_TEST(refuses_unknown_version)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_ident[EI_VERSION] = 2;
	CHECK_REFUSED(&im, "unknown ELF version");
	make_minimal(&im);
	im.eh.e_version = 0;
	CHECK_REFUSED(&im, "unknown ELF version");
}

HOST_TEST(refuses_other_machine)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_machine = 62;	/* EM_X86_64 */
	CHECK_REFUSED(&im, "not for i386");
}

HOST_TEST(refuses_non_executable)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_type = 3;	/* ET_DYN: a shared object or PIE */
	CHECK_REFUSED(&im, "not an executable (ET_EXEC)");
	im.eh.e_type = 1;	/* ET_REL: an object file */
	CHECK_REFUSED(&im, "not an executable (ET_EXEC)");
}

HOST_TEST(refuses_other_program_header_size)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_phentsize = 56;	/* an ELF64 program header */
	CHECK_REFUSED(&im, "unexpected program header size");
}

HOST_TEST(refuses_program_header_count)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_phnum = 0;
	CHECK_REFUSED(&im, "no program headers");

	/* 65 headers, all of them within the file. */
	make_header(&im, 0x1000);
	for (int i = 0; i < 65 && i < MAX_PH; i++)
		add_ph(&im, PT_NOTE, 0, TEXT, 0, 0, PF_R, 4);
	im.eh.e_phnum = 65;
	CHECK_REFUSED(&im, "too many program headers");
	im.eh.e_phnum = 0xffff;	/* PN_XNUM: the count is elsewhere */
	CHECK_REFUSED(&im, "too many program headers");
}

HOST_TEST(refuses_program_headers_outside_file)
{
	struct image im;

	make_minimal(&im);
	im.eh.e_phoff = im.size - sizeof(struct elf32_program_header) + 1;
	CHECK_REFUSED(&im, "program headers outside the file");
	im.eh.e_phoff = 0xffffffe0;	/* + 32 wraps to 0 in 32 bits */
	CHECK_REFUSED(&im, "program headers outside the file");

	/* Exactly at the end is fine (the header read must stay inside). */
	make_minimal(&im);
	im.eh.e_phoff = im.size - sizeof(struct elf32_program_header);
	CHECK_ACCEPTED(&im);
}

HOST_TEST(refuses_file_size_above_memory_size)
{
	struct image im;

	make_program(&im);
	im.ph[1].p_filesz = im.ph[1].p_memsz + 1;
	CHECK_REFUSED(&im, "segment 1: file size larger than memory size");
}

HOST_TEST(refuses_empty_segment)
{
	struct image im;

	make_program(&im);
	im.ph[1].p_filesz = 0;
	im.ph[1].p_memsz = 0;
	CHECK_REFUSED(&im, "segment 1 is empty");
}

HOST_TEST(refuses_segment_outside_file)
{
	struct image im;

	make_program(&im);
	im.ph[1].p_filesz = 0x101;	/* one byte past the end */
	CHECK_REFUSED(&im, "segment 1 outside the file");

	/* Offset + size wraps around in 32 bits. */
	make_program(&im);
	im.ph[1].p_offset = 0xfffff000;
	im.ph[1].p_filesz = 0x1000;
	CHECK_REFUSED(&im, "segment 1 outside the file");

	/* Only filesz comes from the file: a big memsz is fine. */
	make_program(&im);
	im.ph[1].p_memsz = 0x100000;
	CHECK_ACCEPTED(&im);
}

HOST_TEST(refuses_segment_outside_user_space)
{
	struct image im;

	make_program(&im);
	im.ph[0].p_vaddr = 0;	/* the null page */
	im.eh.e_entry = 0x100;
	CHECK_REFUSED(&im, "segment 0 outside user space");

	make_program(&im);
	im.ph[1].p_vaddr = USER_LIMIT - 0x1000;	/* bss runs past the limit */
	CHECK_REFUSED(&im, "segment 1 outside user space");

	make_program(&im);
	im.ph[1].p_vaddr = 0xc0000000;		/* the kernel half */
	CHECK_REFUSED(&im, "segment 1 outside user space");

	make_program(&im);
	im.ph[1].p_vaddr = 0xfffff000;		/* vaddr + memsz wraps to 0x1000 */
	CHECK_REFUSED(&im, "segment 1 outside user space");

	/* Ending exactly at the limit, starting exactly at the base: fine. */
	make_program(&im);
	im.ph[1].p_vaddr = USER_LIMIT - 0x2000;
	im.ph[2].p_vaddr = USER_LIMIT - 0x2000;
	CHECK_ACCEPTED(&im);
	make_minimal(&im);
	im.ph[0].p_vaddr = USER_BASE;
	im.eh.e_entry = USER_BASE;
	CHECK_ACCEPTED(&im);
}

HOST_TEST(refuses_bad_segment_alignment)
{
	struct image im;

	make_program(&im);
	im.ph[1].p_align = 0x1800;
	CHECK_REFUSED(&im, "segment 1: alignment not a power of two");

	make_program(&im);
	im.ph[1].p_vaddr += 0x10;	/* offset 0x1000, address 0x...010 */
	im.ph[2].p_vaddr += 0x10;
	CHECK_REFUSED(&im, "segment 1: address and offset disagree modulo alignment");

	/* Alignment 0 or 1 promises nothing, so asks nothing. */
	im.ph[1].p_align = 1;
	CHECK_ACCEPTED(&im);
	im.ph[1].p_align = 0;
	CHECK_ACCEPTED(&im);
}

/* n one-page segments, 4 KiB apart in the file and 8 KiB apart in memory. */
static void make_many(struct image *im, unsigned n)
{
	make_header(im, 0x1000 * (n + 1));
	for (unsigned i = 0; i < n; i++)
		add_ph(im, PT_LOAD, 0x1000 * (i + 1), TEXT + 0x2000 * i, 0x1000, 0x1000,
		       PF_R | PF_X, 0x1000);
	im->eh.e_entry = TEXT;
}

HOST_TEST(refuses_too_many_segments)
{
	struct image im;

	make_many(&im, ELF_MAX_SEGMENTS);
	CHECK_ACCEPTED(&im);
	CHECK_EQ(info.segment_count, ELF_MAX_SEGMENTS);
	CHECK_EQ(info.segments[ELF_MAX_SEGMENTS - 1].vaddr, TEXT + 0x2000 * (ELF_MAX_SEGMENTS - 1));

	make_many(&im, ELF_MAX_SEGMENTS + 1);
	CHECK_REFUSED(&im, "too many loadable segments");
}

HOST_TEST(refuses_overlapping_segments)
{
	struct image im;

	make_program(&im);
	im.ph[1].p_vaddr = TEXT + 0x800;	/* inside the text */
	im.ph[1].p_offset = 0x800;
	im.ph[2].p_vaddr = TEXT + 0x800;
	CHECK_REFUSED(&im, "segments 0 and 1 overlap");

	/* Disjoint bytes, but a shared page: refused too. */
	make_header(&im, 0x1000);
	add_ph(&im, PT_LOAD, 0, TEXT, 0x800, 0x800, PF_R | PF_X, 0x1000);
	add_ph(&im, PT_LOAD, 0x900, TEXT + 0x900, 0x100, 0x100, PF_R | PF_W, 0x1000);
	CHECK_REFUSED(&im, "segments 0 and 1 overlap");

	/* The bss of one reaching into the next one's first page. */
	make_program(&im);
	im.ph[0].p_memsz = 0x1001;
	CHECK_REFUSED(&im, "segments 0 and 1 overlap");

	/* Numbers are program header indices, past other header types. */
	make_many(&im, 12);
	im.ph[11].p_vaddr = im.ph[3].p_vaddr;
	im.ph[1].p_type = PT_NOTE;
	CHECK_REFUSED(&im, "segments 3 and 11 overlap");
}

HOST_TEST(refuses_entry_outside_executable_segment)
{
	struct image im;

	make_program(&im);
	im.eh.e_entry = TEXT + 0x1000 + 0x10;	/* in .data */
	CHECK_REFUSED(&im, "entry point not in an executable segment");
	im.eh.e_entry = TEXT + 0x1000;		/* just past the text */
	CHECK_REFUSED(&im, "entry point not in an executable segment");
	im.eh.e_entry = TEXT - 1;
	CHECK_REFUSED(&im, "entry point not in an executable segment");
	im.eh.e_entry = 0;
	CHECK_REFUSED(&im, "entry point not in an executable segment");

	/* Only file-backed bytes hold code: not the zeroed tail. */
	make_minimal(&im);
	im.ph[0].p_memsz = 0x400;
	im.eh.e_entry = TEXT + 0x300;
	CHECK_REFUSED(&im, "entry point not in an executable segment");

	/* Not executable at all. */
	make_minimal(&im);
	im.ph[0].p_flags = PF_R;
	CHECK_REFUSED(&im, "entry point not in an executable segment");

	/* The first and last bytes are fine. */
	make_minimal(&im);
	im.eh.e_entry = TEXT;
	CHECK_ACCEPTED(&im);
	im.eh.e_entry = TEXT + 0x1ff;
	CHECK_ACCEPTED(&im);
}

HOST_TEST(refuses_no_loadable_segment)
{
	struct image im;

	make_header(&im, 0x1000);
	add_ph(&im, PT_GNU_STACK, 0, 0, 0, 0, PF_R | PF_W, 16);
	add_ph(&im, PT_TLS, 0x100, TEXT, 0, 0x10, PF_R, 4);
	CHECK_REFUSED(&im, "no loadable segment");
}

HOST_TEST(refuses_dynamically_linked)
{
	struct image im;

	make_program(&im);
	add_ph(&im, PT_INTERP, 0x200, TEXT + 0x200, 0x13, 0x13, PF_R, 1);
	CHECK_REFUSED(&im, "dynamically linked");
	make_program(&im);
	add_ph(&im, PT_DYNAMIC, 0x1000, TEXT + 0x1000, 0x80, 0x80, PF_R | PF_W, 4);
	CHECK_REFUSED(&im, "dynamically linked");
}

HOST_TEST(refuses_two_tls_segments)
{
	struct image im;

	make_program(&im);
	add_ph(&im, PT_TLS, 0x1000, TEXT + 0x1000, 0x10, 0x40, PF_R, 4);
	CHECK_REFUSED(&im, "more than one TLS segment");
}

HOST_TEST(refuses_tls_file_size_above_memory_size)
{
	struct image im;

	make_program(&im);
	im.ph[2].p_filesz = 0x41;
	CHECK_REFUSED(&im, "TLS segment: file size larger than memory size");
}

HOST_TEST(refuses_bad_tls_alignment)
{
	struct image im;

	make_program(&im);
	im.ph[2].p_align = 12;
	CHECK_REFUSED(&im, "TLS segment alignment not a power of two up to 4096");
	im.ph[2].p_align = 8192;
	CHECK_REFUSED(&im, "TLS segment alignment not a power of two up to 4096");
	for (uint32_t align = 0; align <= 4096; align = align ? align * 2 : 1) {
		im.ph[2].p_align = align;
		CHECK_ACCEPTED(&im);
		CHECK_EQ(info.tls.align, align);
	}
}

HOST_TEST(refuses_tls_over_1_mib)
{
	struct image im;

	make_program(&im);
	im.ph[2].p_memsz = 0x100001;
	CHECK_REFUSED(&im, "TLS segment larger than 1 MiB");
	im.ph[2].p_memsz = 0x100000;
	CHECK_ACCEPTED(&im);
}

HOST_TEST(refuses_tls_outside_loaded_segment)
{
	struct image im;

	/* .tdata in the zeroed part of the data segment. */
	make_program(&im);
	im.ph[2].p_vaddr = TEXT + 0x1000 + 0x100;
	CHECK_REFUSED(&im, "TLS segment not inside a loaded segment");

	/* Straddling the end of the file-backed part. */
	im.ph[2].p_vaddr = TEXT + 0x1000 + 0xf8;
	CHECK_REFUSED(&im, "TLS segment not inside a loaded segment");

	/* Nowhere near, or wrapping around. */
	im.ph[2].p_vaddr = 0x10000000;
	CHECK_REFUSED(&im, "TLS segment not inside a loaded segment");
	im.ph[2].p_vaddr = 0xfffffff8;
	CHECK_REFUSED(&im, "TLS segment not inside a loaded segment");

	/* Ending exactly at the end of the file-backed part: fine. */
	im.ph[2].p_vaddr = TEXT + 0x1000 + 0xf0;
	CHECK_ACCEPTED(&im);

	/* Only .tbss: no initial bytes to find, wherever it says it is. */
	make_program(&im);
	im.ph[2].p_filesz = 0;
	im.ph[2].p_vaddr = 0x10000000;
	CHECK_ACCEPTED(&im);
	CHECK(info.has_tls);
	CHECK_EQ(info.tls.memsz, 0x40);
}

HOST_TEST(every_truncation_refused)
{
	struct image im;
	uint8_t *block;

	make_program(&im);
	const uint8_t *full = write_image(&im, &block);

	for (size_t len = 0; len <= im.size; len++) {
		/* An exact-size copy, so reading past len is an ASan error. */
		uint8_t *prefix = malloc(len ? len : 1);
		const char *why;

		memcpy(prefix, full, len);
		int err = check_bytes(prefix, len, &why);

		if (len < im.size)
			CHECK_EQ(err, -ENOEXEC);
		else
			CHECK_EQ(err, 0);
		CHECK(err ? why && *why : why == NULL);
		free(prefix);
	}
	free(block);
}

/* Corruptions from xorshift32: the same on every host and every run. */
HOST_TEST(random_corruptions_never_crash)
{
	struct image im;
	uint8_t *block;
	uint32_t state = 0x10c05;
	unsigned accepted = 0, refused = 0;

	make_program(&im);
	uint8_t *file = write_image(&im, &block);
	size_t headers = im.eh.e_phoff + im.eh.e_phnum * sizeof(struct elf32_program_header);

	for (int round = 0; round < 20000; round++) {
		/* Mostly the headers, where every byte matters. */
		size_t at = xorshift32(&state) % (round % 4 ? headers : im.size);
		uint8_t old = file[at];
		const char *why;

		file[at] = (uint8_t)xorshift32(&state);
		if (check_bytes(file, im.size, &why) == 0) {
			accepted++;
			CHECK(why == NULL);
			CHECK(info_is_sound(&info, im.size));
		} else {
			refused++;
			CHECK(why && *why);
		}
		file[at] = old;
	}
	/* Both outcomes happen, or the corruption missed the point. */
	CHECK(accepted > 0);
	CHECK(refused > 0);
	free(block);
}
