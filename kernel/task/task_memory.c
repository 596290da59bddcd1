/*
 * User memory of a task. Every user page is a frame of its own, owned by
 * exactly one task: unmapping or the task's death frees it. The space's
 * lock covers both the page tables and pages_mapped; TLB shootdowns
 * happen after it is released (mm/tlb.h).
 */
#include "task/task_memory.h"

#include "lib/compiler.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/tlb.h"
#include "task/task.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

#define QUOTA_SHARE 4		/* a task may hold 1/QUOTA_SHARE of memory */
#define UNMAP_BATCH 16

void task_memory_init(struct task *task)
{
	task->page_quota = frames_managed() / QUOTA_SHARE;
	task->map_hint = USER_MAP_BASE;
}

/*
 * Is [va, va + npages) a range of pages user code may map and unmap? Not
 * the UTCB area at the top of user space: its frames belong to the UTCB
 * allocator, which reaches them through the kernel's own mapping, so a
 * task that could unmap one would have its frame freed under the kernel.
 */
static bool user_range_ok(uintptr_t va, size_t npages)
{
	return va % PAGE_SIZE == 0 && va >= USER_BASE && va < UTCB_AREA_BASE && npages &&
	       npages <= (UTCB_AREA_BASE - va) / PAGE_SIZE;
}

/* space.lock held: is [va, va + npages) entirely unmapped? */
static bool range_free(struct task *task, uintptr_t va, size_t npages)
{
	uintptr_t end = va + npages * PAGE_SIZE;

	return paging_first_mapped_locked(&task->space, va, end) == end;
}

/* space.lock held: unmaps whatever is mapped in [va, va + n), collecting
 * the frames, which may be freed only after the TLB shootdown. */
static void unmap_batch(struct task *task, uintptr_t va, size_t n, paddr_t *frames,
			size_t *count)
{
	for (size_t i = 0; i < n; i++) {
		paddr_t pa;

		if (paging_unmap_locked(&task->space, va + i * PAGE_SIZE, &pa) == 0) {
			frames[(*count)++] = pa;
			task->pages_mapped--;
		}
	}
}

static void free_after_shootdown(struct task *task, uintptr_t va, size_t n, paddr_t *frames,
				 size_t count)
{
	if (count)
		tlb_invalidate_range(&task->space, va, n);
	for (size_t i = 0; i < count; i++)
		frame_free(frames[i]);
}

int task_map_pages(struct task *task, uintptr_t va, size_t npages, unsigned flags)
{
	if (!user_range_ok(va, npages))
		return -EINVAL;
	flags |= MAP_USER;
	spin_lock(&task->space.lock);
	if (!range_free(task, va, npages)) {
		spin_unlock(&task->space.lock);
		return -EEXIST;
	}
	if (npages > task->page_quota - task->pages_mapped) {
		spin_unlock(&task->space.lock);
		return -ENOMEM;
	}
	for (size_t i = 0; i < npages; i++) {
		paddr_t pa = frame_alloc_zeroed();
		int err = pa ? paging_map_locked(&task->space, va + i * PAGE_SIZE, pa, flags)
			     : -ENOMEM;

		if (err) {
			if (pa)
				frame_free(pa);
			/* Take back what was mapped: those entries were never
			 * present before, so no TLB can hold them. */
			for (size_t j = 0; j < i; j++) {
				paddr_t old;

				paging_unmap_locked(&task->space, va + j * PAGE_SIZE, &old);
				frame_free(old);
			}
			task->pages_mapped -= i;
			spin_unlock(&task->space.lock);
			return err;
		}
		task->pages_mapped++;
	}
	spin_unlock(&task->space.lock);
	return 0;
}

/*
 * space.lock held: the first va from `from` up where npages free pages
 * fit below limit, or 0. After a mapped page the search resumes just past
 * it, so no page is looked at twice and the time is linear in the range
 * searched (empty page tables are skipped whole).
 */
static uintptr_t first_fit_locked(struct task *task, uintptr_t from, size_t npages,
				  uintptr_t limit)
{
	uintptr_t va = from;

	while (va < limit && npages <= (limit - va) / PAGE_SIZE) {
		uintptr_t end = va + npages * PAGE_SIZE;
		uintptr_t mapped = paging_first_mapped_locked(&task->space, va, end);

		if (mapped == end)
			return va;
		va = mapped + PAGE_SIZE;
	}
	return 0;
}

int task_mem_map(struct task *task, uintptr_t hint, size_t size, unsigned prot,
		 uintptr_t *addr)
{
	size_t npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	const uintptr_t limit = USER_STACK_TOP - USER_STACK_AREA_SIZE;
	unsigned flags = (prot & PROT_WRITE) ? MAP_WRITE : 0;

	/* Without PAE a present page is readable and executable: only
	 * PROT_WRITE changes the mapping; unknown bits are an error. */
	if (size == 0 || npages > (limit - USER_MAP_BASE) / PAGE_SIZE ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (hint) {
		if (hint % PAGE_SIZE || hint < USER_BASE || hint >= limit ||
		    npages > (limit - hint) / PAGE_SIZE)
			return -EINVAL;
		int err = task_map_pages(task, hint, npages, flags);

		if (err != -EEXIST) {
			if (!err)
				*addr = hint;
			return err;
		}
	}
	/* First fit from the hint left by the last mapping; the lock is
	 * retaken by task_map_pages, so another thread may win the range:
	 * then look again. */
	for (int attempt = 0; attempt < 8; attempt++) {
		spin_lock(&task->space.lock);
		uintptr_t found = first_fit_locked(task, task->map_hint, npages, limit);
		if (!found)
			found = first_fit_locked(task, USER_MAP_BASE, npages, limit);
		if (found)
			task->map_hint = found + npages * PAGE_SIZE;
		spin_unlock(&task->space.lock);
		if (!found)
			return -ENOMEM;
		int err = task_map_pages(task, found, npages, flags);

		if (err != -EEXIST) {
			if (!err)
				*addr = found;
			return err;
		}
	}
	return -EAGAIN;
}

int task_mem_unmap(struct task *task, uintptr_t va, size_t size)
{
	size_t npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;

	if (!user_range_ok(va, npages))
		return -EINVAL;
	for (size_t done = 0; done < npages; done += UNMAP_BATCH) {
		paddr_t frames[UNMAP_BATCH];
		size_t count = 0, n = MIN((size_t)UNMAP_BATCH, npages - done);
		uintptr_t batch = va + done * PAGE_SIZE;

		spin_lock(&task->space.lock);
		unmap_batch(task, batch, n, frames, &count);
		spin_unlock(&task->space.lock);
		free_after_shootdown(task, batch, n, frames, count);
	}
	return 0;
}

int task_page_frame(struct task *task, uintptr_t va, uint32_t *pa)
{
	return paging_query(&task->space, va, pa, NULL);
}

static void free_user_frame(paddr_t pa, void *ctx)
{
	(void)ctx;
	frame_free(pa);
}

void task_memory_release(struct task *task)
{
	address_space_destroy(&task->space, free_user_frame, NULL);
	task->pages_mapped = 0;
}
