/*
 * The system call runs in the caller's address space, so once a page is
 * checked the kernel reads or writes it through the user address itself.
 * The check and the copy of each page happen under the space's lock: an
 * unmap by another thread waits, so the page cannot vanish in between.
 */
#include "task/uaccess.h"

#include "lib/compiler.h"
#include "lib/string.h"
#include "mm/paging.h"
#include "sched/thread.h"
#include "task/task.h"
#include "uapi/errno.h"

/* space.lock held: may the kernel access [va, va + len) of one page for
 * the user? */
static bool page_ok(struct address_space *as, uintptr_t va, bool write)
{
	unsigned flags;

	if (paging_query_locked(as, ALIGN_DOWN(va, PAGE_SIZE), NULL, &flags) < 0)
		return false;
	return (flags & MAP_USER) && (!write || (flags & MAP_WRITE));
}

static bool range_ok(uintptr_t va, size_t len)
{
	return va < USER_TOP && len <= USER_TOP - va;
}

/* Copies page by page; to_user selects the direction. */
static int copy_user(void *kernel, uintptr_t user, size_t len, bool to_user)
{
	struct task *task = current_thread()->task;

	if (!task || !range_ok(user, len))
		return -EFAULT;
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - user % PAGE_SIZE);

		spin_lock(&task->space.lock);
		if (!page_ok(&task->space, user, to_user)) {
			spin_unlock(&task->space.lock);
			return -EFAULT;
		}
		if (to_user)
			memcpy((void *)user, kernel, chunk);
		else
			memcpy(kernel, (const void *)user, chunk);
		spin_unlock(&task->space.lock);
		kernel = (uint8_t *)kernel + chunk;
		user += chunk;
		len -= chunk;
	}
	return 0;
}

int copy_from_user(void *dst, uintptr_t src, size_t len)
{
	return copy_user(dst, src, len, false);
}

int copy_to_user(uintptr_t dst, const void *src, size_t len)
{
	return copy_user((void *)src, dst, len, true);
}

int string_from_user(char *dst, uintptr_t src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		int err = copy_from_user(&dst[i], src + i, 1);

		if (err)
			return err;
		if (dst[i] == '\0')
			return (int)i;
	}
	return -ENAMETOOLONG;
}
