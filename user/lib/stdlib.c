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

int atoi(const char *s)
{
	int sign = 1, v = 0;

	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return sign * v;
}
