/*
 * test_certreq.c - CRMF CertReqMsg (RFC 4211, RFC 9483 4.1.1): the POP of
 * openssl cmp's ir, cr and kur fixtures verifies and stops verifying when
 * the request is changed; our requests for RSA, RSA-PSS, ECDSA and EdDSA
 * keys survive DER and verify; poposkInput, validity, oldCertID, the other
 * POP kinds and every refusal of builder and checker.
 */
#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "certreq.h"
#include "tap.h"
#include "testutil.h"

#define CRM_IT ASN1_ITEM_rptr(PKIXCMP_CertReqMsg)

/* The last error is code and its detail contains text; clears the queue. */
static void fails(int got, int code, const char *text, const char *what)
{
    const char *data = NULL;
    int flags = 0, last = pkixcmp_err_peek_last();

    ERR_peek_last_error_data(&data, &flags);
    ok(!got && last == code && data != NULL && strstr(data, text) != NULL,
       "%s is refused (%s)", what, pkixcmp_err_name(code));
    if (got || last != code || data == NULL || strstr(data, text) == NULL)
        tap_diag("got %d, %s \"%s\"; want \"%s\"", got, pkixcmp_err_name(last),
                 data != NULL ? data : "", text);
    ERR_clear_error();
}

static void crm_free(PKIXCMP_CertReqMsg *crm)
{
    ASN1_item_free((ASN1_VALUE *)crm, CRM_IT);
}

static PKIXCMP_CertReqMsg *crm_dup(const PKIXCMP_CertReqMsg *crm)
{
    return (PKIXCMP_CertReqMsg *)ASN1_item_dup(CRM_IT, crm);
}

/* crm encoded and decoded again; the DER must not change on the way. */
static PKIXCMP_CertReqMsg *round_trip(const PKIXCMP_CertReqMsg *crm)
{
    unsigned char *der = NULL, *der2 = NULL;
    const unsigned char *p;
    PKIXCMP_CertReqMsg *back = NULL;
    int len = ASN1_item_i2d((const ASN1_VALUE *)crm, &der, CRM_IT), len2 = -1;

    p = der;
    if (len > 0)
        back = (PKIXCMP_CertReqMsg *)ASN1_item_d2i(NULL, &p, len, CRM_IT);
    if (back != NULL)
        len2 = ASN1_item_i2d((const ASN1_VALUE *)back, &der2, CRM_IT);
    ok(back != NULL && len2 == len && memcmp(der, der2, (size_t)len) == 0,
       "CertReqMsg survives DER (%d bytes)", len);
    OPENSSL_free(der);
    OPENSSL_free(der2);
    return back;
}

/* The DER of an item equals want (n bytes). */
static int der_is(const void *v, const ASN1_ITEM *it, const unsigned char *want, size_t n)
{
    unsigned char *der = NULL;
    int len = ASN1_item_i2d((const ASN1_VALUE *)v, &der, it);
    int ret = len == (int)n && memcmp(der, want, n) == 0;

    OPENSSL_free(der);
    return ret;
}

static X509_NAME *name(const char *cn)
{
    X509_NAME *n = X509_NAME_new();

    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"DE", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    return n;
}

/* ---------------------------------------------------------------- fixtures */

typedef struct {
    const char *file;
    int body;
    int sig_nid;        /* algorithm of the POP signature */
    const char *other;  /* a key of the same type that did not sign */
} FIXTURE;

