/* apps.h - the jobs of the pkixcmp CLI; each returns 1 on success. */
#ifndef PKIXCMP_APPS_H
#define PKIXCMP_APPS_H

#include "opts.h"

/* -inspect: print a PKIMessage read from a file. */
int app_inspect(const struct app_opts *o);

#endif
