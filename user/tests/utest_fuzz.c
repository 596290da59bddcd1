/*
 * utest_fuzz SEED ITERATIONS THREADS [trace]
 *
 * Random system calls with random, boundary and hostile arguments from
 * THREADS worker threads pinned round-robin over the cores, ITERATIONS
 * calls in all, each worker drawing from its own xorshift generator
 * seeded from SEED (the same seed replays the same calls on each thread;
 * only their interleaving differs). The kernel is the target: it must not
 * panic, hang or leak (the kernel test that runs this compares its
 * counters afterwards), every result must be a value or a known error
 * code, and a few results are checked against the ABI (check_result).
 *
 * What the program never does, because it would end or block the program
 * rather than test the kernel (docs/robustness.md explains each):
 *  - task_exit, and thread_exit on a worker (child threads call it);
 *  - thread_create with any user entry point but the child stub;
 *  - let the kernel write into its own bookkeeping: output buffers are
 *    the arena, its stack scratch or its UTCB (with room for the write),
 *    read-only or unmapped memory, kernel addresses, or random words
 *    outside what it owns (out_buf);
 *  - mem_unmap anything but its own fuzz mappings, ranges that hold
 *    nothing, and ranges the kernel must refuse (its UTCB area, the
 *    kernel, past the top of user space);
 *  - sleep more than 2 ms, futex_wait without a timeout, notify_wait on a
 *    slot that could be valid, send/recv without IPC_NONBLOCK;
 *  - spawn modules that do not end by themselves, or give children
 *    capabilities in their runtime slots 253..255.
 * ipc_call and ipc_reply_recv may block on any slot: a low-priority
 * partner thread answers calls and sends to receivers on every slot and,
 * if a worker stays stuck for STUCK_MS, deletes every capability of the
 * task so that the endpoints die and the waits end with -EPIPE.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc/utcb.h"
#include "lib/compiler.h"
#include "lib/xorshift.h"
#include "locus.h"
#include "locus/ipc.h"
#include "locus/syscall_i386.h"
#include "locus/tcb.h"
#include "locus/uthread.h"
#include "mm/layout.h"
#include "task/loader.h"
#include "uapi/sysinfo.h"

/*
 * The address space as the fuzzer sees it:
 *   0x00000000  null page, never mapped
 *   0x00400000  program image, thread stacks, fuzz mappings (kept safe)
 *   ARENA_BASE  the arena: pages the kernel may scribble on
 *   MAP_LIMIT   never mapped (mem_map stops below it)
 *   MAIN_STACK  the main thread's stack (kept safe)
 *   UTCB_AREA   UTCBs up to UTCB_MAPPED_END, never mapped above
 */
#define MAP_LIMIT (USER_STACK_TOP - USER_STACK_AREA_SIZE)
#define ARENA_PAGES 16
#define ARENA_SIZE (ARENA_PAGES * PAGE_SIZE)
#define ARENA_BASE (MAP_LIMIT - ARENA_SIZE)
#define MAIN_STACK (USER_STACK_TOP - USER_MAIN_STACK_PAGES * PAGE_SIZE)
#define UTCB_MAPPED_END (UTCB_AREA_BASE + UTCB_TASK_SLOTS / UTCBS_PER_PAGE * PAGE_SIZE)

#define MAX_WORKERS 32
#define WORKER_PRIORITY 10	/* the kernel's default */
#define PARTNER_PRIORITY 5	/* runs only on cores the workers leave idle */
#define SCRATCH_SIZE 2048
#define FUTEX_WORDS 8
#define MAPS_KEPT 6
#define SMALL_MAP_MAX (64 * 1024)
#define LARGE_MAP_MAX (4 * 1024 * 1024)
#define STUCK_MS 100
#define VIOLATIONS_SHOWN 20
#define CALLS (SYS_COUNT + 7)	/* 0 .. SYS_COUNT + 5, then "huge numbers" */
#define HUGE_CALL (SYS_COUNT + 6)
#define UNLIMITED UINT32_MAX

#define STR_(x) #x
#define STR(x) STR_(x)

/* Child threads run this stub: no stack, no TLS, just two system calls. */
__asm__(".text\n"
	".globl fuzz_child\n"
	"fuzz_child:\n"
	"	movl %eax, %ebx\n"
	"	movl $" STR(SYS_YIELD) ", %eax\n"
	"	int $0x80\n"
	"	movl $" STR(SYS_THREAD_EXIT) ", %eax\n"
	"	int $0x80\n"
	"	ud2\n");
void fuzz_child(void);

static const int known_errors[] = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN,
	ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, EINVAL, EMFILE, ENOSPC, EPIPE,
	ERANGE, EDEADLK, ENAMETOOLONG, ENOSYS, ENOTSUP, ETIMEDOUT,
};
static const char *const error_names[] = {
	"EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
	"EAGAIN", "ENOMEM", "EACCES", "EFAULT", "EBUSY", "EEXIST", "EXDEV", "EINVAL",
	"EMFILE", "ENOSPC", "EPIPE", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOSYS",
	"ENOTSUP", "ETIMEDOUT",
};
#define ERRORS ARRAY_SIZE(known_errors)
#define BUCKETS (ERRORS + 2)	/* ok, each error, unknown ones */