static const FIXTURE fixtures[] = {
    { "ir_mac.der", PKIXCMP_BODY_IR, NID_ecdsa_with_SHA256, "server.key" },
    { "ir_sig.der", PKIXCMP_BODY_IR, NID_ecdsa_with_SHA256, "server.key" },
    { "ir_unprotected.der", PKIXCMP_BODY_IR, NID_ecdsa_with_SHA256, "server.key" },
    { "ir_implicitconf_mac.der", PKIXCMP_BODY_IR, NID_ecdsa_with_SHA256, "server.key" },
    { "cr_mac.der", PKIXCMP_BODY_CR, NID_ecdsa_with_SHA256, "server.key" },
    { "cr_sig.der", PKIXCMP_BODY_CR, NID_ecdsa_with_SHA256, "server.key" },
    { "kur_mac.der", PKIXCMP_BODY_KUR, NID_ecdsa_with_SHA256, "server.key" },
    { "kur_sig.der", PKIXCMP_BODY_KUR, NID_ecdsa_with_SHA256, "server.key" },
    { "ir_popo_rsa_mac.der", PKIXCMP_BODY_IR, NID_sha256WithRSAEncryption, "bad_nodigsig.key" },
    { "ir_popo_rsapss_mac.der", PKIXCMP_BODY_IR, NID_rsassaPss, "client_rsa.key" },
    { "ir_popo_p384_mac.der", PKIXCMP_BODY_IR, NID_ecdsa_with_SHA256, "client_p256.key" },
    { "ir_popo_ed25519_mac.der", PKIXCMP_BODY_IR, NID_ED25519, NULL },
    { "ir_popo_ed448_mac.der", PKIXCMP_BODY_IR, NID_ED448, NULL },
};

/* A copy of the first CertReqMsg of an ir, cr or kur fixture. */
static PKIXCMP_CertReqMsg *fixture_crm(const char *file, int body)
{
    char *path = tu_data_path("test/data", file);
    PKIXCMP_MSG *msg = pkixcmp_msg_read_file(path, 0);
    const PKIXCMP_CertReqMessages *reqs = NULL;
    PKIXCMP_CertReqMsg *crm = NULL;

    if (msg != NULL && msg->body->type == body)
        reqs = msg->body->value.ir; /* ir, cr and kur share the type */
    if (sk_PKIXCMP_CertReqMsg_num(reqs) == 1)
        crm = crm_dup(sk_PKIXCMP_CertReqMsg_value(reqs, 0));
    if (crm == NULL)
        tap_diag("cannot load a CertReqMsg from %s", file);
    pkixcmp_msg_free(msg);
    free(path);
    return crm;
}

/* The template's publicKey replaced by that of keyfile. */
static void set_pubkey(PKIXCMP_CertReqMsg *crm, const char *keyfile)
{
    EVP_PKEY *k = tu_key(keyfile);

    X509_PUBKEY_set(&crm->certReq->certTemplate->publicKey, k);
    EVP_PKEY_free(k);
}

static void test_fixture(PKIXCMP_CTX *ctx, const FIXTURE *f)
{
    PKIXCMP_CertReqMsg *crm = fixture_crm(f->file, f->body), *bad = NULL;
    ASN1_BIT_STRING *sig;

    if (!ok(crm != NULL && crm->popo != NULL && crm->popo->type == PKIXCMP_POP_SIGNATURE,
            "%s: signature POP", f->file))
        goto out;
    sig = crm->popo->value.signature->signature;
    is_int(OBJ_obj2nid(crm->popo->value.signature->algorithmIdentifier->algorithm), f->sig_nid,
           "POP algorithm");
    ok(crm->popo->value.signature->poposkInput == NULL, "no poposkInput");
    ok(pxc_certreq_check_pop(ctx, crm, 0), "%s: openssl's POP verifies", f->file);
    ERR_print_errors_fp(stdout);

    bad = crm_dup(crm);
    bad->popo->value.signature->signature->data[sig->length / 2] ^= 0x10;
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP,
          "does not verify with the template's public key", "a flipped signature bit");
    crm_free(bad);

    bad = crm_dup(crm);
    X509_NAME_free(bad->certReq->certTemplate->subject);
    bad->certReq->certTemplate->subject = name("someone else");
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP,
          "certReqId 0: POP signature", "another subject");
    crm_free(bad);

    bad = crm_dup(crm);
    ASN1_INTEGER_set(bad->certReq->certReqId, 1);
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP, "certReqId 1: POP signature",
          "another certReqId");
    crm_free(bad);

    if (f->other != NULL) {
        bad = crm_dup(crm);
        set_pubkey(bad, f->other);
        fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP,
              "does not verify", "the template naming another key of the same type");
        crm_free(bad);
    }
out:
    crm_free(crm);
}

