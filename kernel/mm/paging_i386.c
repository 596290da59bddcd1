/*
 * Two-level i386 paging (no PAE): a page directory of 1024 entries, each
 * a 4 MiB page (the direct map) or a page table of 1024 4 KiB entries.
 * Page tables are reached through the direct map, so the kernel can edit
 * any address space without switching to it.
 */
#include "mm/paging.h"

#include "cpu_locals/cpu_locals.h"
#include "lib/cpu_i386.h"
#include "lib/panic.h"
#include "lib/string.h"
#include "mm/tlb.h"
#include "uapi/errno.h"

#define PTE_PRESENT 0x001
#define PTE_WRITE 0x002
#define PTE_USER 0x004
#define PTE_WRITE_THROUGH 0x008
#define PTE_CACHE_DISABLE 0x010
#define PTE_LARGE 0x080
#define PTE_GLOBAL 0x100
#define PTE_ADDR_MASK 0xFFFFF000u

#define PD_INDEX(va) ((uint32_t)(va) >> 22)
#define PT_INDEX(va) (((uint32_t)(va) >> 12) & 0x3FF)
#define KERNEL_PDE_FIRST PD_INDEX(KERNEL_VMA)

extern uint32_t boot_page_directory[1024];

struct address_space kernel_space;
static CPU_LOCAL struct address_space *current_space;

paddr_t kernel_page_directory_phys(void)
{
	return virt_to_phys(boot_page_directory);
}

void paging_init(void)
{
	kernel_space.page_directory = boot_page_directory;
	kernel_space.page_directory_phys = kernel_page_directory_phys();
	spin_init(&kernel_space.lock, "kernel space");

	for (uintptr_t va = VMAP_BASE; va < VMAP_END; va += LARGE_PAGE_SIZE) {
		paddr_t pt = frame_alloc_zeroed();

		if (!pt)
			panic("paging: no memory for the kernel area's page tables");
		boot_page_directory[PD_INDEX(va)] = pt | PTE_PRESENT | PTE_WRITE;
	}
	/* The identity map of the first 4 MiB was only for the jump to the
	 * higher half; it is not global, so reloading CR3 drops it. */
	boot_page_directory[0] = 0;
	address_space_switch(&kernel_space);
}

static bool is_kernel_area(uintptr_t va)
{
	return va >= VMAP_BASE && va < VMAP_END;
}

static bool is_user(uintptr_t va)
{
	return va < USER_TOP;
}

/* The entry for va, or NULL when its page table does not exist. */
static uint32_t *pte_find(struct address_space *as, uintptr_t va)
{
	uint32_t pde = as->page_directory[PD_INDEX(va)];

	if (!(pde & PTE_PRESENT) || (pde & PTE_LARGE))
		return NULL;
	uint32_t *pt = phys_to_virt(pde & PTE_ADDR_MASK);

	return &pt[PT_INDEX(va)];
}

int address_space_create(struct address_space *as)
{
	paddr_t pd = frame_alloc_zeroed();

	if (!pd)
		return -ENOMEM;
	as->page_directory = phys_to_virt(pd);
	as->page_directory_phys = pd;
	as->active_cpus = 0;
	spin_init(&as->lock, "address space");
	memcpy(&as->page_directory[KERNEL_PDE_FIRST], &boot_page_directory[KERNEL_PDE_FIRST],
	       (1024 - KERNEL_PDE_FIRST) * sizeof(uint32_t));
	return 0;
}

void address_space_destroy(struct address_space *as, void (*release)(paddr_t pa, void *ctx),
			   void *ctx)
{
	KASSERT(as != &kernel_space);
	KASSERT(READ_ONCE(as->active_cpus) == 0);
	for (unsigned i = 0; i < KERNEL_PDE_FIRST; i++) {
		uint32_t pde = as->page_directory[i];

		if (!(pde & PTE_PRESENT))
			continue;
		uint32_t *pt = phys_to_virt(pde & PTE_ADDR_MASK);

		for (unsigned j = 0; j < 1024; j++)
			if ((pt[j] & PTE_PRESENT) && release)
				release(pt[j] & PTE_ADDR_MASK, ctx);
		frame_free(pde & PTE_ADDR_MASK);
	}
	frame_free(as->page_directory_phys);
	as->page_directory = NULL;
}

void address_space_switch(struct address_space *as)
{
	struct address_space *old = current_space;
	uint32_t me = 1u << cpu_id();

	if (old == as)
		return;
	__atomic_or_fetch(&as->active_cpus, me, __ATOMIC_SEQ_CST);
	write_cr3(as->page_directory_phys);
	if (old)
		__atomic_and_fetch(&old->active_cpus, ~me, __ATOMIC_SEQ_CST);
	current_space = as;
}

struct address_space *address_space_current(void)
{
	return current_space;
}

