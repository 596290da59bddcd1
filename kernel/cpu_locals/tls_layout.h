/*
 * ELF TLS variant II layout, as i386 uses it, for the kernel's per-core
 * regions and for user threads alike (the user runtime compiles this same
 * file).
 *
 *   region                                     thread pointer (tp)
 *   |                                           |
 *   v                                           v
 *   +-----+------------+-------------+---------+---------------+
 *   | pad | .tdata copy| .tbss (zero)| padding | TCB: self, ...|
 *   +-----+------------+-------------+---------+---------------+
 *         <--- block_size = round_up(memsz, align) --->
 *   <------------------ tp_offset --------------->
 *
 * The compiler reaches a variable at offset o of the image with
 * %gs:(o - block_size), a negative offset: the linker computes those
 * offsets from p_memsz and p_align alone. The thread pointer must also
 * suit the TCB's alignment, which is what the leading pad is for (it is
 * empty whenever align >= the TCB's alignment, as in the kernel). The
 * TCB's first word points to itself, so reading %gs:0 gives tp.
 */
#ifndef LOCUS_CPU_LOCALS_TLS_LAYOUT_H
#define LOCUS_CPU_LOCALS_TLS_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

/* What PT_TLS says about a TLS image. */
struct tls_image {
	const void *init;	/* initial values (.tdata), filesz bytes */
	size_t filesz;
	size_t memsz;		/* .tdata + .tbss */
	size_t align;		/* p_align; 0 and 1 both mean none */
};

struct tls_layout {
	size_t block_size;	/* tp - start of the TLS block */
	size_t tp_offset;	/* tp - start of the region */
	size_t tcb_size;
	size_t region_size;	/* pad, block and TCB */
	size_t region_align;	/* the region must start at this alignment */
};

/*
 * Computes the layout for an image and a TCB of tcb_size bytes needing
 * tcb_align. Returns 0, or -EINVAL for a malformed image (alignment not a
 * power of two, filesz > memsz, sizes that overflow).
 */
int tls_layout_compute(const struct tls_image *image, size_t tcb_size, size_t tcb_align,
		       struct tls_layout *layout);

/*
 * Fills a region of layout->region_size bytes (aligned to region_align):
 * copies .tdata, zeroes .tbss, the padding and the TCB, and points the
 * TCB's first word at itself. Returns the thread pointer.
 */
uintptr_t tls_region_init(void *region, const struct tls_image *image,
			  const struct tls_layout *layout);

#endif
