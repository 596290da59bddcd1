/* Spawning with capabilities: a boot module started with copies of some
 * of the caller's capabilities in its slots 1, 2, ..., and (like every
 * spawn) of its name-service endpoint in CAP_SLOT_NAMES. At most
 * SPAWN_CAPS_MAX - 1 of them. */
#ifndef LOCUS_USER_SPAWN_H
#define LOCUS_USER_SPAWN_H

/* Returns the child's task capability, or -errno. */
int spawn_with_caps(const char *name, const char *args, int cpu, const int *caps,
		    unsigned count);

#endif
