/*
 * test_certconf.c - certHash of certConf (RFC 9810 section 5.3.18): the
 * hash choice by certificate signature algorithm (RFC 9481 sections 2 and
 * 3), CertStatus building and checking, on openssl cmp's fixtures, the v3
 * hashAlg fixture and certificates signed inside the test with EdDSA,
 * RSASSA-PSS and ECDSA keys.
 */
#include <stdlib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include "certconf.h"
#include "tap.h"
#include "testutil.h"

static PKIXCMP_MSG *load(const char *dir, const char *file)
{
    char *path = tu_data_path(dir, file);
    PKIXCMP_MSG *msg = pkixcmp_msg_read_file(path, 0);

    if (msg == NULL)
        tap_diag("cannot load %s", file);
    free(path);
    return msg;
}

/* The first CertStatus of a certConf message (borrowed from msg). */
static PKIXCMP_CertStatus *first_status(const PKIXCMP_MSG *msg)
{
    if (msg == NULL || msg->body == NULL || msg->body->type != PKIXCMP_BODY_CERTCONF
        || sk_PKIXCMP_CertStatus_num(msg->body->value.certConf) < 1)
        return NULL;
    return sk_PKIXCMP_CertStatus_value(msg->body->value.certConf, 0);
}

/* Runs a check that must fail with code; clears the queue. */
static void check_fails(int got, int code, const char *what)
{
    ok(!got, "%s is refused", what);
    is_int(pkixcmp_err_peek_last(), code, pkixcmp_err_name(code));
    ERR_clear_error();
}

/* A self-signed certificate of pk, signed with md (NULL for EdDSA) and
 * with RSASSA-PSS padding when pss is set. */
static X509 *self_signed(EVP_PKEY *pk, const char *md, int pss)
{
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok_ = x != NULL && name != NULL && mctx != NULL;

    ok_ = ok_ && X509_set_version(x, X509_VERSION_3)
          && ASN1_INTEGER_set(X509_get_serialNumber(x), 4711)
          && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        (const unsigned char *)"certconf test", -1, -1, 0)
          && X509_set_subject_name(x, name) && X509_set_issuer_name(x, name)
          && X509_gmtime_adj(X509_getm_notBefore(x), 0)
          && X509_gmtime_adj(X509_getm_notAfter(x), 3600) && X509_set_pubkey(x, pk)
          && EVP_DigestSignInit_ex(mctx, &pctx, md, NULL, NULL, pk, NULL) > 0;
    if (ok_ && pss)
        ok_ = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
              && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
    ok_ = ok_ && X509_sign_ctx(x, mctx) > 0;
    if (!ok_) {
        ERR_print_errors_fp(stdout);
        X509_free(x);
        x = NULL;
    }
    EVP_MD_CTX_free(mctx);
    X509_NAME_free(name);
    return x;
}

static void free_status(PKIXCMP_CertStatus *cs)
{
    ASN1_item_free((ASN1_VALUE *)cs, ASN1_ITEM_rptr(PKIXCMP_CertStatus));
}

/* certConf_mac.der / certConf_sig.der confirm client_p256.crt, certReqId 0. */
static void test_openssl_fixture(PKIXCMP_CTX *ctx, const char *file)
{
    PKIXCMP_MSG *msg = load("test/data", file);
    PKIXCMP_CertStatus *cs = first_status(msg);
    X509 *p256 = tu_cert("client_p256.crt"), *other = tu_cert("client_rsa.crt");

    ok(cs != NULL && p256 != NULL && other != NULL, "%s: loaded", file);
    if (cs == NULL || p256 == NULL || other == NULL)
        goto out;
    ok(cs->hashAlg == NULL, "%s: no hashAlg (sha256WithRSA-signed cert)", file);
    ok(pxc_certstatus_check(ctx, cs, p256, 0), "%s: confirms client_p256.crt", file);
    ERR_print_errors_fp(stdout);
    check_fails(pxc_certstatus_check(ctx, cs, other, 0), PKIXCMP_E_WRONG_CERTHASH,
                "another certificate");
    check_fails(pxc_certstatus_check(ctx, cs, p256, 1), PKIXCMP_E_WRONG_CERTREQID,
                "certReqId 1");
out:
    X509_free(p256);
    X509_free(other);
    pkixcmp_msg_free(msg);
}

/* openssl cmp's certConf for each key type of the test PKI. */
static void test_popo_fixture(PKIXCMP_CTX *ctx, const char *file, const char *crt)
{
    PKIXCMP_MSG *msg = load("test/data", file);
    PKIXCMP_CertStatus *cs = first_status(msg);
    X509 *x = tu_cert(crt);

    ok(cs != NULL && x != NULL && pxc_certstatus_check(ctx, cs, x, 0), "%s confirms %s", file,
       crt);
    ERR_print_errors_fp(stdout);
    X509_free(x);
    pkixcmp_msg_free(msg);
}

