/*
 * The pthread library (user/lib/pthread) on every core: one TEST line per
 * case, "TEST pthread.<case> ok" or "... FAIL <why>", each printed with a
 * single printf so lines from different threads never tear. Exits with
 * the number of failed cases (kernel/test/pthread_test.c checks it).
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/syscall_i386.h"
#include "locus/tcb.h"
#include "locus/uthread.h"
#include "locus/utest.h"
#include "uapi/sysinfo.h"

/* ---- One case at a time; checks may fail in any of its threads ---- */

static int case_failed;
static char case_why[200];

static __printf_like(2, 3) void fail_at(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* The first failure is the one reported. */
	if (__atomic_exchange_n(&case_failed, 1, __ATOMIC_ACQ_REL))
		return;
	n = snprintf(case_why, sizeof(case_why), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(case_why + n, sizeof(case_why) - n, fmt, ap);
	va_end(ap);
}

#define CHECK(cond)                                            \
	do {                                                   \
		if (!(cond))                                   \
			fail_at(__LINE__, "%s", #cond);        \
	} while (0)

#define CHECK_EQ(a, b)                                                                 \
	do {                                                                           \
		long long a__ = (long long)(a), b__ = (long long)(b);                  \
		if (a__ != b__)                                                        \
			fail_at(__LINE__, "%s == %s: %lld != %lld", #a, #b, a__, b__); \
	} while (0)

static int ncpu;

/* ---- Helpers ---- */

/* A thread on core cpu (CPU_ANY: anywhere). */
static int start_on(pthread_t *t, int cpu, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setcpu(&attr, cpu);
	int err = pthread_create(t, &attr, fn, arg);

	CHECK_EQ(err, 0);
	return err;
}

/* Runs fn(arg) on another thread (core cpu) and returns what it returned. */
static intptr_t run_on(int cpu, void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *value = NULL;

	if (start_on(&t, cpu, fn, arg))
		return -1;
	CHECK_EQ(pthread_join(t, &value), 0);
	return (intptr_t)value;
}

static int other_cpu(void)
{
	return ncpu > 1 ? 1 : 0;
}

static uint64_t now_ms(void)
{
	return clock_ns() / 1000000;
}

static int read_cpu_info(int cpu, struct cpu_info *info)
{
	return syscall2(SYS_CPU_INFO, (uint32_t)cpu, (uint32_t)info);
}

/* ---- Mutexes ---- */

#define COUNTER_ROUNDS 5000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;		/* a plain int: only the mutex keeps it exact */

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < COUNTER_ROUNDS; i++) {
		CHECK_EQ(pthread_mutex_lock(&counter_lock), 0);
		counter++;
		CHECK_EQ(pthread_mutex_unlock(&counter_lock), 0);
	}
	return NULL;
}

static void mutex_counter_exact(void)
{
	int n = MIN(MAX(4, 2 * ncpu), 16);
	pthread_t t[16];

	counter = 0;
	for (int i = 0; i < n; i++)
		start_on(&t[i], i % ncpu, count_up, NULL);
	for (int i = 0; i < n; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(counter, n * COUNTER_ROUNDS);
}

static void *trylock_fn(void *m)
{
	return (void *)(intptr_t)pthread_mutex_trylock(m);
}

static void *unlock_fn(void *m)
{
	return (void *)(intptr_t)pthread_mutex_unlock(m);
}

static void *lock_unlock_fn(void *m)
{
	int err = pthread_mutex_lock(m);

	if (!err)
		err = pthread_mutex_unlock(m);
	return (void *)(intptr_t)err;
}

static void mutex_init_type(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t attr;
	int got = -1;

	CHECK_EQ(pthread_mutexattr_init(&attr), 0);
	CHECK_EQ(pthread_mutexattr_settype(&attr, type), 0);
	CHECK_EQ(pthread_mutexattr_gettype(&attr, &got), 0);
	CHECK_EQ(got, type);
	CHECK_EQ(pthread_mutex_init(m, &attr), 0);
	CHECK_EQ(pthread_mutexattr_destroy(&attr), 0);
}

static void mutex_recursive(void)
{
	pthread_mutex_t m;

	mutex_init_type(&m, PTHREAD_MUTEX_RECURSIVE);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_mutex_lock(&m), 0);
	CHECK_EQ(pthread_mutex_trylock(&m), 0);
	CHECK_EQ(run_on(other_cpu(), trylock_fn, &m), EBUSY);
	CHECK_EQ(run_on(other_cpu(), unlock_fn, &m), EPERM);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_mutex_unlock(&m), 0);
	/* Still held once: the others cannot have it yet. */
	CHECK_EQ(run_on(other_cpu(), trylock_fn, &m), EBUSY);
	CHECK_EQ(pthread_mutex_destroy(&m), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), EPERM);
	CHECK_EQ(run_on(other_cpu(), lock_unlock_fn, &m), 0);
	CHECK_EQ(pthread_mutex_destroy(&m), 0);
	CHECK_EQ(pthread_mutex_lock(&m), EINVAL);
}

static void mutex_errorcheck_relock(void)
{
	pthread_mutex_t m;

	mutex_init_type(&m, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_mutex_lock(&m), 0);
	CHECK_EQ(pthread_mutex_lock(&m), EDEADLK);
	CHECK_EQ(pthread_mutex_trylock(&m), EBUSY);
	CHECK_EQ(pthread_mutex_destroy(&m), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), EPERM);
	CHECK_EQ(pthread_mutex_trylock(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
	CHECK_EQ(pthread_mutex_destroy(&m), 0);
}

static void mutex_unlock_not_owner(void)
{
	static const int types[] = { PTHREAD_MUTEX_NORMAL, PTHREAD_MUTEX_RECURSIVE,
				     PTHREAD_MUTEX_ERRORCHECK };

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		pthread_mutex_t m;

		mutex_init_type(&m, types[i]);
		/* Unlocked: no one owns it. */
		CHECK_EQ(pthread_mutex_unlock(&m), EPERM);
		CHECK_EQ(pthread_mutex_lock(&m), 0);
		CHECK_EQ(run_on(other_cpu(), unlock_fn, &m), EPERM);
		/* The failed unlock left it locked, and ours. */
		CHECK_EQ(run_on(other_cpu(), trylock_fn, &m), EBUSY);
		CHECK_EQ(pthread_mutex_unlock(&m), 0);
		CHECK_EQ(pthread_mutex_destroy(&m), 0);
	}
}

