/*
 * test_spki.c - SubjectPublicKeyInfo without OpenSSL's key decoders
 * (spki.c): PXC_PUBKEY parses without decoding the key and re-encodes byte
 * for byte; pxc_spki_get1_pkey() builds each key type from its fields or
 * through the decoders and refuses broken keys; pxc_spki_dup() keeps whole
 * octets where OpenSSL 3.0's X509_PUBKEY_dup() does not; pxc_spki_eq(); the
 * certificate helpers; and the client's ir carries its key with 0 unused
 * bits.
 */
#include <stdlib.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "client_local.h"
#include "spki.h"
#include "tap.h"
#include "testutil.h"

#define SPKI_IT ASN1_ITEM_rptr(PXC_PUBKEY)
#define UNKNOWN_OID "1.3.6.1.4.1.99999.1"

/* client_p256.key (the last octet of its key is even: 0x1c) and its DER;
 * server.key, another P-256 key */
static EVP_PKEY *p256, *other;
static unsigned char *p256_der;
static int p256_len;

/* ---------------------------------------------------------------- helpers */

/* A key from test/certs, or a new one of type gen (no further arguments). */
static EVP_PKEY *key_of(const char *file, const char *gen)
{
    EVP_PKEY *k = file != NULL ? tu_key(file) : EVP_PKEY_Q_keygen(NULL, NULL, gen);

    if (k == NULL)
        tap_diag("no %s key", file != NULL ? file : gen);
    return k;
}

/* DER parsed as PXC_PUBKEY, all len bytes of it; NULL if refused. */
static X509_PUBKEY *parse(const unsigned char *der, long len)
{
    const unsigned char *p = der;
    X509_PUBKEY *pub = (X509_PUBKEY *)ASN1_item_d2i(NULL, &p, len, SPKI_IT);

    if (pub != NULL && p != der + len) {
        X509_PUBKEY_free(pub);
        pub = NULL;
    }
    return pub;
}

/* 1 if pub encodes (as PXC_PUBKEY) to exactly want (n bytes). */
static int der_is(const X509_PUBKEY *pub, const unsigned char *want, int n)
{
    unsigned char *der = NULL;
    int len = ASN1_item_i2d((const ASN1_VALUE *)pub, &der, SPKI_IT);
    int ret = len == n && memcmp(der, want, (size_t)n) == 0;

    OPENSSL_free(der);
    return ret;
}

/* 1 if pub has no decoded key (X509_PUBKEY_get0() is NULL). */
static int undecoded(const X509_PUBKEY *pub)
{
    int ret;

    ERR_set_mark();
    ret = pub != NULL && X509_PUBKEY_get0(pub) == NULL;
    ERR_pop_to_mark();
    return ret;
}

/* As a peer would send it: algorithm alg (name or dotted OID) with
 * parameter ptype (the OID curve for V_ASN1_OBJECT) and a copy of the key
 * bits, parsed with PXC_PUBKEY. */
static X509_PUBKEY *make(const char *alg, int ptype, const char *curve, const unsigned char *bits,
                         int len)
{
    X509_PUBKEY *tmp = X509_PUBKEY_new(), *pub = NULL;
    unsigned char *copy = len > 0 ? OPENSSL_memdup(bits, (size_t)len) : NULL, *der = NULL;
    void *pval = ptype == V_ASN1_OBJECT ? OBJ_txt2obj(curve, 0) : NULL;
    int n = -1;

    if (tmp != NULL && X509_PUBKEY_set0_param(tmp, OBJ_txt2obj(alg, 0), ptype, pval, copy, len))
        n = i2d_X509_PUBKEY(tmp, &der);
    if (n > 0)
        pub = parse(der, n);
    if (pub == NULL)
        tap_diag("cannot make a %s SubjectPublicKeyInfo", alg);
    OPENSSL_free(der);
    X509_PUBKEY_free(tmp);
    return pub;
}

/* The unused-bits octet of the subjectPublicKey BIT STRING in SPKI DER
 * (outer tag SEQUENCE or [6]) and its offset in *at; -1 if not SPKI. */
