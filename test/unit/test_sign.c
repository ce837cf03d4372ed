/*
 * test_sign.c - signature protection: every signature-protected fixture
 * made by `openssl cmp` verifies and names its signer, and fails once
 * tampered with; messages we sign with each key type (RSA, RSA-PSS, P-256,
 * P-384, Ed25519, Ed448) and digest verify after a trip through DER; each
 * way a signer can be refused gives its own error code.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "protect_local.h"
#include "tap.h"
#include "testutil.h"

/* ---- loading the test PKI and fixtures ---- */

static X509 *load_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = path != NULL ? BIO_new_file(path, "r") : NULL;
    X509 *cert = in != NULL ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;

    if (cert == NULL)
        tap_diag("cannot load certificate %s", name);
    BIO_free(in);
    free(path);
    return cert;
}

static EVP_PKEY *load_key(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = path != NULL ? BIO_new_file(path, "r") : NULL;
    EVP_PKEY *key = in != NULL ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;

    if (key == NULL)
        tap_diag("cannot load key %s", name);
    BIO_free(in);
    free(path);
    return key;
}

static PKIXCMP_MSG *load_msg(const char *name)
{
    char *path = tu_data_path("test/data", name);
    PKIXCMP_MSG *msg = path != NULL ? pkixcmp_msg_read_file(path, 0) : NULL;

    if (msg == NULL)
        tap_diag("cannot load message %s", name);
    free(path);
    return msg;
}

/* A verifying context: trust root.crt, untrusted interm.crt. */
static PKIXCMP_CTX *verify_ctx(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    X509_STORE *store = X509_STORE_new();
    X509 *root = load_cert("root.crt"), *interm = load_cert("interm.crt");
    STACK_OF(X509) *untrusted = sk_X509_new_null();

    if (ctx == NULL || store == NULL || root == NULL || interm == NULL || untrusted == NULL
        || !X509_STORE_add_cert(store, root) || !sk_X509_push(untrusted, interm)
        || !pkixcmp_ctx_set1_trusted(ctx, store) || !pkixcmp_ctx_set1_untrusted(ctx, untrusted)) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    sk_X509_pop_free(untrusted, X509_free);
    X509_free(root);
    X509_STORE_free(store);
    return ctx;
}

/* pxc_signer_find finds the certificate in file want (NULL: fails). */
static int finds(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, const char *want)
{
    X509 *found, *expected = want != NULL ? load_cert(want) : NULL;
    int ret;

    ERR_clear_error();
    found = pxc_signer_find(ctx, msg);
    ret = found != NULL && expected != NULL && X509_cmp(found, expected) == 0;
    if (!ret && want != NULL) {
        tap_diag("signer not found:");
        ERR_print_errors_fp(stdout);
    }
    X509_free(found);
    X509_free(expected);
    ERR_clear_error();
    return ret;
}

/* pxc_signer_find fails with code as the last error. */
static int fails_with(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, int code)
{
    X509 *found;
    int got;

    ERR_clear_error();
    found = pxc_signer_find(ctx, msg);
    got = pkixcmp_err_peek_last();
    if (getenv("TEST_VERBOSE") != NULL) {
        BIO *out = BIO_new_fp(stdout, BIO_NOCLOSE);

        pkixcmp_err_print(out);
        BIO_free(out);
    }
    if (found != NULL || got != code)
        tap_diag("got %s, want %s", found != NULL ? "a signer" : pkixcmp_err_name(got),
                 pkixcmp_err_name(code));
    X509_free(found);
    ERR_clear_error();
    return found == NULL && got == code;
}

/* ---- the fixtures of openssl cmp ---- */

/* Who signed a fixture: see test/data/README.md. */
static const char *fixture_signer(const char *file, int body)
{
    if (strncmp(file, "ir_sig_rsa", 10) == 0)
        return "client_rsa.crt";
    if (strncmp(file, "ir_sig_p384", 11) == 0)
        return "client_p384.crt";
    switch (body) {
    case PKIXCMP_BODY_IR: case PKIXCMP_BODY_CR: case PKIXCMP_BODY_KUR:
    case PKIXCMP_BODY_P10CR: case PKIXCMP_BODY_RR: case PKIXCMP_BODY_GENM:
    case PKIXCMP_BODY_CERTCONF: case PKIXCMP_BODY_POLLREQ:
        return "client_p256.crt";
    default:
        return "server.crt";
    }
}