static sem_t holder_locked, holder_release;

static void *hold_mutex(void *m)
{
	CHECK_EQ(pthread_mutex_lock(m), 0);
	sem_post(&holder_locked);
	sem_wait(&holder_release);
	CHECK_EQ(pthread_mutex_unlock(m), 0);
	return NULL;
}

static void mutex_trylock_busy(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_t t;

	sem_init(&holder_locked, 0, 0);
	sem_init(&holder_release, 0, 0);
	if (start_on(&t, other_cpu(), hold_mutex, &m))
		return;
	sem_wait(&holder_locked);
	CHECK_EQ(pthread_mutex_trylock(&m), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&m), EPERM);
	sem_post(&holder_release);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(pthread_mutex_trylock(&m), 0);
	CHECK_EQ(run_on(other_cpu(), trylock_fn, &m), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
}

/*
 * No system call: the kernel counts the system calls taken on each core
 * (cpu_info.syscalls). A thread pinned to one core reads the count, runs
 * the loop, and reads it again: only that second read may have been
 * counted in between. Another thread of ours on that core cannot run
 * meanwhile (the loop never blocks, and is far shorter than a time slice)
 * but could slip in before the loop, so a few tries are allowed. The same
 * window around sys_null() calls shows the count does see this core.
 */
#define NO_SYSCALL_PAIRS 1000
#define NO_SYSCALL_TRIES 5

static pthread_mutex_t plain_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rec_m, check_m;
static sem_t quiet_sem;
static pthread_cond_t quiet_cond = PTHREAD_COND_INITIALIZER;
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void nothing(void)
{
}

static void mutex_pairs(void)
{
	for (int i = 0; i < NO_SYSCALL_PAIRS; i++) {
		pthread_mutex_lock(&plain_m);
		pthread_mutex_unlock(&plain_m);
		pthread_mutex_lock(&rec_m);
		pthread_mutex_lock(&rec_m);
		pthread_mutex_unlock(&rec_m);
		pthread_mutex_unlock(&rec_m);
		pthread_mutex_trylock(&check_m);
		pthread_mutex_unlock(&check_m);
	}
}

static void other_pairs(void)
{
	for (int i = 0; i < NO_SYSCALL_PAIRS; i++) {
		sem_post(&quiet_sem);
		sem_wait(&quiet_sem);
		pthread_cond_signal(&quiet_cond);
		pthread_cond_broadcast(&quiet_cond);
		pthread_once(&quiet_once, nothing);
		pthread_self();
	}
}

static void null_calls(void)
{
	for (int i = 0; i < 100; i++)
		sys_null();
}

/* System calls counted on this core while fn ran, the fewest of a few
 * tries, not counting the read that ends the window. */
static void *syscalls_during(void *fn)
{
	uint32_t best = UINT32_MAX;
	int cpu = cpu_id();

	for (int i = 0; i < NO_SYSCALL_TRIES && best; i++) {
		struct cpu_info before, after;

		read_cpu_info(cpu, &before);
		((void (*)(void))fn)();
		read_cpu_info(cpu, &after);
		best = MIN(best, after.syscalls - before.syscalls - 1);
	}
	return (void *)(uintptr_t)best;
}