static int unused_bits(const unsigned char *der, long len, long *at)
{
    const unsigned char *p = der, *end = der + len;
    long n;
    int tag, cls;

    if ((ASN1_get_object(&p, &n, &tag, &cls, len) & 0x80) != 0
        || (ASN1_get_object(&p, &n, &tag, &cls, end - p) & 0x80) != 0 || tag != V_ASN1_SEQUENCE)
        return -1;
    p += n;
    if ((ASN1_get_object(&p, &n, &tag, &cls, end - p) & 0x80) != 0 || tag != V_ASN1_BIT_STRING
        || n < 1)
        return -1;
    if (at != NULL)
        *at = p - der;
    return *p;
}

/* pxc_spki_get1_pkey() of pub judges as d2i_PUBKEY() of its DER does:
 * the same key, or none with an error queued; want_key says which. */
static void judged(const X509_PUBKEY *pub, int want_key, const char *what)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    int len = pub != NULL ? i2d_X509_PUBKEY(pub, &der) : -1, queued;
    EVP_PKEY *got, *dec = NULL;

    ERR_clear_error();
    got = pxc_spki_get1_pkey(pub, NULL, NULL);
    queued = ERR_peek_error() != 0;
    if ((p = der) != NULL)
        dec = d2i_PUBKEY(NULL, &p, len);
    ok(pub != NULL && (got != NULL) == want_key && (dec != NULL) == want_key
       && (got != NULL ? EVP_PKEY_eq(got, dec) == 1 : queued),
       "%s: %s, as d2i_PUBKEY", what, want_key ? "a key" : "no key, an error queued");
    ERR_clear_error();
    EVP_PKEY_free(got);
    EVP_PKEY_free(dec);
    OPENSSL_free(der);
}

/* ---------------------------------------------- PXC_PUBKEY and get1_pkey */

/* i2d_PUBKEY of key through PXC_PUBKEY and back; the key from the fields,
 * also in the library context libctx. */
static void round_trip(const char *what, EVP_PKEY *key, OSSL_LIB_CTX *libctx)
{
    unsigned char *der = NULL;
    int len = key != NULL ? i2d_PUBKEY(key, &der) : -1;
    X509_PUBKEY *pub = len > 0 ? parse(der, len) : NULL;
    EVP_PKEY *got = pxc_spki_get1_pkey(pub, NULL, NULL);
    EVP_PKEY *got2 = pxc_spki_get1_pkey(pub, libctx, NULL);

    ok(pub != NULL, "%s: PXC_PUBKEY parses i2d_PUBKEY's %d bytes", what, len);
    ok(undecoded(pub), "%s: the key is not decoded on d2i", what);
    ok(got != NULL && EVP_PKEY_eq(got, key) == 1, "%s: pxc_spki_get1_pkey gives the key", what);
    ok(got2 != NULL && EVP_PKEY_eq(got2, key) == 1, "%s: and so in a library context", what);
    ok(pub != NULL && der_is(pub, der, len), "%s: re-encodes byte for byte", what);
    ERR_print_errors_fp(stdout);
    EVP_PKEY_free(got);
    EVP_PKEY_free(got2);
    X509_PUBKEY_free(pub);
    OPENSSL_free(der);
}

static void test_key_types(OSSL_LIB_CTX *libctx)
{
    static const struct { const char *what, *file, *gen; } keys[] = {
        { "EC P-256", "client_p256.key", NULL },  { "EC P-384", "client_p384.key", NULL },
        { "RSA-2048", "client_rsa.key", NULL },   { "Ed25519", "client_ed25519.key", NULL },
        { "Ed448", "client_ed448.key", NULL },    { "X25519", NULL, "X25519" },
        { "X448", NULL, "X448" },
        /* not built from fields: the decoders' (rsassaPss, SM2 curve) */
        { "RSA-PSS", "client_rsapss.key", NULL }, { "SM2", NULL, "SM2" },
    };
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        EVP_PKEY *k = key_of(keys[i].file, keys[i].gen);

        round_trip(keys[i].what, k, libctx);
        EVP_PKEY_free(k);
    }
}

/* A key of the decoders with parameters: EC with explicit parameters,
 * which pxc_spki_dup() copies. */
