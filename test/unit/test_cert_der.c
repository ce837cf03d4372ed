/*
 * test_cert_der.c - a certificate encoded once (cert_der.c): after
 * pxc_cert_keep_der() PXC_CERT, pxc_cert_i2d() and the mock CA's registry
 * copy the kept DER (shown by changing the certificate afterwards, which
 * the contract forbids); without it, and with an IMPLICIT tag, PXC_CERT
 * encodes as X509; it decodes as X509; copies and frees keep their own
 * DER; an ip with such a certificate encodes as it would without; and
 * pxc_der_locate() still walks into the certificate of an ip.
 */
#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "asn1_types.h"
#include "cert_der.h"
#include "der.h"
#include "tap.h"
#include "testutil.h"

#define CERT_IT ASN1_ITEM_rptr(PXC_CERT)

/* A new certificate for key, self-signed: built, not parsed, so OpenSSL
 * keeps no encoding of it. */
static X509 *new_cert(EVP_PKEY *key, long serial)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();

    if (x == NULL || n == NULL
        || !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"kept",
                                       -1, -1, 0)
        || !X509_set_version(x, X509_VERSION_3)
        || !ASN1_INTEGER_set(X509_get_serialNumber(x), serial)
        || !X509_set_subject_name(x, n) || !X509_set_issuer_name(x, n)
        || X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL
        || X509_gmtime_adj(X509_getm_notAfter(x), 3600) == NULL
        || !X509_set_pubkey(x, key) || X509_sign(x, key, EVP_sha256()) <= 0) {
        X509_free(x);
        x = NULL;
    }
    X509_NAME_free(n);
    return x;
}

/* 1 if the len bytes at der are want (wlen bytes). */
static int same(const unsigned char *der, int len, const unsigned char *want, int wlen)
{
    return der != NULL && len == wlen && memcmp(der, want, (size_t)len) == 0;
}

static void test_kept(EVP_PKEY *key)
{
    X509 *x = new_cert(key, 1), *copy = NULL, *back = NULL;
    unsigned char *want = NULL, *got = NULL, *changed = NULL, *buf = NULL, *p;
    const unsigned char *kept, *q;
    int wlen = 0, n, klen = 0;

    if (!ok(x != NULL, "a new certificate"))
        return;
    wlen = i2d_X509(x, &want);
    ok(pxc_cert_get0_der(x, &klen) == NULL, "a new certificate has no kept DER");
    n = ASN1_item_i2d((const ASN1_VALUE *)x, &got, CERT_IT);
    ok(same(got, n, want, wlen), "without kept DER, PXC_CERT encodes as X509");
    OPENSSL_free(got);
    got = NULL;

    ok(pxc_cert_keep_der(x) == 1, "keep the DER");
    kept = pxc_cert_get0_der(x, &klen);
    ok(same(kept, klen, want, wlen), "the kept DER is the certificate's");
    ok(pxc_cert_keep_der(x) == 1 && pxc_cert_get0_der(x, &klen) != NULL && klen == wlen,
       "keeping it again replaces it");

    /* changed after keeping (not allowed): the copies show the kept DER */
    ASN1_INTEGER_set(X509_get_serialNumber(x), 2);
    ok(i2d_X509(x, &changed) > 0 && memcmp(changed, want, (size_t)wlen) != 0,
       "X509's own encoder sees the change");
    n = ASN1_item_i2d((const ASN1_VALUE *)x, &got, CERT_IT);
    ok(same(got, n, want, wlen), "PXC_CERT copies the kept DER");
    OPENSSL_free(got);
    got = NULL;
    n = pxc_cert_i2d(x, &got);
    ok(same(got, n, want, wlen), "pxc_cert_i2d() allocates a copy of the kept DER");
    is_int(pxc_cert_i2d(x, NULL), wlen, "pxc_cert_i2d() length only");
    if ((buf = OPENSSL_malloc((size_t)wlen)) != NULL) {
        p = buf;
        n = pxc_cert_i2d(x, &p);
        ok(same(buf, n, want, wlen) && p == buf + wlen,
           "pxc_cert_i2d() writes into a buffer and moves past it");
    }

    /* an IMPLICIT tag: X509's encoder, with the tag (the kept DER is not) */
    OPENSSL_free(got);
    got = NULL;
    p = NULL;
    n = ASN1_item_ex_i2d((const ASN1_VALUE **)&x, NULL, CERT_IT, 3, V_ASN1_CONTEXT_SPECIFIC);
    if ((got = OPENSSL_malloc((size_t)(n > 0 ? n : 1))) != NULL) {
        p = got;
        ASN1_item_ex_i2d((const ASN1_VALUE **)&x, &p, CERT_IT, 3, V_ASN1_CONTEXT_SPECIFIC);
    }
    ok(n > 1 && got != NULL && got[0] == 0xa3 && memcmp(got + 1, changed + 1, (size_t)n - 1) == 0,
       "with an IMPLICIT tag PXC_CERT encodes the certificate as it is, tagged [3]");

    /* a copy is encoded again from its fields; each frees its own */
    copy = X509_dup(x);
    ok(copy != NULL && pxc_cert_get0_der(copy, &klen) == NULL, "X509_dup() keeps no DER");

    /* decoding: an X509 with OpenSSL's own encoding, no kept DER */
    q = want;
    back = (X509 *)ASN1_item_d2i(NULL, &q, wlen, CERT_IT);
    ok(back != NULL && q == want + wlen && pxc_cert_get0_der(back, &klen) == NULL
       && ASN1_INTEGER_get(X509_get0_serialNumber(back)) == 1,
       "PXC_CERT decodes the certificate");

    X509_free(back);
    X509_free(copy);
    X509_free(x);
    OPENSSL_free(buf);
    OPENSSL_free(got);
    OPENSSL_free(changed);
    OPENSSL_free(want);
}

