/*
 * The Locus system calls, as C functions. Each returns a negative -errno
 * on failure (see uapi/errno.h), except where a value is described.
 */
#ifndef LOCUS_USER_LOCUS_H
#define LOCUS_USER_LOCUS_H

#include <stddef.h>
#include <stdint.h>

#include "uapi/cap.h"
#include "uapi/errno.h"
#include "uapi/syscall.h"

int sys_null(void);
int debug_write(const void *buf, size_t len);
int thread_create(const void *entry, void *stack_top, void *tls, uintptr_t arg,
		  unsigned priority, int cpu);
__attribute__((noreturn)) void thread_exit(int status);
int thread_join(int thread_cap, int *status);
int thread_self(void);
int yield(void);
int sleep_ms(unsigned ms);
int set_tls(void *tcb);
int task_spawn(const struct spawn_request *request);
__attribute__((noreturn)) void task_exit(int status);
int task_wait(int task_cap, int *status);
int task_kill(int task_cap);
int cap_delete(int slot);
/* Returns the address, or NULL with the error in *err (if err is set). */
void *mem_map(void *hint, size_t size, unsigned prot, int *err);
int mem_unmap(void *addr, size_t size);
int cpu_id(void);
int cpu_count(void);
/* Nanoseconds since boot. */
uint64_t clock_ns(void);

/* Spawns a boot module with arguments on any core; returns its task cap. */
int spawn(const char *name, const char *args);

/* Boot modules as read-only files: the index-th module's name and size,
 * and bytes of the one called name. */
struct module_info;
int module_info(unsigned index, struct module_info *info);
int module_read(const char *name, uint32_t offset, void *buf, size_t len);

/* The threads of all tasks (at most max), and a core's statistics. */
struct thread_info;
struct cpu_info;
int thread_list(struct thread_info *threads, unsigned max);
int cpu_info(unsigned cpu, struct cpu_info *info);

/* Sleeps while *addr == expected (timeout_ms 0: no timeout): 0 when woken,
 * -EAGAIN if *addr differed, -ETIMEDOUT, -EINTR. */
int futex_wait(volatile uint32_t *addr, uint32_t expected, unsigned timeout_ms);
/* Wakes up to count threads sleeping on addr; returns how many. */
int futex_wake(volatile uint32_t *addr, unsigned count);

#endif