static void test_explicit_ec(OSSL_LIB_CTX *libctx)
{
    EVP_PKEY *ec = EVP_PKEY_dup(p256);
    X509_PUBKEY *pub = NULL, *dup = NULL;
    unsigned char *der = NULL;
    int len = -1, ptype = -1;
    X509_ALGOR *alg;

    if (EVP_PKEY_set_utf8_string_param(ec, OSSL_PKEY_PARAM_EC_ENCODING,
                                       OSSL_PKEY_EC_ENCODING_EXPLICIT)
        && (len = i2d_PUBKEY(ec, &der)) > 0 && (pub = parse(der, len)) != NULL
        && X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub))
        X509_ALGOR_get0(NULL, &ptype, NULL, alg);
    is_int(ptype, V_ASN1_SEQUENCE, "EC explicit: the parameters are an ECParameters SEQUENCE");
    round_trip("EC explicit", ec, libctx);
    dup = pxc_spki_dup(pub);
    ok(dup != NULL && der_is(dup, der, len), "EC explicit: pxc_spki_dup copies the parameters");
    X509_PUBKEY_free(dup);
    X509_PUBKEY_free(pub);
    OPENSSL_free(der);
    EVP_PKEY_free(ec);
}

/* Keys the fields and the decoders make, or refuse: a table; then a point
 * not on its curve, a key OpenSSL's d2i has decoded already, and NULL. */
static void test_judged(void)
{
    /* n = 5, e = 3: RSAPublicKey, and with a trailing octet */
    static const unsigned char octets[65] = { 0x04, 0x01 }, junk[] = "not a key at all",
        rsa[] = { 0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03, 0x00 },
        rsa_no_e[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
    static const struct {
        const char *what, *alg, *curve;
        int ptype;
        const unsigned char *bits;
        int len, key;
    } keys[] = {
        { "RSA", "rsaEncryption", NULL, V_ASN1_NULL, rsa, 8, 1 },
        { "RSA, parameters absent", "rsaEncryption", NULL, V_ASN1_UNDEF, rsa, 8, 1 },
        { "RSA, a trailing octet (the decoders take it)", "rsaEncryption", NULL, V_ASN1_NULL,
          rsa, 9, 1 },
        { "RSA, key bits not an RSAPublicKey", "rsaEncryption", NULL, V_ASN1_NULL, octets, 3, 0 },
        { "RSA, no publicExponent", "rsaEncryption", NULL, V_ASN1_NULL, rsa_no_e, 5, 0 },
        { "EC on curve sha256", "id-ecPublicKey", "SHA256", V_ASN1_OBJECT, octets, 65, 0 },
        { "Ed25519 key of 31 octets", "ED25519", NULL, V_ASN1_UNDEF, octets, 31, 0 },
        { "Ed25519, NULL parameters (RFC 8410: absent)", "ED25519", NULL, V_ASN1_NULL, octets,
          32, 0 },
        { "X448 key of 57 octets", "X448", NULL, V_ASN1_UNDEF, octets, 57, 0 },
        { "unknown algorithm", UNKNOWN_OID, NULL, V_ASN1_UNDEF, junk, sizeof(junk), 0 },
    };
    unsigned char *bad = OPENSSL_memdup(p256_der, (size_t)p256_len);
    X509_PUBKEY *pub = NULL;
    EVP_PKEY *got = NULL;
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        pub = make(keys[i].alg, keys[i].ptype, keys[i].curve, keys[i].bits, keys[i].len);
        judged(pub, keys[i].key, keys[i].what);
        X509_PUBKEY_free(pub);
    }
    bad[p256_len - 1] ^= 0x01; /* y of another point, if any: not on P-256 */
    judged(pub = parse(bad, p256_len), 0, "EC point not on the curve");
    X509_PUBKEY_free(pub);
    pub = NULL;
    if (X509_PUBKEY_set(&pub, p256))
        got = pxc_spki_get1_pkey(pub, NULL, NULL);
    ok(got != NULL && got == X509_PUBKEY_get0(pub), "a decoded X509_PUBKEY's own key is returned");
    ERR_clear_error();
    ok(pxc_spki_get1_pkey(NULL, NULL, NULL) == NULL && ERR_peek_error() != 0,
       "get1_pkey of NULL: no key, an error queued");
    ERR_clear_error();
    ok(pxc_spki_dup(NULL) == NULL && !pxc_spki_eq(NULL, NULL), "dup and eq of NULL: NULL, 0");
    EVP_PKEY_free(got);
    X509_PUBKEY_free(pub);
    OPENSSL_free(bad);
}

/* DER that PXC_PUBKEY must not parse: a key BIT STRING with unused bits
 * (1, a valid DER BIT STRING as the last octet is even; 8, none at all),
 * each truncation. An algorithm without key bits (a template for central
 * key generation, RFC 9483 4.1.6) parses, copies, and gives no key. */
