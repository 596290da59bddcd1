/*
 * _start: where every user program begins. The kernel's loader leaves
 * argc and argv on the stack as arguments of a C call (with a return
 * address of 0, which ends backtraces), so this needs no assembly.
 */
#include "locus.h"
#include "locus/tls.h"

int main(int argc, char **argv);
void exit(int status) __attribute__((noreturn));
__attribute__((noreturn)) void _start(int argc, char **argv);

void _start(int argc, char **argv)
{
	tls_init_main_thread();
	exit(main(argc, argv));
}
