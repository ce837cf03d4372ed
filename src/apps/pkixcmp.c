/*
 * pkixcmp.c - main() of the pkixcmp command line tool. Exit status as
 * `openssl cmp`: 0 on success, 1 on any failure.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <pkixcmp/pkixcmp.h>
#include "apps.h"

int main(int argc, char **argv)
{
    struct app_opts o;
    BIO *err = NULL;
    int ok = 0;

    memset(&o, 0, sizeof(o));
    o.verbosity = 6;
    if (argc <= 1) {
        /* as openssl cmp: no arguments is an error that shows the summary */
        opts_help(stderr, "pkixcmp");
        return 1;
    }
    if (!opts_parse(argc, argv, &o)) {
        opts_free(&o);
        return 1;
    }
    if (o.help) {
        opts_help(stderr, "pkixcmp");
        opts_free(&o);
        return 0;
    }
    if (o.inspect != NULL) {
        ok = app_inspect(&o);
    } else {
        fprintf(stderr, "pkixcmp: nothing to do: give -inspect file (see -help)\n");
    }
    if (!ok) {
        err = BIO_new_fp(stderr, BIO_NOCLOSE);
        if (err != NULL)
            pkixcmp_err_print(err);
        BIO_free(err);
    }
    opts_free(&o);
    return ok ? 0 : 1;
}