/* openssl's kur names client_p256.crt in oldCertID; its ir has none. */
static void test_fixture_oldcertid(void)
{
    PKIXCMP_CertReqMsg *kur = fixture_crm("kur_mac.der", PKIXCMP_BODY_KUR);
    PKIXCMP_CertReqMsg *ir = fixture_crm("ir_mac.der", PKIXCMP_BODY_IR);
    PKIXCMP_CertId *id = NULL, *none = NULL;
    X509 *p256 = tu_cert("client_p256.crt"), *rsa = tu_cert("client_rsa.crt");

    ok(kur != NULL && pxc_certreq_get1_oldcertid(kur, &id) && id != NULL,
       "kur_mac.der: oldCertID found");
    ok(pxc_certid_matches(id, p256), "oldCertID names client_p256.crt");
    ok(!pxc_certid_matches(id, rsa), "oldCertID does not name client_rsa.crt");
    ok(ir != NULL && pxc_certreq_get1_oldcertid(ir, &none) && none == NULL,
       "ir_mac.der: no oldCertID");
    ASN1_item_free((ASN1_VALUE *)id, ASN1_ITEM_rptr(PKIXCMP_CertId));
    X509_free(p256);
    X509_free(rsa);
    crm_free(kur);
    crm_free(ir);
}

/* ---------------------------------------------------------------- building */

typedef struct {
    const char *keyfile;
    const char *digest;
    int want_nid;
} KEY_CASE;

static const KEY_CASE key_cases[] = {
    { "client_rsa.key", NULL, NID_sha256WithRSAEncryption },
    { "client_rsa.key", "SHA512", NID_sha512WithRSAEncryption },
    { "client_rsapss.key", NULL, NID_rsassaPss },
    { "client_rsapss.key", "SHA384", NID_rsassaPss },
    { "client_p256.key", NULL, NID_ecdsa_with_SHA256 },
    { "client_p256.key", "SHA384", NID_ecdsa_with_SHA384 },
    { "client_p384.key", "SHA384", NID_ecdsa_with_SHA384 },
    { "client_ed25519.key", NULL, NID_ED25519 },
    { "client_ed448.key", "SHA512", NID_ED448 }, /* the digest is ignored */
};

/* Build -> DER -> check_pop for one key; then a flipped signature. */
static void test_key_case(PKIXCMP_CTX *ctx, const KEY_CASE *c)
{
    EVP_PKEY *k = tu_key(c->keyfile);
    X509_NAME *subj = name("certreq test");
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CertReqMsg *crm = NULL, *back = NULL;
    const X509_ALGOR *alg;

    p.subject = subj;
    p.pubkey = p.popkey = k;
    p.popo = PXC_POPO_SIGNATURE;
    p.digest = c->digest;
    crm = pxc_certreq_new(ctx, &p);
    if (!ok(k != NULL && crm != NULL, "%s, digest %s: CertReqMsg built", c->keyfile,
            c->digest != NULL ? c->digest : "default"))
        goto out;
    if ((back = round_trip(crm)) == NULL)
        goto out;
    alg = back->popo->value.signature->algorithmIdentifier;
    is_int(OBJ_obj2nid(alg->algorithm), c->want_nid, "signature algorithm");
    if (c->want_nid == NID_rsassaPss)
        ok(alg->parameter != NULL && alg->parameter->type == V_ASN1_SEQUENCE,
           "RSASSA-PSS parameters present (RFC 4055 3.1)");
    ok(back->popo->value.signature->poposkInput == NULL, "no poposkInput (RFC 4211 4.1)");
    ok(pxc_certreq_check_pop(ctx, back, 0), "POP verifies after DER");
    ERR_print_errors_fp(stdout);
    back->popo->value.signature->signature->data[0] ^= 1;
    fails(pxc_certreq_check_pop(ctx, back, 0), PKIXCMP_E_BAD_POP, "does not verify",
          "our POP with a flipped bit");
out:
    crm_free(crm);
    crm_free(back);
    X509_NAME_free(subj);
    EVP_PKEY_free(k);
}

