/* testutil.c - file helpers shared by the C unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>
#include "testutil.h"

char *tu_data_path(const char *dir, const char *file)
{
    const char *top = getenv("top_srcdir");
    size_t len;
    char *path;

    if (top == NULL)
        top = ".";
    len = strlen(top) + strlen(dir) + strlen(file) + 3;
    if ((path = malloc(len)) != NULL)
        snprintf(path, len, "%s/%s/%s", top, dir, file);
    return path;
}

unsigned char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0
        && (buf = malloc((size_t)n)) != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

X509 *tu_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = path != NULL ? BIO_new_file(path, "r") : NULL;
    X509 *x = in != NULL ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    free(path);
    return x;
}

EVP_PKEY *tu_key(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = path != NULL ? BIO_new_file(path, "r") : NULL;
    EVP_PKEY *k = in != NULL ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    free(path);
    return k;
}

X509_STORE *tu_store(const char *name)
{
    X509_STORE *st = X509_STORE_new();
    X509 *x = tu_cert(name);

    if (st == NULL || x == NULL || !X509_STORE_add_cert(st, x)) {
        X509_STORE_free(st);
        st = NULL;
    }
    X509_free(x);
    return st;
}
