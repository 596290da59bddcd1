/* The little protocol of the IPC test programs. */
#ifndef LOCUS_UTEST_IPC_PROTOCOL_H
#define LOCUS_UTEST_IPC_PROTOCOL_H

#include <stdint.h>

#define PINGPONG_ECHO 1
#define PINGPONG_ECHO_REPLY 2
#define PINGPONG_QUIT 3
#define PINGPONG_BADGE 0x1234

/* Word i of request number seq: the server answers with its complement. */
static inline uint32_t pingpong_word(uint32_t seq, unsigned i)
{
	return seq * 1000003u + i * 7919u;
}

#endif