/*
 * certConf_v3_hashalg.der: SHA-256 of client_rsa.crt with hashAlg sha256
 * (where the SHOULD NOT applies, but it is still honoured) and a rejection.
 */
static void test_v3_hashalg(PKIXCMP_CTX *ctx)
{
    PKIXCMP_MSG *msg = load("test/data/v3", "certConf_v3_hashalg.der");
    PKIXCMP_CertStatus *cs = first_status(msg);
    X509 *rsa = tu_cert("client_rsa.crt"), *p256 = tu_cert("client_p256.crt");

    ok(cs != NULL && cs->hashAlg != NULL && cs->statusInfo != NULL,
       "v3 hashalg: hashAlg and statusInfo present");
    if (cs == NULL)
        goto out;
    is_int(OBJ_obj2nid(cs->hashAlg->algorithm), NID_sha256, "v3 hashalg: hashAlg sha256");
    ok(pxc_certstatus_check(ctx, cs, rsa, 0), "v3 hashalg: confirms client_rsa.crt");
    ERR_print_errors_fp(stdout);
    check_fails(pxc_certstatus_check(ctx, cs, p256, 0), PKIXCMP_E_WRONG_CERTHASH,
                "v3 hashalg: client_p256.crt");
    check_fails(pxc_certstatus_check(ctx, cs, rsa, -1), PKIXCMP_E_WRONG_CERTREQID,
                "v3 hashalg: certReqId -1");
out:
    X509_free(rsa);
    X509_free(p256);
    pkixcmp_msg_free(msg);
}

/* pxc_certhash with SHA-256 equals X509_digest of the DER. */
static void test_certhash_value(PKIXCMP_CTX *ctx)
{
    X509 *x = tu_cert("client_p256.crt");
    EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
    unsigned char got[EVP_MAX_MD_SIZE], want[EVP_MAX_MD_SIZE];
    unsigned int want_len = 0;
    size_t got_len = 0;

    ok(x != NULL && md != NULL && pxc_certhash(ctx, x, md, got, &got_len)
           && X509_digest(x, md, want, &want_len) && got_len == want_len
           && memcmp(got, want, got_len) == 0,
       "certHash SHA-256 is the digest of the whole certificate");
    EVP_MD_free(md);
    /* an XOF without a certHash length rule */
    md = EVP_MD_fetch(NULL, "SHAKE128", NULL);
    check_fails(md == NULL || pxc_certhash(ctx, x, md, got, &got_len),
                PKIXCMP_E_UNKNOWN_ALGORITHM, "certHash with SHAKE128");
    EVP_MD_free(md);
    X509_free(x);
}

/* One signing case: which digest, hashAlg needed, certHash length. */
typedef struct {
    const char *what;
    const char *keyfile;
    const char *sign_md; /* NULL for EdDSA */
    int pss;
    const char *want_md;
    int want_hashalg;
    size_t want_len;
} SIGN_CASE;

static const SIGN_CASE sign_cases[] = {
    { "RSA sha256WithRSA", "client_rsa.key", "SHA256", 0, "SHA256", 0, 32 },
    { "RSA sha512WithRSA", "client_rsa.key", "SHA512", 0, "SHA512", 0, 64 },
    { "ECDSA P-256 with SHA-256", "client_p256.key", "SHA256", 0, "SHA256", 0, 32 },
    { "ECDSA P-384 with SHA-384", "client_p384.key", "SHA384", 0, "SHA384", 0, 48 },
    { "Ed25519", "client_ed25519.key", NULL, 0, "SHA512", 1, 64 },
    { "Ed448", "client_ed448.key", NULL, 0, "SHAKE256", 1, 64 },
    { "RSA-PSS key, SHA-256", "client_rsapss.key", "SHA256", 1, "SHA256", 0, 32 },
    { "RSASSA-PSS with SHA-384", "client_rsa.key", "SHA384", 1, "SHA384", 0, 48 },
    /* RFC 4055: hashAlgorithm DEFAULT sha1Identifier, so absent here */
    { "RSASSA-PSS with SHA-1", "client_rsa.key", "SHA1", 1, "SHA1", 0, 20 },
};

/* The hash choice for a certificate signed as c says. */
static void test_md_choice(PKIXCMP_CTX *ctx, const SIGN_CASE *c, const X509 *x)
{
    int needs = -1;
    EVP_MD *md = pxc_certhash_md(ctx, x, &needs);

    ok(md != NULL && EVP_MD_is_a(md, c->want_md), "%s: certHash digest %s (got %s)", c->what,
       c->want_md, md != NULL ? EVP_MD_get0_name(md) : "none");
    is_int(needs, c->want_hashalg, "needs_hashalg");
    EVP_MD_free(md);
}

