/*
 * mac.c - MAC protection with a shared secret: id-PasswordBasedMac
 * (RFC 4211 section 4.4, RFC 9810 section 5.1.3.1) and PBMAC1 (RFC 9481
 * section 6.1.2, RFC 8018 A.5). Makes the protectionAlg of our messages and
 * computes MACs; comparing them (in constant time) is the caller's job.
 *
 * Every limit is checked before the first hash: the iteration count and the
 * salt come from the peer, and a large count is a cheap way to make us burn
 * CPU.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include "print.h"
#include "protect_local.h"

/* Largest PBKDF2 keyLength we accept: the largest HMAC output (SHA-512). */
#define PXC_MAC_MAX_KEYLEN 64

/*
 * The hash functions we use as PBM one-way function, PBKDF2 PRF and HMAC
 * digest: SHA-1 (legacy, but what `openssl cmp` and Insta Certifier use for
 * PBM's MAC) and SHA-2 (RFC 9481 sections 2 and 6.2.1).
 */
typedef struct {
    int md_nid;          /* the digest OID: PBMParameter.owf */
    int hmac_nid;        /* id-hmacWithSHAx (RFC 8018 B.1) */
    const char *md_name; /* EVP name */
    size_t size;         /* digest and HMAC output size */
} MD_ROW;

static const MD_ROW md_rows[] = {
    {NID_sha1, NID_hmacWithSHA1, "SHA1", 20},
    {NID_sha224, NID_hmacWithSHA224, "SHA224", 28},
    {NID_sha256, NID_hmacWithSHA256, "SHA256", 32},
    {NID_sha384, NID_hmacWithSHA384, "SHA384", 48},
    {NID_sha512, NID_hmacWithSHA512, "SHA512", 64},
};

/* What an AlgorithmIdentifier must name, for row_of_alg(). */
enum row_kind {
    ROW_DIGEST,     /* a hash: PBM's owf */
    ROW_HMAC,       /* id-hmacWithSHAx: PBKDF2's prf, PBMAC1's MAC */
    ROW_HMAC_LEGACY /* also hmac-sha1 1.3.6.1.5.5.8.1.2: PBM's mac */
};

/*
 * MAC names for the PBM mac (-mac), compared case-insensitively: OpenSSL's
 * names of the OIDs and the "HMAC-<digest>" spelling. "HMAC-SHA1" is
 * OpenSSL's short name of hmac-sha1 (1.3.6.1.5.5.8.1.2), the `openssl cmp`
 * default, so it keeps meaning that OID rather than id-hmacWithSHA1.
 */
static const struct {
    const char *name;
    int nid;
} mac_names[] = {
    {"HMAC-SHA1", NID_hmac_sha1},
    {"hmacWithSHA1", NID_hmacWithSHA1},
    {"HMAC-SHA224", NID_hmacWithSHA224},
    {"hmacWithSHA224", NID_hmacWithSHA224},
    {"HMAC-SHA256", NID_hmacWithSHA256},
    {"hmacWithSHA256", NID_hmacWithSHA256},
    {"HMAC-SHA384", NID_hmacWithSHA384},
    {"hmacWithSHA384", NID_hmacWithSHA384},
    {"HMAC-SHA512", NID_hmacWithSHA512},
    {"hmacWithSHA512", NID_hmacWithSHA512},
};

int pxc_mac_is_mac_alg(const X509_ALGOR *alg)
{
    const ASN1_OBJECT *oid = NULL;
    int nid;

    if (alg == NULL)
        return 0;
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    nid = OBJ_obj2nid(oid);
    return nid == NID_id_PasswordBasedMAC || nid == NID_pbmac1;
}

/* ------------------------------------------------------------ lookups */

/* The row of a digest (ROW_DIGEST) or HMAC OID, or NULL. */
static const MD_ROW *row_by_nid(int nid, enum row_kind kind)
{
    size_t i;

    /* hmac-sha1 and id-hmacWithSHA1 are both HMAC with SHA-1 */
    if (kind == ROW_HMAC_LEGACY && nid == NID_hmac_sha1)
        return &md_rows[0];
    for (i = 0; i < PXC_NELEM(md_rows); i++)
        if (nid == (kind == ROW_DIGEST ? md_rows[i].md_nid : md_rows[i].hmac_nid))
            return &md_rows[i];
    return NULL;
}

