/* The string functions of Locus programs: the kernel's own (lib/string.c). */
#ifndef LOCUS_USER_STRING_H
#define LOCUS_USER_STRING_H

#include "lib/string.h"

#endif