static void mutex_uncontended_no_syscall(void)
{
	int cpu = ncpu - 1;

	mutex_init_type(&rec_m, PTHREAD_MUTEX_RECURSIVE);
	mutex_init_type(&check_m, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(run_on(cpu, syscalls_during, null_calls), 100);
	CHECK_EQ(run_on(cpu, syscalls_during, mutex_pairs), 0);
}

static void others_uncontended_no_syscall(void)
{
	int cpu = ncpu - 1;

	sem_init(&quiet_sem, 0, 0);
	pthread_once(&quiet_once, nothing);
	CHECK_EQ(run_on(cpu, syscalls_during, other_pairs), 0);
}

/* ---- Condition variables ---- */

#define PC_ITEMS 300		/* per producer */
#define PC_SLOTS 4
#define PC_MAX_THREADS 8

static struct {
	pthread_mutex_t lock;
	pthread_cond_t not_full, not_empty;
	int buf[PC_SLOTS];
	int head, count, taken, total;
	unsigned char seen[PC_MAX_THREADS * PC_ITEMS];
} pc;

static void *producer(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (int i = 0; i < PC_ITEMS; i++) {
		pthread_mutex_lock(&pc.lock);
		while (pc.count == PC_SLOTS)
			CHECK_EQ(pthread_cond_wait(&pc.not_full, &pc.lock), 0);
		pc.buf[(pc.head + pc.count) % PC_SLOTS] = id * PC_ITEMS + i;
		pc.count++;
		pthread_cond_signal(&pc.not_empty);
		pthread_mutex_unlock(&pc.lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	int mine = 0;

	(void)arg;
	pthread_mutex_lock(&pc.lock);
	for (;;) {
		while (pc.count == 0 && pc.taken < pc.total)
			CHECK_EQ(pthread_cond_wait(&pc.not_empty, &pc.lock), 0);
		if (pc.taken == pc.total)
			break;
		int item = pc.buf[pc.head];

		pc.head = (pc.head + 1) % PC_SLOTS;
		pc.count--;
		pc.taken++;
		pc.seen[item]++;
		mine++;
		pthread_cond_signal(&pc.not_full);
		/* The last item: the other consumers must hear there is no more. */
		if (pc.taken == pc.total)
			pthread_cond_broadcast(&pc.not_empty);
		/* Let others in now and then, as real work would. */
		if (mine % 16 == 0) {
			pthread_mutex_unlock(&pc.lock);
			pthread_mutex_lock(&pc.lock);
		}
	}
	pthread_mutex_unlock(&pc.lock);
	return (void *)(intptr_t)mine;
}

static void condvar_producer_consumer(void)
{
	int n = MIN(MAX(2, ncpu), PC_MAX_THREADS);
	pthread_t prod[PC_MAX_THREADS], cons[PC_MAX_THREADS];
	int consumed = 0;

	memset(&pc, 0, sizeof(pc));
	pthread_mutex_init(&pc.lock, NULL);
	pthread_cond_init(&pc.not_full, NULL);
	pthread_cond_init(&pc.not_empty, NULL);
	pc.total = n * PC_ITEMS;
	for (int i = 0; i < n; i++) {
		start_on(&cons[i], i % ncpu, consumer, NULL);
		start_on(&prod[i], (i + 1) % ncpu, producer, (void *)(intptr_t)i);
	}
	for (int i = 0; i < n; i++) {
		void *mine;

		CHECK_EQ(pthread_join(prod[i], NULL), 0);
		CHECK_EQ(pthread_join(cons[i], &mine), 0);
		consumed += (int)(intptr_t)mine;
	}
	CHECK_EQ(consumed, pc.total);
	for (int i = 0; i < pc.total; i++)
		if (pc.seen[i] != 1)
			fail_at(__LINE__, "item %d consumed %d times", i, pc.seen[i]);
	CHECK_EQ(pthread_cond_destroy(&pc.not_full), 0);
	CHECK_EQ(pthread_cond_destroy(&pc.not_empty), 0);
	CHECK_EQ(pthread_mutex_destroy(&pc.lock), 0);
}

static struct {
	pthread_mutex_t lock;
	pthread_cond_t go_cond, waiting_cond;
	int waiting, go, woken;
} bc;

static void *broadcast_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bc.lock);
	bc.waiting++;
	pthread_cond_signal(&bc.waiting_cond);
	while (!bc.go)
		CHECK_EQ(pthread_cond_wait(&bc.go_cond, &bc.lock), 0);
	bc.woken++;
	pthread_mutex_unlock(&bc.lock);
	return NULL;
}

static void condvar_broadcast(void)
{
	int n = MIN(MAX(4, 2 * ncpu), 16);
	pthread_t t[16];

	memset(&bc, 0, sizeof(bc));
	pthread_mutex_init(&bc.lock, NULL);
	pthread_cond_init(&bc.go_cond, NULL);
	pthread_cond_init(&bc.waiting_cond, NULL);
	/* No one waits: a broadcast is a no-op. */
	CHECK_EQ(pthread_cond_broadcast(&bc.go_cond), 0);
	for (int i = 0; i < n; i++)
		start_on(&t[i], i % ncpu, broadcast_waiter, NULL);
	pthread_mutex_lock(&bc.lock);
	while (bc.waiting < n)
		pthread_cond_wait(&bc.waiting_cond, &bc.lock);
	/* All n are inside pthread_cond_wait now (they let the mutex go). */
	bc.go = 1;
	CHECK_EQ(pthread_cond_broadcast(&bc.go_cond), 0);
	pthread_mutex_unlock(&bc.lock);
	for (int i = 0; i < n; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(bc.woken, n);
}

static struct timespec in_ms(unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	ts.tv_sec += ms / 1000 + ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

static pthread_mutex_t tw_lock;
static pthread_cond_t tw_cond = PTHREAD_COND_INITIALIZER;
static int tw_flag;

static void *signal_later(void *arg)
{
	(void)arg;
	sleep_ms(20);
	pthread_mutex_lock(&tw_lock);
	tw_flag = 1;
	pthread_cond_signal(&tw_cond);
	pthread_mutex_unlock(&tw_lock);
	return NULL;
}

static void condvar_timedwait_timeout(void)
{
	static const unsigned timeouts[] = { 1, 30, 55 };
	struct timespec deadline;
	pthread_t t;

	mutex_init_type(&tw_lock, PTHREAD_MUTEX_ERRORCHECK);
	CHECK_EQ(pthread_cond_wait(&tw_cond, &tw_lock), EPERM);	/* not held */
	pthread_mutex_lock(&tw_lock);
	for (unsigned i = 0; i < ARRAY_SIZE(timeouts); i++) {
		uint64_t start = clock_ns();

		deadline = in_ms(timeouts[i]);
		CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &deadline), ETIMEDOUT);
		uint64_t waited = clock_ns() - start;

		if (waited < timeouts[i] * 1000000ull)
			fail_at(__LINE__, "woke after %u us of %u ms", (unsigned)(waited / 1000),
				timeouts[i]);
		/* The mutex is ours again. */
		CHECK_EQ(pthread_mutex_lock(&tw_lock), EDEADLK);
	}
	/* A deadline already past, and a malformed one. */
	deadline = in_ms(0);
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &deadline), ETIMEDOUT);
	deadline.tv_nsec = 1000000000;
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, &deadline), EINVAL);
	CHECK_EQ(pthread_cond_timedwait(&tw_cond, &tw_lock, NULL), EINVAL);

	/* Signalled long before the deadline: 0, early. */
	tw_flag = 0;
	start_on(&t, other_cpu(), signal_later, NULL);
	uint64_t start = now_ms();

	deadline = in_ms(5000);
	while (!tw_flag) {
		int err = pthread_cond_timedwait(&tw_cond, &tw_lock, &deadline);

		CHECK_EQ(err, 0);
		if (err)
			break;
	}
	CHECK(now_ms() - start < 4000);
	pthread_mutex_unlock(&tw_lock);
	CHECK_EQ(pthread_join(t, NULL), 0);
}

/* ---- Semaphores ---- */

#define SEM_ROUNDS 30

static sem_t counted;

static void *sem_taker(void *arg)
{
	(void)arg;
	for (int i = 0; i < SEM_ROUNDS; i++)
		CHECK_EQ(sem_wait(&counted), 0);
	return NULL;
}