static const char *const call_names[SYS_COUNT] = {
	"null", "debug_write", "thread_create", "thread_exit", "thread_join", "yield",
	"sleep", "set_tls", "task_spawn", "task_exit", "task_wait", "mem_map", "mem_unmap",
	"cpu_id", "cpu_count", "clock", "task_kill", "thread_self", "cap_delete",
	"endpoint_create", "notification_create", "cap_derive", "ipc_send", "ipc_recv",
	"ipc_call", "ipc_reply", "ipc_reply_recv", "notify_signal", "notify_wait",
	"notify_poll", "irq_bind", "io_in", "io_out", "futex_wait", "futex_wake",
	"module_info", "module_read", "thread_list", "cpu_info",
};

/* Read-only text that debug_write may print: short lines of '~'. */
#define TEXT16 "~~~~~~~~~~~~~~~\n"
#define TEXT64 TEXT16 TEXT16 TEXT16 TEXT16
static const char text[] = TEXT64 TEXT64 TEXT64 TEXT64;

/* Children that end by themselves, and what they are given. */
static const char *const spawn_names[] = {
	"utest_hello", "utest_crash", "bad_elf_truncated", "bad_elf_kernel_segment",
	"bad_elf_bad_entry", "no_such_module", "", "a_name_longer_than_thirty_two_bytes_x",
};
static const char *const spawn_args[] = {
	"one two three", "null_write", "invalid_opcode", "divide_by_zero", "gs_ktls",
	"stack_overflow", "cli", "bogus", "",
};

struct worker {
	unsigned index;
	uint32_t rng;
	uint32_t iterations;
	uint32_t done;			/* calls made (main reads it) */
	uint32_t stuck_since;		/* ms, while in a call that may block */
	struct utcb *utcb;		/* cached: %gs may briefly point anywhere */
	struct user_tcb *tcb;
	int tid;
	uint8_t *scratch;		/* on its own stack */
	uintptr_t map_addr[MAPS_KEPT];
	size_t map_size[MAPS_KEPT];
	unsigned maps;
	uint32_t counts[CALLS][BUCKETS];
	struct uthread thread;
};

static struct worker workers[MAX_WORKERS];
static struct uthread partner;
static unsigned nworkers, ncpus;
static uint32_t go, finished, partner_stop, partner_done;
static uint32_t violations, hammers, spawned, children;
static bool trace;
static char module_names[64][SYSINFO_NAME_MAX];
static unsigned nmodules;

static uint32_t now_ms(void)
{
	return (uint32_t)(clock_ns() / 1000000);
}

/* Random numbers. */

static uint32_t rnd(struct worker *w)
{
	return xorshift32(&w->rng);
}

static uint32_t below(struct worker *w, uint32_t n)
{
	return n ? rnd(w) % n : 0;
}

static bool one_in(struct worker *w, uint32_t n)
{
	return below(w, n) == 0;
}

static uint32_t seed_of(uint32_t seed, unsigned index)
{
	uint32_t x = seed + index * 0x9E3779B9u;

	x = (x ^ (x >> 16)) * 0x85EBCA6Bu;
	x = (x ^ (x >> 13)) * 0xC2B2AE35u;
	x ^= x >> 16;
	return x ? x : 1;
}

static const uint32_t boundary[] = {
	0, 1, 2, 3, 4, 7, 8, 31, 32, 63, 64, 65, 255, 256, 257, 4095, 4096, 4097,
	0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xBFFFFFFF, 0xC0000000,
	0xFFFFF000, 0xFFFFFFF0, 0xFFFFFFFE, 0xFFFFFFFF, (uint32_t)-4095,
};

static uint32_t word(struct worker *w)
{
	return one_in(w, 2) ? boundary[below(w, ARRAY_SIZE(boundary))] : rnd(w);
}

/* Every capability slot, valid or not, mostly the low ones new
 * capabilities land in. */
static uint32_t slot(struct worker *w)
{
	switch (below(w, 16)) {
	case 0:
		return (uint32_t)-1;
	case 1:
		return CAP_NULL;
	case 2:
		return CAP_SLOTS;
	case 3:
		return word(w);
	case 4 ... 9:
		return 1 + below(w, 16);
	default:
		return 1 + below(w, CAP_SLOTS - 1);
	}
}

static bool bad_slot(uint32_t s)
{
	return (int32_t)s <= CAP_NULL || s >= CAP_SLOTS;
}

/* Buffers. */

enum buf_kind {
	B_NULL, B_LOW, B_KERNEL, B_UNMAPPED, B_ARENA_EDGE, B_STACK_EDGE, B_ARENA,
	B_ARENA_ODD, B_UTCB, B_UTCB_HOLE, B_SCRATCH, B_TEXT, B_RANDOM, B_KINDS
};

struct buf {
	uintptr_t addr;
	uint32_t room;		/* bytes the kernel may write there (or UNLIMITED) */
	enum buf_kind kind;
};

/* Can the kernel write anything from a without touching what we own?
 * (copy_to_user goes page by page and stops at the first bad one.) */
static bool write_harmless(uintptr_t a)
{
	return a < USER_BASE || (a >= ARENA_BASE && a < MAIN_STACK) || a >= UTCB_MAPPED_END;
}

static struct buf pick_buf(struct worker *w)
{
	static const uintptr_t kernel[] = { KERNEL_VMA, 0xC0100000, 0xF0000000, 0xFFFFF000,
					    0xFFFFFFFC, 0xFFFFFFFF, USER_TOP - 1, USER_TOP - 4 };
	struct buf b = { 0, UNLIMITED, (enum buf_kind)below(w, B_KINDS) };
	uint32_t off;

