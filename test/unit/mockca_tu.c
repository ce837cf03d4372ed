/*
 * mockca_tu.c - helpers shared by the mock CA tests (see mockca_tu.h).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "mockca_tu.h"
#include "tap.h"
#include "testutil.h"

X509 *mt_root, *mt_interm;
EVP_PKEY *mt_interm_key;

X509 *mt_load_cert(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = BIO_new_file(path, "r");
    X509 *x = PEM_read_bio_X509(in, NULL, NULL, NULL);

    if (x == NULL)
        tap_diag("cannot load %s", name);
    BIO_free(in);
    free(path);
    return x;
}

EVP_PKEY *mt_load_key(const char *name)
{
    char *path = tu_data_path("test/certs", name);
    BIO *in = BIO_new_file(path, "r");
    EVP_PKEY *k = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);

    BIO_free(in);
    free(path);
    return k;
}

EVP_PKEY *mt_new_key(const char *type)
{
    if (strcmp(type, "EC") == 0)
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (strcmp(type, "RSA") == 0)
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    return EVP_PKEY_Q_keygen(NULL, NULL, type);
}

/* "O=pkixcmp test, CN=cn" */
X509_NAME *mt_name(const char *cn)
{
    X509_NAME *n = X509_NAME_new();

    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"pkixcmp test", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    return n;
}

/* Appends the extension nid = conf value (openssl config syntax). */
void mt_add_ext(STACK_OF(X509_EXTENSION) **exts, int nid, const char *value)
{
    X509V3_CTX v3;
    X509_EXTENSION *ext;

    X509V3_set_ctx(&v3, NULL, NULL, NULL, NULL, 0);
    X509V3_set_ctx_nodb(&v3);
    ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value);

    if (ext == NULL) {
        tap_diag("extension %s = %s", OBJ_nid2sn(nid), value);
        return;
    }
    if (*exts == NULL)
        *exts = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(*exts, ext);
}

/* Appends certificatePolicies with the one policy oid (the config syntax
 * needs a config database). */
void mt_add_policy(STACK_OF(X509_EXTENSION) **exts, const char *oid)
{
    CERTIFICATEPOLICIES *pols = sk_POLICYINFO_new_null();
    POLICYINFO *pi = POLICYINFO_new();

    ASN1_OBJECT_free(pi->policyid);
    pi->policyid = OBJ_txt2obj(oid, 1);
    sk_POLICYINFO_push(pols, pi);
    sk_X509_EXTENSION_push(*exts, X509V3_EXT_i2d(NID_certificate_policies, 0, pols));
    CERTIFICATEPOLICIES_free(pols);
}

/* A template with subject CN=cn (NULL: none), the public key of key (NULL:
 * none) and extensions exts (taken over; may be NULL). */
PKIXCMP_CertTemplate *mt_tmpl_new(const char *cn, EVP_PKEY *key,
                                  STACK_OF(X509_EXTENSION) *exts)
{
    PKIXCMP_CertTemplate *t = (PKIXCMP_CertTemplate *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertTemplate));

    if (cn != NULL)
        t->subject = mt_name(cn);
    if (key != NULL)
        X509_PUBKEY_set(&t->publicKey, key);
    t->extensions = exts;
    return t;
}

void mt_tmpl_free(PKIXCMP_CertTemplate *t)
{
    ASN1_item_free((ASN1_VALUE *)t, ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
}

/* Sets the template validity; 0 leaves a bound out. */
void mt_tmpl_validity(PKIXCMP_CertTemplate *t, time_t nb, time_t na)
{
    t->validity = (PKIXCMP_OptionalValidity *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_OptionalValidity));
    if (nb != 0)
        t->validity->notBefore = ASN1_TIME_set(NULL, nb);
    if (na != 0)
        t->validity->notAfter = ASN1_TIME_set(NULL, na);
}

/* The first DNS name of the certificate's SAN, or "" (static buffer). */
const char *mt_san_dns(const X509 *x)
{
    static char buf[128];
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    int i;

    buf[0] = '\0';
    for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
        GENERAL_NAME *gn = sk_GENERAL_NAME_value(gens, i);

        if (gn->type == GEN_DNS) {
            snprintf(buf, sizeof(buf), "%s", (const char *)ASN1_STRING_get0_data(gn->d.dNSName));
            break;
        }
    }
    GENERAL_NAMES_free(gens);
    return buf;
}