static void semaphore_counts(void)
{
	int n = MIN(MAX(2, ncpu), 8), value = -1;
	pthread_t t[8];
	sem_t s;

	CHECK_EQ(sem_init(&s, 0, 2), 0);
	CHECK_EQ(sem_getvalue(&s, &value), 0);
	CHECK_EQ(value, 2);
	CHECK_EQ(sem_trywait(&s), 0);
	CHECK_EQ(sem_trywait(&s), 0);
	errno = 0;
	CHECK_EQ(sem_trywait(&s), -1);
	CHECK_EQ(errno, EAGAIN);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(sem_post(&s), 0);
	CHECK_EQ(sem_getvalue(&s, &value), 0);
	CHECK_EQ(value, 3);
	CHECK_EQ(sem_destroy(&s), 0);
	CHECK_EQ(sem_init(&s, 1, 0), -1);
	CHECK_EQ(errno, ENOTSUP);
	CHECK_EQ(sem_init(&s, 0, SEM_VALUE_MAX), 0);
	CHECK_EQ(sem_post(&s), -1);

	/* Takers on every core block until posts come; none is lost. */
	sem_init(&counted, 0, 0);
	for (int i = 0; i < n; i++)
		start_on(&t[i], i % ncpu, sem_taker, NULL);
	for (int i = 0; i < n * SEM_ROUNDS; i++) {
		CHECK_EQ(sem_post(&counted), 0);
		if (i % 7 == 0)
			yield();
	}
	for (int i = 0; i < n; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(sem_getvalue(&counted, &value), 0);
	CHECK_EQ(value, 0);
	CHECK_EQ(sem_destroy(&counted), 0);
}

/* ---- Once ---- */

#define ONCE_THREADS 16
#define ONCE_ROUNDS 3

static pthread_once_t once_objs[ONCE_ROUNDS];
static pthread_barrier_t once_start;
static int once_calls[ONCE_ROUNDS], once_done[ONCE_ROUNDS];
static int once_round;

static void once_routine(void)
{
	int r = once_round;

	__atomic_add_fetch(&once_calls[r], 1, __ATOMIC_RELAXED);
	sleep_ms(10);		/* the others must wait for this */
	__atomic_store_n(&once_done[r], 1, __ATOMIC_RELEASE);
}

static void *once_racer(void *arg)
{
	(void)arg;
	for (int r = 0; r < ONCE_ROUNDS; r++) {
		pthread_barrier_wait(&once_start);
		CHECK_EQ(pthread_once(&once_objs[r], once_routine), 0);
		CHECK_EQ(__atomic_load_n(&once_done[r], __ATOMIC_ACQUIRE), 1);
		pthread_barrier_wait(&once_start);
	}
	return NULL;
}

static void once_exactly_once_under_race(void)
{
	pthread_t t[ONCE_THREADS];

	memset(once_calls, 0, sizeof(once_calls));
	memset(once_done, 0, sizeof(once_done));
	for (int r = 0; r < ONCE_ROUNDS; r++)
		once_objs[r] = (pthread_once_t)PTHREAD_ONCE_INIT;
	pthread_barrier_init(&once_start, NULL, ONCE_THREADS + 1);
	for (int i = 0; i < ONCE_THREADS; i++)
		start_on(&t[i], i % ncpu, once_racer, NULL);
	for (int r = 0; r < ONCE_ROUNDS; r++) {
		once_round = r;
		pthread_barrier_wait(&once_start);	/* go */
		pthread_barrier_wait(&once_start);	/* all returned */
		CHECK_EQ(once_calls[r], 1);
	}
	for (int i = 0; i < ONCE_THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(pthread_barrier_destroy(&once_start), 0);
	CHECK_EQ(pthread_once(NULL, once_routine), EINVAL);
}

/* ---- Keys ---- */

#define KEY_THREADS 8

struct key_slot {
	int plain_calls;	/* destructor once */
	int again_calls;	/* sets its value again once: twice */
	int always_calls;	/* always sets it again: ITERATIONS times */
	int null_calls;		/* value set back to NULL: never */
	void *plain_seen;
};

static struct key_slot key_slots[KEY_THREADS];
static pthread_key_t k_plain, k_again, k_always, k_null, k_nodtor;

static void plain_dtor(void *v)
{
	struct key_slot *s = v;

	s->plain_calls++;
	s->plain_seen = v;
	/* Our own value was cleared before we were called. */
	CHECK(pthread_getspecific(k_plain) == NULL);
}

static void again_dtor(void *v)
{
	struct key_slot *s = v;

	if (++s->again_calls == 1)
		pthread_setspecific(k_again, s);
}

static void always_dtor(void *v)
{
	struct key_slot *s = v;

	s->always_calls++;
	pthread_setspecific(k_always, s);
}

static void null_dtor(void *v)
{
	((struct key_slot *)v)->null_calls++;
}

static void *key_user(void *arg)
{
	intptr_t i = (intptr_t)arg;
	struct key_slot *s = &key_slots[i];

	CHECK(pthread_getspecific(k_plain) == NULL);
	CHECK_EQ(pthread_setspecific(k_plain, s), 0);
	CHECK_EQ(pthread_setspecific(k_again, s), 0);
	CHECK_EQ(pthread_setspecific(k_always, s), 0);
	CHECK_EQ(pthread_setspecific(k_null, s), 0);
	CHECK_EQ(pthread_setspecific(k_null, NULL), 0);
	CHECK_EQ(pthread_setspecific(k_nodtor, s), 0);
	sleep_ms(1);
	CHECK(pthread_getspecific(k_plain) == s);
	CHECK(pthread_getspecific(k_nodtor) == s);
	if (i % 2)
		pthread_exit(NULL);
	return NULL;
}

static void keys_destructors_run(void)
{
	pthread_t t[KEY_THREADS];

	memset(key_slots, 0, sizeof(key_slots));
	CHECK_EQ(pthread_key_create(&k_plain, plain_dtor), 0);
	CHECK_EQ(pthread_key_create(&k_again, again_dtor), 0);
	CHECK_EQ(pthread_key_create(&k_always, always_dtor), 0);
	CHECK_EQ(pthread_key_create(&k_null, null_dtor), 0);
	CHECK_EQ(pthread_key_create(&k_nodtor, NULL), 0);
	CHECK_EQ(pthread_key_create(NULL, NULL), EINVAL);
	for (int i = 0; i < KEY_THREADS; i++)
		start_on(&t[i], i % ncpu, key_user, (void *)(intptr_t)i);
	for (int i = 0; i < KEY_THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < KEY_THREADS; i++) {
		struct key_slot *s = &key_slots[i];

		if (s->plain_calls != 1 || s->plain_seen != s || s->again_calls != 2 ||
		    s->always_calls != PTHREAD_DESTRUCTOR_ITERATIONS || s->null_calls != 0)
			fail_at(__LINE__, "thread %d: destructor calls %d %d %d %d", i,
				s->plain_calls, s->again_calls, s->always_calls, s->null_calls);
	}
	/* The main thread never set them. */
	CHECK(pthread_getspecific(k_plain) == NULL);
	CHECK_EQ(pthread_key_delete(k_plain), 0);
	CHECK_EQ(pthread_key_delete(k_again), 0);
	CHECK_EQ(pthread_key_delete(k_always), 0);
	CHECK_EQ(pthread_key_delete(k_null), 0);
	CHECK_EQ(pthread_key_delete(k_nodtor), 0);
}

static pthread_key_t deleted_key;
static int deleted_dtor_calls;
static sem_t key_set, key_deleted;

static void deleted_dtor(void *v)
{
	(void)v;
	deleted_dtor_calls++;
}

static void *deleted_key_user(void *arg)
{
	CHECK_EQ(pthread_setspecific(deleted_key, arg), 0);
	sem_post(&key_set);
	sem_wait(&key_deleted);
	return NULL;
}

static void keys_delete(void)
{
	pthread_key_t k, k2, all[PTHREAD_KEYS_MAX];
	int x, made = 0;
	pthread_t t;

	CHECK_EQ(pthread_key_create(&k, NULL), 0);
	CHECK_EQ(pthread_setspecific(k, &x), 0);
	CHECK(pthread_getspecific(k) == &x);
	CHECK_EQ(pthread_key_delete(k), 0);
	CHECK(pthread_getspecific(k) == NULL);
	CHECK_EQ(pthread_setspecific(k, &x), EINVAL);
	CHECK_EQ(pthread_key_delete(k), EINVAL);
	CHECK_EQ(pthread_key_delete(PTHREAD_KEYS_MAX), EINVAL);
	/* A new key (most likely the same slot) starts out NULL everywhere. */
	CHECK_EQ(pthread_key_create(&k2, NULL), 0);
	CHECK(pthread_getspecific(k2) == NULL);
	CHECK_EQ(pthread_key_delete(k2), 0);

	/* A key deleted while a thread holds a value: no destructor. */
	deleted_dtor_calls = 0;
	sem_init(&key_set, 0, 0);
	sem_init(&key_deleted, 0, 0);
	CHECK_EQ(pthread_key_create(&deleted_key, deleted_dtor), 0);
	if (!start_on(&t, other_cpu(), deleted_key_user, &x)) {
		sem_wait(&key_set);
		CHECK_EQ(pthread_key_delete(deleted_key), 0);
		sem_post(&key_deleted);
		CHECK_EQ(pthread_join(t, NULL), 0);
	}
	CHECK_EQ(deleted_dtor_calls, 0);

	/* Every key can be made, one more cannot; all go back. */
	while (made < PTHREAD_KEYS_MAX && pthread_key_create(&all[made], NULL) == 0)
		made++;
	CHECK_EQ(made, PTHREAD_KEYS_MAX);
	CHECK_EQ(pthread_key_create(&k, NULL), EAGAIN);
	for (int i = 0; i < made; i++)
		CHECK_EQ(pthread_key_delete(all[i]), 0);
}

/* ---- Join and detach ---- */

static void *return_value(void *arg)
{
	return arg;
}

/* pthread_exit from a few calls down. */
static __noinline __noreturn void exit_inner(void *value)
{
	pthread_exit(value);
}

static __noinline __noreturn void exit_outer(void *value)
{
	exit_inner(value);
}

static void *exit_value(void *arg)
{
	exit_outer(arg);
}

static sem_t parked;

static void *park(void *arg)
{
	(void)arg;
	sem_wait(&parked);
	return NULL;
}

static volatile int joiner_tid;
static volatile int joined_may_end;

static void *wait_to_be_released(void *arg)
{
	(void)arg;
	while (!joined_may_end)
		sleep_ms(1);
	return NULL;
}

static void *join_fn(void *arg)
{
	joiner_tid = thread_self();
	return (void *)(intptr_t)pthread_join(arg, NULL);
}

static void join_returns_value(void)
{
	pthread_t a, b, c;
	void *value = NULL;

	start_on(&a, 0, return_value, (void *)0x1234);
	start_on(&b, ncpu - 1, exit_value, (void *)0x5678);
	start_on(&c, CPU_ANY, return_value, (void *)0x9abc);
	CHECK_EQ(pthread_join(a, &value), 0);
	CHECK(value == (void *)0x1234);
	CHECK_EQ(pthread_join(b, &value), 0);
	CHECK(value == (void *)0x5678);
	CHECK_EQ(pthread_join(c, NULL), 0);
	/* While one thread waits to join it, another may not. b blocks only
	 * in its join: a does not end before we let it. */
	joiner_tid = 0;
	joined_may_end = 0;
	start_on(&a, other_cpu(), wait_to_be_released, NULL);
	start_on(&b, 0, join_fn, a);
	bool joining = utest_wait_until_blocked(&joiner_tid, 5000);

	CHECK(joining);
	/* Were b not joining, the check below would join a: let a end. */
	if (!joining)
		joined_may_end = 1;
	CHECK_EQ(pthread_join(a, NULL), EINVAL);
	joined_may_end = 1;
	CHECK_EQ(pthread_join(b, &value), 0);
	CHECK(value == NULL);
	/* Joined threads are gone: joining again is ESRCH, never a fault. */
	CHECK_EQ(pthread_join(a, &value), ESRCH);
	CHECK_EQ(pthread_detach(b), ESRCH);
	CHECK_EQ(pthread_join(NULL, NULL), EINVAL);
}

static void join_detached_einval(void)
{
	pthread_attr_t attr;
	pthread_t d, j;
	int state = -1;

	sem_init(&parked, 0, 0);
	pthread_attr_init(&attr);
	CHECK_EQ(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED), 0);
	CHECK_EQ(pthread_attr_getdetachstate(&attr, &state), 0);
	CHECK_EQ(state, PTHREAD_CREATE_DETACHED);
	CHECK_EQ(pthread_create(&d, &attr, park, NULL), 0);
	CHECK_EQ(pthread_join(d, NULL), EINVAL);
	CHECK_EQ(pthread_detach(d), EINVAL);

	/* Detached after the fact: the same. */
	start_on(&j, other_cpu(), park, NULL);
	CHECK_EQ(pthread_detach(j), 0);
	CHECK_EQ(pthread_join(j, NULL), EINVAL);
	sem_post(&parked);
	sem_post(&parked);
}

static void *join_self(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)pthread_join(pthread_self(), NULL);
}