static int check_range(struct address_space *as, uintptr_t va)
{
	if (va % PAGE_SIZE)
		return -EINVAL;
	if (as == &kernel_space ? !is_kernel_area(va) : !is_user(va))
		return -EINVAL;
	return 0;
}

int paging_map_locked(struct address_space *as, uintptr_t va, paddr_t pa, unsigned flags)
{
	int err = check_range(as, va);

	if (err)
		return err;
	if (pa % PAGE_SIZE || !!(flags & MAP_USER) != (as != &kernel_space))
		return -EINVAL;

	uint32_t *pde = &as->page_directory[PD_INDEX(va)];

	if (!(*pde & PTE_PRESENT)) {
		/* In practice only user page tables: every kernel one
		 * exists from boot (the kernel virtual area's included), so
		 * that all address spaces share them. */
		paddr_t pt = frame_alloc_zeroed();

		if (!pt)
			return -ENOMEM;
		*pde = pt | PTE_PRESENT | PTE_WRITE | PTE_USER;
	}
	uint32_t *pte = pte_find(as, va);

	if (*pte & PTE_PRESENT)
		return -EEXIST;
	uint32_t entry = pa | PTE_PRESENT;

	if (flags & MAP_WRITE)
		entry |= PTE_WRITE;
	if (flags & MAP_USER)
		entry |= PTE_USER;
	else
		entry |= PTE_GLOBAL;
	if (flags & MAP_NOCACHE)
		entry |= PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;
	WRITE_ONCE(*pte, entry);
	return 0;
}

int paging_unmap_locked(struct address_space *as, uintptr_t va, paddr_t *pa)
{
	if (check_range(as, va))
		return -ENOENT;
	uint32_t *pte = pte_find(as, va);

	if (!pte || !(*pte & PTE_PRESENT))
		return -ENOENT;
	if (pa)
		*pa = *pte & PTE_ADDR_MASK;
	WRITE_ONCE(*pte, 0);
	return 0;
}

int paging_query_locked(struct address_space *as, uintptr_t va, paddr_t *pa, unsigned *flags)
{
	uint32_t pde = as->page_directory[PD_INDEX(va)];

	if (!(pde & PTE_PRESENT))
		return -ENOENT;
	uint32_t entry;

	if (pde & PTE_LARGE) {
		entry = (pde & ~(LARGE_PAGE_SIZE - 1)) | (va & (LARGE_PAGE_SIZE - 1) & PTE_ADDR_MASK) |
			(pde & 0xFFF);
	} else {
		entry = *pte_find(as, va);
		if (!(entry & PTE_PRESENT))
			return -ENOENT;
	}
	if (pa)
		*pa = entry & PTE_ADDR_MASK;
	if (flags) {
		*flags = 0;
		if (entry & PTE_WRITE)
			*flags |= MAP_WRITE;
		if (entry & PTE_USER)
			*flags |= MAP_USER;
		if (entry & PTE_CACHE_DISABLE)
			*flags |= MAP_NOCACHE;
	}
	return 0;
}

uintptr_t paging_first_mapped_locked(struct address_space *as, uintptr_t va, uintptr_t end)
{
	while (va < end) {
		uint32_t pde = as->page_directory[PD_INDEX(va)];
		uintptr_t next_table = (va & ~(LARGE_PAGE_SIZE - 1)) + LARGE_PAGE_SIZE;

		if (!(pde & PTE_PRESENT)) {
			if (next_table == 0 || next_table >= end)
				return end;
			va = next_table;
			continue;
		}
		if ((pde & PTE_LARGE) || (*pte_find(as, va) & PTE_PRESENT))
			return va;
		va += PAGE_SIZE;
	}
	return end;
}

/* The user half is guarded by the space's lock; the kernel area needs
 * none, because its page tables never change and each caller maps only
 * the range it reserved from vmap. */
#define WITH_SPACE_LOCK(as, call)                             \
	({                                                    \
		bool user__ = (as) != &kernel_space;          \
		if (user__)                                   \
			spin_lock(&(as)->lock);               \
		int r__ = (call);                             \
		if (user__)                                   \
			spin_unlock(&(as)->lock);             \
		r__;                                          \
	})

int paging_map(struct address_space *as, uintptr_t va, paddr_t pa, unsigned flags)
{
	return WITH_SPACE_LOCK(as, paging_map_locked(as, va, pa, flags));
}

int paging_unmap(struct address_space *as, uintptr_t va, paddr_t *pa)
{
	int err = WITH_SPACE_LOCK(as, paging_unmap_locked(as, va, pa));

	/* After the lock: invalidating waits for other cores, which may be
	 * spinning on that lock with interrupts off. */
	if (!err)
		tlb_invalidate_page(as, va);
	return err;
}

int paging_query(struct address_space *as, uintptr_t va, paddr_t *pa, unsigned *flags)
{
	return WITH_SPACE_LOCK(as, paging_query_locked(as, va, pa, flags));
}
