/* version.c - the library version. */
#include "internal.h"

const char *pkixcmp_version(void)
{
    return PKIXCMP_VERSION_STR;
}