static void join_self_edeadlk(void)
{
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
	CHECK_EQ(run_on(other_cpu(), join_self, NULL), EDEADLK);
}

/*
 * Detached threads with 1 MiB stacks, far more of them in all than the
 * task's memory quota (a quarter of RAM: 32 MiB with the tests' 128 MiB)
 * would hold if their memory were not given back. And then each one's
 * pages are checked free, by mapping exactly there again (mem_map honours
 * a free hint).
 */
#define DETACH_ROUNDS 6
#define DETACH_BATCH 10
#define DETACH_STACK (1024 * 1024)

static uintptr_t detached_pages[DETACH_ROUNDS * DETACH_BATCH];
static sem_t detached_done;

static void *detached_worker(void *arg)
{
	uintptr_t *slot = arg;

	*slot = ALIGN_DOWN((uintptr_t)pthread_self(), 4096);
	sem_post(&detached_done);
	return NULL;
}

static bool page_free(uintptr_t page)
{
	void *p = mem_map((void *)page, 4096, PROT_READ | PROT_WRITE, NULL);

	if (p)
		mem_unmap(p, 4096);
	return p == (void *)page;
}

static void detach_frees_memory(void)
{
	pthread_attr_t attr;
	int n = 0, still_used = 0;

	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, DETACH_STACK);
	for (int r = 0; r < DETACH_ROUNDS; r++) {
		for (int i = 0; i < DETACH_BATCH; i++, n++) {
			pthread_t t;
			/* Half detached from birth, half right after. */
			bool born = i % 2;

			pthread_attr_setdetachstate(&attr, born ? PTHREAD_CREATE_DETACHED :
							   PTHREAD_CREATE_JOINABLE);
			pthread_attr_setcpu(&attr, i % ncpu);
			int err = pthread_create(&t, &attr, detached_worker, &detached_pages[n]);

			if (err) {
				fail_at(__LINE__, "thread %d: pthread_create: %d", n, err);
				return;
			}
			if (!born)
				CHECK_EQ(pthread_detach(t), 0);
		}
		for (int i = 0; i < DETACH_BATCH; i++)
			sem_wait(&detached_done);
	}
	/* The last ones may still be on their way out: reap (a join does)
	 * until every page is free again. */
	for (int tries = 0; tries < 100; tries++) {
		run_on(CPU_ANY, return_value, NULL);
		still_used = 0;
		for (int i = 0; i < n; i++)
			still_used += !page_free(detached_pages[i]);
		if (!still_used)
			break;
		sleep_ms(10);
	}
	CHECK_EQ(still_used, 0);
}