	switch (b.kind) {
	case B_NULL:
		break;
	case B_LOW:
		b.addr = 1 + below(w, PAGE_SIZE - 1);
		break;
	case B_KERNEL:
		b.addr = one_in(w, 2) ? kernel[below(w, ARRAY_SIZE(kernel))]
				      : KERNEL_VMA + below(w, 0u - KERNEL_VMA);
		break;
	case B_UNMAPPED:
		b.addr = MAP_LIMIT + below(w, MAIN_STACK - PAGE_SIZE - MAP_LIMIT);
		break;
	case B_ARENA_EDGE:	/* the arena's last bytes, then nothing */
		b.addr = MAP_LIMIT - 1 - below(w, 600);
		break;
	case B_STACK_EDGE:	/* nothing, then the main stack */
		b.addr = MAIN_STACK - 1 - below(w, 600);
		break;
	case B_ARENA:
		b.addr = ARENA_BASE + (below(w, ARENA_SIZE) & ~3u);
		break;
	case B_ARENA_ODD:
		b.addr = ARENA_BASE + (below(w, ARENA_SIZE) | 1);
		break;
	case B_UTCB:	/* its own UTCB, as the buffer of a system call */
		off = one_in(w, 2) ? below(w, UTCB_SIZE) : offsetof(struct utcb, mr);
		b.addr = (uintptr_t)w->utcb + off;
		b.room = UTCB_SIZE - off;
		break;
	case B_UTCB_HOLE:
		b.addr = UTCB_MAPPED_END + below(w, USER_TOP - UTCB_MAPPED_END);
		break;
	case B_SCRATCH:	/* its own stack */
		off = below(w, SCRATCH_SIZE);
		b.addr = (uintptr_t)w->scratch + off;
		b.room = SCRATCH_SIZE - off;
		break;
	case B_TEXT:	/* read-only: the kernel must refuse to write */
		b.addr = (uintptr_t)text + below(w, sizeof(text) - 1);
		break;
	default:
		b.addr = rnd(w);
		break;
	}
	return b;
}

/* A buffer the kernel only reads. */
static struct buf in_buf(struct worker *w)
{
	return pick_buf(w);
}

/* A buffer the kernel may write need bytes to (more if room allows). */
static struct buf out_buf(struct worker *w, uint32_t need)
{
	struct buf b = pick_buf(w);

	if (b.kind == B_RANDOM && !write_harmless(b.addr))
		b.addr = ARENA_BASE + b.addr % ARENA_SIZE;
	if (b.room < need) {
		uintptr_t end = b.addr + b.room;

		b.addr = end - need;
		b.room = need;
	}
	return b;
}

static uint32_t clip(uint32_t len, const struct buf *b)
{
	return len < b->room ? len : b->room;
}

/* A child's capability slot: anything but the runtime's 253..255. */
static int child_slot(struct worker *w)
{
	uint32_t s = slot(w);

	return s >= CAP_SLOT_RUNTIME_FIRST && s < CAP_SLOTS ? 0 : (int)s;
}

/*
 * A spawn request on its own stack or in its own UTCB (there with the
 * strings laid over the request itself: the kernel must copy the request
 * before it reads the strings), or a bad pointer. Program arguments are
 * arbitrary bytes only when the name cannot run.
 */
static uintptr_t spawn_request(struct worker *w)
{
	unsigned where = below(w, 8);

	if (where >= 6)
		return in_buf(w).addr;
	struct spawn_request *req;
	char *strings;

	if (where < 3) {
		req = (struct spawn_request *)(w->scratch + (below(w, 256) & ~3u));
		strings = (char *)(req + 1);
	} else {
		req = (struct spawn_request *)&w->utcb->mr[below(w, 16)];
		strings = (char *)req + below(w, sizeof(*req));
	}
	unsigned name = below(w, ARRAY_SIZE(spawn_names));
	bool runnable = name < 2;

	req->cpu = one_in(w, 4) ? (int)word(w) : (int)below(w, ncpus + 3) - 2;
	req->cap_count = one_in(w, 8) ? word(w) : below(w, SPAWN_CAPS_MAX + 2);
	for (unsigned i = 0; i < SPAWN_CAPS_MAX; i++) {
		req->caps[i] = (int)slot(w);
		req->cap_dest[i] = child_slot(w);
	}
	req->name = strcpy(strings, spawn_names[name]);
	strings += strlen(strings) + 1;
	if (one_in(w, 8)) {
		struct buf b = in_buf(w);

		req->name = (const char *)b.addr;
		runnable = false;
	}
	if (one_in(w, 4))
		req->args = NULL;
	else if (runnable || one_in(w, 2))
		req->args = strcpy(strings, spawn_args[below(w, ARRAY_SIZE(spawn_args))]);
	else
		req->args = (const char *)in_buf(w).addr;
	return (uintptr_t)req;
}

/*
 * Where mem_map is asked for memory: mostly anywhere free, sometimes at a
 * hint that is taken, random, or above the mappable range (in the stack
 * area or on a UTCB page: refused, checked by check_result).
 */
