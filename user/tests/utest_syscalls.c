/*
 * Bad input to system calls: each gets a clear error code and loses
 * nothing; exhausting memory, threads (and their UTCB slots) or
 * capability slots is an error, not a crash, and freeing makes the
 * resource usable again.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "uapi/sysinfo.h"
#include "locus/syscall_i386.h"
#include "locus/uthread.h"
#include "locus/utest.h"

static void bad_pointers(void)
{
	char *page = mem_map(NULL, 2 * 4096, PROT_READ | PROT_WRITE, NULL);

	UCHECK(page != NULL);
	memcpy(page + 4096 - 3, "ok\n", 3);
	mem_unmap(page + 4096, 4096);
	UCHECK_EQ(debug_write(page + 4096 - 3, 3), 3);
	UCHECK_EQ(debug_write(NULL, 10), -EFAULT);
	UCHECK_EQ(debug_write((void *)0xC0100000, 10), -EFAULT);
	UCHECK_EQ(debug_write((void *)0xFFFFFFF0, 32), -EFAULT);
	UCHECK_EQ(debug_write((void *)0x30000000, 1), -EFAULT);
	/* Straddling: the last bytes of a mapped page, then an unmapped one. */
	UCHECK_EQ(debug_write(page + 4096 - 2, 8), -EFAULT);
	UCHECK_EQ(debug_write(page, 0), 0);
	UCHECK_EQ(thread_join(1, (int *)0xC0000000), -EBADF);
	UCHECK_EQ(task_spawn((void *)0xC0001000), -EFAULT);
	struct spawn_request bad_name = { .name = (const char *)0x40, .cpu = CPU_ANY };

	UCHECK_EQ(task_spawn(&bad_name), -EFAULT);
	mem_unmap(page, 4096);
}

static void bad_values(void)
{
	char long_name[100];

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	UCHECK_EQ(syscall0(999), -ENOSYS);
	UCHECK_EQ(syscall0(SYS_COUNT), -ENOSYS);
	UCHECK_EQ(spawn("no_such_program", ""), -ENOENT);
	UCHECK_EQ(spawn(long_name, ""), -ENAMETOOLONG);
	UCHECK_EQ(set_tls((void *)0xC0000000), -EINVAL);
	UCHECK_EQ(thread_create((void *)0x400000, (void *)0x1000, NULL, 0, 99, CPU_ANY), -EINVAL);
	UCHECK_EQ(thread_create((void *)0x400000, (void *)0x1000, NULL, 0, 1, 99), -EINVAL);
	UCHECK_EQ(thread_create((void *)0xC0000000, (void *)0x1000, NULL, 0, 1, CPU_ANY), -EFAULT);
	int err = 0;

	UCHECK(mem_map(NULL, 0, PROT_READ, &err) == NULL && err == -EINVAL);
	UCHECK(mem_map((void *)0xC0000000, 4096, PROT_READ, &err) == NULL && err == -EINVAL);
	UCHECK(mem_map((void *)0x123, 4096, PROT_READ, &err) == NULL && err == -EINVAL);
	UCHECK(mem_map(NULL, 4096, PROT_WRITE | 0x8, &err) == NULL && err == -EINVAL);
	/* A main thread pinned to a core that is not online. */
	struct spawn_request offline = { .name = "utest_hello", .cpu = 99 };

	UCHECK_EQ(task_spawn(&offline), -EINVAL);
	offline.cpu = -2;
	UCHECK_EQ(task_spawn(&offline), -EINVAL);
	UCHECK_EQ(mem_unmap((void *)0xC0000000, 4096), -EINVAL);
}

static void bad_capabilities(void)
{
	UCHECK_EQ(thread_join(0, NULL), -EBADF);
	UCHECK_EQ(thread_join(-1, NULL), -EBADF);
	UCHECK_EQ(thread_join(CAP_SLOTS, NULL), -EBADF);
	UCHECK_EQ(thread_join(77, NULL), -EBADF);
	UCHECK_EQ(task_wait(77, NULL), -EBADF);
	UCHECK_EQ(cap_delete(77), -EBADF);
	int task = spawn("utest_hello", "one two three");

	UCHECK(task > 0);
	/* A task capability is not a thread capability. */
	UCHECK_EQ(thread_join(task, NULL), -EINVAL);
	int status = -1;

	UCHECK_EQ(task_wait(task, &status), 0);
	UCHECK_EQ(status, 0);
	/* Waiting consumed it. */
	UCHECK_EQ(task_wait(task, &status), -EBADF);
}

/*
 * Its own UTCB as the buffer of system calls, in ways that overlap: the
 * kernel must copy what it reads before it writes, and never mistake the
 * UTCB for anything but user memory.
 */
static void utcb_as_buffer(void)
{
	struct utcb *u = utcb();
	char *mr = (char *)u->mr;

	/* The name read from the same bytes the module is read into. */
	strcpy(mr, "utest_hello");
	UCHECK_EQ(module_read(mr, 0, mr, 64), 64);
	UCHECK(memcmp(mr, "\177ELF", 4) == 0);
	/* A spawn request in the UTCB, its strings right behind it. */
	struct spawn_request *req = (struct spawn_request *)u->mr;
	char *strings = (char *)(req + 1);

	memset(req, 0, sizeof(*req));
	req->name = strcpy(strings, "utest_hello");
	req->args = strcpy(strings + 16, "one two three");
	req->cpu = CPU_ANY;
	int task = task_spawn(req);
	int status = -1;

	UCHECK(task > 0);
	UCHECK_EQ(task_wait(task, &status), 0);
	UCHECK_EQ(status, 0);
	/* Output laid over the whole UTCB, its header included. */
	UCHECK(thread_list((struct thread_info *)u, UTCB_SIZE / sizeof(struct thread_info)) > 0);
	UCHECK_EQ(debug_write(mr, 0), 0);
	strcpy(mr, "utcb as a buffer: ok\n");
	UCHECK_EQ(debug_write(mr, strlen(mr)), (int)strlen(mr));
}

