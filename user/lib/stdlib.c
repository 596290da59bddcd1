/* Ending the program, and the small arithmetic helpers of stdlib.h. */
#include <stdlib.h>

#include "locus.h"

void exit(int status)
{
	task_exit(status);
}

void abort(void)
{
	task_exit(134);
}

/* As in C, abs(INT_MIN) is undefined: its absolute value is no int. */
int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}