static void map_args(struct worker *w, uint32_t a[6])
{
	switch (below(w, 8)) {
	case 0 ... 3:
		a[0] = 0;
		break;
	case 4:
		a[0] = word(w);
		break;
	case 5:
		a[0] = ARENA_BASE;	/* taken: first fit instead */
		break;
	case 6:
		a[0] = one_in(w, 2) ? MAP_LIMIT + below(w, (MAIN_STACK - MAP_LIMIT) / PAGE_SIZE) *
						    PAGE_SIZE
				    : UTCB_AREA_BASE + below(w, UTCB_AREA_SIZE / PAGE_SIZE) * PAGE_SIZE;
		break;
	default:
		a[0] = rnd(w) & ~(PAGE_SIZE - 1);
		break;
	}
	switch (below(w, 16)) {
	case 0:
		a[1] = 0;
		break;
	case 1:
		/* Refused before any search: more than the mappable range. */
		a[1] = MAP_LIMIT + rnd(w) % (0u - MAP_LIMIT);
		break;
	case 2:
		a[1] = one_in(w, 2) ? word(w) : 1 + below(w, LARGE_MAP_MAX);
		break;
	default:
		a[1] = 1 + below(w, SMALL_MAP_MAX);
		break;
	}
	a[2] = one_in(w, 8) ? word(w) : below(w, 8);
}

/*
 * What mem_unmap is given: one of its own fuzz mappings (whole or part),
 * or a range that cannot hold anything of its own: misaligned, in the
 * kernel, never mapped, or running past the top of user space. Returns
 * the fuzz mapping it unmaps (all or part of), or -1.
 */
static int unmap_args(struct worker *w, uint32_t a[6])
{
	unsigned kind = below(w, 9);
	unsigned i = w->maps ? below(w, w->maps) : 0;
	uint32_t pages = w->maps ? ALIGN_UP(w->map_size[i], PAGE_SIZE) / PAGE_SIZE : 0;

	if (kind <= 3 && !w->maps)
		kind = 6;
	a[1] = word(w);
	switch (kind) {
	case 0 ... 2:
		a[0] = w->map_addr[i];
		a[1] = w->map_size[i];
		return (int)i;
	case 3: {
		uint32_t first = below(w, pages);

		a[0] = w->map_addr[i] + first * PAGE_SIZE;
		a[1] = (1 + below(w, pages - first)) * PAGE_SIZE - below(w, PAGE_SIZE);
		return (int)i;
	}
	case 4:
		a[0] = ARENA_BASE + 1 + below(w, PAGE_SIZE - 1);
		return -1;
	case 5:	/* in the kernel, sizes wrapping past 4 GiB included */
		a[0] = one_in(w, 4) ? 0 : KERNEL_VMA + (rnd(w) & ~(PAGE_SIZE - 1)) % (0u - KERNEL_VMA);
		return -1;
	case 6: {
		uint32_t room = (MAIN_STACK - MAP_LIMIT) / PAGE_SIZE - 1;
		uint32_t first = below(w, room);

		a[0] = MAP_LIMIT + first * PAGE_SIZE;
		a[1] = below(w, room - first + 1) * PAGE_SIZE;
		return -1;
	}
	case 7:
		a[0] = USER_BASE + (rnd(w) & ~(PAGE_SIZE - 1)) % (USER_TOP - USER_BASE);
		a[1] = one_in(w, 2) ? 0xFFFFFFFF : USER_TOP - a[0] + (1 + below(w, 16)) * PAGE_SIZE;
		return -1;
	default:	/* the UTCB area, its own UTCB's page included */
		a[0] = UTCB_AREA_BASE + below(w, UTCB_AREA_SIZE / PAGE_SIZE) * PAGE_SIZE;
		a[1] = one_in(w, 2) ? PAGE_SIZE : word(w);
		return -1;
	}
}

/* A message in its UTCB: lengths and capability counts beyond the
 * limits, slots valid or not, receive windows anywhere. */
static void prepare_message(struct worker *w)
{
	struct utcb *u = w->utcb;
	uint32_t length = one_in(w, 8) ? below(w, 256) : below(w, 9);

	u->tag = one_in(w, 16) ? rnd(w) : IPC_TAG(rnd(w), length, one_in(w, 4) ? below(w, 8) : 0);
	for (unsigned i = 0; i < UTCB_CAPS_MAX; i++) {
		u->send_caps[i] = slot(w);
		u->recv_window[i] = one_in(w, 2) ? 0 : slot(w);
	}
	for (uint32_t i = 0; i < length && i < UTCB_MESSAGE_REGISTERS; i++)
		u->mr[i] = rnd(w);
}

/* A futex word: one of a few shared ones (so waits meet wakes), or any
 * address; the expected value is right when it can be read. */
static uintptr_t futex_addr(struct worker *w, uint32_t *expected)
{
	*expected = word(w);
	if (one_in(w, 2)) {
		volatile uint32_t *f = (volatile uint32_t *)ARENA_BASE + below(w, FUTEX_WORDS);

		if (!one_in(w, 4))
			*expected = *f;
		return (uintptr_t)f;
	}
	return in_buf(w).addr;
}

/* debug_write prints only the read-only text; other readable memory is
 * passed with length 0, or with a length that crosses into a hole in
 * the first chunk the kernel copies (so nothing is printed). */
