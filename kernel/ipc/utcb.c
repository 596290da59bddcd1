#include "ipc/utcb.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/compiler.h"
#include "lib/string.h"
#include "mm/frame.h"
#include "mm/paging.h"
#include "mm/tlb.h"
#include "task/task.h"
#include "uapi/errno.h"

#define UTCB_PAGES (UTCB_TASK_SLOTS / UTCBS_PER_PAGE)

_Static_assert(UTCB_PAGES * PAGE_SIZE <= UTCB_AREA_SIZE, "UTCB area too small");

/* Slots taken minus slots given back on this core, under a task's UTCB
 * lock (interrupts off); summed over the cores, the slots of all tasks. */
static CPU_LOCAL int32_t slots_taken;

static uintptr_t page_va(unsigned page)
{
	return UTCB_AREA_BASE + page * PAGE_SIZE;
}

int utcb_alloc(struct task *task, struct utcb **kernel_view, uintptr_t *user_addr)
{
	struct task_utcbs *u = &task->utcbs;
	int err = -ENOSPC;

	spin_lock(&u->lock);
	for (unsigned slot = 0; slot < UTCB_TASK_SLOTS && !u->gone; slot++) {
		if (u->used[slot / 32] & (1u << (slot % 32)))
			continue;
		unsigned page = slot / UTCBS_PER_PAGE;

		if (u->page_users[page] == 0) {
			paddr_t pa = frame_alloc_zeroed();

			err = pa ? paging_map(&task->space, page_va(page), pa, MAP_USER | MAP_WRITE)
				 : -ENOMEM;
			if (err) {
				if (pa)
					frame_free(pa);
				break;
			}
			u->frames[page] = pa;
		}
		u->page_users[page]++;
		u->used[slot / 32] |= 1u << (slot % 32);
		u->count++;
		slots_taken++;
		unsigned offset = (slot % UTCBS_PER_PAGE) * UTCB_SIZE;

		*kernel_view = (struct utcb *)((uint8_t *)phys_to_virt(u->frames[page]) + offset);
		*user_addr = page_va(page) + offset;
		memset(*kernel_view, 0, UTCB_SIZE);
		err = 0;
		break;
	}
	spin_unlock(&u->lock);
	return err;
}

void utcb_free(struct task *task, uintptr_t user_addr)
{
	struct task_utcbs *u = &task->utcbs;
	unsigned slot = (user_addr - UTCB_AREA_BASE) / UTCB_SIZE;
	unsigned page = slot / UTCBS_PER_PAGE;
	paddr_t unmapped = 0;

	spin_lock(&u->lock);
	if (!u->gone) {
		u->used[slot / 32] &= ~(1u << (slot % 32));
		u->count--;
		slots_taken--;
		if (--u->page_users[page] == 0) {
			spin_lock(&task->space.lock);
			paging_unmap_locked(&task->space, page_va(page), &unmapped);
			spin_unlock(&task->space.lock);
		}
	}
	spin_unlock(&u->lock);
	if (unmapped) {
		tlb_invalidate_page(&task->space, page_va(page));
		frame_free(unmapped);
	}
}

void utcb_area_release(struct task *task)
{
	spin_lock(&task->utcbs.lock);
	task->utcbs.gone = true;
	/* The threads still holding slots free nothing once the area is gone. */
	slots_taken -= (int32_t)task->utcbs.count;
	spin_unlock(&task->utcbs.lock);
}

unsigned utcb_slots_in_use(void)
{
	return (unsigned)cpu_local_sum(&slots_taken);
}
