/*
 * inspect.c - the -inspect job: read one PKIMessage and print it as a tree.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <pkixcmp/pkixcmp.h>
#include "apps.h"

int app_inspect(const struct cmp_opts *o)
{
    PKIXCMP_MSG *msg = NULL;
    BIO *out = NULL;
    int style = PKIXCMP_PRINT_TEXT, ret = 0;

    if (o->inspect_format != NULL) {
        if (strcmp(o->inspect_format, "json") == 0) {
            style = PKIXCMP_PRINT_JSON;
        } else if (strcmp(o->inspect_format, "text") != 0) {
            app_err("-inspect_format must be text or json, not '%s'",
                    o->inspect_format);
            goto out;
        }
    }
    msg = pkixcmp_msg_read_file(o->inspect, (size_t)o->max_msg_size);
    if (msg == NULL) {
        app_err("cannot decode PKIMessage from %s", o->inspect);
        goto out;
    }
    out = BIO_new_fp(stdout, BIO_NOCLOSE);
    if (out == NULL || !pkixcmp_msg_print(out, msg, style) || BIO_flush(out) != 1)
        goto out;
    ret = 1;
out:
    BIO_free(out);
    pkixcmp_msg_free(msg);
    return ret;
}