static void debug_write_args(struct worker *w, uint32_t a[6])
{
	struct buf b = in_buf(w);
	uint32_t left;

	a[0] = b.addr;
	a[1] = word(w);
	switch (b.kind) {
	case B_TEXT:
		left = (uint32_t)(text + sizeof(text) - 1 - (const char *)b.addr);
		a[1] = below(w, (left < 48 ? left : 48) + 1);
		break;
	case B_ARENA_EDGE:
		left = MAP_LIMIT - b.addr;
		a[1] = left >= 512 || one_in(w, 4) ? 0 : left + 1 + below(w, 4096 - left);
		break;
	case B_ARENA:
	case B_ARENA_ODD:
	case B_UTCB:
	case B_SCRATCH:
		a[1] = 0;
		break;
	case B_RANDOM:
		if (!write_harmless(b.addr) || (b.addr >= ARENA_BASE && b.addr < MAP_LIMIT))
			a[1] = 0;
		break;
	default:
		break;
	}
}

/* One system call. */

struct call {
	uint32_t nr;
	uint32_t a[6];
	int map;		/* mem_unmap of (part of) fuzz mapping `map`, or -1 */
	bool restore_tls;	/* its TCB was replaced or written over */
	bool may_block;		/* the partner may have to end it */
};

static uint32_t pick_number(struct worker *w)
{
	for (;;) {
		uint32_t nr = below(w, SYS_COUNT + 6);

		if (one_in(w, 64))
			nr = one_in(w, 2) ? word(w) : SYS_COUNT + 6 + rnd(w) % 1024;
		/* Deleting more often keeps the table from staying full. */
		if (one_in(w, 16))
			nr = SYS_CAP_DELETE;
		if (nr != SYS_TASK_EXIT && nr != SYS_THREAD_EXIT)
			return nr;
	}
}

static const uint32_t never_valid_slots[] = { (uint32_t)-1, CAP_NULL, CAP_SLOTS, 0x7FFFFFFF,
					       0x80000000, 0xFFFF0000 };

static void make_args(struct worker *w, struct call *c)
{
	uint32_t *a = c->a;
	struct buf b;

	for (unsigned i = 0; i < 6; i++)
		a[i] = word(w);
	c->map = -1;
	c->restore_tls = false;
	c->may_block = false;
	switch (c->nr) {
	case SYS_DEBUG_WRITE:
		debug_write_args(w, a);
		break;
	case SYS_THREAD_CREATE:
		a[0] = one_in(w, 8) ? KERNEL_VMA + below(w, 0u - KERNEL_VMA) : (uintptr_t)fuzz_child;
		if (one_in(w, 4)) {
			a[2] = 0;
		} else if (one_in(w, 8)) {
			a[2] = (uintptr_t)w->tcb;
			c->restore_tls = true;
		} else {
			a[2] = out_buf(w, 8).addr;
		}
		a[4] = one_in(w, 4) ? below(w, 64) : below(w, 32);
		a[5] = one_in(w, 4) ? word(w) : below(w, ncpus + 2) - 1;
		break;
	case SYS_THREAD_JOIN:
	case SYS_TASK_WAIT:
		a[0] = slot(w);
		a[1] = one_in(w, 3) ? 0 : out_buf(w, 4).addr;
		break;
	case SYS_SLEEP:
		a[0] = below(w, 3);
		break;
	case SYS_SET_TLS:
		c->restore_tls = true;
		a[0] = one_in(w, 8) ? (uintptr_t)w->tcb : one_in(w, 8) ? 0 : out_buf(w, 8).addr;
		break;
	case SYS_TASK_SPAWN:
		a[0] = spawn_request(w);
		break;
	case SYS_MEM_MAP:
		map_args(w, a);
		break;
	case SYS_MEM_UNMAP:
		c->map = unmap_args(w, a);
		break;
	case SYS_TASK_KILL:
	case SYS_CAP_DELETE:
	case SYS_NOTIFY_POLL:
	case SYS_IO_IN:
	case SYS_IO_OUT:
		a[0] = slot(w);
		break;
	case SYS_CAP_DERIVE:
		a[0] = slot(w);
		a[1] = one_in(w, 4) ? word(w) : below(w, 16);
		a[2] = one_in(w, 2) ? 0 : rnd(w);
		a[3] = one_in(w, 2) ? 0 : slot(w);
		break;
	case SYS_IPC_SEND:
	case SYS_IPC_RECV:
		prepare_message(w);
		a[0] = slot(w);
		a[1] |= IPC_NONBLOCK;
		break;
	case SYS_IPC_CALL:
	case SYS_IPC_REPLY_RECV:
		prepare_message(w);
		a[0] = slot(w);
		c->may_block = true;
		break;
	case SYS_IPC_REPLY:
		prepare_message(w);
		break;
	case SYS_NOTIFY_SIGNAL:
		a[0] = slot(w);
		a[1] = one_in(w, 4) ? word(w) : 1u << below(w, 31);
		break;
	case SYS_NOTIFY_WAIT:
		a[0] = never_valid_slots[below(w, ARRAY_SIZE(never_valid_slots))];
		break;
	case SYS_IRQ_BIND:
		a[0] = slot(w);
		a[1] = slot(w);
		break;
	case SYS_FUTEX_WAIT:
		a[0] = futex_addr(w, &a[1]);
		a[2] = 1 + below(w, 2);
		break;
	case SYS_FUTEX_WAKE:
		a[0] = futex_addr(w, &a[2]);
		break;
	case SYS_MODULE_INFO:
		a[0] = one_in(w, 2) ? below(w, nmodules + 2) : word(w);
		a[1] = out_buf(w, sizeof(struct module_info)).addr;
		break;
	case SYS_MODULE_READ:
		a[0] = one_in(w, 4) || !nmodules ? in_buf(w).addr
						 : (uintptr_t)module_names[below(w, nmodules)];
		a[1] = one_in(w, 2) ? 0 : one_in(w, 2) ? below(w, 65536) : word(w);
		b = out_buf(w, 1);
		a[2] = b.addr;
		a[3] = clip(word(w), &b);
		break;
	case SYS_THREAD_LIST:
		b = out_buf(w, sizeof(struct thread_info));
		a[0] = b.addr;
		a[1] = one_in(w, 2) ? below(w, 600) : word(w);
		if (b.room != UNLIMITED && a[1] > b.room / sizeof(struct thread_info))
			a[1] = b.room / sizeof(struct thread_info);
		break;
	case SYS_CPU_INFO:
		a[0] = one_in(w, 4) ? word(w) : below(w, ncpus + 2);
		a[1] = out_buf(w, sizeof(struct cpu_info)).addr;
		break;
	default:	/* the rest take no pointers: random words everywhere */
		break;
	}
}