/* Template fields, certReqId, validity as RFC 5280 Time, extensions. */
static void test_template(PKIXCMP_CTX *ctx)
{
    /* notBefore 2049-12-31 23:59:59 UTCTime, notAfter 2050-01-01 GeneralizedTime */
    static const unsigned char validity_der[] = {
        0x30, 0x24, 0xA0, 0x0F, 0x17, 0x0D, '4', '9', '1', '2', '3', '1', '2', '3', '5', '9',
        '5', '9', 'Z', 0xA1, 0x11, 0x18, 0x0F, '2', '0', '5', '0', '0', '1', '0', '1', '0',
        '0', '0', '0', '0', '0', 'Z' };
    static const unsigned char not_after_der[] = {
        0x30, 0x11, 0xA1, 0x0F, 0x17, 0x0D, '2', '5', '0', '1', '0', '1', '0', '0', '0', '0',
        '0', '0', 'Z' };
    EVP_PKEY *k = tu_key("client_p256.key");
    X509_NAME *subj = name("subject"), *iss = name("issuer");
    X509V3_CTX v3;
    X509_EXTENSION *san;
    STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CertReqMsg *crm = NULL, *back = NULL;
    const PKIXCMP_CertTemplate *t;

    X509V3_set_ctx(&v3, NULL, NULL, NULL, NULL, 0);
    san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:example.org");
    sk_X509_EXTENSION_push(exts, san);
    p.cert_req_id = 5;
    p.subject = subj;
    p.issuer = iss;
    p.pubkey = p.popkey = k;
    p.popo = PXC_POPO_SIGNATURE;
    p.not_before = 2524607999;
    p.not_after = 2524608000;
    p.exts = exts;
    if (!ok((crm = pxc_certreq_new(ctx, &p)) != NULL, "template: built")
        || (back = round_trip(crm)) == NULL)
        goto out;
    t = back->certReq->certTemplate;
    is_int(ASN1_INTEGER_get(back->certReq->certReqId), 5, "certReqId 5");
    ok(X509_NAME_cmp(t->subject, subj) == 0 && X509_NAME_cmp(t->issuer, iss) == 0,
       "subject and issuer");
    ok(t->version == NULL && t->serialNumber == NULL && t->signingAlg == NULL,
       "version, serialNumber, signingAlg absent");
    ok(der_is(t->validity, ASN1_ITEM_rptr(PKIXCMP_OptionalValidity), validity_der,
              sizeof(validity_der)),
       "validity: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5)");
    ok(sk_X509_EXTENSION_num(t->extensions) == 1
           && OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(t->extensions, 0)))
                  == NID_subject_alt_name,
       "extensions: the SAN");
    ok(back->certReq->controls == NULL && back->regInfo == NULL, "no controls, no regInfo");
    ok(pxc_certreq_check_pop(ctx, back, 0), "template: POP verifies");
    crm_free(crm);
    crm_free(back);
    back = NULL;

    /* only notAfter; no extensions for an empty list */
    p.not_before = 0;
    p.not_after = 1735689600;
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    exts = sk_X509_EXTENSION_new_null();
    p.exts = exts;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && der_is(crm->certReq->certTemplate->validity,
                             ASN1_ITEM_rptr(PKIXCMP_OptionalValidity), not_after_der,
                             sizeof(not_after_der)),
       "validity with notAfter only");
    ok(crm != NULL && crm->certReq->certTemplate->extensions == NULL,
       "an empty extension list is left out (SIZE 1..MAX)");
    crm_free(crm);
    p.not_after = 0;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && crm->certReq->certTemplate->validity == NULL,
       "no dates: no validity (at least one MUST be present)");
    crm_free(crm);
    crm = NULL;
    p.not_before = 2000000000;
    p.not_after = 1999999999;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_INVALID_ARGUMENT, "notAfter is before",
          "notAfter before notBefore");
out:
    crm_free(crm);
    crm_free(back);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(subj);
    X509_NAME_free(iss);
    EVP_PKEY_free(k);
}

