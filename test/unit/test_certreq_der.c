/*
 * test_certreq_der.c - a POP verified over certReq as it was received
 * (certreq_der.c): pxc_certreq_locate_der() finds the certReq of openssl
 * cmp's ir, cr and kur fixtures (every POP algorithm) byte for byte and
 * nothing in other messages or cut-off input; pxc_certreq_check_pop_der()
 * verifies over those bytes, so a changed byte there fails although the
 * decoded request is unchanged; PXC_RAW_DER encodes as its bytes.
 */
#include <stdlib.h>
#include <openssl/err.h>
#include "certreq.h"
#include "tap.h"
#include "testutil.h"

static const char *const requests[] = {
    "ir_mac.der", "ir_sig.der", "ir_unprotected.der", "ir_implicitconf_mac.der", "cr_mac.der",
    "cr_sig.der", "kur_mac.der", "kur_sig.der", "ir_popo_rsa_mac.der", "ir_popo_rsapss_mac.der",
    "ir_popo_p384_mac.der", "ir_popo_ed25519_mac.der", "ir_popo_ed448_mac.der",
};

static const char *const others[] = {
    "ip_mac.der", "genm_mac.der", "certConf_mac.der", "rr_mac.der", "p10cr_mac.der",
};

static unsigned char *read_fixture(const char *file, size_t *len)
{
    char *path = tu_data_path("test/data", file);
    unsigned char *der = path != NULL ? tu_read_file(path, len) : NULL;

    if (der == NULL)
        tap_diag("cannot read %s", file);
    free(path);
    return der;
}

static void test_request(PKIXCMP_CTX *ctx, const char *file)
{
    size_t len = 0, rlen = 0;
    unsigned char *der = read_fixture(file, &len), *enc = NULL, *copy = NULL;
    PKIXCMP_MSG *msg = der != NULL ? pkixcmp_msg_decode(der, len, 0) : NULL;
    const PKIXCMP_CertReqMsg *crm = msg != NULL
                                        ? sk_PKIXCMP_CertReqMsg_value(msg->body->value.ir, 0)
                                        : NULL;
    const unsigned char *req = NULL;
    EVP_PKEY *key = NULL;
    int n;

    if (!ok(crm != NULL, "%s: decodes", file))
        goto out;
    ok(pxc_certreq_locate_der(der, len, &req, &rlen) == 1, "%s: certReq located", file);
    n = ASN1_item_i2d((const ASN1_VALUE *)crm->certReq, &enc, ASN1_ITEM_rptr(PKIXCMP_CertRequest));
    ok(req != NULL && n > 0 && rlen == (size_t)n && memcmp(req, enc, rlen) == 0,
       "%s: it is certReq's DER (%d bytes)", file, n);
    if (req == NULL)
        goto out;
    ok(pxc_certreq_check_pop_der(ctx, crm, 0, &key, req, rlen) == 1 && key != NULL,
       "%s: the POP verifies over it", file);
    /* a changed byte of the bytes given: they, not certReq, are verified */
    if ((copy = OPENSSL_memdup(req, rlen)) != NULL) {
        copy[rlen - 3] ^= 0x01;
        ok(pxc_certreq_check_pop_der(ctx, crm, 0, NULL, copy, rlen) == 0
           && pkixcmp_err_peek_last() == PKIXCMP_E_BAD_POP,
           "%s: a changed byte of the DER fails the POP", file);
        ERR_clear_error();
        ok(pxc_certreq_check_pop_key(ctx, crm, 0, NULL) == 1,
           "%s: the decoded request still verifies", file);
    }
out:
    ERR_clear_error();
    EVP_PKEY_free(key);
    OPENSSL_free(copy);
    OPENSSL_free(enc);
    pkixcmp_msg_free(msg);
    free(der);
}

static void test_no_request(const char *file)
{
    size_t len = 0, rlen = 5;
    unsigned char *der = read_fixture(file, &len);
    const unsigned char *req = der;

    ok(der != NULL && pxc_certreq_locate_der(der, len, &req, &rlen) == 0 && req == NULL
       && rlen == 0, "%s: no certReq", file);
    free(der);
}

static void test_cut(void)
{
    size_t len = 0, rlen = 0, cut;
    unsigned char *der = read_fixture("ir_mac.der", &len);
    const unsigned char *req = NULL;
    int found = 0;

    if (der == NULL)
        return;
    /* cut before the end of certReq: no header parses past its input */
    ok(pxc_certreq_locate_der(der, len, &req, &rlen) == 1, "ir_mac.der: located");
    for (cut = 0; req != NULL && cut < (size_t)(req - der) + rlen; cut++)
        found += pxc_certreq_locate_der(der, cut, &req, &rlen) == 1;
    is_int(found, 0, "a cut-off message has no certReq");
    free(der);
}

static void test_raw(void)
{
    static const unsigned char seq[] = { 0x30, 0x03, 0x02, 0x01, 0x07 };
    struct pxc_raw_der raw = { seq, sizeof(seq) };
    const struct pxc_raw_der *praw = &raw;
    unsigned char *der = NULL;
    int n = ASN1_item_i2d((const ASN1_VALUE *)&raw, &der, ASN1_ITEM_rptr(PXC_RAW_DER));

    ok(n == (int)sizeof(seq) && memcmp(der, seq, sizeof(seq)) == 0,
       "PXC_RAW_DER encodes as its bytes");
    ok(ASN1_item_ex_i2d((const ASN1_VALUE **)&praw, NULL, ASN1_ITEM_rptr(PXC_RAW_DER), 2,
                        V_ASN1_CONTEXT_SPECIFIC) <= 0, "PXC_RAW_DER refuses an IMPLICIT tag");
    ERR_clear_error();
    OPENSSL_free(der);
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    size_t i;

    if (!ok(ctx != NULL, "context"))
        return tap_done();
    for (i = 0; i < PXC_NELEM(requests); i++)
        test_request(ctx, requests[i]);
    for (i = 0; i < PXC_NELEM(others); i++)
        test_no_request(others[i]);
    test_cut();
    test_raw();
    pkixcmp_ctx_free(ctx);
    return tap_done();
}
