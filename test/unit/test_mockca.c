/*
 * test_mockca.c - issuing with the mock CA (mockca.h): templates for EC,
 * RSA and EdDSA keys checked field by field and up the test PKI's chain,
 * validity defaults and encodings, the template rules and each refusal,
 * EC, EdDSA and unusable CA keys, and PKCS#10 requests.
 * Registry: test_mockca_reg.c; general messages: test_mockca_genm.c.
 *
 * The clock is fixed at MT_NOW (2030-01-01), inside the validity of the
 * test PKI in test/certs (intermediate CA = the mock CA, root = its chain).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>
#include "mockca_local.h"
#include "mockca_tu.h"
#include "spki.h"
#include "tap.h"

#define NOW MT_NOW
#define DAY MT_DAY

static char why[256];

/* A failure with code and a why text; clears the queue. */
static void fails_with(int failed, int code, const char *what)
{
    ok(failed, "%s is refused", what);
    is_int(pkixcmp_err_peek_last(), code, pkixcmp_err_name(code));
    ERR_clear_error();
}

/* Issuing from t (and pubkey) fails with code and a why text. */
static void issue_fails(PXC_MOCKCA *ca, PKIXCMP_CertTemplate *t, EVP_PKEY *pubkey,
                        int code, const char *what)
{
    X509 *x = pxc_mockca_issue(ca, t, pubkey, NULL, NOW, why, sizeof(why));

    fails_with(x == NULL && why[0] != '\0', code, what);
    tap_diag("why: %s", why);
    X509_free(x);
}

/* ------------------------------------------------------ configuration */

static void test_config(void)
{
    PXC_MOCKCA *ca = pxc_mockca_new(NULL, NULL);
    EVP_PKEY *root_key = mt_load_key("root.key"), *k = mt_new_key("EC");
    PKIXCMP_CertTemplate *t = mt_tmpl_new("no CA", k, NULL);
    STACK_OF(X509) *extra;

    fails_with(!pxc_mockca_set1_ca(ca, mt_interm, root_key, NULL), PKIXCMP_E_INVALID_ARGUMENT,
               "a CA key that does not match the CA certificate");
    issue_fails(ca, t, NULL, PKIXCMP_E_CA_FAILURE, "issuing without a CA");
    fails_with(!pxc_mockca_set_days(ca, 0), PKIXCMP_E_INVALID_ARGUMENT, "validity of 0 days");
    fails_with(!pxc_mockca_set_digest(ca, "NO-SUCH-DIGEST"), PKIXCMP_E_INVALID_ARGUMENT,
               "an unknown digest");
    fails_with(!pxc_mockca_set_max_entries(ca, 0), PKIXCMP_E_INVALID_ARGUMENT,
               "a registry of 0 entries");
    ok(pxc_mockca_get0_extracerts(ca) == NULL, "no extraCerts without a CA");
    pxc_mockca_free(ca);

    ca = mt_interm_ca();
    extra = pxc_mockca_get0_extracerts(ca);
    ok(sk_X509_num(extra) == 2 && X509_cmp(sk_X509_value(extra, 0), mt_interm) == 0
       && X509_cmp(sk_X509_value(extra, 1), mt_root) == 0,
       "default extraCerts: the CA certificate, then its chain");
    ok(pxc_mockca_get0_capubs(ca) == NULL, "no caPubs unless configured");
    ok(pxc_mockca_get0_cacert(ca) == mt_interm && pxc_mockca_get0_rsp_cert(ca) == NULL,
       "CA certificate set, not in fixed mode");
    pxc_mockca_free(ca);
    pxc_mockca_free(NULL);
    mt_tmpl_free(t);
    EVP_PKEY_free(root_key);
    EVP_PKEY_free(k);
}

/* ------------------------------------------------------------ issuing */