static void memory_until_refused(void)
{
	enum { CHUNK = 1 << 20, MAX_CHUNKS = 4096 };
	static void *chunks[MAX_CHUNKS];
	int n = 0, err = 0;

	while (n < MAX_CHUNKS && (chunks[n] = mem_map(NULL, CHUNK, PROT_READ | PROT_WRITE, &err)))
		((volatile char *)chunks[n++])[CHUNK - 1] = 1;
	printf("utest_syscalls: mapped %d MiB before %d\n", n, err);
	UCHECK(n > 0 && n < MAX_CHUNKS);
	UCHECK_EQ(err, -ENOMEM);
	for (int i = 0; i < n; i++)
		UCHECK_EQ(mem_unmap(chunks[i], CHUNK), 0);
	/* Freed memory is usable again. */
	void *again = mem_map(NULL, CHUNK, PROT_READ | PROT_WRITE, &err);

	UCHECK(again != NULL);
	mem_unmap(again, CHUNK);
}

static uint32_t release_threads;

static void wait_for_release(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release_threads, __ATOMIC_ACQUIRE))
		futex_wait(&release_threads, 0, 0);
}

/* Threads (and with them UTCB slots) up to the task's limit, then back. */
static void threads_until_refused(void)
{
	enum { MAX = TASK_THREADS_MAX + 16 };
	static struct uthread threads[MAX];
	int n = 0, err = 0;

	while (n < MAX && !(err = uthread_create(&threads[n], wait_for_release, NULL, 10, CPU_ANY,
						  4096)))
		n++;
	printf("utest_syscalls: %d threads before %d\n", n, err);
	/* The main thread is one of the task's threads. */
	UCHECK_EQ(n, TASK_THREADS_MAX - 1);
	UCHECK_EQ(err, -EAGAIN);
	__atomic_store_n(&release_threads, 1, __ATOMIC_RELEASE);
	futex_wake(&release_threads, MAX);
	for (int i = 0; i < n; i++)
		UCHECK_EQ(uthread_join(&threads[i], NULL), 0);
	/* Their slots are free again: as many threads start a second time. */
	int again = 0;

	while (again < n && !uthread_create(&threads[again], wait_for_release, NULL, 10, CPU_ANY,
					    4096))
		again++;
	UCHECK_EQ(again, n);
	for (int i = 0; i < again; i++)
		UCHECK_EQ(uthread_join(&threads[i], NULL), 0);
}

/* Capability slots until the table is full, then one freed and reused. */
static void capabilities_until_refused(void)
{
	static int slots[CAP_SLOTS];
	int n = 0, err;

	while ((err = endpoint_create()) > 0)
		slots[n++] = err;
	printf("utest_syscalls: %d endpoints before %d\n", n, err);
	UCHECK_EQ(err, -EMFILE);
	UCHECK(n > CAP_SLOTS / 2);
	UCHECK_EQ(cap_derive(slots[0], CAP_RIGHT_SEND, 0), -EMFILE);
	UCHECK_EQ(cap_delete(slots[n / 2]), 0);
	int reused = endpoint_create();

	UCHECK_EQ(reused, slots[n / 2]);
	slots[n / 2] = reused;
	for (int i = 0; i < n; i++)
		UCHECK_EQ(cap_delete(slots[i]), 0);
}

/*
 * "low_memory": run by a kernel test that has taken nearly every free
 * frame. Mapping runs out below the task's quota, with -ENOMEM; what is
 * given back can be mapped again.
 */
static int low_memory(void)
{
	enum { CHUNK = 16 * 4096, MAX_CHUNKS = 4096 };
	static void *chunks[MAX_CHUNKS];
	int n = 0, err = 0;

	while (n < MAX_CHUNKS && (chunks[n] = mem_map(NULL, CHUNK, PROT_READ | PROT_WRITE, &err)))
		((volatile char *)chunks[n++])[CHUNK - 1] = 1;
	printf("utest_syscalls: low memory: mapped %d KiB before %d\n", n * CHUNK / 1024, err);
	UCHECK_EQ(err, -ENOMEM);
	UCHECK(n < MAX_CHUNKS);
	for (int i = 0; i < n; i++)
		UCHECK_EQ(mem_unmap(chunks[i], CHUNK), 0);
	void *again = mem_map(NULL, CHUNK, PROT_READ | PROT_WRITE, &err);

	UCHECK(again != NULL);
	if (again)
		UCHECK_EQ(mem_unmap(again, CHUNK), 0);
	printf("utest_syscalls: %d failures\n", utest_failures);
	return utest_failures;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "low_memory"))
		return low_memory();
	bad_pointers();
	bad_values();
	bad_capabilities();
	utcb_as_buffer();
	memory_until_refused();
	threads_until_refused();
	capabilities_until_refused();
	printf("utest_syscalls: %d failures\n", utest_failures);
	return utest_failures;
}