/* Our oldCertID control is byte for byte the one openssl cmp sends. */
static void test_oldcertid(PKIXCMP_CTX *ctx)
{
    EVP_PKEY *k = tu_key("client_p256.key");
    X509 *old = tu_cert("client_p256.crt"), *rsa = tu_cert("client_rsa.crt");
    X509_NAME *subj = name("kur");
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CertReqMsg *crm, *ossl = fixture_crm("kur_mac.der", PKIXCMP_BODY_KUR);
    PKIXCMP_CertId *id = NULL;
    unsigned char *der = NULL;
    int len = -1;

    p.subject = subj;
    p.pubkey = p.popkey = k;
    p.popo = PXC_POPO_SIGNATURE;
    p.oldcert = old;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && pxc_certreq_get1_oldcertid(crm, &id) && id != NULL,
       "kur: oldCertID built");
    ok(id != NULL && id->issuer->type == GEN_DIRNAME && pxc_certid_matches(id, old)
           && !pxc_certid_matches(id, rsa),
       "oldCertID: issuer directoryName and serial of the old certificate");
    if (crm != NULL && ossl != NULL && sk_PKIXCMP_AttributeTypeAndValue_num(ossl->certReq->controls) == 1)
        len = ASN1_item_i2d((const ASN1_VALUE *)sk_PKIXCMP_AttributeTypeAndValue_value(
                                ossl->certReq->controls, 0),
                            &der, ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue));
    ok(len > 0 && sk_PKIXCMP_AttributeTypeAndValue_num(crm->certReq->controls) == 1
           && der_is(sk_PKIXCMP_AttributeTypeAndValue_value(crm->certReq->controls, 0),
                     ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue), der, (size_t)len),
       "the control equals openssl cmp's in kur_mac.der");
    ok(crm != NULL && pxc_certreq_check_pop(ctx, crm, 0), "kur: POP verifies");
    ASN1_item_free((ASN1_VALUE *)id, ASN1_ITEM_rptr(PKIXCMP_CertId));
    id = NULL;

    /* the control twice, then a value that is not a CertId */
    if (crm != NULL) {
        PKIXCMP_Controls *c = crm->certReq->controls;
        PKIXCMP_AttributeTypeAndValue *atv = (PKIXCMP_AttributeTypeAndValue *)ASN1_item_dup(
            ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue), sk_PKIXCMP_AttributeTypeAndValue_value(c, 0));

        sk_PKIXCMP_AttributeTypeAndValue_push(c, atv);
        fails(pxc_certreq_get1_oldcertid(crm, &id), PKIXCMP_E_ITAV_VALUE, "more than one",
              "two oldCertID controls");
        ASN1_item_free((ASN1_VALUE *)sk_PKIXCMP_AttributeTypeAndValue_pop(c),
                       ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue));
        atv = sk_PKIXCMP_AttributeTypeAndValue_value(c, 0);
        ASN1_TYPE_set(atv->value, V_ASN1_NULL, NULL);
        fails(pxc_certreq_get1_oldcertid(crm, &id), PKIXCMP_E_ITAV_VALUE, "not a CertId",
              "an oldCertID that is NULL");
        ok(id == NULL, "no CertId returned");
    }
    OPENSSL_free(der);
    crm_free(crm);
    crm_free(ossl);
    X509_NAME_free(subj);
    X509_free(old);
    X509_free(rsa);
    EVP_PKEY_free(k);
}

/* raVerified, keyEncipherment and keyAgreement (subsequentMessage
 * encrCert), and no POP: their DER, and what the checker says. */