static void test_fixture(const PKIXCMP_CTX *ctx, const char *file)
{
    PKIXCMP_MSG *msg = load_msg(file);
    const char *want;
    ASN1_OCTET_STRING *tid;

    if (!ok(msg != NULL && msg->header->transactionID != NULL, "%s loads", file))
        goto out;
    want = fixture_signer(file, pkixcmp_msg_get_body_type(msg));
    ok(finds(ctx, msg, want), "%s: signer %s found and trusted", file, want);
    tid = msg->header->transactionID;
    tid->data[0] ^= 0x01;
    ok(fails_with(ctx, msg, PKIXCMP_E_BAD_SIGNATURE),
       "%s with a transactionID bit flipped: PKIXCMP_E_BAD_SIGNATURE", file);
out:
    pkixcmp_msg_free(msg);
}

/* "*_sig.der" and "*_sig_*.der", not "*_signKeyPairTypes_mac.der". */
static int is_sig_fixture(const char *name)
{
    size_t n = strlen(name);

    return n > 4 && strcmp(name + n - 4, ".der") == 0
        && (strstr(name, "_sig.") != NULL || strstr(name, "_sig_") != NULL);
}

static void test_fixtures(void)
{
    PKIXCMP_CTX *ctx = verify_ctx();
    char *dir = tu_data_path("test", "data");
    DIR *d = dir != NULL ? opendir(dir) : NULL;
    struct dirent *e;
    int n = 0;

    if (!ok(ctx != NULL && d != NULL, "verifying context and test/data"))
        goto out;
    while ((e = readdir(d)) != NULL) {
        if (is_sig_fixture(e->d_name)) {
            test_fixture(ctx, e->d_name);
            n++;
        }
    }
    ok(n >= 24, "all %d signature-protected fixtures tried", n);
out:
    if (d != NULL)
        closedir(d);
    free(dir);
    pkixcmp_ctx_free(ctx);
}

/* ---- messages we sign ---- */

/* Replaces the header's sender by directoryName name. */
static int set_sender(PKIXCMP_PKIHeader *hdr, const X509_NAME *name)
{
    GENERAL_NAME *gn = GENERAL_NAME_new();
    X509_NAME *dup = X509_NAME_dup(name);

    if (gn == NULL || dup == NULL) {
        GENERAL_NAME_free(gn);
        X509_NAME_free(dup);
        return 0;
    }
    GENERAL_NAME_set0_value(gn, GEN_DIRNAME, dup);
    GENERAL_NAME_free(hdr->sender);
    hdr->sender = gn;
    return 1;
}

/*
 * ir_mac.der re-protected by signature with cert and key (files in
 * test/certs): sender = subject, senderKID = SKID (if with_kid),
 * extraCerts = the cert.
 */