/* pxc_certstatus_new -> pxc_certstatus_check for a certificate of c. */
static void test_round_trip(PKIXCMP_CTX *ctx, const SIGN_CASE *c, const X509 *x)
{
    PKIXCMP_CertStatus *cs = pxc_certstatus_new(ctx, x, 7, NULL);

    ok(cs != NULL && cs->statusInfo == NULL, "%s: CertStatus built", c->what);
    if (cs == NULL)
        return;
    is_int(ASN1_STRING_length(cs->certHash), (long)c->want_len, "certHash length");
    ok((cs->hashAlg != NULL) == c->want_hashalg, "hashAlg present only where needed");
    if (cs->hashAlg != NULL) {
        const void *pval = NULL;
        int ptype = 0;

        X509_ALGOR_get0(NULL, &ptype, &pval, cs->hashAlg);
        ok(EVP_MD_is_a(EVP_get_digestbyobj(cs->hashAlg->algorithm), c->want_md)
               && ptype == V_ASN1_UNDEF,
           "hashAlg %s, parameters absent", c->want_md);
    }
    ok(pxc_certstatus_check(ctx, cs, x, 7), "%s: round trip checks", c->what);
    ERR_print_errors_fp(stdout);
    check_fails(pxc_certstatus_check(ctx, cs, x, 8), PKIXCMP_E_WRONG_CERTREQID, "certReqId 8");
    cs->certHash->data[cs->certHash->length - 1] ^= 1;
    check_fails(pxc_certstatus_check(ctx, cs, x, 7), PKIXCMP_E_WRONG_CERTHASH,
                "a changed certHash");
    free_status(cs);
}

static void test_sign_cases(PKIXCMP_CTX *ctx)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(sign_cases); i++) {
        const SIGN_CASE *c = &sign_cases[i];
        EVP_PKEY *pk = tu_key(c->keyfile);
        X509 *x = pk != NULL ? self_signed(pk, c->sign_md, c->pss) : NULL;

        if (!ok(x != NULL, "%s: certificate made", c->what))
            goto next;
        test_md_choice(ctx, c, x);
        test_round_trip(ctx, c, x);
    next:
        X509_free(x);
        EVP_PKEY_free(pk);
    }
}

/* A CertStatus for an Ed25519- or Ed448-signed certificate x. */
static PKIXCMP_CertStatus *eddsa_status(PKIXCMP_CTX *ctx, const char *keyfile, X509 **x)
{
    EVP_PKEY *pk = tu_key(keyfile);

    *x = pk != NULL ? self_signed(pk, NULL, 0) : NULL;
    EVP_PKEY_free(pk);
    return *x != NULL ? pxc_certstatus_new(ctx, *x, 0, NULL) : NULL;
}

/* hashAlg contents: parameters, unknown digests, absent for EdDSA. */
static void test_hashalg_variants(PKIXCMP_CTX *ctx)
{
    X509 *ed448 = NULL, *ed25519 = NULL;
    PKIXCMP_CertStatus *cs448 = eddsa_status(ctx, "client_ed448.key", &ed448);
    PKIXCMP_CertStatus *cs25519 = eddsa_status(ctx, "client_ed25519.key", &ed25519);

    if (!ok(cs448 != NULL && cs25519 != NULL, "EdDSA CertStatus built"))
        goto out;
    /* RFC 8702: SHAKE256's parameters "MUST be absent" */
    X509_ALGOR_set0(cs448->hashAlg, OBJ_nid2obj(NID_shake256), V_ASN1_NULL, NULL);
    check_fails(pxc_certstatus_check(ctx, cs448, ed448, 0), PKIXCMP_E_UNKNOWN_ALGORITHM,
                "shake256 with NULL parameters");
    /* RFC 5754: SHA-2 with NULL parameters MUST be accepted */
    X509_ALGOR_set0(cs25519->hashAlg, OBJ_nid2obj(NID_sha512), V_ASN1_NULL, NULL);
    ok(pxc_certstatus_check(ctx, cs25519, ed25519, 0), "sha512 with NULL parameters accepted");
    X509_ALGOR_set0(cs25519->hashAlg, OBJ_nid2obj(NID_md5), V_ASN1_UNDEF, NULL);
    check_fails(pxc_certstatus_check(ctx, cs25519, ed25519, 0), PKIXCMP_E_UNKNOWN_ALGORITHM,
                "hashAlg md5");
    X509_ALGOR_set0(cs25519->hashAlg, OBJ_nid2obj(NID_sha256), V_ASN1_UNDEF, NULL);
    check_fails(pxc_certstatus_check(ctx, cs25519, ed25519, 0), PKIXCMP_E_WRONG_CERTHASH,
                "hashAlg sha256 for a SHA-512 certHash");
    /* without hashAlg the rule of RFC 9481 section 3.3 still gives SHA-512 */
    X509_ALGOR_free(cs25519->hashAlg);
    cs25519->hashAlg = NULL;
    ok(pxc_certstatus_check(ctx, cs25519, ed25519, 0), "Ed25519 without hashAlg: SHA-512");
    ERR_print_errors_fp(stdout);
out:
    free_status(cs448);
    free_status(cs25519);
    X509_free(ed448);
    X509_free(ed25519);
}

