/* The system call wrappers declared in locus.h. */
#include "locus.h"

#include "locus/spawn.h"
#include "locus/syscall_i386.h"

int sys_null(void)
{
	return syscall0(SYS_NULL);
}

int debug_write(const void *buf, size_t len)
{
	return syscall2(SYS_DEBUG_WRITE, (uint32_t)buf, len);
}

int thread_create(const void *entry, void *stack_top, void *tls, uintptr_t arg,
		  unsigned priority, int cpu)
{
	return syscall6(SYS_THREAD_CREATE, (uint32_t)entry, (uint32_t)stack_top, (uint32_t)tls,
			arg, priority, (uint32_t)cpu);
}

void thread_exit(int status)
{
	syscall1(SYS_THREAD_EXIT, (uint32_t)status);
	__builtin_unreachable();
}

int thread_join(int thread_cap, int *status)
{
	return syscall2(SYS_THREAD_JOIN, (uint32_t)thread_cap, (uint32_t)status);
}

int thread_self(void)
{
	return syscall0(SYS_THREAD_SELF);
}

int yield(void)
{
	return syscall0(SYS_YIELD);
}

int sleep_ms(unsigned ms)
{
	return syscall1(SYS_SLEEP, ms);
}

int set_tls(void *tcb)
{
	return syscall1(SYS_SET_TLS, (uint32_t)tcb);
}

int task_spawn(const struct spawn_request *request)
{
	return syscall1(SYS_TASK_SPAWN, (uint32_t)request);
}

void task_exit(int status)
{
	syscall1(SYS_TASK_EXIT, (uint32_t)status);
	__builtin_unreachable();
}

int task_wait(int task_cap, int *status)
{
	return syscall2(SYS_TASK_WAIT, (uint32_t)task_cap, (uint32_t)status);
}

int task_kill(int task_cap)
{
	return syscall1(SYS_TASK_KILL, (uint32_t)task_cap);
}

int cap_delete(int slot)
{
	return syscall1(SYS_CAP_DELETE, (uint32_t)slot);
}

void *mem_map(void *hint, size_t size, unsigned prot, int *err)
{
	int32_t r = syscall3(SYS_MEM_MAP, (uint32_t)hint, size, prot);

	if (syscall_failed(r)) {
		if (err)
			*err = r;
		return NULL;
	}
	return (void *)r;
}

int mem_unmap(void *addr, size_t size)
{
	return syscall2(SYS_MEM_UNMAP, (uint32_t)addr, size);
}

int cpu_id(void)
{
	return syscall0(SYS_CPU_ID);
}

int cpu_count(void)
{
	return syscall0(SYS_CPU_COUNT);
}

uint64_t clock_ns(void)
{
	uint32_t lo, hi;

	__asm__ volatile("int $0x80" : "=a"(lo), "=d"(hi) : "a"(SYS_CLOCK) : "memory");
	return ((uint64_t)hi << 32) | lo;
}

int futex_wait(volatile uint32_t *addr, uint32_t expected, unsigned timeout_ms)
{
	return syscall3(SYS_FUTEX_WAIT, (uint32_t)addr, expected, timeout_ms);
}

int futex_wake(volatile uint32_t *addr, unsigned count)
{
	return syscall2(SYS_FUTEX_WAKE, (uint32_t)addr, count);
}

int spawn(const char *name, const char *args)
{
	return spawn_with_caps(name, args, CPU_ANY, NULL, 0);
}

int spawn_with_caps(const char *name, const char *args, int cpu, const int *caps,
		    unsigned count)
{
	struct spawn_request req = { .name = name, .args = args, .cpu = cpu };

	if (count >= SPAWN_CAPS_MAX)
		return -E2BIG;
	for (unsigned i = 0; i < count; i++)
		req.caps[i] = caps[i];
	/* The child inherits the name service, if there is one: a program
	 * finds everything else through it. */
	req.caps[count] = CAP_SLOT_NAMES;
	req.cap_dest[count] = CAP_SLOT_NAMES;
	req.cap_count = count + 1;
	int r = task_spawn(&req);

	if (r == -EBADF) {
		req.cap_count = count;
		r = task_spawn(&req);
	}
	return r;
}

int module_info(unsigned index, struct module_info *info)
{
	return syscall2(SYS_MODULE_INFO, index, (uint32_t)info);
}

int module_read(const char *name, uint32_t offset, void *buf, size_t len)
{
	return syscall5(SYS_MODULE_READ, (uint32_t)name, offset, (uint32_t)buf, len, 0);
}

int thread_list(struct thread_info *threads, unsigned max)
{
	return syscall2(SYS_THREAD_LIST, (uint32_t)threads, max);
}

int cpu_info(unsigned cpu, struct cpu_info *info)
{
	return syscall2(SYS_CPU_INFO, cpu, (uint32_t)info);
}