static PKIXCMP_MSG *sign_msg_kid(const char *crt, const char *keyf, const char *digest,
                                 int with_kid)
{
    PKIXCMP_CTX *sctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *msg = load_msg("ir_mac.der");
    X509 *cert = load_cert(crt);
    EVP_PKEY *key = load_key(keyf);
    PKIXCMP_PKIHeader *hdr = msg != NULL ? msg->header : NULL;
    const ASN1_OCTET_STRING *skid = cert != NULL ? X509_get0_subject_key_id(cert) : NULL;
    PKIXCMP_ProtectedPart pp;
    int good = 0;

    if (sctx == NULL || hdr == NULL || cert == NULL || key == NULL
        || !pkixcmp_ctx_set1_cert(sctx, cert) || !pkixcmp_ctx_set1_pkey(sctx, key)
        || (digest != NULL && !pkixcmp_ctx_set1_digest(sctx, digest)))
        goto out;
    if (!set_sender(hdr, X509_get_subject_name(cert)))
        goto out;
    ASN1_OCTET_STRING_free(hdr->senderKID);
    hdr->senderKID = skid != NULL && with_kid ? ASN1_OCTET_STRING_dup(skid) : NULL;
    X509_ALGOR_free(hdr->protectionAlg);
    hdr->protectionAlg = X509_ALGOR_new();
    ASN1_BIT_STRING_free(msg->protection);
    msg->protection = ASN1_BIT_STRING_new();
    sk_X509_pop_free(msg->extraCerts, X509_free);
    msg->extraCerts = sk_X509_new_null();
    if (hdr->protectionAlg == NULL || msg->protection == NULL || msg->extraCerts == NULL
        || !X509_add_cert(msg->extraCerts, cert, X509_ADD_FLAG_UP_REF))
        goto out;
    pp.header = hdr;
    pp.body = msg->body;
    good = pxc_sig_sign(sctx, &pp, hdr->protectionAlg, msg->protection);
out:
    if (!good) {
        tap_diag("signing with %s failed:", keyf);
        ERR_print_errors_fp(stdout);
        pkixcmp_msg_free(msg);
        msg = NULL;
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    pkixcmp_ctx_free(sctx);
    return msg;
}

static PKIXCMP_MSG *sign_msg(const char *crt, const char *keyf, const char *digest)
{
    return sign_msg_kid(crt, keyf, digest, 1);
}

/* msg encoded to DER and decoded again: what a receiver sees. */
static PKIXCMP_MSG *wire_trip(const PKIXCMP_MSG *msg)
{
    unsigned char *der = NULL;
    int n = msg != NULL ? pkixcmp_msg_encode(msg, &der) : -1;
    PKIXCMP_MSG *back = n > 0 ? pkixcmp_msg_decode(der, (size_t)n, 0) : NULL;

    OPENSSL_free(der);
    return back;
}

/* The RSASSA-PSS parameters say digest md, MGF1 with md and salt saltlen. */
static int pss_params_are(const X509_ALGOR *alg, int md, long saltlen)
{
    const ASN1_TYPE *param = alg->parameter;
    RSA_PSS_PARAMS *pss = param != NULL && param->type == V_ASN1_SEQUENCE
        ? ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS), param) : NULL;
    X509_ALGOR *mgf1md = NULL;
    int ret = 0;

    if (pss == NULL || pss->hashAlgorithm == NULL || pss->maskGenAlgorithm == NULL
        || OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) != NID_mgf1
        || pss->maskGenAlgorithm->parameter == NULL || pss->saltLength == NULL)
        goto out;
    mgf1md = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR),
                                       pss->maskGenAlgorithm->parameter);
    ret = mgf1md != NULL && OBJ_obj2nid(pss->hashAlgorithm->algorithm) == md
        && OBJ_obj2nid(mgf1md->algorithm) == md
        && ASN1_INTEGER_get(pss->saltLength) == saltlen;
out:
    X509_ALGOR_free(mgf1md);
    RSA_PSS_PARAMS_free(pss);
    return ret;
}

struct key_case {
    const char *base;   /* client_<base>.crt/.key */
    const char *digest; /* NULL: the default SHA256 */
    int sig_nid;        /* protectionAlg expected */
};

static const struct key_case key_cases[] = {
    {"client_rsa", NULL, NID_sha256WithRSAEncryption},
    {"client_rsa", "SHA384", NID_sha384WithRSAEncryption},
    {"client_rsa", "SHA512", NID_sha512WithRSAEncryption},
    {"client_rsapss", NULL, NID_rsassaPss},
    {"client_rsapss", "SHA384", NID_rsassaPss},
    {"client_p256", NULL, NID_ecdsa_with_SHA256},
    {"client_p256", "SHA384", NID_ecdsa_with_SHA384},
    {"client_p384", NULL, NID_ecdsa_with_SHA256},
    {"client_p384", "SHA512", NID_ecdsa_with_SHA512},
    {"client_ed25519", NULL, NID_ED25519},
    {"client_ed25519", "SHA512", NID_ED25519}, /* the digest does not apply */
    {"client_ed448", NULL, NID_ED448},
};

