/*
 * libFuzzer target: the ELF checker (kernel/task/elf.c) on any bytes.
 * Whatever it refuses must come with a reason; whatever it accepts must
 * give the loader only numbers it can trust. libFuzzer hands each input in
 * a heap block of exactly its size, so AddressSanitizer catches a read
 * past the end of the file.
 */
#include <stdint.h>
#include <stdlib.h>

#include "task/elf.h"
#include "uapi/errno.h"

#define USER_BASE 0x1000u
#define USER_LIMIT 0xbf800000u
#define PAGE 4096u

static void require(bool cond)
{
	if (!cond)
		abort();
}

/* The first page a segment touches and the one after its last. */
static uint64_t first_page(const struct elf_segment *s)
{
	return s->vaddr / PAGE;
}

static uint64_t end_page(const struct elf_segment *s)
{
	return ((uint64_t)s->vaddr + s->memsz + PAGE - 1) / PAGE;
}

static void check_accepted(const struct elf_image_info *info, size_t size)
{
	bool entry_ok = false;

	require(info->segment_count >= 1 && info->segment_count <= ELF_MAX_SEGMENTS);
	for (unsigned i = 0; i < info->segment_count; i++) {
		const struct elf_segment *s = &info->segments[i];

		require(s->memsz > 0 && s->filesz <= s->memsz);
		require(s->vaddr >= USER_BASE && (uint64_t)s->vaddr + s->memsz <= USER_LIMIT);
		require((uint64_t)s->offset + s->filesz <= size);
		for (unsigned j = 0; j < i; j++) {
			const struct elf_segment *t = &info->segments[j];

			require(end_page(s) <= first_page(t) || end_page(t) <= first_page(s));
		}
		if (s->executable && info->entry >= s->vaddr &&
		    info->entry < (uint64_t)s->vaddr + s->filesz)
			entry_ok = true;
	}
	require(entry_ok);
	if (info->has_tls) {
		const struct elf_tls *t = &info->tls;

		require(t->filesz <= t->memsz && t->memsz <= ELF_MAX_TLS_SIZE);
		require(t->align <= ELF_MAX_TLS_ALIGN && (t->align & (t->align - 1)) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image_info info;
	const char *why = NULL;
	int err = elf_check(data, size, USER_BASE, USER_LIMIT, &info, &why);

	if (err) {
		require(err == -ENOEXEC && why && why[0]);
		return 0;
	}
	require(why == NULL);
	check_accepted(&info, size);
	return 0;
}