static void test_other_pops(PKIXCMP_CTX *ctx)
{
    static const unsigned char raverified[] = { 0x80, 0x00 };
    static const unsigned char keyenc[] = { 0xA2, 0x03, 0x81, 0x01, 0x00 };
    static const unsigned char keyagree[] = { 0xA3, 0x03, 0x81, 0x01, 0x00 };
    EVP_PKEY *k = tu_key("client_rsa.key");
    X509_NAME *subj = name("pop");
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CertReqMsg *crm;

    p.subject = subj;
    p.pubkey = k;
    p.popo = PXC_POPO_RAVERIFIED;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && der_is(crm->popo, ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession), raverified,
                             sizeof(raverified)), "raVerified [0] NULL");
    ok(crm != NULL && pxc_certreq_check_pop(ctx, crm, 1), "raVerified accepted when allowed");
    fails(crm != NULL && pxc_certreq_check_pop(ctx, crm, 0), PKIXCMP_E_BAD_POP,
          "certReqId 0: raVerified POP is not accepted", "raVerified when not allowed");
    crm_free(crm);

    p.popo = PXC_POPO_KEYENC;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && der_is(crm->popo, ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession), keyenc,
                             sizeof(keyenc)), "keyEncipherment [2] subsequentMessage encrCert");
    fails(crm != NULL && pxc_certreq_check_pop(ctx, crm, 1), PKIXCMP_E_BAD_POP,
          "keyEncipherment POP is not supported", "keyEncipherment POP");
    crm_free(crm);

    p.popo = PXC_POPO_KEYAGREE;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && der_is(crm->popo, ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession), keyagree,
                             sizeof(keyagree)), "keyAgreement [3] subsequentMessage encrCert");
    fails(crm != NULL && pxc_certreq_check_pop(ctx, crm, 1), PKIXCMP_E_BAD_POP,
          "keyAgreement POP is not supported", "keyAgreement POP");
    crm_free(crm);

    p.popo = PXC_POPO_NONE;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && crm->popo == NULL, "PXC_POPO_NONE: no popo");
    fails(crm != NULL && pxc_certreq_check_pop(ctx, crm, 1), PKIXCMP_E_BAD_POP,
          "no proof of possession", "a request without POP");
    crm_free(crm);
    X509_NAME_free(subj);
    EVP_PKEY_free(k);
}

/* ---------------------------------------------------------------- poposkInput */

static PKIXCMP_CTX *ctx_with_secret(const char *secret)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    if (ctx != NULL && secret != NULL
        && !pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)secret, strlen(secret))) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/*
 * RFC 4211 4.1: without a subject, the signature is over poposkInput,
 * authenticated by a publicKeyMAC (secret) or by the sender (certificate).
 */
static void test_poposkinput(void)
{
    PKIXCMP_CTX *mac = ctx_with_secret("test1234"), *other = ctx_with_secret("other");
    PKIXCMP_CTX *none = ctx_with_secret(NULL), *signer = ctx_with_secret(NULL);
    EVP_PKEY *k = tu_key("client_ed25519.key"), *k2;
    X509 *x = tu_cert("client_p256.crt");
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CertReqMsg *crm = NULL, *back = NULL, *bad;
    const PKIXCMP_POPOSigningKeyInput *in;
    int i, exact = 1;

    pkixcmp_ctx_set1_cert(signer, x);
    p.pubkey = p.popkey = k;
    p.popo = PXC_POPO_SIGNATURE;
    /* the MAC is a BIT STRING with no unused bits, whatever its last byte */
    for (i = 0; i < 8 && exact; i++) {
        crm_free(crm);
        crm_free(back);
        crm = pxc_certreq_new(mac, &p);
        back = crm != NULL ? round_trip(crm) : NULL;
        in = back != NULL ? back->popo->value.signature->poposkInput : NULL;
        exact = in != NULL && in->authInfo->type == 1
                && ASN1_STRING_length(in->authInfo->value.publicKeyMAC->value) == 20
                && (in->authInfo->value.publicKeyMAC->value->flags & 0x07) == 0;
    }
    ok(exact, "no subject: poposkInput with a 20-byte publicKeyMAC (PBM, HMAC-SHA1)");
    if (!exact)
        goto out;
    ok(pxc_certreq_check_pop(mac, back, 0), "poposkInput POP verifies with the secret");
    ERR_print_errors_fp(stdout);
    fails(pxc_certreq_check_pop(other, back, 0), PKIXCMP_E_BAD_POP,
          "publicKeyMAC does not verify", "publicKeyMAC with another secret");
    fails(pxc_certreq_check_pop(none, back, 0), PKIXCMP_E_BAD_POP,
          "without a shared secret", "publicKeyMAC without a secret");

    bad = crm_dup(back);
    k2 = tu_key("client_ed448.key");
    X509_PUBKEY_set(&bad->popo->value.signature->poposkInput->publicKey, k2);
    EVP_PKEY_free(k2);
    fails(pxc_certreq_check_pop(mac, bad, 0), PKIXCMP_E_BAD_POP,
          "poposkInput publicKey is not the template's", "poposkInput for another key");
    crm_free(bad);

    bad = crm_dup(back);
    bad->certReq->certTemplate->subject = name("added");
    fails(pxc_certreq_check_pop(mac, bad, 0), PKIXCMP_E_BAD_POP, "MUST be omitted",
          "poposkInput with a subject in the template");
    crm_free(bad);

    bad = crm_dup(back);
    ASN1_item_free((ASN1_VALUE *)bad->popo->value.signature->poposkInput,
                   ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput));
    bad->popo->value.signature->poposkInput = NULL;
    fails(pxc_certreq_check_pop(mac, bad, 0), PKIXCMP_E_BAD_POP, "needs poposkInput",
          "no subject and no poposkInput");
    crm_free(bad);

    bad = crm_dup(back);
    bad->popo->value.signature->poposkInput->authInfo->value.publicKeyMAC->value->data[3] ^= 1;
    fails(pxc_certreq_check_pop(mac, bad, 0), PKIXCMP_E_BAD_POP, "does not verify with the",
          "a changed publicKeyMAC");
    crm_free(bad);
    crm_free(crm);
    crm_free(back);
    back = NULL;

    /* with a certificate and no secret: sender = its subject */
    crm = pxc_certreq_new(signer, &p);
    in = crm != NULL ? crm->popo->value.signature->poposkInput : NULL;
    ok(in != NULL && in->authInfo->type == 0
           && X509_NAME_cmp(in->authInfo->value.sender->d.directoryName,
                            X509_get_subject_name(x)) == 0,
       "poposkInput sender = the subject of our certificate");
    ok(crm != NULL && pxc_certreq_check_pop(none, crm, 0), "poposkInput with sender verifies");
    crm_free(crm);
    crm = NULL;
    fails(pxc_certreq_new(none, &p) != NULL, PKIXCMP_E_MISSING_PARAMETER,
          "none is set", "no subject, no secret and no certificate");
