/*
 * pthread_create: the new thread's stack, struct pthread, TLS block and
 * TCB come from one mem_map allocation, laid out like uthread_create's
 * (user/lib/uthread.c) with the struct pthread between stack and TLS.
 * uthread_create itself cannot be used: it starts the thread before
 * returning, and the struct pthread must be in place (and %gs:8 point at
 * it) before the thread's first instruction.
 */
#include "pthread_internal.h"

#include <errno.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/tls.h"

#define PAGE_SIZE 4096
/* Room for aligning the struct pthread and the first call frame. */
#define LAYOUT_SLACK 64
/* Beyond this a stack could not be mapped anyway (and sizes could wrap). */
#define STACK_SIZE_MAX (1024u * 1024 * 1024)

/* Where every pthread begins, from the call frame built below. */
static __noreturn void pthread_start(struct pthread *self)
{
	pthread_exit(self->start(self->arg));
}

static bool attr_valid(const pthread_attr_t *attr)
{
	return attr->stacksize >= PTHREAD_STACK_MIN &&
	       (attr->detachstate == PTHREAD_CREATE_JOINABLE ||
		attr->detachstate == PTHREAD_CREATE_DETACHED) &&
	       (attr->cpu == CPU_ANY || (attr->cpu >= 0 && attr->cpu < cpu_count()));
}

/* Lays out one allocation: its struct pthread, with the TCB in *tcb
 * already pointing at it. */
static struct pthread *lay_out(char *memory, size_t size, struct user_tcb **tcb)
{
	size_t tls_size = ALIGN_UP(tls_region_size(), tls_region_align());
	uintptr_t tls = ALIGN_DOWN((uintptr_t)memory + size - tls_size, tls_region_align());
	struct pthread *t = (struct pthread *)ALIGN_DOWN(tls - sizeof(*t), 16);

	*tcb = tls_region_setup((void *)tls);

	/* Fresh from mem_map, so already zero: only the non-zero fields. */
	t->memory = memory;
	t->size = size;
	(*tcb)->thread = t;
	return t;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg)
{
	pthread_attr_t defaults;

	if (!thread || !start)
		return EINVAL;
	if (!attr) {
		pthread_attr_init(&defaults);
		attr = &defaults;
	}
	if (!attr_valid(attr))
		return EINVAL;
	if (attr->stacksize > STACK_SIZE_MAX)
		return EAGAIN;
	pthread_reap();

	size_t tls_size = ALIGN_UP(tls_region_size(), tls_region_align());
	size_t size = ALIGN_UP(ALIGN_UP(attr->stacksize, 16) + sizeof(struct pthread) +
				       LAYOUT_SLACK + tls_size + tls_region_align(),
			       (size_t)PAGE_SIZE);
	char *memory = mem_map(NULL, size, PROT_READ | PROT_WRITE, NULL);

	if (!memory)
		return EAGAIN;
	struct user_tcb *tcb;
	struct pthread *t = lay_out(memory, size, &tcb);

	t->start = start;
	t->arg = arg;
	t->detached = attr->detachstate == PTHREAD_CREATE_DETACHED;

	/* A C call frame: at entry [esp] is the return address (none) and
	 * the argument at esp + 4 is 16-byte aligned, as the ABI wants. */
	uint32_t *frame = (uint32_t *)(ALIGN_DOWN((uintptr_t)t, 16) - 16);

	frame[0] = (uint32_t)t;
	frame[-1] = 0;

	/* Listed before it runs (its exit looks at its own flags under the
	 * lock), and the lock held until its capability is stored, so that
	 * whoever finds it listed (a joiner, a reaper) can use t->cap. */
	pthread_mutex_lock(&pthread_threads_lock);
	pthread_list_add(t);
	int cap = thread_create((const void *)pthread_start, &frame[-1], tcb, 0,
				PTHREAD_PRIORITY, attr->cpu);

	if (cap < 0) {
		pthread_list_remove(t);
		pthread_mutex_unlock(&pthread_threads_lock);
		mem_unmap(memory, size);
		return cap == -EINVAL ? EINVAL : EAGAIN;
	}
	t->cap = cap;
	*thread = t;
	pthread_mutex_unlock(&pthread_threads_lock);
	return 0;
}
