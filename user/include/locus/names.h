/*
 * The name service: endpoints registered and looked up by name. It is
 * reached through the endpoint in slot CAP_SLOT_NAMES, which every
 * program inherits from the one that spawned it (uapi/cap.h).
 *
 * Protocol (label, words):
 *   NAMES_REGISTER  name (8 words, NUL-padded) + the endpoint as a
 *                   passed capability   -> mr[0] = 0 or -errno
 *   NAMES_LOOKUP    name (8 words)       -> mr[0] = 0 or -errno, and the
 *                   endpoint as a passed capability
 * A name ends at its NUL or at the message's end; a capability passed
 * with anything but a successful NAMES_REGISTER is deleted.
 */
#ifndef LOCUS_USER_NAMES_H
#define LOCUS_USER_NAMES_H

#define NAMES_REGISTER 1
#define NAMES_LOOKUP 2
#define NAMES_NAME_MAX 32
#define NAMES_NAME_WORDS (NAMES_NAME_MAX / 4)

/* Registers the endpoint in slot cap under name, replacing an earlier
 * registration (a restarted server): 0, -ENOSPC, -ENAMETOOLONG, -EINVAL
 * when no capability arrived with the request, or the error of the call
 * (-EBADF when there is no name service). */
int names_register(const char *name, int cap);

/* Looks name up; the endpoint lands in dest_slot (which must be free):
 * 0, -ENOENT, -ENAMETOOLONG, -EEXIST when dest_slot was taken, or the
 * error of the call (-EBADF when there is no name service). */
int names_lookup(const char *name, int dest_slot);

#endif