/* An UNKNOWN_ALGORITHM error naming the OID found and what was expected. */
static void err_unknown_alg(const char *what, const ASN1_OBJECT *oid,
                            const char *expected)
{
    char *text = pxc_oid_text(oid, 1);

    PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "%s %s is not supported: expected %s",
            what, text != NULL ? text : "(out of memory)", expected);
    OPENSSL_free(text);
}

/* The row of the context's digest (-digest), which must be SHA-1 or SHA-2. */
static const MD_ROW *row_of_ctx_digest(const PKIXCMP_CTX *ctx)
{
    EVP_MD *md = EVP_MD_fetch(ctx->libctx, ctx->digest, ctx->propq);
    const MD_ROW *ret = NULL;
    size_t i;

    if (md == NULL) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_NAME, "digest \"%s\" is not available", ctx->digest);
        goto out;
    }
    for (i = 0; i < PXC_NELEM(md_rows) && ret == NULL; i++)
        if (EVP_MD_is_a(md, md_rows[i].md_name))
            ret = &md_rows[i];
    if (ret == NULL)
        PXC_ERR(PKIXCMP_E_UNKNOWN_NAME,
                "digest \"%s\" cannot be used for MAC protection: expected SHA1, "
                "SHA224, SHA256, SHA384 or SHA512", ctx->digest);
out:
    EVP_MD_free(md);
    return ret;
}

/* The HMAC OID for the context's MAC name (-mac), or NID_undef. */
static int nid_of_ctx_mac(const PKIXCMP_CTX *ctx)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(mac_names); i++)
        if (strcasecmp(ctx->mac, mac_names[i].name) == 0)
            return mac_names[i].nid;
    PXC_ERR(PKIXCMP_E_UNKNOWN_NAME,
            "MAC \"%s\" is not known: expected HMAC-SHA1, HMAC-SHA224, HMAC-SHA256, "
            "HMAC-SHA384, HMAC-SHA512 or hmacWithSHA1 ... hmacWithSHA512", ctx->mac);
    return NID_undef;
}

/* ------------------------------------------------------------ building */

/* Sets alg to OID nid with parameters absent (V_ASN1_UNDEF) or NULL. */
static int algor_set(X509_ALGOR *alg, int nid, int ptype)
{
    if (!X509_ALGOR_set0(alg, OBJ_nid2obj(nid), ptype, NULL)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "AlgorithmIdentifier %s", OBJ_nid2ln(nid));
        return 0;
    }
    return 1;
}

/* Sets alg to OID nid with parameters the DER of value (of type it). */
static int algor_set_seq(X509_ALGOR *alg, int nid, void *value, const ASN1_ITEM *it)
{
    ASN1_STRING *seq = ASN1_item_pack(value, it, NULL);
    int ret = 0;

    if (seq == NULL || !X509_ALGOR_set0(alg, OBJ_nid2obj(nid), V_ASN1_SEQUENCE, seq)) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "%s parameters of %s", pxc_item_name(it),
                OBJ_nid2ln(nid));
        goto out;
    }
    seq = NULL; /* transferred */
    ret = 1;
out:
    ASN1_STRING_free(seq);
    return ret;
}

/* Fills salt with the context's number of random bytes. */
static int set_random_salt(const PKIXCMP_CTX *ctx, ASN1_OCTET_STRING *salt)
{
    size_t len = (size_t)ctx->pbm_salt_len;
    unsigned char *buf = OPENSSL_malloc(len);
    int ret = 0;

    if (buf == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "salt of %zu bytes", len);
        goto out;
    }
    if (RAND_bytes_ex(ctx->libctx, buf, len, 0) <= 0) {
        PXC_ERR(PKIXCMP_E_SIGN_FAILED, "no random bytes for the MAC salt");
        goto out;
    }
    ASN1_STRING_set0(salt, buf, (int)len);
    buf = NULL; /* transferred */
    ret = 1;
out:
    OPENSSL_free(buf);
    return ret;
}

/*
 * alg = id-PasswordBasedMac with PBMParameter {random salt, owf, iterations,
 * mac}. owf and mac with parameters absent, as `openssl cmp` writes them.
 */
