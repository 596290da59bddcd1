/*
 * The Locus shell. Runs programs from the boot modules by name, with
 * arguments, and waits for them (or not, with a trailing &). Builtins:
 * help, ps, cpus, kill, jobs, echo ($? is the last status), status,
 * exit. Ctrl-C, which the
 * console service signals on a notification, stops the foreground
 * program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locus.h"
#include "locus/console.h"
#include "locus/ipc.h"
#include "locus/uthread.h"
#include "uapi/sysinfo.h"

#define LINE_MAX 256
#define MAX_JOBS 16
#define MAX_THREADS 256
#define EXIT_FAULT_BASE 128	/* the kernel's status for a task killed by exception v */
#define EXIT_KILLED 137

struct job {
	int task;		/* capability; 0: free */
	int kill_cap;		/* a copy for kill: task_wait deletes the other */
	char name[40];
	struct uthread waiter;	/* background jobs: waits and reports */
	int status;
	volatile int done;
};

static struct job jobs[MAX_JOBS];
static int last_status;
/* The task capability of the program in the foreground (0: none). */
static volatile int foreground;

static const char *const exception_names[32] = {
	[0] = "divide error", [1] = "debug", [3] = "breakpoint", [4] = "overflow",
	[5] = "bound range", [6] = "invalid opcode", [8] = "double fault",
	[10] = "invalid TSS", [11] = "segment not present", [12] = "stack fault",
	[13] = "general protection fault", [14] = "page fault", [16] = "x87 error",
	[17] = "alignment check", [19] = "SIMD error",
};

/* Tells how a program ended, as a shell would. */
static void report_end(const char *name, int status)
{
	if (status == EXIT_KILLED)
		printf("%s: killed\n", name);
	else if (status >= EXIT_FAULT_BASE && status < EXIT_FAULT_BASE + 32) {
		const char *what = exception_names[status - EXIT_FAULT_BASE];

		printf("%s: crashed: %s (vector %d)\n", name, what ? what : "exception",
		       status - EXIT_FAULT_BASE);
	} else if (status != 0)
		printf("%s: exited with status %d\n", name, status);
}

/* Ctrl-C: the console signals this notification; stop the foreground. */
static void interrupt_watcher(void *arg)
{
	int note = (int)(uintptr_t)arg;

	for (;;) {
		if (notify_wait(note) < 0)
			return;
		if (foreground)
			task_kill(foreground);
		else
			printf("^C\n");
	}
}

static void register_interrupt(void)
{
	static struct uthread watcher;
	int console = console_endpoint();
	int note = notification_create();
	struct utcb *u = utcb();

	if (console < 0 || note < 0)
		return;
	u->send_caps[0] = (uint32_t)note;
	u->tag = IPC_TAG(CONSOLE_SET_INTERRUPT, 0, 1);
	if (ipc_call(console) == 0)
		uthread_create(&watcher, interrupt_watcher, (void *)(uintptr_t)note, 12, CPU_ANY,
			       0);
}

static void background_waiter(void *arg)
{
	struct job *j = arg;

	task_wait(j->task, &j->status);
	j->done = 1;
}

/*
 * Puts task in a free job slot with a thread that waits for it: the
 * slot's index, -ENOSPC when all are taken, or the error of cap_derive or
 * uthread_create (the slot stays free: nothing would ever wait for it).
 * kill uses a capability of its own: the waiter's task_wait deletes its
 * one as the task ends, and a later spawn may reuse that slot number.
 */
static int add_job(int task, const char *name)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		struct job *j = &jobs[i];

		if (j->task)
			continue;
		int kill_cap = cap_derive(task, CAP_RIGHT_CONTROL, 0);

		if (kill_cap < 0)
			return kill_cap;
		*j = (struct job){ .task = task, .kill_cap = kill_cap };
		strlcpy(j->name, name, sizeof(j->name));
		int err = uthread_create(&j->waiter, background_waiter, j, 10, CPU_ANY, 0);

		if (err) {
			cap_delete(kill_cap);
			j->task = 0;
		}
		return err ? err : i;
	}
	return -ENOSPC;
}

/* Splits line into words (in place); returns how many. */
static int split(char *line, char **words, int max)
{
	int n = 0;

	for (char *p = line; *p && n < max;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

/* Waits for job i's waiter (so for its task) and reports how it ended. */
static void finish_job(int i)
{
	struct job *j = &jobs[i];

	uthread_join(&j->waiter, NULL);
	cap_delete(j->kill_cap);
	printf("[%d] done: %s\n", i + 1, j->name);
	report_end(j->name, j->status);
	j->task = 0;
}

static void reap_jobs(void)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].task && jobs[i].done)
			finish_job(i);
}