/* Issues from a template for a new key of type and checks the result. */
static void test_issue_key(PXC_MOCKCA *ca, const char *type, int explicit_validity)
{
    EVP_PKEY *key = mt_new_key(type);
    STACK_OF(X509_EXTENSION) *exts = NULL;
    PKIXCMP_CertTemplate *t;
    X509 *x;
    char san[64];
    time_t nb = explicit_validity ? NOW - 3600 : NOW;
    time_t na = explicit_validity ? NOW + 30 * DAY : NOW + PXC_MOCKCA_DEFAULT_DAYS * DAY;
    struct pxc_mockca_status st;
    size_t before = pxc_mockca_count(ca);
    int idx;

    snprintf(san, sizeof(san), "DNS:%s.example", type);
    mt_add_ext(&exts, NID_subject_alt_name, san);
    mt_add_ext(&exts, NID_key_usage, "critical,digitalSignature");
    mt_add_ext(&exts, NID_ext_key_usage, "clientAuth");
    mt_add_policy(&exts, "1.3.6.1.4.1.99999.1");
    t = mt_tmpl_new(type, key, exts);
    if (explicit_validity)
        mt_tmpl_validity(t, nb, na);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    if (!ok(x != NULL, "%s: certificate issued", type)) {
        tap_diag("why: %s", why);
        ERR_print_errors_fp(stdout);
        goto out;
    }
    ok(why[0] == '\0', "%s: no why text on success", type);
    ok(X509_verify(x, X509_get0_pubkey(mt_interm)) == 1, "%s: signed by the CA key", type);
    ok(X509_verify(x, X509_get0_pubkey(mt_root)) <= 0, "%s: not verifiable with another key", type);
    ok(mt_chain_ok(x, NOW), "%s: chain validates up to the root", type);
    ok(!mt_chain_ok(x, nb - 60), "%s: chain does not validate before notBefore", type);
    ERR_clear_error();
    is_int(X509_get_version(x), X509_VERSION_3, "version is v3");
    ok(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(mt_interm)) == 0,
       "%s: issuer is the CA", type);
    ok(mt_cn_is(X509_get_subject_name(x), type), "%s: subject as requested", type);
    is_str(mt_san_dns(x), san + 4, "SAN as requested");
    ok(pxc_spki_cert_has_key(x, key, NULL, NULL) == 1, "%s: the requested public key", type);
    ok(ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), nb) == 0
       && ASN1_TIME_cmp_time_t(X509_get0_notAfter(x), na) == 0,
       "%s: validity %s", type, explicit_validity ? "as requested" : "now + 365 days");
    ok((X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) && (X509_get_extended_key_usage(x) & XKU_SSL_CLIENT),
       "%s: key usage and EKU copied", type);
    ok(X509_get_ext_by_NID(x, NID_certificate_policies, -1) >= 0, "%s: policies copied", type);
    idx = X509_get_ext_by_NID(x, NID_basic_constraints, -1);
    ok(idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, idx)) && X509_check_ca(x) == 0,
       "%s: basicConstraints CA:FALSE, critical", type);
    ok(X509_get0_subject_key_id(x) != NULL && X509_get0_authority_key_id(x) != NULL
       && ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(x), X509_get0_subject_key_id(mt_interm)) == 0,
       "%s: SKID, and AKID = the CA's SKID", type);
    is_int(pxc_mockca_count(ca), before + 1, "registry grew by one");
    ok(pxc_mockca_get_status(ca, X509_get_issuer_name(x), X509_get0_serialNumber(x), &st)
       && st.issued == NOW && !st.revoked && st.reason == PXC_MOCKCA_REASON_NONE,
       "%s: registered at NOW, not revoked", type);
out:
    X509_free(x);
    mt_tmpl_free(t);
    EVP_PKEY_free(key);
}

