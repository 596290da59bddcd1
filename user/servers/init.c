/*
 * init: the first user task. The kernel gives it COM1's IRQ (slot 1) and
 * I/O ports (slot 2). It starts the name service, then what its config
 * (the boot module init.conf, or the one named by its first argument)
 * lists: servers, restarted when they die (the console gets COM1's
 * capabilities), and the session (the shell), started again whenever it
 * ends ("session-once": init ends with it, for tests). Every program it
 * starts inherits the name service.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "locus.h"
#include "locus/ipc.h"
#include "locus/names.h"
#include "locus/spawn.h"
#include "locus/uthread.h"

#define COM1_IRQ_SLOT 1
#define COM1_PORTS_SLOT 2
#define CONFIG_MAX 1024
#define MAX_SERVERS 8

struct service {
	char name[32];
	char args[64];
	struct uthread keeper;
};

static struct service servers[MAX_SERVERS];
static int server_count;

static int start(const struct service *s)
{
	/* The console is the one that drives COM1. */
	if (!strcmp(s->name, "console")) {
		int caps[2] = { COM1_IRQ_SLOT, COM1_PORTS_SLOT };

		return spawn_with_caps(s->name, s->args, CPU_ANY, caps, 2);
	}
	return spawn(s->name, s->args);
}

/*
 * Keeps a server running: waits for it, starts it again. It reports only
 * after the restart: the server that died may be the console this very
 * printf writes through.
 */
static void keep_running(void *arg)
{
	struct service *s = arg;
	int task = start(s), status = -1;

	while (task >= 0) {
		task_wait(task, &status);
		sleep_ms(100);
		task = start(s);
		if (task >= 0)
			printf("init: %s ended (status %d); started it again\n", s->name, status);
		else
			printf("init: %s ended (status %d)\n", s->name, status);
	}
	printf("init: cannot start %s (%d)\n", s->name, task);
}

/* The name service: its endpoint stays here, a sending copy goes to the
 * slot every program inherits. */
static int start_names(void)
{
	int ep = endpoint_create();

	if (ep < 0 || spawn_with_caps("names", "", CPU_ANY, &ep, 1) < 0)
		return -1;
	return cap_derive_to(ep, CAP_RIGHT_SEND | CAP_RIGHT_GRANT, 0, CAP_SLOT_NAMES) < 0 ? -1 : 0;
}

/* Cuts the next line off *text; NULL when there is none. */
static char *next_line(char **text)
{
	char *line = *text;

	if (!line || !*line)
		return NULL;
	char *end = strchr(line, '\n');

	if (end) {
		*end = '\0';
		*text = end + 1;
	} else {
		*text = NULL;
	}
	return line;
}

/* The next space-separated word of *s (NUL-terminated in place), or NULL;
 * *s moves past it. */
static char *next_word(char **s)
{
	char *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	char *word = p;

	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return word;
}

/* Waits until a server has registered name (it starts in parallel). */
static void wait_for_name(const char *name)
{
	int probe = CAP_SLOT_RUNTIME_FIRST - 1;

	for (int tries = 0; tries < 200; tries++) {
		if (names_lookup(name, probe) == 0) {
			cap_delete(probe);
			return;
		}
		sleep_ms(10);
	}
	printf("init: %s did not register\n", name);
}

int main(int argc, char **argv)
{
	static char config[CONFIG_MAX];
	struct service session = { .name = "shell" };
	const char *config_name = argc > 1 ? argv[1] : "init.conf";
	bool once = false;

	if (start_names() < 0) {
		printf("init: cannot start the name service\n");
		return 1;
	}
	int len = module_read(config_name, 0, config, CONFIG_MAX - 1);
	char *text = config;

	config[len > 0 ? len : 0] = '\0';
	for (char *line; (line = next_line(&text));) {
		char *kind = next_word(&line);
		char *name = kind ? next_word(&line) : NULL;

		if (!name || kind[0] == '#')
			continue;
		if (!strcmp(kind, "server") && server_count < MAX_SERVERS) {
			struct service *s = &servers[server_count++];

			strlcpy(s->name, name, sizeof(s->name));
			strlcpy(s->args, line, sizeof(s->args));
			int err = uthread_create(&s->keeper, keep_running, s, 10, CPU_ANY, 0);

			if (err) {
				printf("init: cannot start %s (%d)\n", name, err);
				server_count--;
			} else if (!strcmp(name, "console")) {
				wait_for_name("console");
			}
		} else if (!strcmp(kind, "session") || !strcmp(kind, "session-once")) {
			strlcpy(session.name, name, sizeof(session.name));
			strlcpy(session.args, line, sizeof(session.args));
			once = !strcmp(kind, "session-once");
		}
	}
	for (;;) {
		int task = spawn(session.name, session.args), status = -1;

		if (task < 0) {
			printf("init: cannot start %s (%d)\n", session.name, task);
			return 1;
		}
		task_wait(task, &status);
		printf("init: %s ended (status %d)\n", session.name, status);
		if (once)
			return status;
	}
}