out:
    crm_free(crm);
    crm_free(back);
    X509_free(x);
    EVP_PKEY_free(k);
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(other);
    pkixcmp_ctx_free(none);
    pkixcmp_ctx_free(signer);
}

/* ---------------------------------------------------------------- refusals */

static void test_build_refusals(PKIXCMP_CTX *ctx)
{
    EVP_PKEY *k = tu_key("client_p256.key"), *other = tu_key("server.key");
    EVP_PKEY *rsa = tu_key("client_rsa.key"), *pub = NULL;
    X509_NAME *subj = name("refusals");
    struct pxc_certreq_params p = { 0 };
    unsigned char *der = NULL;
    const unsigned char *q;
    int len;

    p.subject = subj;
    p.popo = PXC_POPO_SIGNATURE;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_MISSING_PARAMETER,
          "no public key to certify", "no public key");
    p.pubkey = k;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_MISSING_PARAMETER,
          "needs the private key (popkey)", "a signature POP without popkey");
    p.popkey = other;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_BAD_POP, "is not the key to certify",
          "a POP key of the same type that is another key");
    p.popkey = rsa;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_BAD_POP, "is not the key to certify",
          "an RSA POP key for an EC public key");
    /* the public half only: it cannot sign */
    len = i2d_PUBKEY(k, &der);
    q = der;
    pub = len > 0 ? d2i_PUBKEY(NULL, &q, len) : NULL;
    p.pubkey = p.popkey = pub;
    fails(pub == NULL || pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_BAD_POP, "is it a private key?",
          "a POP key without its private half");
    p.pubkey = p.popkey = k;
    p.digest = "NO-SUCH-DIGEST";
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_UNKNOWN_NAME, "NO-SUCH-DIGEST",
          "an unknown POP digest");
    p.digest = NULL;
    p.popo = 7;
    fails(pxc_certreq_new(ctx, &p) != NULL, PKIXCMP_E_INVALID_ARGUMENT, "unknown POP method 7",
          "POP method 7");
    fails(pxc_certreq_new(ctx, NULL) != NULL, PKIXCMP_E_INVALID_ARGUMENT, "no request parameters",
          "no parameters");
    OPENSSL_free(der);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(k);
    EVP_PKEY_free(other);
    EVP_PKEY_free(rsa);
    X509_NAME_free(subj);
}

