/*
 * http_post.c - test tool: POSTs a DER file to a CMP server with
 * PKIXCMP_HTTP and writes the response, for recipes against other servers.
 *
 *   http_post [-n count] [-keep_alive 0|1|2] [-proxy p] [-no_proxy list]
 *             [-timeout s] server in.der out.der
 *
 * Sends the file count times (default 1) over one PKIXCMP_HTTP, writes the
 * last response, prints "status <HTTP status>" on stdout; on failure prints
 * the error queue on stderr and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/http.h>

static int usage(void)
{
    fprintf(stderr, "usage: http_post [-n count] [-keep_alive 0|1|2] [-proxy p]"
                    " [-no_proxy list] [-timeout s] server in.der out.der\n");
    return 2;
}

/* A decimal number in [min, max], else -1. */
static long number(const char *s, long min, long max)
{
    char *end;
    long v = strtol(s, &end, 10);

    return *s != '\0' && *end == '\0' && v >= min && v <= max ? v : -1;
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0
        && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) != NULL
        && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    if (f != NULL)
        fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    PKIXCMP_HTTP *h = pkixcmp_http_new(NULL, NULL);
    unsigned char *req = NULL, *rsp = NULL;
    size_t req_len = 0, rsp_len = 0;
    long count = 1, v;
    int i, ret = 1;
    FILE *out;
    BIO *err = BIO_new_fp(stderr, BIO_NOCLOSE);

    if (h == NULL || err == NULL)
        goto end;
    for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        const char *opt = argv[i], *arg = argv[i + 1];

        if (strcmp(opt, "-n") == 0 && (v = number(arg, 1, 1000)) > 0)
            count = v;
        else if (strcmp(opt, "-keep_alive") == 0 && (v = number(arg, 0, 2)) >= 0)
            pkixcmp_http_set_keep_alive(h, (int)v);
        else if (strcmp(opt, "-timeout") == 0 && (v = number(arg, 0, 3600)) >= 0)
            pkixcmp_http_set_msg_timeout(h, (int)v);
        else if (strcmp(opt, "-proxy") == 0 && pkixcmp_http_set1_proxy(h, arg))
            ;
        else if (strcmp(opt, "-no_proxy") == 0 && pkixcmp_http_set1_no_proxy(h, arg))
            ;
        else
            goto usage;
    }
    if (argc - i != 3)
        goto usage;
    if ((req = read_all(argv[i + 1], &req_len)) == NULL) {
        fprintf(stderr, "http_post: cannot read %s\n", argv[i + 1]);
        goto end;
    }
    if (!pkixcmp_http_set1_server(h, argv[i]))
        goto end;
    while (count-- > 0) {
        OPENSSL_free(rsp);
        if (!pkixcmp_http_transfer(h, req, req_len, &rsp, &rsp_len, 0))
            goto end;
    }
    printf("status %ld\n", pkixcmp_http_get_status(h));
    if ((out = fopen(argv[i + 2], "wb")) == NULL
        || fwrite(rsp, 1, rsp_len, out) != rsp_len || fclose(out) != 0) {
        fprintf(stderr, "http_post: cannot write %s\n", argv[i + 2]);
        goto end;
    }
    ret = 0;
    goto end;
usage:
    ret = usage();
end:
    if (ret == 1 && err != NULL)
        pkixcmp_err_print(err);
    BIO_free(err);
    OPENSSL_free(rsp);
    free(req);
    pkixcmp_http_free(h);
    return ret;
}
