/*
 * Bad input to system calls: each gets a clear error code and loses
 * nothing; exhausting memory or threads is an error, not a crash, and
 * freeing makes the resource usable again.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "locus.h"
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

static void wait_forever(void *arg)
{
	(void)arg;
	for (;;)
		sleep_ms(1000000);
}

static void threads_until_refused(void)
{
	enum { MAX = 400 };
	static struct uthread threads[MAX];
	int n = 0, err = 0;

	while (n < MAX && !(err = uthread_create(&threads[n], wait_forever, NULL, 10, CPU_ANY,
						  4096)))
		n++;
	printf("utest_syscalls: %d threads before %d\n", n, err);
	UCHECK(n > 0 && n < MAX);
	UCHECK_EQ(err, -EAGAIN);
	/* They end with the task (task_exit kills them). */
}

int main(void)
{
	bad_pointers();
	bad_values();
	bad_capabilities();
	memory_until_refused();
	threads_until_refused();
	printf("utest_syscalls: %d failures\n", utest_failures);
	return utest_failures;
}