static void test_der(void)
{
    static const unsigned char no_bits[] = { 0x30, 0x0e, 0x30, 0x09, 0x06, 0x07, 0x2a, 0x86,
                                             0x48, 0xce, 0x3d, 0x02, 0x01, 0x03, 0x01, 0x00 };
    unsigned char *der = OPENSSL_memdup(p256_der, (size_t)p256_len);
    int len = p256_len, n, parsed = 0;
    long at = -1;
    X509_PUBKEY *pub, *dup;

    ok(unused_bits(der, len, &at) == 0 && (der[len - 1] & 1) == 0,
       "P-256 key: 0 unused bits, last octet even");
    der[at] = 1;
    ok(parse(der, len) == NULL, "PXC_PUBKEY refuses a key BIT STRING with 1 unused bit");
    der[at] = 8;
    ok(parse(der, len) == NULL, "PXC_PUBKEY refuses a BIT STRING with 8 unused bits");
    for (n = 0; n < len; n++)
        if ((pub = parse(p256_der, n)) != NULL) {
            parsed++;
            X509_PUBKEY_free(pub);
        }
    is_int(parsed, 0, "PXC_PUBKEY refuses each truncation of the DER");
    ERR_clear_error();

    pub = parse(no_bits, sizeof(no_bits));
    dup = pxc_spki_dup(pub);
    ok(pub != NULL && der_is(pub, no_bits, sizeof(no_bits)), "no key bits: parses, re-encodes");
    ok(dup != NULL && der_is(dup, no_bits, sizeof(no_bits)), "no key bits: copied as it is");
    judged(pub, 0, "no key bits");
    X509_PUBKEY_free(dup);
    X509_PUBKEY_free(pub);
    OPENSSL_free(der);
}

/* ------------------------------------------------------------ dup and eq */

/* OpenSSL 3.0's X509_PUBKEY_dup() copy loses the "no unused bits" flag and
 * encodes without the trailing zero bits (and octets) of the key; copied
 * with pxc_spki_dup(), it is the key again. k's last key octet is even. */
static void test_dup(const char *what, EVP_PKEY *k)
{
    X509_PUBKEY *set = NULL, *ossl = NULL, *ours = NULL, *ours2 = NULL;
    unsigned char *want = NULL, *got = NULL;
    int wlen = i2d_PUBKEY(k, &want), glen = -1;

    ok(wlen > 0 && (want[wlen - 1] & 1) == 0, "%s: last key octet even (0x%02x)", what,
       wlen > 0 ? want[wlen - 1] : 0);
    if (X509_PUBKEY_set(&set, k) && (ossl = X509_PUBKEY_dup(set)) != NULL)
        glen = i2d_X509_PUBKEY(ossl, &got);
    /* documents the OpenSSL bug */
    ok(glen > 0 && (glen != wlen || memcmp(got, want, (size_t)wlen) != 0),
       "%s: X509_PUBKEY_dup's copy encodes %d octets with %d unused bits, not %d with 0", what,
       glen, glen > 0 ? unused_bits(got, glen, NULL) : -1, wlen);
    {
        unsigned char *as_ours = NULL;
        int olen = ossl != NULL ? ASN1_item_i2d((const ASN1_VALUE *)ossl, &as_ours,
                                                ASN1_ITEM_rptr(PXC_PUBKEY)) : -1;

        ok(olen == wlen && memcmp(as_ours, want, (size_t)wlen) == 0,
           "%s: that copy encoded as PXC_PUBKEY (in a CMP message): the key's DER", what);
        OPENSSL_free(as_ours);
    }
    ours = pxc_spki_dup(ossl);
    ok(ours != NULL && der_is(ours, want, wlen), "%s: pxc_spki_dup of that: the key's DER", what);
    ours2 = pxc_spki_dup(set);
    ok(ours2 != NULL && der_is(ours2, want, wlen), "%s: pxc_spki_dup keeps the DER", what);
    ok(undecoded(ours2), "%s: the copy has no decoded key", what);
    ERR_print_errors_fp(stdout);
    OPENSSL_free(got);
    OPENSSL_free(want);
    X509_PUBKEY_free(ours2);
    X509_PUBKEY_free(ours);
    X509_PUBKEY_free(ossl);
    X509_PUBKEY_free(set);
}

