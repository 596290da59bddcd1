/*
 * Writes a line every few milliseconds through the console service and
 * counts the writes that fail; the kernel test kills the console while it
 * runs, init starts a new one, and the library reconnects. Exits with the
 * number of failed writes (and of failed checks).
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "locus.h"
#include "locus/console.h"
#include "locus/utest.h"

#define LINES 60

int main(void)
{
	int failed = 0;

	/* Connected to the console from the start: a program without one
	 * writes through debug_write, and would pass without a reconnect. */
	UCHECK(console_endpoint() >= 0);

	for (int i = 0; i < LINES; i++) {
		char line[64];
		int n = snprintf(line, sizeof(line), "utest_console_client: line %d\n", i);

		if (write(STDOUT_FILENO, line, (size_t)n) != n) {
			printf("utest_console_client: line %d failed: errno %d\n", i, errno);
			failed++;
		}
		sleep_ms(20);
	}
	printf("utest_console_client: %d failed writes\n", failed);
	return failed + utest_failures;
}