static unsigned call_index(uint32_t nr)
{
	return nr < HUGE_CALL ? nr : HUGE_CALL;
}

/* 0: a value; 1 + i: known_errors[i]; BUCKETS - 1: an unknown error.
 * clock never fails: its %eax is the low word of the time, any value. */
static unsigned bucket_of(uint32_t nr, int32_t r)
{
	if (!syscall_failed(r) || nr == SYS_CLOCK)
		return 0;
	for (unsigned i = 0; i < ERRORS; i++)
		if (-r == known_errors[i])
			return 1 + i;
	return BUCKETS - 1;
}

static const char *call_name(uint32_t nr, char *buf, size_t size)
{
	if (nr < SYS_COUNT)
		return call_names[nr];
	snprintf(buf, size, "#%u", nr);
	return buf;
}

static void violation(struct worker *w, const struct call *c, int32_t r, const char *why)
{
	char name[16];

	if (__atomic_add_fetch(&violations, 1, __ATOMIC_RELAXED) > VIOLATIONS_SHOWN)
		return;
	printf("utest_fuzz: VIOLATION thread %u call %u: %s(%x, %x, %x, %x, %x, %x) = %d: %s\n",
	       w->index, w->done, call_name(c->nr, name, sizeof(name)), c->a[0], c->a[1],
	       c->a[2], c->a[3], c->a[4], c->a[5], r, why);
}

static bool takes_slot_first(uint32_t nr)
{
	switch (nr) {
	case SYS_THREAD_JOIN: case SYS_TASK_WAIT: case SYS_TASK_KILL: case SYS_CAP_DELETE:
	case SYS_CAP_DERIVE: case SYS_IPC_SEND: case SYS_IPC_RECV: case SYS_IPC_CALL:
	case SYS_IPC_REPLY_RECV: case SYS_NOTIFY_SIGNAL: case SYS_NOTIFY_WAIT:
	case SYS_NOTIFY_POLL: case SYS_IRQ_BIND: case SYS_IO_IN: case SYS_IO_OUT:
		return true;
	default:
		return false;
	}
}

/* What the ABI promises, checked on every result. */
static void check_result(struct worker *w, const struct call *c, int32_t r)
{
	const uint32_t *a = c->a;

	if (bucket_of(c->nr, r) == BUCKETS - 1)
		violation(w, c, r, "unknown error code");
	if (c->nr >= SYS_COUNT && r != -ENOSYS)
		violation(w, c, r, "expected -ENOSYS");
	if (takes_slot_first(c->nr) && bad_slot(a[0]) && r != -EBADF)
		violation(w, c, r, "expected -EBADF for a slot out of range");
	switch (c->nr) {
	case SYS_NULL:
		if (r != 0)
			violation(w, c, r, "expected 0");
		break;
	case SYS_CPU_COUNT:
		if (r != (int32_t)ncpus)
			violation(w, c, r, "expected the number of cores");
		break;
	case SYS_CPU_ID:
		if (r < 0 || r >= (int32_t)ncpus)
			violation(w, c, r, "expected a core");
		break;
	case SYS_THREAD_SELF:
		if (r != w->tid)
			violation(w, c, r, "expected its own thread id");
		break;
	case SYS_DEBUG_WRITE:
		if (a[0] >= USER_TOP && a[1] && r != -EFAULT)
			violation(w, c, r, "expected -EFAULT for a kernel buffer");
		if (r >= 0 && (uint32_t)r != (a[1] < 4096 ? a[1] : 4096))
			violation(w, c, r, "expected the length written");
		break;
	case SYS_SET_TLS:
		if (a[0] >= USER_TOP && r != -EINVAL)
			violation(w, c, r, "expected -EINVAL for a kernel TCB");
		break;
	case SYS_MEM_UNMAP:
		if (a[0] >= UTCB_AREA_BASE && r != -EINVAL)
			violation(w, c, r, "expected -EINVAL for the UTCB area or the kernel");
		break;
	case SYS_MEM_MAP:
		if (a[0] >= MAP_LIMIT && r != -EINVAL)
			violation(w, c, r, "expected -EINVAL for a hint above the mappable range");
		if (a[2] & ~(PROT_READ | PROT_WRITE | PROT_EXEC) && r != -EINVAL)
			violation(w, c, r, "expected -EINVAL for unknown prot bits");
		if (syscall_failed(r))
			break;
		if ((uint32_t)r % PAGE_SIZE || (uint32_t)r < USER_BASE ||
		    (uint32_t)r + ALIGN_UP(a[1], PAGE_SIZE) > MAP_LIMIT)
			violation(w, c, r, "mapping outside the mappable range");
		else if (*(volatile uint32_t *)r ||
			 *(volatile uint32_t *)((uint32_t)r + ALIGN_UP(a[1], PAGE_SIZE) - 4))
			violation(w, c, r, "fresh memory not zeroed");
		break;
	default:
		break;
	}
}

