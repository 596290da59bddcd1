/*
 * init keeps its servers running: the console service is killed under a
 * client that keeps writing; init starts a new one, the client's library
 * reconnects, and none of its writes fails. And the servers init starts
 * survive clients that send them what they must refuse.
 */
#include "drivers/device_caps.h"
#include "dev/serial.h"
#include "lib/string.h"
#include "sched/sched.h"
#include "task/task.h"
#include "test/ktest.h"
#include "uapi/cap.h"

struct task_search {
	const char *name;
	uint32_t not_id;
	struct task *found;
};

static void match_task(struct task *task, void *ctx)
{
	struct task_search *s = ctx;

	if (!s->found && task->id != s->not_id && READ_ONCE(task->state) == TASK_RUNNING &&
	    strcmp(task->name, s->name) == 0) {
		task_get(task);
		s->found = task;
	}
}

/* The running task called name (other than not_id), waiting up to ~5 s. */
static struct task *wait_for_task(const char *name, uint32_t not_id)
{
	struct task_search s = { name, not_id, NULL };

	for (int tries = 0; tries < 500 && !s.found; tries++) {
		task_for_each(match_task, &s);
		if (!s.found)
			sched_sleep_ms(10);
	}
	return s.found;
}

static void stop(const char *name)
{
	struct task *t = wait_for_task(name, 0);
	int status;

	if (t) {
		task_kill(t, TASK_EXIT_KILLED);
		task_wait(t, &status);
		task_put(t);
	}
}

/* init with config, holding COM1's capabilities as the boot's does. */
static struct task *spawn_init(const char *config)
{
	struct cap caps[2] = {
		{ &device_irq(COM1_IRQ)->obj, CAP_RIGHT_CONTROL, 0 },
		{ &device_com1_ports()->obj, CAP_RIGHT_CONTROL, 0 },
	};
	int err;

	return task_spawn("init", config, THREAD_ANY_CPU, caps, NULL, 2, &err);
}

KTEST(user, init_restarts_console)
{
	int status = -1;
	struct task *init = spawn_init("init-restart.conf");

	KT_ASSERT(init != NULL);
	struct task *first = wait_for_task("console", 0);

	KT_CHECK(first != NULL);
	if (first) {
		sched_sleep_ms(200);
		task_kill(first, TASK_EXIT_KILLED);
		struct task *second = wait_for_task("console", first->id);

		KT_CHECK(second != NULL);
		if (second)
			task_put(second);
		task_put(first);
	}
	/* init ends with its session: the client's count of failed writes. */
	KT_CHECK_EQ(task_wait(init, &status), 0);
	KT_CHECK_EQ(status, 0);
	task_put(init);
	stop("console");
	stop("names");
}

/* The name service and the console stay usable when a client sends them
 * what they must refuse (utest_servers, init's session, exits with the
 * number of its failed checks). */
KTEST(user, servers_refuse_bad_messages)
{
	int status = -1;
	struct task *init = spawn_init("init-servers.conf");

	KT_ASSERT(init != NULL);
	KT_CHECK_EQ(task_wait(init, &status), 0);
	KT_CHECK_EQ(status, 0);
	task_put(init);
	stop("console");
	stop("names");
}
