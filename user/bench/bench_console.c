/*
 * "bench_console ENTRY ROW": one short line written to the console, ROW
 * being one of
 *
 *  - console.debug_write: the debug_write system call, which prints the
 *    line on the kernel's console (COM1 and the VGA screen) directly;
 *  - console.write: write(1, ...), the way printf ends, which is an IPC
 *    call to the console service (user/lib/io.c); the console prints the
 *    line with that same debug_write and replies. This needs the name
 *    service in CAP_SLOT_NAMES and the names and console servers running,
 *    which the kernel entry (kernel/bench/user_bench.c) sees to.
 *
 * ENTRY is the kernel entry that started the program (argv[1] of every
 * bench program); one entry measures both rows.
 *
 * Every measured write prints the line, and each one scrolls the VGA
 * screen, which QEMU emulates slowly: 1000 writes a sample (17,000 a row)
 * made the boot ten times longer. So a sample here is WRITES_PER_SAMPLE
 * writes, scaled up to BENCH_OPS for the shared arithmetic, and the line
 * says ops=WRITES_PER_SAMPLE. Only lines starting with "BENCH" are read
 * from the serial log, so the 1,700 copies of the line per row there do
 * no harm.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/compiler.h"
#include "locus.h"
#include "locus/bench.h"
#include "locus/console.h"
#include "locus/names.h"

#define LINE "hello, console\n"
#define LINE_LEN (sizeof(LINE) - 1)
/* How long to wait for the console to register (it starts in parallel). */
#define REGISTER_TRIES 200
#define REGISTER_POLL_MS 10
#define WRITES_PER_SAMPLE 100

static uint64_t debug_write_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		if (debug_write(LINE, LINE_LEN) != (int)LINE_LEN)
			bench_fail("debug_write failed");
		barrier();
	}
	return bench_tsc() - start;
}

static uint64_t write_loop(unsigned ops, void *arg)
{
	(void)arg;
	uint64_t start = bench_tsc();

	for (unsigned i = 0; i < ops; i++) {
		if (write(STDOUT_FILENO, LINE, LINE_LEN) != (ssize_t)LINE_LEN)
			bench_fail("write failed");
		barrier();
	}
	return bench_tsc() - start;
}

static uint64_t scaled_sample(bench_loop_fn loop, void *arg)
{
	return loop(WRITES_PER_SAMPLE, arg) * (BENCH_OPS / WRITES_PER_SAMPLE);
}

/* bench_instructions (user/lib/bench.c) with fewer writes a sample. */
static int measure(const char *row, bench_loop_fn loop)
{
	int64_t net[BENCH_SAMPLES];
	char line[BENCH_LINE_MAX];

	bench_collect(net, loop, bench_empty_loop, NULL, scaled_sample);
	if (bench_failed())
		return 1;
	int len = bench_format_instructions(line, sizeof(line), row, net);

	/* The per-operation figures are right; the count is ours. The line
	 * ends with "ops=<n>\n": rewrite what follows the last '='. */
	while (len > 0 && line[len - 1] != '=')
		len--;
	snprintf(line + len, sizeof(line) - (size_t)len, "%u\n", WRITES_PER_SAMPLE);
	printf("%s", line);
	return 0;
}

/*
 * write() looks the console up once, at its first call, and falls back to
 * debug_write for good if it is not there: wait until it has registered,
 * then connect, so that the row cannot silently measure debug_write.
 */
static int connect_to_console(void)
{
	int probe = CAP_SLOT_RUNTIME_FIRST - 1;
	int tries = 0;

	while (names_lookup("console", probe) != 0) {
		if (++tries == REGISTER_TRIES) {
			bench_fail("the console did not register");
			return -1;
		}
		sleep_ms(REGISTER_POLL_MS);
	}
	cap_delete(probe);
	if (console_endpoint() != CAP_SLOT_CONSOLE) {
		bench_fail("cannot connect to the console");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *row = argv[2];

	if (!strcmp(row, "console.debug_write"))
		return measure(row, debug_write_loop);
	if (!strcmp(row, "console.write")) {
		if (connect_to_console())
			return 1;
		return measure(row, write_loop);
	}
	bench_fail("unknown benchmark %s", row);
	return 2;
}
