/* Spawned as "utest_hello one two three": checks its arguments and TLS. */
#include <stdio.h>
#include <string.h>

#include "locus/tcb.h"
#include "locus/utest.h"

static __thread int initialised = 7;
static __thread int zeroed;

int main(int argc, char **argv)
{
	UCHECK_EQ(argc, 4);
	if (argc == 4) {
		UCHECK(strcmp(argv[0], "utest_hello") == 0);
		UCHECK(strcmp(argv[1], "one") == 0);
		UCHECK(strcmp(argv[2], "two") == 0);
		UCHECK(strcmp(argv[3], "three") == 0);
	}
	UCHECK(argv[argc] == NULL);
	UCHECK_EQ(initialised, 7);
	UCHECK_EQ(zeroed, 0);
	UCHECK(tcb_self() == tcb_self()->self);
	printf("utest_hello: %d arguments, %d failures\n", argc, utest_failures);
	return utest_failures;
}