static int new_pbm(const PKIXCMP_CTX *ctx, const MD_ROW *owf, int mac_nid, X509_ALGOR *alg)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
    PKIXCMP_PBMParameter *pbm = (PKIXCMP_PBMParameter *)ASN1_item_new(it);
    int ret = 0;

    if (pbm == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PBMParameter");
        goto out;
    }
    if (!ASN1_INTEGER_set(pbm->iterationCount, ctx->pbm_iterations)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PBMParameter iterationCount");
        goto out;
    }
    if (!set_random_salt(ctx, pbm->salt)
        || !algor_set(pbm->owf, owf->md_nid, V_ASN1_UNDEF)
        || !algor_set(pbm->mac, mac_nid, V_ASN1_UNDEF)
        || !algor_set_seq(alg, NID_id_PasswordBasedMAC, pbm, it))
        goto out;
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)pbm, it);
    return ret;
}

/*
 * PBKDF2-params {random salt, iterations, keyLength = HMAC output size, prf
 * hmacWithSHAx}. RFC 9481 section 6.1.2 has keyLength present (the MAC key
 * length); RFC 8018 B.1.1/B.1.2 says of the hmacWithSHAx OIDs "The
 * parameters field associated with this OID in an AlgorithmIdentifier shall
 * have type NULL".
 */
static PKIXCMP_PBKDF2Params *new_pbkdf2_params(const PKIXCMP_CTX *ctx, const MD_ROW *row)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params);
    PKIXCMP_PBKDF2Params *kp = (PKIXCMP_PBKDF2Params *)ASN1_item_new(it);
    PKIXCMP_PBKDF2Params *ret = NULL;
    ASN1_OCTET_STRING *salt = ASN1_OCTET_STRING_new();

    if (kp == NULL || salt == NULL || (kp->keyLength = ASN1_INTEGER_new()) == NULL
        || !ASN1_INTEGER_set(kp->iterationCount, ctx->pbm_iterations)
        || !ASN1_INTEGER_set(kp->keyLength, (long)row->size)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PBKDF2-params");
        goto out;
    }
    if (!set_random_salt(ctx, salt))
        goto out;
    ASN1_TYPE_set(kp->salt, V_ASN1_OCTET_STRING, salt); /* salt: specified */
    salt = NULL; /* transferred */
    /* prf DEFAULT algid-hmacWithSHA1, and X.690 11.5: "The encoding of a set
     * value or sequence value shall not include an encoding for any
     * component value which is equal to its default value." */
    if (row->hmac_nid != NID_hmacWithSHA1
        && ((kp->prf = X509_ALGOR_new()) == NULL
            || !algor_set(kp->prf, row->hmac_nid, V_ASN1_NULL))) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PBKDF2-params prf");
        goto out;
    }
    ret = kp;
    kp = NULL; /* transferred */
out:
    ASN1_OCTET_STRING_free(salt);
    ASN1_item_free((ASN1_VALUE *)kp, it);
    return ret;
}

/*
 * alg = PBMAC1 with PBMAC1-params {id-PBKDF2 with PBKDF2-params,
 * messageAuthScheme hmacWithSHAx (parameters NULL)}: the PRF and the MAC
 * both use the context's digest.
 */
static int new_pbmac1(const PKIXCMP_CTX *ctx, const MD_ROW *row, X509_ALGOR *alg)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMAC1Params);
    PKIXCMP_PBMAC1Params *p1 = (PKIXCMP_PBMAC1Params *)ASN1_item_new(it);
    PKIXCMP_PBKDF2Params *kp = NULL;
    int ret = 0;

    if (p1 == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PBMAC1-params");
        goto out;
    }
    if ((kp = new_pbkdf2_params(ctx, row)) == NULL
        || !algor_set_seq(p1->keyDerivationFunc, NID_id_pbkdf2, kp,
                          ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params))
        || !algor_set(p1->messageAuthScheme, row->hmac_nid, V_ASN1_NULL)
        || !algor_set_seq(alg, NID_pbmac1, p1, it))
        goto out;
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)kp, ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params));
    ASN1_item_free((ASN1_VALUE *)p1, it);
    return ret;
}

X509_ALGOR *pxc_mac_new_alg(const PKIXCMP_CTX *ctx)
{
    X509_ALGOR *alg = NULL, *ret = NULL;
    const MD_ROW *row;
    int mac_nid;

    if ((row = row_of_ctx_digest(ctx)) == NULL)
        goto out;
    if ((alg = X509_ALGOR_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "protectionAlg");
        goto out;
    }
    if (ctx->mac_type == PXC_MAC_PBMAC1) {
        if (!new_pbmac1(ctx, row, alg))
            goto out;
    } else {
        if ((mac_nid = nid_of_ctx_mac(ctx)) == NID_undef
            || !new_pbm(ctx, row, mac_nid, alg))
            goto out;
    }
    ret = alg;
    alg = NULL; /* transferred */
out:
    X509_ALGOR_free(alg);
    return ret;
}