/* An Ed25519-signed certificate relabelled as X25519-signed: no rule. */
static void test_unknown_sigalg(PKIXCMP_CTX *ctx)
{
    static const unsigned char ed25519_oid[] = { 0x06, 0x03, 0x2B, 0x65, 0x70 };
    EVP_PKEY *pk = tu_key("client_ed25519.key");
    X509 *x = pk != NULL ? self_signed(pk, NULL, 0) : NULL, *y = NULL;
    unsigned char *der = NULL;
    const unsigned char *p;
    int len = x != NULL ? i2d_X509(x, &der) : 0, i, needs = 0;

    for (i = 0; i + (int)sizeof(ed25519_oid) <= len; i++)
        if (memcmp(der + i, ed25519_oid, sizeof(ed25519_oid)) == 0)
            der[i + 4] = 0x6E; /* 1.3.101.110, X25519 */
    p = der;
    y = len > 0 ? d2i_X509(NULL, &p, len) : NULL;
    if (ok(y != NULL, "X25519-labelled certificate decodes")) {
        check_fails(pxc_certhash_md(ctx, y, &needs) != NULL, PKIXCMP_E_UNKNOWN_ALGORITHM,
                    "certHash digest for an X25519 signature");
        check_fails(pxc_certstatus_new(ctx, y, 0, NULL) != NULL, PKIXCMP_E_UNKNOWN_ALGORITHM,
                    "CertStatus for an X25519 signature");
    }
    OPENSSL_free(der);
    X509_free(x);
    X509_free(y);
    EVP_PKEY_free(pk);
}

/* Rejection: RFC 9810 5.3.18, statusInfo with rejection and failInfo. */
static void test_rejection(PKIXCMP_CTX *ctx)
{
    PKIXCMP_PKIStatusInfo *si = (PKIXCMP_PKIStatusInfo *)ASN1_item_new(
        ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    X509 *x = tu_cert("client_p256.crt");
    PKIXCMP_CertStatus *cs = NULL;

    ok(si != NULL && ASN1_INTEGER_set(si->status, 2) /* rejection */
           && (si->failInfo = ASN1_BIT_STRING_new()) != NULL
           && ASN1_BIT_STRING_set_bit(si->failInfo, 19 /* badCertTemplate */, 1),
       "rejection status made");
    cs = x != NULL ? pxc_certstatus_new(ctx, x, 0, si) : NULL;
    ok(cs != NULL && cs->statusInfo != NULL && cs->statusInfo != si
           && ASN1_INTEGER_get(cs->statusInfo->status) == 2
           && ASN1_BIT_STRING_get_bit(cs->statusInfo->failInfo, 19)
           && !ASN1_BIT_STRING_get_bit(cs->statusInfo->failInfo, 9),
       "rejecting CertStatus keeps a copy of the status");
    ok(cs != NULL && cs->hashAlg == NULL && pxc_certstatus_check(ctx, cs, x, 0),
       "rejecting CertStatus still names the certificate");
    free_status(cs);
    ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    X509_free(x);
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    test_openssl_fixture(ctx, "certConf_mac.der");
    test_openssl_fixture(ctx, "certConf_sig.der");
    test_popo_fixture(ctx, "certConf_popo_rsa_mac.der", "client_rsa.crt");
    test_popo_fixture(ctx, "certConf_popo_rsapss_mac.der", "client_rsapss.crt");
    test_popo_fixture(ctx, "certConf_popo_p384_mac.der", "client_p384.crt");
    test_popo_fixture(ctx, "certConf_popo_ed25519_mac.der", "client_ed25519.crt");
    test_popo_fixture(ctx, "certConf_popo_ed448_mac.der", "client_ed448.crt");
    test_v3_hashalg(ctx);
    test_certhash_value(ctx);
    test_sign_cases(ctx);
    test_hashalg_variants(ctx);
    test_unknown_sigalg(ctx);
    test_rejection(ctx);
    pkixcmp_ctx_free(ctx);
    return tap_done();
}