/* ---- Barriers ---- */

#define BARRIER_ROUNDS 25
#define BARRIER_MAX_THREADS 16

static pthread_barrier_t bar;
static int bar_arrived[BARRIER_ROUNDS], bar_serial[BARRIER_ROUNDS];
static int bar_threads;

static void *barrier_runner(void *arg)
{
	(void)arg;
	for (int r = 0; r < BARRIER_ROUNDS; r++) {
		__atomic_add_fetch(&bar_arrived[r], 1, __ATOMIC_RELAXED);
		int ret = pthread_barrier_wait(&bar);

		if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&bar_serial[r], 1, __ATOMIC_RELAXED);
		else
			CHECK_EQ(ret, 0);
		/* No one gets through before everyone has arrived. */
		CHECK_EQ(__atomic_load_n(&bar_arrived[r], __ATOMIC_RELAXED), bar_threads);
	}
	return NULL;
}

static void barrier_serial_thread_once(void)
{
	pthread_t t[BARRIER_MAX_THREADS];

	bar_threads = MIN(MAX(4, 2 * ncpu), BARRIER_MAX_THREADS);
	memset(bar_arrived, 0, sizeof(bar_arrived));
	memset(bar_serial, 0, sizeof(bar_serial));
	CHECK_EQ(pthread_barrier_init(&bar, NULL, 0), EINVAL);
	CHECK_EQ(pthread_barrier_init(&bar, NULL, bar_threads), 0);
	for (int i = 0; i < bar_threads; i++)
		start_on(&t[i], i % ncpu, barrier_runner, NULL);
	for (int i = 0; i < bar_threads; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	for (int r = 0; r < BARRIER_ROUNDS; r++)
		if (bar_serial[r] != 1)
			fail_at(__LINE__, "round %d: %d serial threads", r, bar_serial[r]);
	CHECK_EQ(pthread_barrier_destroy(&bar), 0);
	CHECK_EQ(pthread_barrier_wait(&bar), EINVAL);
	/* A barrier of one: always the serial thread. */
	CHECK_EQ(pthread_barrier_init(&bar, NULL, 1), 0);
	CHECK_EQ(pthread_barrier_wait(&bar), PTHREAD_BARRIER_SERIAL_THREAD);
	CHECK_EQ(pthread_barrier_destroy(&bar), 0);
}

/* ---- Identity and attributes ---- */

static void *self_fn(void *arg)
{
	(void)arg;
	CHECK(tcb_self()->thread == pthread_self());
	return pthread_self();
}

/* A thread not made by pthread_create is adopted on its first call. */
static void adopted_uthread(void *arg)
{
	pthread_t *slot = arg;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	CHECK(tcb_self()->thread == NULL);
	slot[0] = pthread_self();
	slot[1] = pthread_self();
	CHECK_EQ(pthread_mutex_lock(&m), 0);
	CHECK_EQ(pthread_mutex_unlock(&m), 0);
}

static void self_and_equal(void)
{
	pthread_t me = pthread_self(), t[4], adopted[2] = { NULL, NULL };
	void *value = NULL;
	struct uthread u;

	CHECK(me != NULL);
	CHECK(pthread_equal(me, pthread_self()));
	CHECK(tcb_self()->thread == me);
	for (int i = 0; i < 4; i++)
		start_on(&t[i], i % ncpu, self_fn, NULL);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(pthread_join(t[i], &value), 0);
		CHECK(pthread_equal(value, t[i]));
		CHECK(!pthread_equal(value, me));
		if (i)
			CHECK(!pthread_equal(t[i], t[i - 1]));
	}
	CHECK_EQ(uthread_create(&u, adopted_uthread, adopted, 10, CPU_ANY, 0), 0);
	CHECK_EQ(uthread_join(&u, NULL), 0);
	CHECK(adopted[0] != NULL && adopted[0] != me);
	CHECK(pthread_equal(adopted[0], adopted[1]));
}