int mt_cn_is(const X509_NAME *n, const char *cn)
{
    X509_NAME *want = mt_name(cn);
    int ret = X509_NAME_cmp(n, want) == 0;

    X509_NAME_free(want);
    return ret;
}

/* Validates x with root as anchor and interm as untrusted at time t, as a
 * client receives it: through DER (certificates the mock CA issues know
 * their key by DER only, see spki.h). */
int mt_chain_ok(X509 *issued, time_t t)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *sctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509 *x = X509_dup(issued);
    int ret;

    X509_STORE_add_cert(store, mt_root);
    sk_X509_push(untrusted, mt_interm);
    X509_STORE_CTX_init(sctx, store, x, untrusted);
    X509_STORE_CTX_set_time(sctx, 0, t);
    ret = X509_verify_cert(sctx) == 1;
    if (!ret)
        tap_diag("chain: %s", X509_verify_cert_error_string(X509_STORE_CTX_get_error(sctx)));
    X509_STORE_CTX_free(sctx);
    X509_STORE_free(store);
    sk_X509_free(untrusted);
    X509_free(x);
    return ret;
}

X509 *mt_self_signed_ca(EVP_PKEY *key, const char *cn)
{
    X509 *x = X509_new();
    X509_NAME *n = mt_name(cn);
    X509V3_CTX v3;
    X509_EXTENSION *ext;
    int ed = EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448");

    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, n);
    X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &(time_t){MT_NOW - MT_DAY});
    X509_time_adj_ex(X509_getm_notAfter(x), 3650, 0, &(time_t){MT_NOW});
    X509_set_pubkey(x, key);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_key_identifier, "hash");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, key, ed ? NULL : EVP_sha256());
    X509_NAME_free(n);
    return x;
}

/* A mock CA with a fresh self-signed CA of key type type ("EC", "ED25519"). */
PXC_MOCKCA *mt_fresh_ca(const char *type)
{
    PXC_MOCKCA *ca = pxc_mockca_new(NULL, NULL);
    EVP_PKEY *key = mt_new_key(type);
    X509 *cert = mt_self_signed_ca(key, type);

    if (!pxc_mockca_set1_ca(ca, cert, key, NULL))
        tap_diag("fresh_ca %s", type);
    X509_free(cert);
    EVP_PKEY_free(key);
    return ca;
}

/* The mock CA of the test PKI: interm, with root as chain. */
PXC_MOCKCA *mt_interm_ca(void)
{
    PXC_MOCKCA *ca = pxc_mockca_new(NULL, NULL);
    STACK_OF(X509) *chain = sk_X509_new_null();

    sk_X509_push(chain, mt_root);
    if (!pxc_mockca_set1_ca(ca, mt_interm, mt_interm_key, chain))
        tap_diag("interm_ca");
    sk_X509_free(chain);
    return ca;
}

X509 *mt_issue_simple(PXC_MOCKCA *ca, const char *cn, const char *san)
{
    EVP_PKEY *key = mt_new_key("EC");
    STACK_OF(X509_EXTENSION) *exts = NULL;
    PKIXCMP_CertTemplate *t;
    X509 *x;
    char w[128];

    if (san != NULL)
        mt_add_ext(&exts, NID_subject_alt_name, san);
    t = mt_tmpl_new(cn, key, exts);
    x = pxc_mockca_issue(ca, t, NULL, NULL, MT_NOW, w, sizeof(w));
    mt_tmpl_free(t);
    EVP_PKEY_free(key);
    return x;
}


int mt_pki_load(void)
{
    mt_root = mt_load_cert("root.crt");
    mt_interm = mt_load_cert("interm.crt");
    mt_interm_key = mt_load_key("interm.key");
    return mt_root != NULL && mt_interm != NULL && mt_interm_key != NULL;
}

void mt_pki_free(void)
{
    X509_free(mt_root);
    X509_free(mt_interm);
    EVP_PKEY_free(mt_interm_key);
}
