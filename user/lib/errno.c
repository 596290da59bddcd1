/*
 * errno lives in each thread's TLS block (.tbss, zero at thread start):
 * crt0 and uthread_create set TLS up before any code can fail.
 */
#include <errno.h>

__thread int errno;