/* Validity defaults and encodings. */
static void test_validity(void)
{
    PXC_MOCKCA *ca = mt_fresh_ca("EC");
    EVP_PKEY *key = mt_new_key("EC");
    PKIXCMP_CertTemplate *t = mt_tmpl_new("validity", key, NULL);
    X509 *x;
    int d = 0, s = 0;

    ok(pxc_mockca_set_days(ca, 10), "10 days of validity");
    mt_tmpl_validity(t, NOW + DAY, 0);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), NOW + DAY) == 0
       && ASN1_TIME_diff(&d, &s, X509_get0_notBefore(x), X509_get0_notAfter(x)) && d == 10 && s == 0,
       "notBefore only: notAfter = notBefore + days");
    X509_free(x);
    /* a GeneralizedTime before 2050 in the template becomes a UTCTime */
    ASN1_TIME_free(t->validity->notBefore);
    t->validity->notBefore = ASN1_TIME_new();
    ASN1_TIME_set_string(t->validity->notBefore, "20300102000000Z");
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && ASN1_STRING_type(X509_get0_notBefore(x)) == V_ASN1_UTCTIME
       && ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), NOW + DAY) == 0,
       "notBefore in 2030 written as UTCTime (RFC 5280 4.1.2.5)");
    X509_free(x);
    ASN1_TIME_free(t->validity->notBefore);
    t->validity->notBefore = NULL;
    t->validity->notAfter = ASN1_TIME_set(NULL, (time_t)2556144000); /* 2051-01-01 */
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && ASN1_STRING_type(X509_get0_notAfter(x)) == V_ASN1_GENERALIZEDTIME
       && ASN1_TIME_cmp_time_t(X509_get0_notBefore(x), NOW) == 0,
       "notAfter in 2051 written as GeneralizedTime, notBefore now");
    X509_free(x);
    t->validity->notBefore = ASN1_TIME_set(NULL, NOW + 2 * DAY);
    ASN1_TIME_free(t->validity->notAfter);
    t->validity->notAfter = ASN1_TIME_set(NULL, NOW + DAY);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "notAfter before notBefore");
    ASN1_TIME_free(t->validity->notBefore);
    ASN1_TIME_free(t->validity->notAfter);
    t->validity->notBefore = t->validity->notAfter = NULL;
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a validity with neither bound");
    t->validity->notBefore = ASN1_TIME_new();
    ASN1_STRING_set(t->validity->notBefore, "2030", -1);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a notBefore that is no time");
    mt_tmpl_free(t);
    EVP_PKEY_free(key);
    pxc_mockca_free(ca);
}

