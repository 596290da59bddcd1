/* Thread-local storage for user threads (ELF TLS variant II). */
#ifndef LOCUS_USER_TLS_H
#define LOCUS_USER_TLS_H

#include <stddef.h>

#include "locus/tcb.h"

/* Bytes a TLS region (block + TCB) needs, and its alignment. */
size_t tls_region_size(void);
size_t tls_region_align(void);

/* Lays a fresh region out in memory of tls_region_size() bytes aligned to
 * tls_region_align(): .tdata copied, .tbss zeroed. Returns its TCB. */
struct user_tcb *tls_region_setup(void *memory);

/* The main thread's TLS, from crt0 (before main). */
void tls_init_main_thread(void);

#endif
