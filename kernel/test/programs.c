#include "test/programs.h"

#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vmap.h"
#include "sched/kstack.h"
#include "task/task.h"

int run_program_with_caps(const char *name, const char *args, int cpu, const struct cap *caps,
			  unsigned ncaps, int *status)
{
	int err;
	struct task *task = task_spawn(name, args, cpu, caps, NULL, ncaps, &err);

	if (!task)
		return err;
	err = task_wait(task, status);
	task_put(task);
	return err;
}

int run_program(const char *name, const char *args, int cpu, int *status)
{
	return run_program_with_caps(name, args, cpu, NULL, 0, status);
}

uint32_t frames_available(void)
{
	struct heap_stats h;

	heap_get_stats(&h);
	return frames_free() + h.slab_pages + kstack_cached() * KSTACK_PAGES;
}

uint32_t vmap_pages_in_use(void)
{
	return vmap_pages_used() - kstack_cached() * (KSTACK_PAGES + KSTACK_GUARD_PAGES);
}