static void adopted_then_return(void *arg)
{
	__atomic_store_n((pthread_t *)arg, pthread_self(), __ATOMIC_RELEASE);
}

/* A uthread that pthreads adopted and that returns from its function
 * (not through pthread_exit) can be joined like any other thread. */
static void join_adopted_uthread(void)
{
	pthread_t adopted = NULL;
	void *value = &adopted;
	struct uthread u;

	CHECK_EQ(uthread_create(&u, adopted_then_return, &adopted, 10, CPU_ANY, 0), 0);
	while (!__atomic_load_n(&adopted, __ATOMIC_ACQUIRE))
		yield();
	CHECK_EQ(pthread_join(adopted, &value), 0);
	CHECK(value == NULL);
	CHECK_EQ(uthread_join(&u, NULL), 0);
}

/* Uses most of a 1 MiB stack, and tells whether it was inside it. */
static void *deep_stack(void *arg)
{
	size_t size = (size_t)(uintptr_t)arg;
	char *p = __builtin_alloca(size);

	memset(p, 0x5a, size);
	return (void *)(uintptr_t)(p[0] + p[size - 1] == 2 * 0x5a);
}

static void *where_do_i_run(void *arg)
{
	int cpu = (int)(intptr_t)arg, wrong = 0;

	for (int i = 0; i < 20; i++) {
		wrong += cpu_id() != cpu;
		if (i % 4 == 0)
			sleep_ms(1);
		else
			yield();
	}
	return (void *)(intptr_t)wrong;
}

static void create_attrs(void)
{
	pthread_attr_t attr;
	size_t size = 0;
	int state = -1, cpu = -5;
	pthread_t t;
	void *value = NULL;

	CHECK_EQ(pthread_attr_init(&attr), 0);
	CHECK_EQ(pthread_attr_getstacksize(&attr, &size), 0);
	CHECK_EQ(size, PTHREAD_STACK_DEFAULT);
	CHECK_EQ(pthread_attr_getdetachstate(&attr, &state), 0);
	CHECK_EQ(state, PTHREAD_CREATE_JOINABLE);
	CHECK_EQ(pthread_attr_getcpu(&attr, &cpu), 0);
	CHECK_EQ(cpu, CPU_ANY);
	CHECK_EQ(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN - 1), EINVAL);
	CHECK_EQ(pthread_attr_setdetachstate(&attr, 7), EINVAL);
	CHECK_EQ(pthread_attr_setcpu(&attr, ncpu), EINVAL);
	CHECK_EQ(pthread_attr_setcpu(&attr, -2), EINVAL);
	CHECK_EQ(pthread_create(NULL, &attr, return_value, NULL), EINVAL);
	CHECK_EQ(pthread_create(&t, &attr, NULL, NULL), EINVAL);

	/* 1 MiB of stack, 15/16 of it used. */
	CHECK_EQ(pthread_attr_setstacksize(&attr, 1024 * 1024), 0);
	CHECK_EQ(pthread_attr_getstacksize(&attr, &size), 0);
	CHECK_EQ(size, 1024 * 1024);
	CHECK_EQ(pthread_create(&t, &attr, deep_stack, (void *)(uintptr_t)(960 * 1024)), 0);
	CHECK_EQ(pthread_join(t, &value), 0);
	CHECK(value == (void *)1);

	/* Pinned: runs on that core only, through sleeps and yields. */
	for (int c = 0; c < ncpu; c++) {
		CHECK_EQ(pthread_attr_setcpu(&attr, c), 0);
		CHECK_EQ(pthread_attr_getcpu(&attr, &cpu), 0);
		CHECK_EQ(cpu, c);
		CHECK_EQ(pthread_create(&t, &attr, where_do_i_run, (void *)(intptr_t)c), 0);
		CHECK_EQ(pthread_join(t, &value), 0);
		if (value)
			fail_at(__LINE__, "pinned to cpu %d, ran elsewhere %d times", c,
				(int)(intptr_t)value);
	}
	CHECK_EQ(pthread_attr_destroy(&attr), 0);
}

/* ---- Waiting sleeps ---- */

/*
 * Threads blocked in each primitive on one core: if any of them spun or
 * yielded in a loop, that core would never be idle. Over 200 ms (20
 * ticks) it must be idle for most of them.
 */
static struct {
	pthread_mutex_t m, cm;
	pthread_cond_t c;
	sem_t s, once_gate, joinee_gate;
	pthread_barrier_t b;
	pthread_once_t once;
	pthread_t joinee;
	int flag;
} bl = { .m = PTHREAD_MUTEX_INITIALIZER, .cm = PTHREAD_MUTEX_INITIALIZER,
	 .c = PTHREAD_COND_INITIALIZER, .once = PTHREAD_ONCE_INIT };

static void *block_mutex(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bl.m);
	pthread_mutex_unlock(&bl.m);
	return NULL;
}

static void *block_cond(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&bl.cm);
	while (!bl.flag)
		pthread_cond_wait(&bl.c, &bl.cm);
	pthread_mutex_unlock(&bl.cm);
	return NULL;
}

static void *block_sem(void *arg)
{
	(void)arg;
	sem_wait(&bl.s);
	return NULL;
}

static void *block_barrier(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&bl.b);
	return NULL;
}

static void slow_once(void)
{
	sem_wait(&bl.once_gate);
}

static void *block_once(void *arg)
{
	(void)arg;
	pthread_once(&bl.once, slow_once);
	return NULL;
}

static void *joinee(void *arg)
{
	(void)arg;
	sem_wait(&bl.joinee_gate);
	return NULL;
}

static void *block_join(void *arg)
{
	(void)arg;
	pthread_join(bl.joinee, NULL);
	return NULL;
}