static void test_key_case(const PKIXCMP_CTX *vctx, const struct key_case *kc)
{
    char crt[64], keyf[64], what[96];
    PKIXCMP_MSG *msg, *back = NULL;
    const X509_ALGOR *alg;

    snprintf(crt, sizeof(crt), "%s.crt", kc->base);
    snprintf(keyf, sizeof(keyf), "%s.key", kc->base);
    snprintf(what, sizeof(what), "%s with %s", kc->base, kc->digest != NULL ? kc->digest : "SHA256");
    msg = sign_msg(crt, keyf, kc->digest);
    if (!ok(msg != NULL, "%s: pxc_sig_sign signs", what))
        return;
    alg = msg->header->protectionAlg;
    is_int(OBJ_obj2nid(alg->algorithm), kc->sig_nid, "protectionAlg as expected");
    if (kc->sig_nid == NID_rsassaPss) {
        int md = kc->digest != NULL ? NID_sha384 : NID_sha256;

        ok(pss_params_are(alg, md, md == NID_sha384 ? 48 : 32),
           "%s: PSS parameters: same digest for MGF1, salt = digest length", what);
    } else if (kc->sig_nid == NID_ED25519 || kc->sig_nid == NID_ED448) {
        ok(alg->parameter == NULL, "%s: EdDSA has no parameters", what);
    }
    ok(finds(vctx, msg, crt), "%s: signer found and trusted", what);
    back = wire_trip(msg);
    ok(back != NULL && finds(vctx, back, crt), "%s: and after a trip through DER", what);
    msg->protection->data[msg->protection->length / 2] ^= 0x10;
    ok(fails_with(vctx, msg, PKIXCMP_E_BAD_SIGNATURE), "%s: a changed signature fails", what);
    pkixcmp_msg_free(back);
    pkixcmp_msg_free(msg);
}

static void test_key_types(void)
{
    PKIXCMP_CTX *vctx = verify_ctx();
    size_t i;

    if (!ok(vctx != NULL, "verifying context"))
        return;
    for (i = 0; i < PXC_NELEM(key_cases); i++)
        test_key_case(vctx, &key_cases[i]);
    pkixcmp_ctx_free(vctx);
}

/* ---- signing errors ---- */

static void test_sign_errors(void)
{
    PKIXCMP_CTX *sctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *msg = load_msg("genm_mac.der");
    X509 *cert = load_cert("client_p256.crt");
    EVP_PKEY *other = load_key("client_p384.key");
    PKIXCMP_ProtectedPart pp;

    if (!ok(sctx != NULL && msg != NULL && cert != NULL && other != NULL, "signing setup"))
        goto out;
    pp.header = msg->header;
    pp.body = msg->body;
    ERR_clear_error();
    ok(!pxc_sig_sign(sctx, &pp, msg->header->protectionAlg, msg->protection)
       && pkixcmp_err_peek_last() == PKIXCMP_E_NO_CREDENTIALS,
       "no key and certificate: PKIXCMP_E_NO_CREDENTIALS");
    ERR_clear_error();
    ok(pkixcmp_ctx_set1_cert(sctx, cert) && pkixcmp_ctx_set1_pkey(sctx, other)
       && !pxc_sig_sign(sctx, &pp, msg->header->protectionAlg, msg->protection)
       && pkixcmp_err_peek_last() == PKIXCMP_E_NO_CREDENTIALS,
       "a key that is not the certificate's: PKIXCMP_E_NO_CREDENTIALS");
    ERR_clear_error();
    ok(pkixcmp_ctx_set1_pkey(sctx, X509_get0_pubkey(cert)) && pkixcmp_ctx_set1_digest(sctx, "NO-SUCH-MD")
       && !pxc_sig_sign(sctx, &pp, msg->header->protectionAlg, msg->protection)
       && pkixcmp_err_peek_last() == PKIXCMP_E_SIGN_FAILED,
       "an unknown digest: PKIXCMP_E_SIGN_FAILED");
    ERR_clear_error();
out:
    X509_free(cert);
    EVP_PKEY_free(other);
    pkixcmp_msg_free(msg);
    pkixcmp_ctx_free(sctx);
}

/* ---- refused signers ---- */

static time_t fixed_clock(void *arg)
{
    return *(const time_t *)arg;
}

/* Each bad certificate of the test PKI is refused with its own code. */
static void test_bad_certs(const PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *msg;

    msg = sign_msg("bad_untrusted.crt", "bad_untrusted.key", NULL);
    ok(msg != NULL && fails_with(vctx, msg, PKIXCMP_E_UNTRUSTED_SIGNER),
       "signer from another root: PKIXCMP_E_UNTRUSTED_SIGNER");
    pkixcmp_msg_free(msg);
    msg = sign_msg("bad_expired.crt", "bad_expired.key", NULL);
    ok(msg != NULL && fails_with(vctx, msg, PKIXCMP_E_SIGNER_EXPIRED),
       "expired signer: PKIXCMP_E_SIGNER_EXPIRED");
    pkixcmp_msg_free(msg);
    msg = sign_msg("bad_notyetvalid.crt", "bad_notyetvalid.key", NULL);
    ok(msg != NULL && fails_with(vctx, msg, PKIXCMP_E_SIGNER_EXPIRED),
       "not yet valid signer: PKIXCMP_E_SIGNER_EXPIRED");
    pkixcmp_msg_free(msg);
    msg = sign_msg("bad_noskid.crt", "bad_noskid.key", NULL);
    ok(msg != NULL && msg->header->senderKID == NULL && finds(vctx, msg, "bad_noskid.crt"),
       "signer without SKID, message without senderKID: found");
    if (msg != NULL) {
        msg->header->senderKID = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(msg->header->senderKID, (const unsigned char *)"\x01\x02", 2);
        ok(fails_with(vctx, msg, PKIXCMP_E_NO_SIGNER),
           "signer without SKID, message with senderKID: PKIXCMP_E_NO_SIGNER");
    }
    pkixcmp_msg_free(msg);
}