/* ------------------------------------------------------------ checking */

/*
 * Decodes the parameters of alg as one value of type it (named what). They
 * must be a SEQUENCE holding exactly that value in DER: a peer's parameters
 * are not trusted to be well-formed just because the message was.
 */
static void *unpack_params(const X509_ALGOR *alg, const ASN1_ITEM *it, const char *what)
{
    const void *pval = NULL;
    const unsigned char *der, *p;
    unsigned char *re = NULL;
    ASN1_VALUE *v = NULL, *ret = NULL;
    int ptype, len;

    X509_ALGOR_get0(NULL, &ptype, &pval, alg);
    if (ptype != V_ASN1_SEQUENCE || pval == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "%s: expected a SEQUENCE, found %s", what,
                ptype == V_ASN1_UNDEF ? "no parameters" : ASN1_tag2str(ptype));
        goto out;
    }
    der = p = ASN1_STRING_get0_data(pval);
    len = ASN1_STRING_length(pval);
    if ((v = ASN1_item_d2i(NULL, &p, len, it)) == NULL || p != der + len) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "%s: the parameters (%d bytes) do not "
                "decode as one %s", what, len, what);
        goto out;
    }
    if (ASN1_item_i2d(v, &re, it) != len || memcmp(re, der, (size_t)len) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "%s: the parameters are not DER", what);
        goto out;
    }
    ret = v;
    v = NULL; /* transferred */
out:
    OPENSSL_free(re);
    ASN1_item_free(v, it);
    return ret;
}

/*
 * The row of a digest or HMAC AlgorithmIdentifier. Parameters absent or
 * NULL: RFC 8018 B.1 wants NULL for hmacWithSHAx, RFC 5754 absent for the
 * SHA-2 digests, and `openssl cmp` writes PBM's owf and mac without any.
 */
static const MD_ROW *row_of_alg(const X509_ALGOR *alg, enum row_kind kind, const char *what)
{
    const ASN1_OBJECT *oid = NULL;
    const MD_ROW *row, *ret = NULL;
    int ptype;

    X509_ALGOR_get0(&oid, &ptype, NULL, alg);
    if ((row = row_by_nid(OBJ_obj2nid(oid), kind)) == NULL) {
        err_unknown_alg(what, oid, kind == ROW_DIGEST ? "SHA-1 or SHA-2 (sha1 ... sha512)"
                        : kind == ROW_HMAC ? "hmacWithSHA1 ... hmacWithSHA512"
                        : "hmac-sha1 or hmacWithSHA1 ... hmacWithSHA512");
        goto out;
    }
    if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "%s %s: expected parameters absent or "
                "NULL, found %s", what, OBJ_nid2ln(OBJ_obj2nid(oid)), ASN1_tag2str(ptype));
        goto out;
    }
    ret = row;
out:
    return ret;
}

/*
 * With PKIXCMP_OPT_RFC9481_ONLY, SHA-1 (as digest, hmacWithSHA1 or the
 * legacy hmac-sha1) is refused: RFC 9481 lists only SHA-2 for PBM, PBKDF2
 * and HMAC. Returns row, or NULL with PKIXCMP_E_DISALLOWED_ALGORITHM.
 */
static const MD_ROW *allowed_row(const PKIXCMP_CTX *ctx, const MD_ROW *row, const char *what)
{
    if (row == NULL || !ctx->rfc9481_only || row->md_nid != NID_sha1)
        return row;
    PXC_ERR(PKIXCMP_E_DISALLOWED_ALGORITHM,
            "%s uses SHA-1, which RFC 9481 does not allow (only RFC 9481 algorithms are accepted)",
            what);
    return NULL;
}

/* The salt must not be longer than the context allows. */
static int check_salt(const PKIXCMP_CTX *ctx, const ASN1_OCTET_STRING *salt, const char *what)
{
    int len = ASN1_STRING_length(salt);

    if (len > ctx->max_salt_len) {
        PXC_ERR(PKIXCMP_E_SALT_TOO_LONG, "%s salt of %d bytes exceeds the limit of %ld bytes",
                what, len, ctx->max_salt_len);
        return 0;
    }
    return 1;
}