/* An ip whose certificate has its DER kept encodes as one without. */
static void test_in_ip(EVP_PKEY *key)
{
    PKIXCMP_CertOrEncCert *c = (PKIXCMP_CertOrEncCert *)ASN1_item_new(
        ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
    X509 *x = new_cert(key, 7);
    unsigned char *plain = NULL, *kept = NULL;
    int n1, n2;

    if (!ok(c != NULL && x != NULL, "a CertOrEncCert and a certificate")) {
        X509_free(x);
        return;
    }
    c->type = PKIXCMP_CERTORENCCERT_CERTIFICATE;
    c->value.certificate = x; /* transferred */
    n1 = ASN1_item_i2d((const ASN1_VALUE *)c, &plain, ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
    ok(pxc_cert_keep_der(x), "keep the DER");
    n2 = ASN1_item_i2d((const ASN1_VALUE *)c, &kept, ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
    ok(n1 > 0 && same(kept, n2, plain, n1) && plain[0] == 0xa0,
       "certificate [0] encodes the same with the kept DER");
    OPENSSL_free(plain);
    OPENSSL_free(kept);
    ASN1_item_free((ASN1_VALUE *)c, ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
}

/* A wrong tag inside the certificate of an ip is located inside it. */
static void test_locate(void)
{
    char *path = tu_data_path("test/data", "ip_mac.der");
    size_t len = 0, off = 0, i;
    unsigned char *der = path != NULL ? tu_read_file(path, &len) : NULL;
    PKIXCMP_MSG *msg = der != NULL ? pkixcmp_msg_decode(der, len, 0) : NULL;
    const PKIXCMP_CertRepMessage *rep = msg != NULL ? msg->body->value.ip : NULL;
    const PKIXCMP_CertResponse *r = rep != NULL ? sk_PKIXCMP_CertResponse_value(rep->response, 0)
                                                : NULL;
    unsigned char *cert = NULL;
    char where[512] = "";
    int clen = -1;

    if (!ok(r != NULL && r->certifiedKeyPair != NULL, "ip_mac.der decodes with a certificate"))
        goto out;
    clen = i2d_X509(r->certifiedKeyPair->certOrEncCert->value.certificate, &cert);
    for (i = 0; clen > 0 && i + (size_t)clen <= len; i++)
        if (memcmp(der + i, cert, (size_t)clen) == 0)
            break;
    if (!ok(clen > 20 && i + (size_t)clen <= len, "the certificate is in the message"))
        goto out;
    /* Certificate SEQ, TBSCertificate SEQ (both with 2 length octets),
     * version [0] (5 octets): the serialNumber's INTEGER tag, made an
     * OCTET STRING */
    if (!ok(der[i + 13] == 0x02, "the serialNumber is at offset %zu", i + 13))
        goto out;
    der[i + 13] = 0x04;
    ok(pxc_der_locate(ASN1_ITEM_rptr(PKIXCMP_PKIMessage), der, len, &off, where, sizeof(where))
       == 1 && off == i + 13, "the wrong tag is found at its offset");
    if (!ok(strstr(where, "serialNumber") != NULL, "the path goes into the certificate"))
        tap_diag("path: %s", where);
out:
    ERR_clear_error();
    OPENSSL_free(cert);
    pkixcmp_msg_free(msg);
    free(der);
    free(path);
}

int main(void)
{
    EVP_PKEY *key = tu_key("client_p256.key");

    if (!ok(key != NULL, "test key"))
        return tap_done();
    test_kept(key);
    test_in_ip(key);
    test_locate();
    EVP_PKEY_free(key);
    return tap_done();
}