static void test_key_usage(PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *msg = sign_msg("bad_nodigsig.crt", "bad_nodigsig.key", NULL);

    ok(msg != NULL && fails_with(vctx, msg, PKIXCMP_E_SIGNER_KEY_USAGE),
       "signer without digitalSignature: PKIXCMP_E_SIGNER_KEY_USAGE");
    ok(pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_IGNORE_KEYUSAGE, 1)
       && msg != NULL && finds(vctx, msg, "bad_nodigsig.crt"),
       "and accepted with ignore_keyusage");
    (void)pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_IGNORE_KEYUSAGE, 0);
    pkixcmp_msg_free(msg);
}

static void test_eku(PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *req = load_msg("ir_sig.der"), *rsp = load_msg("ip_sig.der");

    ok(pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_REQUIRE_CMP_EKU, 1), "require CMP EKU");
    ok(req != NULL && fails_with(vctx, req, PKIXCMP_E_SIGNER_EKU),
       "client signer without cmcCA/cmcRA: PKIXCMP_E_SIGNER_EKU");
    ok(rsp != NULL && finds(vctx, rsp, "server.crt"), "server signer with cmcRA: found");
    (void)pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_REQUIRE_CMP_EKU, 0);
    pkixcmp_msg_free(req);
    pkixcmp_msg_free(rsp);
}

static void test_candidates(const PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *msg = load_msg("ip_sig.der");
    X509_ALGOR *alg;

    if (!ok(msg != NULL, "ip_sig.der loads"))
        return;
    msg->header->senderKID->data[0] ^= 0xff;
    ok(fails_with(vctx, msg, PKIXCMP_E_NO_SIGNER), "wrong senderKID: PKIXCMP_E_NO_SIGNER");
    msg->header->senderKID->data[0] ^= 0xff;
    alg = msg->header->protectionAlg;
    ok(X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_UNDEF, NULL)
       && fails_with(vctx, msg, PKIXCMP_E_UNKNOWN_ALGORITHM),
       "protectionAlg sha256 (no signature algorithm): PKIXCMP_E_UNKNOWN_ALGORITHM");
    ok(X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256WithRSAEncryption), V_ASN1_NULL, NULL)
       && fails_with(vctx, msg, PKIXCMP_E_BAD_SIGNATURE),
       "RSA algorithm with an EC signer: PKIXCMP_E_BAD_SIGNATURE");
    pkixcmp_msg_free(msg);
}

/* A self-signed look-alike of cert: same subject, no SKID, key of keyf. */
static X509 *look_alike(const X509 *cert, const char *keyf)
{
    EVP_PKEY *key = load_key(keyf);
    X509 *fake = X509_new();
    int good = key != NULL && fake != NULL && X509_set_version(fake, 2)
        && ASN1_INTEGER_set(X509_get_serialNumber(fake), 4711)
        && X509_set_subject_name(fake, X509_get_subject_name(cert))
        && X509_set_issuer_name(fake, X509_get_subject_name(cert))
        && X509_gmtime_adj(X509_getm_notBefore(fake), -3600) != NULL
        && X509_gmtime_adj(X509_getm_notAfter(fake), 3600) != NULL
        && X509_set_pubkey(fake, key) && X509_sign(fake, key, EVP_sha256()) > 0;

    if (!good) {
        X509_free(fake);
        fake = NULL;
    }
    EVP_PKEY_free(key);
    return fake;
}