/*
 * The iteration count: RFC 8018 A.2 "iterationCount INTEGER (1..MAX)" (PBM
 * has no lower bound of its own that we enforce), and at most the context's
 * limit, checked before any hashing.
 */
static int check_count(const PKIXCMP_CTX *ctx, const ASN1_INTEGER *a, const char *what,
                       long *count)
{
    int64_t v = 0;
    int fits, neg = ASN1_STRING_type(a) == V_ASN1_NEG_INTEGER, ret = 0;
    char num[32];

    ERR_set_mark();
    fits = ASN1_INTEGER_get_int64(&v, a);
    ERR_pop_to_mark(); /* an overlong INTEGER gets our error below */
    if (fits)
        snprintf(num, sizeof(num), "%lld", (long long)v);
    else
        snprintf(num, sizeof(num), "%s", neg ? "below -2^63" : "above 2^63-1");
    if (neg || (fits && v < 1)) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "%s iterationCount %s: expected at least 1",
                what, num);
        goto out;
    }
    if (!fits || v > ctx->max_iterations) {
        PXC_ERR(PKIXCMP_E_ITERATION_COUNT_TOO_HIGH, "%s iterationCount %s exceeds the limit "
                "of %ld", what, num, ctx->max_iterations);
        goto out;
    }
    *count = (long)v;
    ret = 1;
out:
    return ret;
}

/* ------------------------------------------------------------ computing */

/*
 * HMAC with the digest of row, keyed with key, over data, into a new
 * buffer *out of *outlen bytes.
 */
static int hmac(const PKIXCMP_CTX *ctx, const MD_ROW *row, const unsigned char *key,
                size_t keylen, const unsigned char *data, size_t len,
                unsigned char **out, size_t *outlen)
{
    EVP_MAC *mac = EVP_MAC_fetch(ctx->libctx, "HMAC", ctx->propq);
    EVP_MAC_CTX *mctx = NULL;
    OSSL_PARAM params[3], *p = params;
    unsigned char *buf = OPENSSL_malloc(EVP_MAX_MD_SIZE);
    int ret = 0;

    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)row->md_name, 0);
    if (ctx->propq != NULL)
        *p++ = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_PROPERTIES, ctx->propq, 0);
    *p = OSSL_PARAM_construct_end();
    if (mac == NULL || buf == NULL || (mctx = EVP_MAC_CTX_new(mac)) == NULL
        || !EVP_MAC_init(mctx, key, keylen, params) || !EVP_MAC_update(mctx, data, len)
        || !EVP_MAC_final(mctx, buf, outlen, EVP_MAX_MD_SIZE)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "HMAC with %s failed", row->md_name);
        goto out;
    }
    *out = buf;
    buf = NULL; /* transferred */
    ret = 1;
out:
    OPENSSL_free(buf);
    EVP_MAC_CTX_free(mctx);
    EVP_MAC_free(mac);
    return ret;
}

/*
 * The PBM base key, RFC 4211 section 4.4: "2. Append the salt to the pw.
 * K = pw || salt. 3. Hash the value of K. K = HASH(K) 4. Iter = Iter - 1.
 * If Iter is greater than zero. Goto step 3." -- iter hashes in all, as
 * OpenSSL and Bouncy Castle count them.
 *
 * Each hash starts from a copy of a context initialised once: with OpenSSL
 * 3.0, EVP_DigestInit_ex() looks for an ENGINE for the digest every time,
 * under a global lock, and costs a quarter more per iteration (more with
 * several threads hashing).
 */
