/*
 * User TLS: the program's own PT_TLS image (found through the symbols
 * user/user.ld exports) laid out by the same code the kernel uses for its
 * cpu-locals (kernel/cpu_locals/tls_layout.c).
 */
#include "locus/tls.h"

#include "cpu_locals/tls_layout.h"
#include "locus.h"

extern const char __tls_image_start[];
extern const char __tls_image_filesz[];
extern const char __tls_image_memsz[];
extern const char __tls_image_align[];

static struct tls_image image;
static struct tls_layout layout;

static void layout_once(void)
{
	if (layout.region_size)
		return;
	image = (struct tls_image){
		.init = __tls_image_start,
		.filesz = (size_t)__tls_image_filesz,
		.memsz = (size_t)__tls_image_memsz,
		.align = (size_t)__tls_image_align,
	};
	if (tls_layout_compute(&image, sizeof(struct user_tcb), _Alignof(struct user_tcb),
			       &layout) < 0)
		task_exit(ENOEXEC);
}

size_t tls_region_size(void)
{
	layout_once();
	return layout.region_size;
}

size_t tls_region_align(void)
{
	layout_once();
	return layout.region_align;
}

struct user_tcb *tls_region_setup(void *memory)
{
	layout_once();
	return (struct user_tcb *)tls_region_init(memory, &image, &layout);
}

void tls_init_main_thread(void)
{
	/* mem_map gives page-aligned memory: enough for any TLS alignment
	 * the kernel's ELF check accepts (at most a page). */
	void *region = mem_map(NULL, tls_region_size(), PROT_READ | PROT_WRITE, NULL);

	if (!region)
		task_exit(ENOMEM);
	set_tls(tls_region_setup(region));
}