static void test_eq(void)
{
    X509_PUBKEY *pa = parse(p256_der, p256_len), *pa2 = NULL, *pb = NULL, *p384 = NULL;
    const unsigned char *bits;
    int len;

    if (X509_PUBKEY_set(&pa2, p256) && X509_PUBKEY_set(&pb, other)
        && X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, pa2))
        p384 = make("id-ecPublicKey", V_ASN1_OBJECT, "secp384r1", bits, len);
    is_int(pxc_spki_eq(pa, pa2), 1, "eq: the same key, parsed and set");
    is_int(pxc_spki_eq(pa, pa), 1, "eq: itself");
    is_int(pxc_spki_eq(pa, pb), 0, "eq: another key");
    is_int(pxc_spki_eq(pa, p384), 0, "eq: the same bits on another curve");
    is_int(pxc_spki_eq(pa, NULL) || pxc_spki_eq(NULL, pa), 0, "eq: NULL");
    X509_PUBKEY_free(p384);
    X509_PUBKEY_free(pb);
    X509_PUBKEY_free(pa2);
    X509_PUBKEY_free(pa);
}

/* ---------------------------------------------------------- certificates */

static X509 *new_cert(void)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_get_subject_name(x);

    if (!X509_set_version(x, X509_VERSION_3) || !ASN1_INTEGER_set(X509_get_serialNumber(x), 42)
        || !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"spki", -1,
                                       -1, 0)
        || !X509_set_issuer_name(x, n) || !X509_gmtime_adj(X509_getm_notBefore(x), 0)
        || !X509_gmtime_adj(X509_getm_notAfter(x), 3600))
        tap_diag("cannot fill in a certificate");
    return x;
}

/* A certificate gets the key by DER (as our CA issues them), is signed,
 * survives DER; has_key and cert_decoded before and after. */
static void test_cert(void)
{
    unsigned char *xder = NULL;
    const unsigned char *p;
    int xlen;
    X509_PUBKEY *pub = parse(p256_der, p256_len);
    X509_PUBKEY *junk = make(UNKNOWN_OID, V_ASN1_UNDEF, NULL, (const unsigned char *)"junk", 4);
    X509 *x = new_cert(), *dec, *back = NULL, *dec2, *y = new_cert(), *z = new_cert();

    ok(pxc_spki_set_cert(x, pub), "set_cert: the key goes into a new certificate");
    ok(undecoded(X509_get_X509_PUBKEY(x)), "set_cert: the certificate knows the key by DER only");
    ok(pxc_spki_eq(X509_get_X509_PUBKEY(x), pub), "set_cert: the certificate's SPKI is pub");
    is_int(pxc_spki_cert_has_key(x, p256, NULL, NULL), 1, "has_key: in memory, the key");
    is_int(pxc_spki_cert_has_key(x, other, NULL, NULL), 0, "has_key: in memory, another key");
    ok(X509_sign(x, other, EVP_sha256()) > 0, "the certificate is signed");
    dec = pxc_spki_cert_decoded(x);
    ok(dec != NULL && dec != x && EVP_PKEY_eq(X509_get0_pubkey(dec), p256) == 1,
       "cert_decoded: a copy with the key decoded");
    if ((xlen = i2d_X509(x, &xder)) > 0) {
        p = xder;
        back = d2i_X509(NULL, &p, xlen);
    }
    ok(back != NULL && EVP_PKEY_eq(X509_get0_pubkey(back), p256) == 1
       && X509_verify(back, other) == 1, "the certificate survives DER with key and signature");
    ok(back != NULL && der_is(X509_get_X509_PUBKEY(back), p256_der, p256_len),
       "its SubjectPublicKeyInfo is the key's DER");
    is_int(pxc_spki_cert_has_key(back, p256, NULL, NULL), 1, "has_key: decoded, the key");
    is_int(pxc_spki_cert_has_key(back, other, NULL, NULL), 0, "has_key: decoded, another key");
    dec2 = pxc_spki_cert_decoded(back);
    ok(dec2 == back, "cert_decoded: a decoded certificate is itself");
    X509_free(dec2);
    X509_free(back);
    X509_free(dec);
    X509_free(x);
    OPENSSL_free(xder);

    /* a key that does not decode; the certificate's own SPKI; a decoded
     * key, which OpenSSL cannot be made to forget */
    ok(pxc_spki_set_cert(y, junk), "set_cert: an unknown algorithm");
    is_int(pxc_spki_cert_has_key(y, p256, NULL, NULL), -1, "has_key: -1, the key does not decode");
    ok(pxc_spki_set_cert(y, X509_get_X509_PUBKEY(y))
       && pxc_spki_eq(X509_get_X509_PUBKEY(y), junk), "set_cert: its own SPKI onto a certificate");
    ERR_clear_error();
    ok(X509_set_pubkey(z, other) && !pxc_spki_set_cert(z, pub) && ERR_peek_error() != 0
       && pxc_spki_cert_has_key(z, other, NULL, NULL) == 1,
       "set_cert: refused over another decoded key, which stays");
    ERR_clear_error();
    ok(X509_set_pubkey(z, p256) && pxc_spki_set_cert(z, pub)
       && pxc_spki_cert_has_key(z, p256, NULL, NULL) == 1, "set_cert: over the same decoded key");
    X509_free(z);
    X509_free(y);
    X509_PUBKEY_free(junk);
    X509_PUBKEY_free(pub);
}