/* pxc_signer_find finds the certificate want and leaves no error behind. */
static int finds_cleanly(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, const X509 *want)
{
    X509 *found;
    int ret;

    ERR_clear_error();
    found = pxc_signer_find(ctx, msg);
    ret = found != NULL && X509_cmp(found, want) == 0 && ERR_peek_error() == 0;
    X509_free(found);
    ERR_clear_error();
    return ret;
}

/*
 * Two candidates of the same subject (no senderKID): the one that signed
 * wins wherever it is, the other's errors cleared; if none passes, the
 * error is the one of the candidate that got furthest.
 */
static void test_two_candidates(PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *msg = sign_msg_kid("client_p256.crt", "client_p256.key", NULL, 0);
    X509 *real = msg != NULL ? sk_X509_value(msg->extraCerts, 0) : NULL;
    X509 *fake = real != NULL ? look_alike(real, "client_p384.key") : NULL;

    if (!ok(fake != NULL && sk_X509_insert(msg->extraCerts, fake, 0) == 2,
            "extraCerts: a look-alike of the signer, then the signer"))
        goto out;
    ok(finds_cleanly(vctx, msg, real), "the signer is found after the look-alike, no errors left");
    (void)sk_X509_delete(msg->extraCerts, 0);
    ok(sk_X509_push(msg->extraCerts, fake) && finds_cleanly(vctx, msg, real),
       "and before it");
    (void)pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_REQUIRE_CMP_EKU, 1);
    ok(fails_with(vctx, msg, PKIXCMP_E_SIGNER_EKU),
       "EKU required, signer first: its error, not the look-alike's");
    (void)sk_X509_delete(msg->extraCerts, 1);
    ok(sk_X509_insert(msg->extraCerts, fake, 0) && fails_with(vctx, msg, PKIXCMP_E_SIGNER_EKU),
       "EKU required, signer last: its error, not the look-alike's");
    (void)pkixcmp_ctx_set_option(vctx, PKIXCMP_OPT_REQUIRE_CMP_EKU, 0);
    fake = NULL; /* owned by msg */
out:
    X509_free(fake);
    pkixcmp_msg_free(msg);
}

static void test_trust_config(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *rsp = load_msg("ip_sig.der");
    X509 *server = load_cert("server.crt"), *client = load_cert("client_p256.crt");

    if (!ok(ctx != NULL && rsp != NULL && server != NULL && client != NULL, "trust setup"))
        goto out;
    ok(fails_with(ctx, rsp, PKIXCMP_E_UNTRUSTED_SIGNER),
       "no trust store and no pinned cert: PKIXCMP_E_UNTRUSTED_SIGNER");
    ok(pkixcmp_ctx_set1_srvcert(ctx, server) && finds(ctx, rsp, "server.crt"),
       "pinned srvcert used without a trust store");
    ok(pkixcmp_ctx_set1_srvcert(ctx, client) && fails_with(ctx, rsp, PKIXCMP_E_BAD_SIGNATURE),
       "a pinned certificate that did not sign: PKIXCMP_E_BAD_SIGNATURE");
out:
    X509_free(server);
    X509_free(client);
    pkixcmp_msg_free(rsp);
    pkixcmp_ctx_free(ctx);
}

static void test_clock(PKIXCMP_CTX *vctx)
{
    PKIXCMP_MSG *msg = load_msg("ir_sig.der");
    time_t t2100 = (time_t)4102444800; /* 2100-01-01, after the test PKI expires */

    ok(msg != NULL && finds(vctx, msg, "client_p256.crt"), "ir_sig.der verifies now");
    ok(pkixcmp_ctx_set_clock(vctx, fixed_clock, &t2100)
       && fails_with(vctx, msg, PKIXCMP_E_SIGNER_EXPIRED),
       "with the clock at 2100: PKIXCMP_E_SIGNER_EXPIRED");
    (void)pkixcmp_ctx_set_clock(vctx, NULL, NULL);
    pkixcmp_msg_free(msg);
}

static void test_refusals(void)
{
    PKIXCMP_CTX *vctx = verify_ctx();

    if (!ok(vctx != NULL, "verifying context"))
        return;
    test_bad_certs(vctx);
    test_key_usage(vctx);
    test_eku(vctx);
    test_candidates(vctx);
    test_two_candidates(vctx);
    test_clock(vctx);
    pkixcmp_ctx_free(vctx);
    test_trust_config();
}

int main(void)
{
    test_fixtures();
    test_key_types();
    test_sign_errors();
    test_refusals();
    return tap_done();
}