/* Keeps track of its fuzz mappings, unmapping the oldest for room. */
static void after(struct worker *w, const struct call *c, int32_t r)
{
	if (c->nr == SYS_MEM_MAP && !syscall_failed(r)) {
		if (w->maps == MAPS_KEPT) {
			syscall2(SYS_MEM_UNMAP, w->map_addr[0], w->map_size[0]);
			memmove(w->map_addr, w->map_addr + 1, sizeof(w->map_addr[0]) * --w->maps);
			memmove(w->map_size, w->map_size + 1, sizeof(w->map_size[0]) * w->maps);
		}
		w->map_addr[w->maps] = (uint32_t)r;
		w->map_size[w->maps++] = c->a[1];
	} else if (c->nr == SYS_MEM_UNMAP && c->map >= 0) {
		/* The rest goes too, the parts around what was unmapped (the
		 * hole may already hold another thread's mapping). */
		uintptr_t start = w->map_addr[c->map], hole = c->a[0];
		uintptr_t end = start + ALIGN_UP(w->map_size[c->map], PAGE_SIZE);
		uintptr_t hole_end = hole + ALIGN_UP(c->a[1], PAGE_SIZE);

		if (hole > start)
			syscall2(SYS_MEM_UNMAP, start, hole - start);
		if (hole_end < end)
			syscall2(SYS_MEM_UNMAP, hole_end, end - hole_end);
		w->maps--;
		w->map_addr[c->map] = w->map_addr[w->maps];
		w->map_size[c->map] = w->map_size[w->maps];
	} else if (c->nr == SYS_TASK_SPAWN && r > 0) {
		__atomic_add_fetch(&spawned, 1, __ATOMIC_RELAXED);
	} else if (c->nr == SYS_THREAD_CREATE && r > 0) {
		__atomic_add_fetch(&children, 1, __ATOMIC_RELAXED);
	}
}

static void one_call(struct worker *w)
{
	struct call c = { .nr = pick_number(w) };
	const uint32_t *a = c.a;

	make_args(w, &c);
	if (trace) {
		char name[16];

		printf("utest_fuzz: thread %u call %u: %s(%x, %x, %x, %x, %x, %x)\n", w->index,
		       w->done, call_name(c.nr, name, sizeof(name)), a[0], a[1], a[2], a[3], a[4],
		       a[5]);
	}
	if (c.may_block)
		__atomic_store_n(&w->stuck_since, now_ms() | 1, __ATOMIC_RELAXED);
	int32_t r = syscall6(c.nr, a[0], a[1], a[2], a[3], a[4], a[5]);

	if (c.may_block)
		__atomic_store_n(&w->stuck_since, 0, __ATOMIC_RELAXED);
	if (c.restore_tls)
		syscall1(SYS_SET_TLS, (uint32_t)w->tcb);
	after(w, &c, r);
	check_result(w, &c, r);
	w->counts[call_index(c.nr)][bucket_of(c.nr, r)]++;
}

/* Threads. */

static uint32_t ready;

static void worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t scratch[SCRATCH_SIZE] __aligned(16);

	w->scratch = scratch;
	w->utcb = utcb();
	w->tcb = tcb_self();
	w->tid = thread_self();
	__atomic_add_fetch(&ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		futex_wait(&go, 0, 0);
	for (uint32_t i = 0; i < w->iterations; i++) {
		one_call(w);
		__atomic_store_n(&w->done, i + 1, __ATOMIC_RELAXED);
	}
	w->scratch = NULL;
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
	futex_wake(&finished, 1);
}

/* Deletes every capability: endpoints whose receive rights were all in
 * this task die, and everything blocked on them ends with -EPIPE. */
static void hammer(void)
{
	for (int s = 1; s < CAP_SLOTS; s++)
		syscall1(SYS_CAP_DELETE, (uint32_t)s);
	__atomic_add_fetch(&hammers, 1, __ATOMIC_RELAXED);
}

static bool a_worker_is_stuck(uint32_t now)
{
	for (unsigned i = 0; i < nworkers; i++) {
		uint32_t since = __atomic_load_n(&workers[i].stuck_since, __ATOMIC_RELAXED);

		if (since && now - since > STUCK_MS)
			return true;
	}
	return false;
}

/*
 * The partner: on every slot, takes a waiting call and answers it, and
 * sends an empty message to a waiting receiver. It runs below the
 * workers' priority, so only on cores they leave idle, which is when
 * they wait.
 */
static void partner_main(void *arg)
{
	struct utcb *u = utcb();
	uint32_t last_hammer = 0;

	(void)arg;
	while (!__atomic_load_n(&partner_stop, __ATOMIC_ACQUIRE)) {
		for (uint32_t s = 1; s < CAP_SLOTS; s++) {
			memset(u, 0, offsetof(struct utcb, mr));
			if (syscall2(SYS_IPC_RECV, s, IPC_NONBLOCK) == 0) {
				u->tag = 0;
				syscall0(SYS_IPC_REPLY);
			}
			u->tag = 0;
			syscall2(SYS_IPC_SEND, s, IPC_NONBLOCK);
		}
		uint32_t now = now_ms();

		if (a_worker_is_stuck(now) && now - last_hammer > STUCK_MS) {
			hammer();
			last_hammer = now;
		}
		/* Sleep, not yield: a child thread the fuzzer gave a lower
		 * priority and pinned to this core must get to run, or the
		 * worker joining it would wait for ever. */
		sleep_ms(1);
	}
	__atomic_store_n(&partner_done, 1, __ATOMIC_RELEASE);
	futex_wake(&partner_done, 1);
}