/* ---------------------------------------------------------------- client */

/* How often needle (n bytes) follows the octet tag in hay; the offset of
 * the last such tag in *at. */
static int count_after(const unsigned char *hay, int len, unsigned char tag,
                       const unsigned char *needle, int n, long *at)
{
    int i, found = 0;

    for (i = 1; i + n <= len; i++)
        if (hay[i - 1] == tag && memcmp(hay + i, needle, (size_t)n) == 0) {
            found++;
            *at = i - 1;
        }
    return found;
}

/*
 * The ir our client builds for a key whose last octet is even carries it
 * with 0 unused bits, in the CertTemplate (publicKey [6]) and, without a
 * subject, in the poposkInput (a SubjectPublicKeyInfo SEQUENCE).
 */
static void test_client_ir(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    X509_NAME *subj = X509_NAME_new();
    int with_subject;

    if (!pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8)
        || !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4)
        || !pkixcmp_ctx_set1_newkey(ctx, p256)
        || !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC, (const unsigned char *)"dev",
                                       -1, -1, 0))
        tap_diag("cannot set up the client");
    for (with_subject = 1; with_subject >= 0; with_subject--) {
        const char *how = with_subject ? "with subject" : "poposkInput";
        unsigned char *der = NULL;
        PKIXCMP_MSG *msg = NULL;
        int len = -1;
        long at = -1;

        if (pkixcmp_ctx_set1_subject(ctx, with_subject ? subj : NULL)
            && (msg = pxc_req_certreq(ctx, PKIXCMP_BODY_IR)) != NULL)
            len = pkixcmp_msg_encode(msg, &der);
        ERR_print_errors_fp(stdout);
        ok(len > 0, "client: ir (%s) built and encoded", how);
        is_int(count_after(der, len, 0xa6, p256_der + 1, p256_len - 1, &at), 1,
               "client: the template's publicKey is the key's DER");
        is_int(at >= 0 ? unused_bits(der + at, len - at, NULL) : -1, 0,
               "client: the template's key BIT STRING has 0 unused bits");
        is_int(count_after(der, len, 0x30, p256_der + 1, p256_len - 1, &at), !with_subject,
               with_subject ? "client: no poposkInput" : "client: poposkInput's publicKey too");
        OPENSSL_free(der);
        pkixcmp_msg_free(msg);
    }
    X509_NAME_free(subj);
    pkixcmp_ctx_free(ctx);
}

int main(void)
{
    OSSL_LIB_CTX *libctx = OSSL_LIB_CTX_new();
    EVP_PKEY *ed448 = key_of("client_ed448.key", NULL);

    p256 = key_of("client_p256.key", NULL);
    other = key_of("server.key", NULL);
    if (libctx == NULL || p256 == NULL || other == NULL || ed448 == NULL
        || (p256_len = i2d_PUBKEY(p256, &p256_der)) <= 0)
        return 1;
    test_key_types(libctx);
    test_explicit_ec(libctx);
    test_judged();
    test_der();
    test_dup("P-256 key", p256); /* last key octet 0x1c: 2 unused bits */
    test_dup("Ed448 key", ed448); /* last key octet 0x00: one octet less */
    test_eq();
    test_cert();
    test_client_ir();
    OPENSSL_free(p256_der);
    EVP_PKEY_free(ed448);
    EVP_PKEY_free(other);
    EVP_PKEY_free(p256);
    OSSL_LIB_CTX_free(libctx);
    return tap_done();
}