/* The template rules: what is refused, ignored or changed. */
static void test_template_rules(void)
{
    PXC_MOCKCA *ca = mt_interm_ca();
    EVP_PKEY *key = mt_new_key("EC"), *other = mt_new_key("EC");
    STACK_OF(X509_EXTENSION) *exts = NULL;
    PKIXCMP_CertTemplate *t;
    X509_EXTENSION *bad;
    ASN1_OCTET_STRING *junk = ASN1_OCTET_STRING_new();
    X509 *x;
    int idx;

    t = mt_tmpl_new(NULL, key, NULL);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "no subject, no SAN, no old certificate");
    mt_tmpl_free(t);

    mt_add_ext(&exts, NID_subject_alt_name, "DNS:nosubject.example");
    t = mt_tmpl_new(NULL, key, exts);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    idx = x != NULL ? X509_get_ext_by_NID(x, NID_subject_alt_name, -1) : -1;
    ok(x != NULL && X509_NAME_entry_count(X509_get_subject_name(x)) == 0 && idx >= 0
       && X509_EXTENSION_get_critical(X509_get_ext(x, idx)),
       "empty subject with a SAN: issued, SAN made critical (RFC 5280 4.2.1.6)");
    X509_free(x);
    mt_tmpl_free(t);

    t = mt_tmpl_new("no key", NULL, NULL);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "no public key anywhere");
    x = pxc_mockca_issue(ca, t, key, NULL, NOW, why, sizeof(why));
    ok(x != NULL && pxc_spki_cert_has_key(x, key, NULL, NULL) == 1, "key passed apart from the template");
    X509_free(x);
    mt_tmpl_free(t);

    t = mt_tmpl_new("two keys", key, NULL);
    issue_fails(ca, t, other, PKIXCMP_E_BAD_TEMPLATE, "a template key other than the key passed");
    mt_tmpl_free(t);

    /* central key generation: an algorithm with an empty key */
    t = mt_tmpl_new("central keygen", NULL, NULL);
    t->publicKey = X509_PUBKEY_new();
    X509_PUBKEY_set0_param(t->publicKey, OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_UNDEF,
                           NULL, NULL, 0);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "an empty template key and no key passed");
    x = pxc_mockca_issue(ca, t, other, NULL, NOW, why, sizeof(why));
    ok(x != NULL && pxc_spki_cert_has_key(x, other, NULL, NULL) == 1,
       "empty template key: the key passed is certified");
    X509_free(x);
    mt_tmpl_free(t);

    t = mt_tmpl_new("serial", key, NULL);
    t->serialNumber = ASN1_INTEGER_new();
    ASN1_INTEGER_set(t->serialNumber, 42);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a template with a serialNumber (RFC 4211 5)");
    mt_tmpl_free(t);
    t = mt_tmpl_new("signingAlg", key, NULL);
    t->signingAlg = X509_ALGOR_new();
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a template with a signingAlg");
    mt_tmpl_free(t);
    t = mt_tmpl_new("uid", key, NULL);
    t->subjectUID = ASN1_BIT_STRING_new();
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a template with a subjectUID");
    mt_tmpl_free(t);
    t = mt_tmpl_new("v2", key, NULL);
    t->version = ASN1_INTEGER_new();
    ASN1_INTEGER_set(t->version, 1);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a template asking for version v2");
    ASN1_INTEGER_set(t->version, 2);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL, "a template asking for v3 is fine");
    X509_free(x);
    mt_tmpl_free(t);

    /* issuer is a wish; SKID and AKID are the CA's to compute */
    exts = NULL;
    mt_add_ext(&exts, NID_subject_key_identifier, "0102030405");
    t = mt_tmpl_new("ignored", key, exts);
    t->issuer = X509_NAME_dup(X509_get_subject_name(mt_root));
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(mt_interm)) == 0
       && ASN1_STRING_length(X509_get0_subject_key_id(x)) == 20,
       "template issuer and SKID are ignored");
    X509_free(x);
    mt_tmpl_free(t);

    exts = NULL;
    mt_add_ext(&exts, NID_subject_alt_name, "DNS:a.example");
    mt_add_ext(&exts, NID_subject_alt_name, "DNS:b.example");
    t = mt_tmpl_new("twice", key, exts);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "the same extension twice (RFC 5280 4.2)");
    mt_tmpl_free(t);

    exts = sk_X509_EXTENSION_new_null();
    ASN1_OCTET_STRING_set(junk, (const unsigned char *)"\x01\x02", 2);
    bad = X509_EXTENSION_create_by_NID(NULL, NID_subject_alt_name, 0, junk);
    sk_X509_EXTENSION_push(exts, bad);
    t = mt_tmpl_new("junk", key, exts);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "a SAN that does not decode");
    mt_tmpl_free(t);

    /* CA certificates: refused unless allowed */
    exts = NULL;
    mt_add_ext(&exts, NID_basic_constraints, "critical,CA:TRUE");
    mt_add_ext(&exts, NID_key_usage, "critical,keyCertSign,cRLSign");
    t = mt_tmpl_new("sub CA", key, exts);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "basicConstraints cA=TRUE");
    pxc_mockca_set_allow_ca(ca, 1);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_check_ca(x) >= 1 && (X509_get_key_usage(x) & KU_KEY_CERT_SIGN),
       "with allow_ca: a CA certificate");
    ok(x != NULL && X509_get_ext_by_NID(x, NID_basic_constraints, -1) >= 0
       && X509_get_ext_by_NID(x, NID_basic_constraints,
                              X509_get_ext_by_NID(x, NID_basic_constraints, -1)) < 0,
       "only the requested basicConstraints");
    X509_free(x);
    mt_tmpl_free(t);
    exts = NULL;
    mt_add_ext(&exts, NID_key_usage, "critical,keyCertSign");
    t = mt_tmpl_new("keyCertSign only", key, exts);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE,
                "with allow_ca: keyCertSign without cA=TRUE (RFC 5280 4.2.1.3)");
    pxc_mockca_set_allow_ca(ca, 0);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "keyUsage keyCertSign");
    mt_tmpl_free(t);
    exts = NULL;
    mt_add_ext(&exts, NID_name_constraints, "permitted;DNS:example.com");
    t = mt_tmpl_new("nc", key, exts);
    issue_fails(ca, t, NULL, PKIXCMP_E_BAD_TEMPLATE, "nameConstraints (RFC 5280 4.2.1.10)");
    mt_tmpl_free(t);
    exts = NULL;
    mt_add_ext(&exts, NID_basic_constraints, "CA:FALSE");
    t = mt_tmpl_new("ee", key, exts);
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    idx = x != NULL ? X509_get_ext_by_NID(x, NID_basic_constraints, -1) : -1;
    ok(idx >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, idx)) && X509_check_ca(x) == 0,
       "a requested CA:FALSE becomes the CA's critical CA:FALSE");
    X509_free(x);
    mt_tmpl_free(t);

    ASN1_OCTET_STRING_free(junk);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    pxc_mockca_free(ca);
}