static int pbm_key(const PKIXCMP_CTX *ctx, const MD_ROW *owf, const ASN1_OCTET_STRING *salt,
                   long iter, unsigned char *key, unsigned int *keylen)
{
    EVP_MD *md = EVP_MD_fetch(ctx->libctx, owf->md_name, ctx->propq);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new(), *fresh = EVP_MD_CTX_new();
    long i;
    int ret = 0;

    if (md == NULL || mctx == NULL || fresh == NULL || !EVP_DigestInit_ex(fresh, md, NULL)
        || !EVP_MD_CTX_copy_ex(mctx, fresh)
        || !EVP_DigestUpdate(mctx, ASN1_STRING_get0_data(ctx->secret),
                             (size_t)ASN1_STRING_length(ctx->secret))
        || !EVP_DigestUpdate(mctx, ASN1_STRING_get0_data(salt),
                             (size_t)ASN1_STRING_length(salt))
        || !EVP_DigestFinal_ex(mctx, key, keylen))
        goto err;
    for (i = 1; i < iter; i++)
        if (!EVP_MD_CTX_copy_ex(mctx, fresh) || !EVP_DigestUpdate(mctx, key, *keylen)
            || !EVP_DigestFinal_ex(mctx, key, keylen))
            goto err;
    ret = 1;
    goto out;
err:
    PXC_ERR(PKIXCMP_E_INTERNAL, "PBM key derivation with %s failed", owf->md_name);
out:
    EVP_MD_CTX_free(fresh);
    EVP_MD_CTX_free(mctx);
    EVP_MD_free(md);
    return ret;
}

/* id-PasswordBasedMac: checks PBMParameter, derives the key, HMAC. */
static int pbm_compute(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg, const unsigned char *data,
                       size_t len, unsigned char **mac, size_t *maclen)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
    PKIXCMP_PBMParameter *pbm = NULL;
    const MD_ROW *owf, *hm;
    unsigned char key[EVP_MAX_MD_SIZE];
    unsigned int keylen = 0;
    long iter = 0;
    int ret = 0;

    if ((pbm = unpack_params(alg, it, "PBMParameter")) == NULL
        || !check_salt(ctx, pbm->salt, "PBMParameter")
        || !check_count(ctx, pbm->iterationCount, "PBMParameter", &iter)
        || (owf = allowed_row(ctx, row_of_alg(pbm->owf, ROW_DIGEST, "PBMParameter owf"),
                              "PBMParameter owf")) == NULL
        || (hm = allowed_row(ctx, row_of_alg(pbm->mac, ROW_HMAC_LEGACY, "PBMParameter mac"),
                             "PBMParameter mac")) == NULL)
        goto out;
    if (!pbm_key(ctx, owf, pbm->salt, iter, key, &keylen)
        || !hmac(ctx, hm, key, keylen, data, len, mac, maclen))
        goto out;
    ret = 1;
out:
    OPENSSL_cleanse(key, sizeof(key));
    ASN1_item_free((ASN1_VALUE *)pbm, it);
    return ret;
}

/*
 * Checks PBKDF2-params (RFC 8018 A.2): salt specified, iterationCount
 * INTEGER (1..MAX) within our limit, keyLength present (RFC 9481 section
 * 6.1.2) and at most 64, prf DEFAULT algid-hmacWithSHA1.
 */
static int check_pbkdf2(const PKIXCMP_CTX *ctx, const PKIXCMP_PBKDF2Params *kp, long *iter,
                        size_t *keylen, const MD_ROW **prf)
{
    int64_t kl = 0;
    int ret = 0;

    if (kp->salt->type != V_ASN1_OCTET_STRING) {
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "PBKDF2-params salt: expected specified "
                "(OCTET STRING), found %s", ASN1_tag2str(kp->salt->type));
        goto out;
    }
    if (!check_salt(ctx, kp->salt->value.octet_string, "PBKDF2-params")
        || !check_count(ctx, kp->iterationCount, "PBKDF2-params", iter))
        goto out;
    ERR_set_mark();
    if (kp->keyLength == NULL || !ASN1_INTEGER_get_int64(&kl, kp->keyLength)
        || kl < 1 || kl > PXC_MAC_MAX_KEYLEN) {
        ERR_pop_to_mark();
        PXC_ERR(PKIXCMP_E_BAD_PROTECTION_PARAMS, "PBKDF2-params keyLength %s: expected "
                "1..%d", kp->keyLength == NULL ? "missing" : "out of range",
                PXC_MAC_MAX_KEYLEN);
        goto out;
    }
    ERR_pop_to_mark();
    *keylen = (size_t)kl;
    *prf = allowed_row(ctx, kp->prf == NULL ? &md_rows[0] /* hmacWithSHA1 */
                       : row_of_alg(kp->prf, ROW_HMAC, "PBKDF2-params prf"),
                       "PBKDF2-params prf");
    ret = *prf != NULL;
out:
    return ret;
}

