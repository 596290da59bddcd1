// host-test-sources: kernel/cpu_locals/tls_layout.c
/* ELF TLS variant II layout arithmetic. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cpu_locals/tls_layout.h"
#include "uapi/errno.h"

#define ALIGN(x, a) (((x) + (a) - 1) / (a) * (a))

static const unsigned char init_bytes[256] = "initial values of .tdata, byte by byte....";

/* Builds a region for (filesz, memsz, align) and checks every property. */
static void check_layout(size_t filesz, size_t memsz, size_t align)
{
	struct tls_image img = { init_bytes, filesz, memsz, align };
	struct tls_layout l;

	if (tls_layout_compute(&img, 16, sizeof(void *), &l) != 0) {
		CHECK(!"layout refused");
		return;
	}
	size_t a = align ? align : 1;

	CHECK(l.block_size >= memsz);
	CHECK(l.block_size < memsz + a);
	CHECK_EQ(l.block_size % a, 0);
	CHECK_EQ(l.region_align, a > sizeof(void *) ? a : sizeof(void *));
	CHECK_EQ(l.tp_offset % l.region_align, 0);
	CHECK(l.tp_offset >= l.block_size && l.tp_offset - l.block_size < l.region_align);
	CHECK_EQ((l.tp_offset - l.block_size) % a, 0);
	CHECK_EQ(l.region_size, l.tp_offset + 16);

	unsigned char *region = aligned_alloc(l.region_align, ALIGN(l.region_size, l.region_align));

	memset(region, 0xCC, l.region_size);
	uintptr_t tp = tls_region_init(region, &img, &l);

	unsigned char *block = (unsigned char *)(tp - l.block_size);

	CHECK_EQ(tp % l.region_align, 0);
	CHECK_EQ(tp - (uintptr_t)region, l.tp_offset);
	CHECK_EQ((uintptr_t)block % a, 0);
	CHECK_EQ(*(uintptr_t *)tp, tp);
	CHECK(memcmp(block, init_bytes, filesz) == 0);
	for (size_t i = filesz; i < l.block_size; i++)
		if (block[i]) {
			CHECK_EQ(block[i], 0);
			break;
		}
	/* The variable at image offset o is at tp - block_size + o. */
	if (filesz)
		CHECK_EQ(*(unsigned char *)(tp - l.block_size + filesz - 1), init_bytes[filesz - 1]);
	free(region);
}

HOST_TEST(every_alignment_1_to_4096)
{
	for (size_t align = 1; align <= 4096; align *= 2) {
		check_layout(7, 13, align);
		check_layout(0, 1, align);
		check_layout(33, 33, align);
	}
}

HOST_TEST(odd_sizes)
{
	for (size_t memsz = 1; memsz < 200; memsz += 7)
		for (size_t align = 1; align <= 64; align *= 2)
			check_layout(memsz / 3, memsz, align);
}

HOST_TEST(empty_tbss)
{
	check_layout(40, 40, 8);
}

HOST_TEST(empty_tdata)
{
	check_layout(0, 40, 16);
	struct tls_image img = { NULL, 0, 0, 0 };
	struct tls_layout l;

	CHECK_EQ(tls_layout_compute(&img, 16, 4, &l), 0);
	CHECK_EQ(l.block_size, 0);
	CHECK_EQ(l.tp_offset, 0);
}

HOST_TEST(block_offset_is_memsz_rounded_to_align)
{
	struct tls_image img = { init_bytes, 4, 100, 64 };
	struct tls_layout l;

	CHECK_EQ(tls_layout_compute(&img, 8, 4, &l), 0);
	CHECK_EQ(l.block_size, 128);
	CHECK_EQ(l.tp_offset, 128);
	img.align = 4096;
	CHECK_EQ(tls_layout_compute(&img, 8, 4, &l), 0);
	CHECK_EQ(l.block_size, 4096);
	CHECK_EQ(l.region_align, 4096);
}

HOST_TEST(malformed_images_refused)
{
	struct tls_layout l;
	struct tls_image not_pow2 = { init_bytes, 4, 8, 12 };
	struct tls_image file_bigger = { init_bytes, 16, 8, 4 };
	struct tls_image huge = { init_bytes, 0, (size_t)-1, 4 };

	CHECK_EQ(tls_layout_compute(&not_pow2, 8, 4, &l), -EINVAL);
	CHECK_EQ(tls_layout_compute(&file_bigger, 8, 4, &l), -EINVAL);
	CHECK_EQ(tls_layout_compute(&huge, 8, 4, &l), -EINVAL);
	struct tls_image ok = { init_bytes, 4, 8, 4 };

	CHECK_EQ(tls_layout_compute(&ok, 8, 3, &l), -EINVAL);
	CHECK_EQ(tls_layout_compute(&ok, 2, 4, &l), -EINVAL);
	/* A TCB more aligned than the block: the pad goes in front. */
	struct tls_image small = { init_bytes, 3, 13, 1 };

	CHECK_EQ(tls_layout_compute(&small, 16, 16, &l), 0);
	CHECK_EQ(l.block_size, 13);
	CHECK_EQ(l.tp_offset, 16);
	CHECK_EQ(l.region_size, 32);
}
