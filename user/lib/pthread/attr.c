/* Thread attributes: stack size, detach state, and the Locus core pin. */
#include "pthread_internal.h"

#include <errno.h>

#include "locus.h"

int pthread_attr_init(pthread_attr_t *attr)
{
	if (!attr)
		return EINVAL;
	*attr = (pthread_attr_t){
		.stacksize = PTHREAD_STACK_DEFAULT,
		.detachstate = PTHREAD_CREATE_JOINABLE,
		.cpu = CPU_ANY,
	};
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	return attr ? 0 : EINVAL;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (!attr || size < PTHREAD_STACK_MIN)
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	if (!attr || !size)
		return EINVAL;
	*size = attr->stacksize;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (!attr || (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED))
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	if (!attr || !state)
		return EINVAL;
	*state = attr->detachstate;
	return 0;
}

/* The core is checked against those online now; the kernel checks it
 * again when the thread is created. */
int pthread_attr_setcpu(pthread_attr_t *attr, int cpu)
{
	if (!attr || (cpu != CPU_ANY && (cpu < 0 || cpu >= cpu_count())))
		return EINVAL;
	attr->cpu = cpu;
	return 0;
}

int pthread_attr_getcpu(const pthread_attr_t *attr, int *cpu)
{
	if (!attr || !cpu)
		return EINVAL;
	*cpu = attr->cpu;
	return 0;
}