/* PBKDF2 (RFC 8018 section 5.2) of the secret into key[0..keylen). */
static int pbkdf2(const PKIXCMP_CTX *ctx, const MD_ROW *prf, const ASN1_OCTET_STRING *salt,
                  long iter, unsigned char *key, size_t keylen)
{
    EVP_KDF *kdf = EVP_KDF_fetch(ctx->libctx, "PBKDF2", ctx->propq);
    EVP_KDF_CTX *kctx = NULL;
    OSSL_PARAM params[7], *p = params;
    uint64_t it = (uint64_t)iter;
    int pkcs5 = 1; /* no SP 800-132 lower bounds: the peer's values and our limits rule */
    int ret = 0;

    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                             (void *)ASN1_STRING_get0_data(ctx->secret),
                                             (size_t)ASN1_STRING_length(ctx->secret));
    *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                             (void *)ASN1_STRING_get0_data(salt),
                                             (size_t)ASN1_STRING_length(salt));
    *p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &it);
    *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)prf->md_name, 0);
    *p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &pkcs5);
    if (ctx->propq != NULL)
        *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_PROPERTIES, ctx->propq, 0);
    *p = OSSL_PARAM_construct_end();
    if (kdf == NULL || (kctx = EVP_KDF_CTX_new(kdf)) == NULL
        || EVP_KDF_derive(kctx, key, keylen, params) <= 0) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "PBKDF2 with HMAC-%s failed", prf->md_name);
        goto out;
    }
    ret = 1;
out:
    EVP_KDF_CTX_free(kctx);
    EVP_KDF_free(kdf);
    return ret;
}

/* PBMAC1: checks PBMAC1-params and PBKDF2-params, derives the key, HMAC. */
static int pbmac1_compute(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg,
                          const unsigned char *data, size_t len,
                          unsigned char **mac, size_t *maclen)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMAC1Params);
    const ASN1_ITEM *kit = ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params);
    PKIXCMP_PBMAC1Params *p1 = NULL;
    PKIXCMP_PBKDF2Params *kp = NULL;
    const ASN1_OBJECT *kdf_oid = NULL;
    const MD_ROW *prf = NULL, *hm;
    unsigned char key[PXC_MAC_MAX_KEYLEN];
    size_t keylen = 0;
    long iter = 0;
    int ret = 0;

    if ((p1 = unpack_params(alg, it, "PBMAC1-params")) == NULL)
        goto out;
    X509_ALGOR_get0(&kdf_oid, NULL, NULL, p1->keyDerivationFunc);
    if (OBJ_obj2nid(kdf_oid) != NID_id_pbkdf2) {
        err_unknown_alg("PBMAC1-params keyDerivationFunc", kdf_oid, "id-PBKDF2");
        goto out;
    }
    if ((kp = unpack_params(p1->keyDerivationFunc, kit, "PBKDF2-params")) == NULL
        || !check_pbkdf2(ctx, kp, &iter, &keylen, &prf)
        || (hm = allowed_row(ctx, row_of_alg(p1->messageAuthScheme, ROW_HMAC,
                                             "PBMAC1-params messageAuthScheme"),
                             "PBMAC1-params messageAuthScheme")) == NULL)
        goto out;
    if (!pbkdf2(ctx, prf, kp->salt->value.octet_string, iter, key, keylen)
        || !hmac(ctx, hm, key, keylen, data, len, mac, maclen))
        goto out;
    ret = 1;
out:
    OPENSSL_cleanse(key, sizeof(key));
    ASN1_item_free((ASN1_VALUE *)kp, kit);
    ASN1_item_free((ASN1_VALUE *)p1, it);
    return ret;
}

int pxc_mac_compute(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg,
                    const unsigned char *data, size_t len,
                    unsigned char **mac, size_t *maclen)
{
    const ASN1_OBJECT *oid = NULL;
    int ret = 0;

    *mac = NULL;
    *maclen = 0;
    if (ctx->secret == NULL) {
        PXC_ERR(PKIXCMP_E_NO_CREDENTIALS, "MAC protection needs a shared secret, none is set");
        goto out;
    }
    if (alg == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no protectionAlg");
        goto out;
    }
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    switch (OBJ_obj2nid(oid)) {
    case NID_id_PasswordBasedMAC:
        ret = pbm_compute(ctx, alg, data, len, mac, maclen);
        break;
    case NID_pbmac1:
        ret = pbmac1_compute(ctx, alg, data, len, mac, maclen);
        break;
    default:
        err_unknown_alg("protectionAlg", oid, "id-PasswordBasedMac or PBMAC1");
        break;
    }
out:
    return ret;
}