/* A template without publicKey, with one that cannot be decoded, and POP
 * algorithms that are unknown or of another key type. */
static void test_check_refusals(PKIXCMP_CTX *ctx)
{
    PKIXCMP_CertReqMsg *crm = fixture_crm("ir_popo_rsa_mac.der", PKIXCMP_BODY_IR), *bad;
    X509_PUBKEY *pk;
    EVP_PKEY *got;

    if (!ok(crm != NULL, "ir_popo_rsa_mac.der loaded"))
        return;
    got = pxc_certreq_get1_pubkey(ctx, crm);
    ok(got != NULL && EVP_PKEY_is_a(got, "RSA") && EVP_PKEY_get_bits(got) == 2048,
       "get1_pubkey: the RSA-2048 key of the template");
    EVP_PKEY_free(got);

    bad = crm_dup(crm);
    X509_PUBKEY_free(bad->certReq->certTemplate->publicKey);
    bad->certReq->certTemplate->publicKey = NULL;
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_TEMPLATE,
          "certReqId 0: the certificate template has no publicKey", "a template without publicKey");
    fails(pxc_certreq_get1_pubkey(ctx, bad) != NULL, PKIXCMP_E_BAD_TEMPLATE, "has no publicKey",
          "get1_pubkey without publicKey");
    crm_free(bad);

    /* rsaEncryption with a subjectPublicKey that is no RSAPublicKey */
    bad = crm_dup(crm);
    pk = bad->certReq->certTemplate->publicKey;
    X509_PUBKEY_set0_param(pk, OBJ_nid2obj(NID_rsaEncryption), V_ASN1_NULL, NULL,
                           (unsigned char *)OPENSSL_strdup("garbage"), 7);
    {
        /* as it arrives: decoded from DER (set0_param keeps the key the
         * first decode cached, which the POP check may use) */
        PKIXCMP_CertReqMsg *wire = crm_dup(bad);

        fails(pxc_certreq_check_pop(ctx, wire, 0), PKIXCMP_E_BAD_TEMPLATE,
              "publicKey (rsaEncryption) cannot be decoded", "an undecodable publicKey");
        crm_free(wire);
    }
    crm_free(bad);

    bad = crm_dup(crm);
    X509_ALGOR_set0(bad->popo->value.signature->algorithmIdentifier, OBJ_nid2obj(NID_sha256),
                    V_ASN1_UNDEF, NULL);
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP,
          "sha256 is not a known signature algorithm", "a digest OID as POP algorithm");
    crm_free(bad);

    bad = crm_dup(crm);
    X509_ALGOR_set0(bad->popo->value.signature->algorithmIdentifier,
                    OBJ_nid2obj(NID_ecdsa_with_SHA256), V_ASN1_UNDEF, NULL);
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP,
          "ecdsa-with-SHA256 POP signature cannot come from the template's RSA key",
          "an ECDSA algorithm with an RSA key");
    crm_free(bad);

    bad = crm_dup(crm);
    X509_ALGOR_set0(bad->popo->value.signature->algorithmIdentifier,
                    OBJ_nid2obj(NID_sha384WithRSAEncryption), V_ASN1_NULL, NULL);
    fails(pxc_certreq_check_pop(ctx, bad, 0), PKIXCMP_E_BAD_POP, "does not verify",
          "the signature relabelled sha384WithRSAEncryption");
    crm_free(bad);
    fails(pxc_certreq_check_pop(ctx, NULL, 0), PKIXCMP_E_INVALID_ARGUMENT, "no CertReqMsg",
          "no CertReqMsg");
    crm_free(crm);
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    size_t i;

    if (!ok(ctx != NULL, "context"))
        return tap_done();
    for (i = 0; i < PXC_NELEM(fixtures); i++)
        test_fixture(ctx, &fixtures[i]);
    test_fixture_oldcertid();
    for (i = 0; i < PXC_NELEM(key_cases); i++)
        test_key_case(ctx, &key_cases[i]);
    test_template(ctx);
    test_oldcertid(ctx);
    test_other_pops(ctx);
    test_poposkinput();
    test_build_refusals(ctx);
    test_check_refusals(ctx);
    pkixcmp_ctx_free(ctx);
    return tap_done();
}
