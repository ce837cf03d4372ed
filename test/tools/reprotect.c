/*
 * reprotect.c - test tool: decode a PKIMessage, protect it again with
 * pkixcmp_msg_protect(), write it. The interop recipes use it to show that
 * `openssl cmp` accepts what pkixcmp protects.
 *
 *   reprotect IN OUT -secret S [-ref R] [-pbmac1] [-digest D] [-mac M]
 *             [-iter N]
 *   reprotect IN OUT -cert C -key K [-untrusted U] [-digest D]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <pkixcmp/pkixcmp.h>

static X509 *load_cert(const char *path)
{
    BIO *in = BIO_new_file(path, "r");
    X509 *x = in != NULL ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    return x;
}

static STACK_OF(X509) *load_certs(const char *path)
{
    BIO *in = BIO_new_file(path, "r");
    STACK_OF(X509) *sk = sk_X509_new_null();
    X509 *x;

    while (in != NULL && sk != NULL && (x = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL)
        sk_X509_push(sk, x);
    ERR_clear_error();
    BIO_free(in);
    return sk;
}

static EVP_PKEY *load_key(const char *path)
{
    BIO *in = BIO_new_file(path, "r");
    EVP_PKEY *k = in != NULL ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    return k;
}

/* Applies one option to ctx; returns the number of arguments used, 0 on error. */
static int apply(PKIXCMP_CTX *ctx, char **argv)
{
    const char *o = argv[0], *v = argv[1];
    int ok = 0;

    if (strcmp(o, "-pbmac1") == 0)
        return pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAC_TYPE, 1) ? 1 : 0;
    if (v == NULL)
        return 0;
    if (strcmp(o, "-secret") == 0) {
        ok = pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)v, strlen(v));
    } else if (strcmp(o, "-ref") == 0) {
        ok = pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)v, strlen(v));
    } else if (strcmp(o, "-digest") == 0) {
        ok = pkixcmp_ctx_set1_digest(ctx, v);
    } else if (strcmp(o, "-mac") == 0) {
        ok = pkixcmp_ctx_set1_mac(ctx, v);
    } else if (strcmp(o, "-iter") == 0) {
        ok = pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS, strtol(v, NULL, 10));
    } else if (strcmp(o, "-cert") == 0) {
        X509 *x = load_cert(v);

        ok = x != NULL && pkixcmp_ctx_set1_cert(ctx, x);
        X509_free(x);
    } else if (strcmp(o, "-key") == 0) {
        EVP_PKEY *k = load_key(v);

        ok = k != NULL && pkixcmp_ctx_set1_pkey(ctx, k);
        EVP_PKEY_free(k);
    } else if (strcmp(o, "-untrusted") == 0) {
        STACK_OF(X509) *sk = load_certs(v);

        ok = sk != NULL && pkixcmp_ctx_set1_untrusted(ctx, sk);
        sk_X509_pop_free(sk, X509_free);
    }
    return ok ? 2 : 0;
}

int main(int argc, char **argv)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *msg = NULL;
    BIO *out = NULL, *err = BIO_new_fp(stderr, BIO_NOCLOSE);
    int i, n, ok = 0;

    if (argc < 3 || ctx == NULL) {
        fprintf(stderr, "usage: reprotect IN OUT options...\n");
        goto end;
    }
    for (i = 3; i < argc; i += n) {
        if ((n = apply(ctx, argv + i)) == 0) {
            fprintf(stderr, "reprotect: bad option %s\n", argv[i]);
            goto end;
        }
    }
    if ((msg = pkixcmp_msg_read_file(argv[1], 0)) == NULL
        || !pkixcmp_msg_protect(ctx, msg)
        || (out = BIO_new_file(argv[2], "wb")) == NULL
        || !pkixcmp_msg_write(out, msg))
        goto end;
    ok = 1;
end:
    if (!ok && err != NULL)
        pkixcmp_err_print(err);
    BIO_free(out);
    BIO_free(err);
    pkixcmp_msg_free(msg);
    pkixcmp_ctx_free(ctx);
    return ok ? 0 : 1;
}
