/*
 * pkixcmp.c - main() of the pkixcmp command line tool. Exit status as
 * `openssl cmp`: 0 on success (and -help), 1 on any failure.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <pkixcmp/pkixcmp.h>
#include "apps.h"

/* The job the options ask for; 1 on success. */
static int run(struct cmp_opts *o)
{
    int ok;

    if (o->inspect != NULL)
        return app_inspect(o);
    if (!cmp_opts_check(o) || !app_env_init(o))
        return 0;
    ok = run_client(o);
    return app_rand_write(o) && ok;
}

int main(int argc, char **argv)
{
    struct cmp_opts o;
    BIO *err = NULL;
    int ok = 0;

    cmp_opts_init(&o);
    if (argc <= 1) {
        /* as openssl cmp: no arguments is an error that shows the summary */
        opts_help(stderr, "pkixcmp");
        return 1;
    }
    if (!opts_parse(argc, argv, &o)) {
        app_err("Use -help for summary.");
        goto out;
    }
    if (o.help) {
        opts_help(stderr, "pkixcmp");
        ok = 1;
        goto out;
    }
    ok = run(&o);
out:
    if (!ok && (err = BIO_new_fp(stderr, BIO_NOCLOSE)) != NULL)
        pkixcmp_err_print(err);
    BIO_free(err);
    app_env_cleanup(&o);
    opts_free(&o);
    return ok ? 0 : 1;
}
