#include "locus/utest.h"

int utest_failures;