/* CA keys: EdDSA without a digest, a configured digest, a key that cannot sign. */
static void test_signing(void)
{
    PXC_MOCKCA *ca = mt_fresh_ca("ED25519"), *ca2;
    EVP_PKEY *key = mt_new_key("EC"), *xkey = mt_new_key("X25519");
    PKIXCMP_CertTemplate *t = mt_tmpl_new("signed", key, NULL), *tx = mt_tmpl_new("x25519", xkey, NULL);
    X509 *x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why)), *xc;

    ok(x != NULL && X509_get_signature_nid(x) == NID_ED25519
       && X509_verify(x, X509_get0_pubkey(pxc_mockca_get0_cacert(ca))) == 1,
       "Ed25519 CA key: signed with Ed25519, no digest");
    X509_free(x);
    pxc_mockca_free(ca);

    ca = mt_fresh_ca("ED448");
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_get_signature_nid(x) == NID_ED448
       && X509_verify(x, X509_get0_pubkey(pxc_mockca_get0_cacert(ca))) == 1,
       "Ed448 CA key: signed with Ed448");
    X509_free(x);
    pxc_mockca_free(ca);

    /* signing from the template: each certificate a fresh signature */
    ca = mt_fresh_ca("EC");
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    xc = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    {
        const ASN1_BIT_STRING *s1 = NULL, *s2 = NULL;
        EVP_PKEY *cak = X509_get0_pubkey(pxc_mockca_get0_cacert(ca));

        if (x != NULL && xc != NULL) {
            X509_get0_signature(&s1, NULL, x);
            X509_get0_signature(&s2, NULL, xc);
        }
        ok(ca->sign_tmpl != NULL, "EC CA key: a signing context template");
        ok(s1 != NULL && s2 != NULL && X509_verify(x, cak) == 1 && X509_verify(xc, cak) == 1
           && ASN1_STRING_cmp(s1, s2) != 0,
           "two certificates from the template: both verify, with different signatures");
    }
    X509_free(x);
    X509_free(xc);
    ok(pxc_mockca_set_digest(ca, "SHA384"), "digest SHA384");
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_get_signature_nid(x) == NID_ecdsa_with_SHA384
       && X509_verify(x, X509_get0_pubkey(pxc_mockca_get0_cacert(ca))) == 1,
       "EC CA key with SHA384: ecdsa-with-SHA384");
    X509_free(x);
    ok(pxc_mockca_set_digest(ca, NULL), "digest back to the default");
    x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_get_signature_nid(x) == NID_ecdsa_with_SHA256
       && X509_verify(x, X509_get0_pubkey(pxc_mockca_get0_cacert(ca))) == 1,
       "and ecdsa-with-SHA256 again");
    X509_free(x);

    /* a CA certificate without SKID: the AKID keyIdentifier is computed
     * from its key as our SKIDs are (RFC 7093 method 1) */
    ca2 = pxc_mockca_new(NULL, NULL);
    xc = mt_load_cert("bad_noskid.crt");
    {
        EVP_PKEY *nk = mt_load_key("bad_noskid.key");
        const unsigned char *bits;
        unsigned char md[32];
        int len;

        X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, X509_get_X509_PUBKEY(xc));
        SHA256(bits, (size_t)len, md);
        ok(pxc_mockca_set1_ca(ca2, xc, nk, NULL), "a CA certificate without SKID");
        x = pxc_mockca_issue(ca2, t, NULL, NULL, NOW, why, sizeof(why));
        ok(x != NULL && ASN1_STRING_length(X509_get0_authority_key_id(x)) == 20
           && memcmp(ASN1_STRING_get0_data(X509_get0_authority_key_id(x)), md, 20) == 0,
           "AKID keyIdentifier: leftmost 160 bits of SHA-256 of the CA's key");
        X509_free(x);
        EVP_PKEY_free(nk);
    }
    X509_free(xc);
    pxc_mockca_free(ca2);

    /* a "CA" whose key can only agree keys */
    xc = pxc_mockca_issue(ca, tx, NULL, NULL, NOW, why, sizeof(why));
    ok(xc != NULL, "X25519 end-entity certificate issued");
    ca2 = pxc_mockca_new(NULL, NULL);
    ok(pxc_mockca_set1_ca(ca2, xc, xkey, NULL), "X25519 certificate and key as a CA");
    x = pxc_mockca_issue(ca2, t, NULL, NULL, NOW, why, sizeof(why));
    fails_with(x == NULL && strstr(why, "signing") != NULL, PKIXCMP_E_CA_FAILURE,
               "signing with an X25519 CA key");
    is_int(pxc_mockca_count(ca2), 0, "nothing registered when signing fails");
    X509_free(xc);
    pxc_mockca_free(ca2);
    pxc_mockca_free(ca);
    mt_tmpl_free(t);
    mt_tmpl_free(tx);
    EVP_PKEY_free(key);
    EVP_PKEY_free(xkey);
}