static void run(char **words, int n, int background)
{
	char args[SPAWN_ARGS_MAX] = "";

	for (int i = 1; i < n; i++) {
		if (i > 1)
			strlcpy(args + strlen(args), " ", sizeof(args) - strlen(args));
		strlcpy(args + strlen(args), words[i], sizeof(args) - strlen(args));
	}
	int task = spawn(words[0], args);

	if (task == -ENOENT) {
		printf("%s: no such program (try help)\n", words[0]);
		last_status = 127;
		return;
	}
	if (task < 0) {
		printf("%s: cannot start it (error %d)\n", words[0], task);
		last_status = 126;
		return;
	}
	if (background) {
		int job = add_job(task, words[0]);

		if (job >= 0) {
			printf("[%d] %s\n", job + 1, words[0]);
			return;
		}
		if (job == -ENOSPC)
			printf("too many jobs; running %s in the foreground\n", words[0]);
		else
			printf("cannot wait for %s in the background (error %d); running it in "
			       "the foreground\n",
			       words[0], job);
	}
	foreground = task;
	int status = -1;

	task_wait(task, &status);
	foreground = 0;
	last_status = status;
	report_end(words[0], status);
}

static const char *state_name(unsigned state)
{
	static const char *const names[] = {
		[THREAD_STATE_NEW] = "new",
		[THREAD_STATE_RUNNABLE] = "ready",
		[THREAD_STATE_RUNNING] = "running",
		[THREAD_STATE_BLOCKED] = "blocked",
		[THREAD_STATE_DEAD] = "dead",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

static void builtin_ps(void)
{
	static struct thread_info threads[MAX_THREADS];
	int n = thread_list(threads, MAX_THREADS);

	printf("%5s %-16s %5s %4s %-8s %4s %6s\n", "TASK", "NAME", "TID", "CPU", "STATE",
	       "PRIO", "TICKS");
	for (int i = 0; i < n; i++)
		printf("%5u %-16s %5u %4u %-8s %4u %6u\n", threads[i].task_id,
		       threads[i].task_name, threads[i].tid, threads[i].cpu,
		       state_name(threads[i].state), threads[i].priority, threads[i].ticks);
}

static void builtin_cpus(void)
{
	printf("%3s %4s %6s %6s %9s %6s %9s %9s %5s\n", "CPU", "APIC", "QUEUED", "THREAD",
	       "SWITCHES", "STEALS", "SYSCALLS", "FASTPATH", "IDLE");
	for (int c = 0; c < cpu_count(); c++) {
		struct cpu_info ci;

		if (cpu_info((unsigned)c, &ci) < 0)
			continue;
		unsigned idle = ci.ticks ? (unsigned)(100 * (uint64_t)ci.idle_ticks / ci.ticks) : 0;

		printf("%3d %4u %6u %6u %9u %6u %9u %9u %4u%%\n", c, ci.apic_id, ci.queued,
		       ci.running_tid, ci.switches, ci.steals, ci.syscalls, ci.ipc_fastpath, idle);
	}
}

static void builtin_help(void)
{
	struct module_info m;

	printf("builtins: help ps cpus jobs kill N echo ... status exit\n");
	printf("programs (run one by name, add & to run it in the background):\n");
	for (unsigned i = 0; module_info(i, &m) == 0; i++)
		if (m.is_program)
			printf("  %s\n", m.name);
}

static void builtin_kill(char **words, int n)
{
	int job = n > 1 ? atoi(words[1][0] == '%' ? words[1] + 1 : words[1]) : 0;

	if (job < 1 || job > MAX_JOBS || !jobs[job - 1].task) {
		printf("kill: no such job (see jobs)\n");
		return;
	}
	/* Waits for the end, so that the job is reported before the next
	 * prompt, not at some later one. */
	task_kill(jobs[job - 1].kill_cap);
	finish_job(job - 1);
}

static void builtin_echo(char **words, int n)
{
	char status[12];

	snprintf(status, sizeof(status), "%d", last_status);
	for (int i = 1; i < n; i++)
		printf(i + 1 < n ? "%s " : "%s", !strcmp(words[i], "$?") ? status : words[i]);
	printf("\n");
}

static void builtin_jobs(void)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].task)
			printf("[%d] %s%s\n", i + 1, jobs[i].name, jobs[i].done ? " (done)" : "");
}

/* Returns 0 to go on, 1 to leave the shell. */
static int execute(char *line)
{
	char *words[24];
	int n = split(line, words, 24);
	int background = 0;

	if (n && !strcmp(words[n - 1], "&")) {
		background = 1;
		n--;
	}
	if (n == 0)
		return 0;
	if (!strcmp(words[0], "exit"))
		return 1;
	if (!strcmp(words[0], "help"))
		builtin_help();
	else if (!strcmp(words[0], "ps"))
		builtin_ps();
	else if (!strcmp(words[0], "cpus"))
		builtin_cpus();
	else if (!strcmp(words[0], "jobs"))
		builtin_jobs();
	else if (!strcmp(words[0], "kill"))
		builtin_kill(words, n);
	else if (!strcmp(words[0], "status"))
		printf("%d\n", last_status);
	else if (!strcmp(words[0], "echo"))
		builtin_echo(words, n);
	else
		run(words, n, background);
	return 0;
}

int main(void)
{
	char line[LINE_MAX];

	register_interrupt();
	printf("Locus shell on %d cores. Type help.\n", cpu_count());
	for (;;) {
		reap_jobs();
		printf("locus> ");
		if (!fgets(line, sizeof(line), stdin)) {
			printf("\n");
			return 0;
		}
		char *newline = strchr(line, '\n');

		if (newline)
			*newline = '\0';
		if (execute(line))
			return 0;
	}
}
