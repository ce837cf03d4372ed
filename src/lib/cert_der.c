/*
 * cert_der.c - a certificate encoded once (see cert_der.h): the DER kept
 * as ex_data of the X509 and the PXC_CERT ASN.1 item that uses it.
 */
#include <string.h>
#include <openssl/crypto.h>
#include "cert_der.h"

struct kept {
    int len;
    unsigned char der[];
};

static int kept_index = -1;
static CRYPTO_ONCE kept_once = CRYPTO_ONCE_STATIC_INIT;

static void kept_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl,
                      void *argp)
{
    (void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
    OPENSSL_free(ptr);
}

/* A copied X509's ex_data gets its own copy: it is freed with each. */
static int kept_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d, int idx,
                    long argl, void *argp)
{
    const struct kept *k = *(struct kept **)from_d;

    (void)to, (void)from, (void)idx, (void)argl, (void)argp;
    if (k != NULL && (*(struct kept **)from_d = OPENSSL_memdup(k, sizeof(*k) + (size_t)k->len))
                     == NULL)
        return 0;
    return 1;
}

static void kept_init(void)
{
    kept_index = X509_get_ex_new_index(0, NULL, NULL, kept_dup, kept_free);
}

static const struct kept *kept_of(const X509 *x)
{
    if (x == NULL || kept_index < 0)
        return NULL;
    return X509_get_ex_data(x, kept_index);
}

int pxc_cert_keep_der(X509 *x)
{
    struct kept *k = NULL;
    unsigned char *der = NULL, *p;
    int len;

    if (!CRYPTO_THREAD_run_once(&kept_once, kept_init) || kept_index < 0
        || (len = i2d_X509(x, &der)) <= 0
        || (k = OPENSSL_malloc(sizeof(*k) + (size_t)len)) == NULL)
        goto err;
    k->len = len;
    p = k->der;
    memcpy(p, der, (size_t)len);
    OPENSSL_free(der);
    der = NULL;
    OPENSSL_free(X509_get_ex_data(x, kept_index));
    if (!X509_set_ex_data(x, kept_index, k))
        goto err;
    return 1;
err:
    OPENSSL_free(der);
    OPENSSL_free(k);
    return 0;
}

const unsigned char *pxc_cert_get0_der(const X509 *x, int *len)
{
    const struct kept *k = kept_of(x);

    if (k == NULL)
        return NULL;
    *len = k->len;
    return k->der;
}

int pxc_cert_i2d(const X509 *x, unsigned char **out)
{
    const struct kept *k = kept_of(x);

    if (k == NULL)
        return i2d_X509(x, out);
    if (out != NULL) {
        if (*out == NULL) {
            if ((*out = OPENSSL_memdup(k->der, (size_t)k->len)) == NULL)
                return -1;
        } else {
            memcpy(*out, k->der, (size_t)k->len);
            *out += k->len;
        }
    }
    return k->len;
}

/* --------------------------------------------------------- ASN.1 item */

static int cert_new(ASN1_VALUE **pval, const ASN1_ITEM *it)
{
    (void)it;
    return ASN1_item_ex_new(pval, ASN1_ITEM_rptr(X509));
}

static void cert_free(ASN1_VALUE **pval, const ASN1_ITEM *it)
{
    (void)it;
    ASN1_item_ex_free(pval, ASN1_ITEM_rptr(X509));
}

static int cert_d2i(ASN1_VALUE **pval, const unsigned char **in, long len, const ASN1_ITEM *it,
                    int tag, int aclass, char opt, ASN1_TLC *ctx)
{
    (void)it;
    return ASN1_item_ex_d2i(pval, in, len, ASN1_ITEM_rptr(X509), tag, aclass, opt, ctx);
}

/* The kept DER has the universal SEQUENCE tag: with an IMPLICIT tag (tag
 * != -1) X509's encoder does the work. */
static int cert_i2d(const ASN1_VALUE **pval, unsigned char **out, const ASN1_ITEM *it, int tag,
                    int aclass)
{
    const struct kept *k = tag == -1 ? kept_of((const X509 *)*pval) : NULL;

    (void)it;
    if (k == NULL)
        return ASN1_item_ex_i2d(pval, out, ASN1_ITEM_rptr(X509), tag, aclass);
    if (out != NULL && *out != NULL) {
        memcpy(*out, k->der, (size_t)k->len);
        *out += k->len;
    }
    return k->len;
}

static int cert_print(BIO *out, const ASN1_VALUE **pval, int indent, const char *fname,
                      const ASN1_PCTX *pctx)
{
    (void)fname;
    return ASN1_item_print(out, *pval, indent, ASN1_ITEM_rptr(X509), pctx);
}

static const ASN1_EXTERN_FUNCS cert_funcs = {
    NULL, cert_new, cert_free, NULL, cert_d2i, cert_i2d, cert_print, NULL, NULL,
};

IMPLEMENT_EXTERN_ASN1(PXC_CERT, V_ASN1_SEQUENCE, cert_funcs)