/* A PKCS#10 request for key with a SAN, signed with signer. */
static X509_REQ *csr_new(EVP_PKEY *key, EVP_PKEY *signer, const char *cn)
{
    X509_REQ *req = X509_REQ_new();
    X509_NAME *n = mt_name(cn);
    STACK_OF(X509_EXTENSION) *exts = NULL;

    X509_REQ_set_subject_name(req, n);
    X509_REQ_set_pubkey(req, key);
    mt_add_ext(&exts, NID_subject_alt_name, "DNS:csr.example");
    X509_REQ_add_extensions(req, exts);
    X509_REQ_sign(req, signer, EVP_sha256());
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    X509_NAME_free(n);
    return req;
}

static void test_csr(void)
{
    PXC_MOCKCA *ca = mt_interm_ca();
    EVP_PKEY *key = mt_new_key("EC"), *other = mt_new_key("EC");
    X509_REQ *good = csr_new(key, key, "csr"), *bad = csr_new(key, other, "csr"), *junk;
    X509 *x = pxc_mockca_issue_csr(ca, good, NOW, why, sizeof(why)), *fixed = mt_load_cert("client_p256.crt");

    ok(x != NULL && mt_cn_is(X509_get_subject_name(x), "csr") && strcmp(mt_san_dns(x), "csr.example") == 0
       && pxc_spki_cert_has_key(x, key, NULL, NULL) == 1 && mt_chain_ok(x, NOW),
       "p10cr: subject, requested SAN and key; chain validates");
    X509_free(x);
    x = pxc_mockca_issue_csr(ca, bad, NOW, why, sizeof(why));
    fails_with(x == NULL && strstr(why, "signature") != NULL, PKIXCMP_E_BAD_POP,
               "a CSR signed with another key");
    /* an extensionRequest holding SEQUENCE { INTEGER 1 } */
    junk = X509_REQ_new();
    X509_REQ_set_pubkey(junk, key);
    X509_REQ_add1_attr_by_NID(junk, NID_ext_req, V_ASN1_SEQUENCE, (const unsigned char *)"\x30\x03\x02\x01\x01", 5);
    X509_REQ_sign(junk, key, EVP_sha256());
    x = pxc_mockca_issue_csr(ca, junk, NOW, why, sizeof(why));
    fails_with(x == NULL && strstr(why, "extensionRequest") != NULL, PKIXCMP_E_BAD_TEMPLATE,
               "a CSR whose extensionRequest does not decode");
    X509_REQ_free(junk);
    ok(pxc_mockca_set1_rsp_cert(ca, fixed), "fixed mode");
    x = pxc_mockca_issue_csr(ca, bad, NOW, why, sizeof(why));
    fails_with(x == NULL, PKIXCMP_E_BAD_POP, "fixed mode: a CSR signed with another key");
    x = pxc_mockca_issue_csr(ca, good, NOW, why, sizeof(why));
    ok(x != NULL && X509_cmp(x, fixed) == 0, "fixed mode: a good CSR gets the fixed certificate");
    X509_free(x);
    X509_free(fixed);
    X509_REQ_free(good);
    X509_REQ_free(bad);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    pxc_mockca_free(ca);
}

int main(void)
{
    PXC_MOCKCA *ca;

    if (!ok(mt_pki_load(), "test PKI loaded"))
        return tap_done();
    test_config();
    ca = mt_interm_ca();
    test_issue_key(ca, "EC", 1);
    test_issue_key(ca, "RSA", 0);
    test_issue_key(ca, "ED25519", 0);
    pxc_mockca_free(ca);
    test_validity();
    test_template_rules();
    test_signing();
    test_csr();
    mt_pki_free();
    return tap_done();
}
