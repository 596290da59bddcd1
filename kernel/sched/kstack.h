/* Kernel stacks, with a per-core cache of freed ones (kstack.c). */
#ifndef LOCUS_SCHED_KSTACK_H
#define LOCUS_SCHED_KSTACK_H

#define KSTACK_PAGES 2
#define KSTACK_GUARD_PAGES 1

/* KSTACK_PAGES of kernel stack above a guard page: the address of the
 * lowest stack page, or NULL without memory. Not zeroed. */
void *kstack_alloc(void);
/* Gives a stack back (to this core's cache, or to the kernel area). No
 * spinlock may be held: unmapping waits for the other cores. */
void kstack_free(void *stack);
/* Stacks the cores keep for reuse: still mapped, not leaked (for leak
 * checks: KSTACK_PAGES frames and KSTACK_PAGES + KSTACK_GUARD_PAGES pages
 * of the kernel area each). */
unsigned kstack_cached(void);

#endif