/* Reporting. */

static void print_summary(uint64_t calls, uint32_t ms)
{
	static uint32_t totals[CALLS][BUCKETS];

	for (unsigned i = 0; i < nworkers; i++)
		for (unsigned c = 0; c < CALLS; c++)
			for (unsigned b = 0; b < BUCKETS; b++)
				totals[c][b] += workers[i].counts[c][b];
	printf("\nutest_fuzz: results per system call (ok, then each error):\n");
	for (unsigned c = 0; c < CALLS; c++) {
		char line[512], name[16];
		int n = snprintf(line, sizeof(line), "  %-20s ok %u",
				 c == HUGE_CALL ? "#huge" : call_name(c, name, sizeof(name)),
				 totals[c][0]);
		uint32_t sum = totals[c][0];

		for (unsigned b = 1; b < BUCKETS; b++) {
			sum += totals[c][b];
			if (totals[c][b] && n < (int)sizeof(line))
				n += snprintf(line + n, sizeof(line) - n, ", %s %u",
					      b < BUCKETS - 1 ? error_names[b - 1] : "other",
					      totals[c][b]);
		}
		if (sum)
			printf("%s\n", line);
	}
	printf("utest_fuzz: %llu calls in %u ms (%llu per second); %u threads and %u tasks "
	       "started, %u rescues, %u violations\n",
	       (unsigned long long)calls, ms,
	       (unsigned long long)(ms ? calls * 1000 / ms : 0), children, spawned, hammers,
	       violations);
}

static uint64_t calls_done(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nworkers; i++)
		n += __atomic_load_n(&workers[i].done, __ATOMIC_RELAXED);
	return n;
}

/* Waits for the workers, printing progress at every tenth. */
static void wait_for_workers(uint32_t iterations, uint32_t start)
{
	unsigned tenth = 1;

	for (;;) {
		uint32_t f = __atomic_load_n(&finished, __ATOMIC_ACQUIRE);

		if (f == nworkers)
			return;
		futex_wait(&finished, f, 100);
		uint64_t n = calls_done();

		for (; tenth < 10 && n >= (uint64_t)iterations * tenth / 10; tenth++)
			printf("utest_fuzz: %u%% (%llu calls, %u ms)\n", tenth * 10,
			       (unsigned long long)n, now_ms() - start);
	}
}

/* Setup. */

static void read_module_names(void)
{
	struct module_info info;

	while (nmodules < ARRAY_SIZE(module_names) && module_info(nmodules, &info) == 0)
		memcpy(module_names[nmodules++], info.name, SYSINFO_NAME_MAX);
}

static bool start_threads(uint32_t seed, uint32_t iterations)
{
	for (unsigned i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];

		w->index = i;
		w->rng = seed_of(seed, i);
		w->iterations = iterations / nworkers + (i < iterations % nworkers);
		if (uthread_create(&w->thread, worker_main, w, WORKER_PRIORITY, (int)(i % ncpus), 0))
			return false;
	}
	if (uthread_create(&partner, partner_main, NULL, PARTNER_PRIORITY, CPU_ANY, 0))
		return false;
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < nworkers)
		yield();
	/* No capability to a worker or the partner may stay: a worker could
	 * join another (and they would wait for each other for ever). */
	for (unsigned i = 0; i < nworkers; i++)
		cap_delete(workers[i].thread.cap);
	cap_delete(partner.cap);
	return true;
}

int main(int argc, char **argv)
{
	uint32_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : 1;
	uint32_t iterations = argc > 2 ? strtoul(argv[2], NULL, 0) : 10000;
	int err = 0;

	ncpus = cpu_count();
	nworkers = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	if (!nworkers)
		nworkers = ncpus;
	if (nworkers > MAX_WORKERS)
		nworkers = MAX_WORKERS;
	for (int i = 4; i < argc; i++) {
		trace |= !strcmp(argv[i], "trace");
	}
	/* The seed first: with it, a failure can be replayed. */
	printf("utest_fuzz: seed %u, %u calls, %u threads on %u cores%s\n", seed,
	       iterations, nworkers, ncpus, trace ? ", trace" : "");
	if (mem_map((void *)ARENA_BASE, ARENA_SIZE, PROT_READ | PROT_WRITE, &err) !=
	    (void *)ARENA_BASE) {
		printf("utest_fuzz: no arena at %x (%d)\n", ARENA_BASE, err);
		return 2;
	}
	read_module_names();
	if (!start_threads(seed, iterations)) {
		printf("utest_fuzz: could not start its threads\n");
		return 2;
	}
	uint32_t start = now_ms();

	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	futex_wake(&go, MAX_WORKERS);
	wait_for_workers(iterations, start);
	uint32_t ms = now_ms() - start;

	__atomic_store_n(&partner_stop, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&partner_done, __ATOMIC_ACQUIRE))
		futex_wait(&partner_done, 0, 100);
	print_summary(calls_done(), ms);
	return violations ? 1 : 0;
}
