/* ELF TLS variant II arithmetic (see tls_layout.h for the picture). */
#include "cpu_locals/tls_layout.h"

#include "lib/compiler.h"
#include "lib/string.h"
#include "uapi/errno.h"

int tls_layout_compute(const struct tls_image *image, size_t tcb_size, size_t tcb_align,
		       struct tls_layout *layout)
{
	size_t align = image->align ? image->align : 1;

	if (!IS_POWER_OF_TWO(align) || !IS_POWER_OF_TWO(tcb_align))
		return -EINVAL;
	if (image->filesz > image->memsz || tcb_size < sizeof(void *))
		return -EINVAL;
	/* round_up(memsz, align) and the region size must not wrap. */
	if (image->memsz > SIZE_MAX / 2 || align > SIZE_MAX / 4 || tcb_size > SIZE_MAX / 4)
		return -EINVAL;

	layout->region_align = MAX(MAX(align, tcb_align), _Alignof(uintptr_t));
	layout->block_size = ALIGN_UP(image->memsz, align);
	layout->tp_offset = ALIGN_UP(layout->block_size, layout->region_align);
	layout->tcb_size = tcb_size;
	layout->region_size = layout->tp_offset + tcb_size;
	return 0;
}

uintptr_t tls_region_init(void *region, const struct tls_image *image,
			  const struct tls_layout *layout)
{
	uintptr_t tp = (uintptr_t)region + layout->tp_offset;
	char *block = (char *)(tp - layout->block_size);

	memset(region, 0, layout->region_size);
	if (image->filesz)
		memcpy(block, image->init, image->filesz);
	*(uintptr_t *)tp = tp;
	return tp;
}