static void blocked_waiters_sleep(void)
{
	void *(*const blockers[])(void *) = { block_mutex, block_cond, block_sem,
					      block_barrier, block_once, block_once,
					      block_join };
	pthread_t t[ARRAY_SIZE(blockers)];
	int core = ncpu - 1;
	struct cpu_info before, after;

	sem_init(&bl.s, 0, 0);
	sem_init(&bl.once_gate, 0, 0);
	sem_init(&bl.joinee_gate, 0, 0);
	pthread_barrier_init(&bl.b, NULL, 2);
	start_on(&bl.joinee, 0, joinee, NULL);
	pthread_mutex_lock(&bl.m);
	for (unsigned i = 0; i < ARRAY_SIZE(blockers); i++)
		start_on(&t[i], core, blockers[i], NULL);
	sleep_ms(50);		/* time to get into their waits */

	read_cpu_info(core, &before);
	sleep_ms(200);
	read_cpu_info(core, &after);
	uint32_t idle = after.idle_ticks - before.idle_ticks;
	uint32_t ticks = (uint32_t)(after.ticks - before.ticks);

	if (idle * 2 < ticks)
		fail_at(__LINE__, "core %d idle for %u of %u ticks", core, idle, ticks);

	pthread_mutex_unlock(&bl.m);
	pthread_mutex_lock(&bl.cm);
	bl.flag = 1;
	pthread_cond_broadcast(&bl.c);
	pthread_mutex_unlock(&bl.cm);
	sem_post(&bl.s);
	pthread_barrier_wait(&bl.b);
	sem_post(&bl.once_gate);
	sem_post(&bl.joinee_gate);
	for (unsigned i = 0; i < ARRAY_SIZE(blockers); i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
}

/* ---- Misuse ---- */

static void null_pointers_einval(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_mutexattr_t ma;
	struct timespec ts = in_ms(10);

	CHECK_EQ(pthread_attr_init(NULL), EINVAL);
	CHECK_EQ(pthread_attr_setstacksize(NULL, 65536), EINVAL);
	CHECK_EQ(pthread_attr_getstacksize(NULL, NULL), EINVAL);
	CHECK_EQ(pthread_detach(NULL), EINVAL);
	CHECK_EQ(pthread_mutex_init(NULL, NULL), EINVAL);
	CHECK_EQ(pthread_mutex_lock(NULL), EINVAL);
	CHECK_EQ(pthread_mutex_trylock(NULL), EINVAL);
	CHECK_EQ(pthread_mutex_unlock(NULL), EINVAL);
	CHECK_EQ(pthread_mutex_destroy(NULL), EINVAL);
	CHECK_EQ(pthread_mutexattr_init(NULL), EINVAL);
	pthread_mutexattr_init(&ma);
	CHECK_EQ(pthread_mutexattr_settype(&ma, 99), EINVAL);
	CHECK_EQ(pthread_mutexattr_gettype(&ma, NULL), EINVAL);
	CHECK_EQ(pthread_cond_init(NULL, NULL), EINVAL);
	CHECK_EQ(pthread_cond_wait(NULL, &m), EINVAL);
	CHECK_EQ(pthread_cond_wait(&c, NULL), EINVAL);
	CHECK_EQ(pthread_cond_timedwait(&c, &m, &ts), EPERM);	/* not held */
	CHECK_EQ(pthread_cond_signal(NULL), EINVAL);
	CHECK_EQ(pthread_cond_broadcast(NULL), EINVAL);
	CHECK_EQ(pthread_cond_destroy(NULL), EINVAL);
	CHECK_EQ(pthread_once(NULL, nothing), EINVAL);
	CHECK_EQ(pthread_key_create(NULL, NULL), EINVAL);
	CHECK_EQ(pthread_barrier_init(NULL, NULL, 2), EINVAL);
	CHECK_EQ(pthread_barrier_wait(NULL), EINVAL);
	CHECK_EQ(sem_init(NULL, 0, 0), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sem_wait(NULL), -1);
	CHECK_EQ(sem_post(NULL), -1);
	CHECK_EQ(sem_getvalue(NULL, NULL), -1);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, NULL), -1);
	CHECK_EQ(clock_gettime(42, &ts), -1);
}

/* ---- The run ---- */

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "self_and_equal", self_and_equal },
	{ "create_attrs", create_attrs },
	{ "join_returns_value", join_returns_value },
	{ "join_detached_einval", join_detached_einval },
	{ "join_self_edeadlk", join_self_edeadlk },
	{ "join_adopted_uthread", join_adopted_uthread },
	{ "detach_frees_memory", detach_frees_memory },
	{ "mutex_counter_exact", mutex_counter_exact },
	{ "mutex_recursive", mutex_recursive },
	{ "mutex_errorcheck_relock", mutex_errorcheck_relock },
	{ "mutex_unlock_not_owner", mutex_unlock_not_owner },
	{ "mutex_trylock_busy", mutex_trylock_busy },
	{ "mutex_uncontended_no_syscall", mutex_uncontended_no_syscall },
	{ "others_uncontended_no_syscall", others_uncontended_no_syscall },
	{ "condvar_producer_consumer", condvar_producer_consumer },
	{ "condvar_broadcast", condvar_broadcast },
	{ "condvar_timedwait_timeout", condvar_timedwait_timeout },
	{ "semaphore_counts", semaphore_counts },
	{ "once_exactly_once_under_race", once_exactly_once_under_race },
	{ "keys_destructors_run", keys_destructors_run },
	{ "keys_delete", keys_delete },
	{ "barrier_serial_thread_once", barrier_serial_thread_once },
	{ "blocked_waiters_sleep", blocked_waiters_sleep },
	{ "null_pointers_einval", null_pointers_einval },
};

int main(void)
{
	uint64_t start = now_ms();
	int failed = 0;

	ncpu = cpu_count();
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t t0 = now_ms();

		case_failed = 0;
		cases[i].fn();
		if (case_failed) {
			printf("TEST pthread.%s FAIL %s\n", cases[i].name, case_why);
			failed++;
		} else {
			printf("TEST pthread.%s ok\n", cases[i].name);
		}
		printf("  pthread.%s: %u ms\n", cases[i].name, (unsigned)(now_ms() - t0));
	}
	printf("utest_pthread: %d of %u cases failed, %u ms on %d cpus\n", failed,
	       (unsigned)ARRAY_SIZE(cases), (unsigned)(now_ms() - start), ncpu);
	return failed;
}
