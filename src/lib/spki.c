/*
 * spki.c - SubjectPublicKeyInfo without OpenSSL 3.0's key decoders on the
 * way (see spki.h): the PXC_PUBKEY ASN.1 item and keys built from their
 * fields.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include "spki.h"

/* SubjectPublicKeyInfo ::= SEQUENCE {
 *     algorithm            AlgorithmIdentifier,
 *     subjectPublicKey     BIT STRING } */
typedef struct {
    X509_ALGOR *algor;
    ASN1_BIT_STRING *public_key;
} PXC_SPKI_RAW;

ASN1_SEQUENCE(PXC_SPKI_RAW) = {
    ASN1_SIMPLE(PXC_SPKI_RAW, algor, X509_ALGOR),
    ASN1_SIMPLE(PXC_SPKI_RAW, public_key, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(PXC_SPKI_RAW)

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
 * (RFC 8017 A.1.1) */
typedef struct {
    ASN1_INTEGER *n;
    ASN1_INTEGER *e;
} PXC_RSA_PUB;

ASN1_SEQUENCE(PXC_RSA_PUB) = {
    ASN1_SIMPLE(PXC_RSA_PUB, n, ASN1_INTEGER),
    ASN1_SIMPLE(PXC_RSA_PUB, e, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(PXC_RSA_PUB)

/* --------------------------------------------------------- ASN.1 item */

static int pub_new(ASN1_VALUE **pval, const ASN1_ITEM *it)
{
    (void)it;
    return (*pval = (ASN1_VALUE *)X509_PUBKEY_new()) != NULL;
}

static void pub_free(ASN1_VALUE **pval, const ASN1_ITEM *it)
{
    (void)it;
    X509_PUBKEY_free((X509_PUBKEY *)*pval);
    *pval = NULL;
}

/* The raw SubjectPublicKeyInfo moved into a new X509_PUBKEY (no key). */
static X509_PUBKEY *from_raw(PXC_SPKI_RAW *raw)
{
    X509_PUBKEY *pub;
    X509_ALGOR *alg = NULL;
    unsigned char *bits = raw->public_key->data;
    int len = raw->public_key->length;

    /* a key is whole octets; OpenSSL's own decoders would refuse it too */
    if ((raw->public_key->flags & ASN1_STRING_FLAG_BITS_LEFT) != 0
        && (raw->public_key->flags & 0x07) != 0) {
        ERR_raise_data(ERR_LIB_ASN1, ASN1_R_INVALID_BIT_STRING_BITS_LEFT,
                       "subjectPublicKey is not a whole number of octets");
        return NULL;
    }
    if ((pub = X509_PUBKEY_new()) == NULL)
        return NULL;
    /* set0_param takes the bits over (an empty key stays empty) */
    if (!X509_PUBKEY_set0_param(pub, NULL, V_ASN1_UNDEF, NULL, len > 0 ? bits : NULL, len)) {
        X509_PUBKEY_free(pub);
        return NULL;
    }
    if (len > 0) {
        raw->public_key->data = NULL;
        raw->public_key->length = 0;
    }
    if (!X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub) || !X509_ALGOR_copy(alg, raw->algor)) {
        X509_PUBKEY_free(pub);
        return NULL;
    }
    return pub;
}

static int pub_d2i(ASN1_VALUE **pval, const unsigned char **in, long len, const ASN1_ITEM *it,
                   int tag, int aclass, char opt, ASN1_TLC *ctx)
{
    PXC_SPKI_RAW *raw = NULL;
    X509_PUBKEY *pub;
    const unsigned char *p = *in;
    int ret;

    (void)it;
    ret = ASN1_item_ex_d2i((ASN1_VALUE **)&raw, &p, len, ASN1_ITEM_rptr(PXC_SPKI_RAW), tag,
                           aclass, opt, ctx);
    if (ret <= 0)
        return ret; /* -1: an absent OPTIONAL */
    pub = from_raw(raw);
    ASN1_item_free((ASN1_VALUE *)raw, ASN1_ITEM_rptr(PXC_SPKI_RAW));
    if (pub == NULL)
        return 0;
    X509_PUBKEY_free((X509_PUBKEY *)*pval);
    *pval = (ASN1_VALUE *)pub;
    *in = p;
    return 1;
}

static int pub_i2d(const ASN1_VALUE **pval, unsigned char **out, const ASN1_ITEM *it, int tag,
                   int aclass)
{
    const X509_PUBKEY *pub = (const X509_PUBKEY *)*pval;
    ASN1_BIT_STRING key;
    PXC_SPKI_RAW raw;
    const PXC_SPKI_RAW *praw = &raw;
    const unsigned char *bits;
    int len;

    (void)it;
    if (!X509_PUBKEY_get0_param(NULL, &bits, &len, &raw.algor, pub))
        return -1;
    /* the key as whole octets, whatever the flags of the BIT STRING say
     * (an X509_PUBKEY_dup() copy has lost them: see pxc_spki_dup()) */
    memset(&key, 0, sizeof(key));
    key.type = V_ASN1_BIT_STRING;
    key.data = (unsigned char *)bits;
    key.length = len;
    key.flags = ASN1_STRING_FLAG_BITS_LEFT;
    raw.public_key = &key;
    return ASN1_item_ex_i2d((const ASN1_VALUE **)&praw, out, ASN1_ITEM_rptr(PXC_SPKI_RAW), tag,
                            aclass);
}

static int pub_print(BIO *out, const ASN1_VALUE **pval, int indent, const char *fname,
                     const ASN1_PCTX *pctx)
{
    (void)fname;
    return ASN1_item_print(out, *pval, indent, ASN1_ITEM_rptr(X509_PUBKEY), pctx);
}

static const ASN1_EXTERN_FUNCS pub_funcs = {
    NULL, pub_new, pub_free, NULL, pub_d2i, pub_i2d, pub_print, NULL, NULL,
};

IMPLEMENT_EXTERN_ASN1(PXC_PUBKEY, V_ASN1_SEQUENCE, pub_funcs)

/* ------------------------------------------------------- keys from DER */

/* EVP_PKEY_fromdata() of type name with params for selection; NULL if it
 * fails. */
static EVP_PKEY *from_params(OSSL_LIB_CTX *libctx, const char *propq, const char *name,
                             int selection, OSSL_PARAM *params)
{
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(libctx, name, propq);
    EVP_PKEY *key = NULL;

    if (pctx == NULL || EVP_PKEY_fromdata_init(pctx) <= 0
        || EVP_PKEY_fromdata(pctx, &key, selection, params) <= 0)
        key = NULL;
    EVP_PKEY_CTX_free(pctx);
    return key;
}

/*
 * Curves of the default library context as keys without a point, made once:
 * a copy of one with the point set costs about 4 us, a key made from the
 * curve's name about 22 us (the group is built anew each time). Other
 * library contexts are not cached, since they may be freed.
 */
#define CURVES_CACHED 8
static struct {
    int nid;
    EVP_PKEY *params;
} curves[CURVES_CACHED];
static CRYPTO_RWLOCK *curves_lock;
static CRYPTO_ONCE curves_once = CRYPTO_ONCE_STATIC_INIT;

static void curves_free(void)
{
    size_t i;

    for (i = 0; i < CURVES_CACHED; i++) {
        EVP_PKEY_free(curves[i].params);
        curves[i].params = NULL;
    }
    CRYPTO_THREAD_lock_free(curves_lock);
    curves_lock = NULL;
}

static void curves_init(void)
{
    if ((curves_lock = CRYPTO_THREAD_lock_new()) != NULL && !OPENSSL_atexit(curves_free)) {
        CRYPTO_THREAD_lock_free(curves_lock);
        curves_lock = NULL;
    }
}

/* The parameters-only key of curve nid, new reference; NULL if it cannot
 * be made or the cache is full. */
static EVP_PKEY *curve_params(int nid)
{
    OSSL_PARAM params[2];
    EVP_PKEY *key = NULL, *made = NULL;
    size_t i;

    if (!CRYPTO_THREAD_run_once(&curves_once, curves_init) || curves_lock == NULL
        || !CRYPTO_THREAD_read_lock(curves_lock))
        return NULL;
    for (i = 0; i < CURVES_CACHED && curves[i].params != NULL; i++)
        if (curves[i].nid == nid) {
            key = EVP_PKEY_up_ref(curves[i].params) ? curves[i].params : NULL;
            break;
        }
    CRYPTO_THREAD_unlock(curves_lock);
    if (key != NULL || i == CURVES_CACHED)
        return key;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *)OBJ_nid2sn(nid), 0);
    params[1] = OSSL_PARAM_construct_end();
    made = from_params(NULL, NULL, "EC", EVP_PKEY_KEY_PARAMETERS, params);
    if (made == NULL || !CRYPTO_THREAD_write_lock(curves_lock)) {
        EVP_PKEY_free(made);
        return NULL;
    }
    /* another thread may have added it meanwhile */
    for (i = 0; i < CURVES_CACHED && curves[i].params != NULL && curves[i].nid != nid; i++)
        continue;
    if (i < CURVES_CACHED && curves[i].params == NULL) {
        curves[i].nid = nid;
        curves[i].params = made;
        made = NULL;
    }
    if (i < CURVES_CACHED && EVP_PKEY_up_ref(curves[i].params))
        key = curves[i].params;
    CRYPTO_THREAD_unlock(curves_lock);
    EVP_PKEY_free(made);
    return key;
}

/* An EC key on a named curve: the point is checked to be on the curve
 * when it is imported. */
static EVP_PKEY *ec_key(OSSL_LIB_CTX *libctx, const char *propq, int nid,
                        const unsigned char *bits, int len)
{
    OSSL_PARAM params[3];
    EVP_PKEY *curve, *key;

    if (libctx == NULL && propq == NULL && (curve = curve_params(nid)) != NULL) {
        key = EVP_PKEY_dup(curve);
        EVP_PKEY_free(curve);
        if (key != NULL && !EVP_PKEY_set1_encoded_public_key(key, bits, (size_t)len)) {
            EVP_PKEY_free(key);
            key = NULL;
        }
        return key;
    }
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                                 (char *)OBJ_nid2sn(nid), 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)bits,
                                                  (size_t)len);
    params[2] = OSSL_PARAM_construct_end();
    return from_params(libctx, propq, "EC", EVP_PKEY_PUBLIC_KEY, params);
}

/* An RSA key from RSAPublicKey DER; NULL (and no error) when it is not
 * plain DER with positive numbers, which the decoders then judge. */
static EVP_PKEY *rsa_key(OSSL_LIB_CTX *libctx, const char *propq, const unsigned char *bits,
                         int len)
{
    const unsigned char *p = bits;
    PXC_RSA_PUB *rsa;
    BIGNUM *n = NULL, *e = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY *key = NULL;

    ERR_set_mark();
    rsa = (PXC_RSA_PUB *)ASN1_item_d2i(NULL, &p, len, ASN1_ITEM_rptr(PXC_RSA_PUB));
    ERR_pop_to_mark();
    if (rsa == NULL || p != bits + len || ASN1_STRING_type(rsa->n) != V_ASN1_INTEGER
        || ASN1_STRING_type(rsa->e) != V_ASN1_INTEGER)
        goto out;
    if ((n = ASN1_INTEGER_to_BN(rsa->n, NULL)) == NULL
        || (e = ASN1_INTEGER_to_BN(rsa->e, NULL)) == NULL
        || (bld = OSSL_PARAM_BLD_new()) == NULL
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n)
        || !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)
        || (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
        goto out;
    key = from_params(libctx, propq, "RSA", EVP_PKEY_PUBLIC_KEY, params);
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    ASN1_item_free((ASN1_VALUE *)rsa, ASN1_ITEM_rptr(PXC_RSA_PUB));
    return key;
}

/* The key from its fields for the common algorithms; NULL (no error)
 * for the rest. */
static EVP_PKEY *from_fields(const X509_PUBKEY *pub, OSSL_LIB_CTX *libctx, const char *propq)
{
    const ASN1_OBJECT *alg;
    const void *pval;
    const unsigned char *bits;
    int len, ptype, nid;
    X509_ALGOR *algor;
    EVP_PKEY *key = NULL;

    if (!X509_PUBKEY_get0_param(NULL, &bits, &len, &algor, pub) || len <= 0)
        return NULL;
    X509_ALGOR_get0(&alg, &ptype, &pval, algor);
    ERR_set_mark();
    switch (OBJ_obj2nid(alg)) {
    case NID_X9_62_id_ecPublicKey:
        /* a named curve (RFC 5480 2.1.1); SM2's keys are SM2 keys */
        if (ptype == V_ASN1_OBJECT && (nid = OBJ_obj2nid(pval)) != NID_undef && nid != NID_sm2)
            key = ec_key(libctx, propq, nid, bits, len);
        break;
    case NID_rsaEncryption:
        /* parameters NULL (RFC 3279 2.3.1); absent is tolerated as by OpenSSL */
        if (ptype == V_ASN1_NULL || ptype == V_ASN1_UNDEF)
            key = rsa_key(libctx, propq, bits, len);
        break;
    case NID_ED25519:
        if (ptype == V_ASN1_UNDEF)
            key = EVP_PKEY_new_raw_public_key_ex(libctx, "ED25519", propq, bits, (size_t)len);
        break;
    case NID_ED448:
        if (ptype == V_ASN1_UNDEF)
            key = EVP_PKEY_new_raw_public_key_ex(libctx, "ED448", propq, bits, (size_t)len);
        break;
    case NID_X25519:
        if (ptype == V_ASN1_UNDEF)
            key = EVP_PKEY_new_raw_public_key_ex(libctx, "X25519", propq, bits, (size_t)len);
        break;
    case NID_X448:
        if (ptype == V_ASN1_UNDEF)
            key = EVP_PKEY_new_raw_public_key_ex(libctx, "X448", propq, bits, (size_t)len);
        break;
    default:
        break;
    }
    ERR_pop_to_mark();
    return key;
}

EVP_PKEY *pxc_spki_get1_pkey(const X509_PUBKEY *pub, OSSL_LIB_CTX *libctx, const char *propq)
{
    unsigned char *der = NULL;
    const unsigned char *q;
    EVP_PKEY *key;
    int len;

    if (pub == NULL) {
        ERR_raise(ERR_LIB_X509, ERR_R_PASSED_NULL_PARAMETER);
        return NULL;
    }
    /* a key OpenSSL's d2i already made for the default context */
    if (libctx == NULL && propq == NULL) {
        ERR_set_mark();
        key = X509_PUBKEY_get0(pub);
        ERR_pop_to_mark();
        if (key != NULL)
            return EVP_PKEY_up_ref(key) ? key : NULL;
    }
    if ((key = from_fields(pub, libctx, propq)) != NULL)
        return key;
    /* anything else (and whatever the fast paths refused) the decoders judge */
    if ((len = i2d_X509_PUBKEY(pub, &der)) <= 0)
        return NULL;
    q = der;
    key = d2i_PUBKEY_ex(NULL, &q, len, libctx, propq);
    if (key != NULL && q != der + len) {
        EVP_PKEY_free(key);
        key = NULL;
    }
    OPENSSL_free(der);
    return key;
}

int pxc_spki_set_cert(X509 *x, const X509_PUBKEY *pub)
{
    X509_ALGOR *from = NULL, *to = NULL;
    X509_PUBKEY *own = X509_get_X509_PUBKEY(x);
    ASN1_BIT_STRING *bs = X509_get0_pubkey_bitstr(x);
    const unsigned char *bits;
    EVP_PKEY *decoded;
    int len;

    /* copied onto itself, the bits and algorithm would be read after
     * they are freed */
    if (own == pub)
        return 1;
    /* a key OpenSSL decoded stays with the certificate (it cannot be
     * dropped): X509_get0_pubkey() would go on giving it for new bits */
    ERR_set_mark();
    decoded = X509_get0_pubkey(x);
    ERR_pop_to_mark();
    if (decoded != NULL) {
        if (pxc_spki_eq(own, pub))
            return 1;
        ERR_raise_data(ERR_LIB_X509, ERR_R_PASSED_INVALID_ARGUMENT,
                       "the certificate has a decoded public key of its own");
        return 0;
    }
    if (bs == NULL || !X509_PUBKEY_get0_param(NULL, &bits, &len, &from, pub)
        || !X509_PUBKEY_get0_param(NULL, NULL, NULL, &to, own)
        || !X509_ALGOR_copy(to, from) || !ASN1_BIT_STRING_set(bs, (unsigned char *)bits, len))
        return 0;
    bs->flags = (bs->flags & ~0x07L) | ASN1_STRING_FLAG_BITS_LEFT;
    return 1;
}

int pxc_spki_cert_has_key(const X509 *x, const EVP_PKEY *key, OSSL_LIB_CTX *libctx,
                          const char *propq)
{
    EVP_PKEY *k;
    int ret;

    ERR_set_mark();
    k = X509_get0_pubkey(x);
    ERR_pop_to_mark();
    if (k != NULL)
        return EVP_PKEY_eq(k, key) == 1;
    if ((k = pxc_spki_get1_pkey(X509_get_X509_PUBKEY(x), libctx, propq)) == NULL)
        return -1;
    ret = EVP_PKEY_eq(k, key) == 1;
    EVP_PKEY_free(k);
    return ret;
}

/* Field by field, not through DER: the DER of an X509_PUBKEY_dup() copy
 * has the trailing zero bits of its last octet cut off (and trailing zero
 * octets dropped), which d2i would refuse or take as a shorter key. */
X509_PUBKEY *pxc_spki_dup(const X509_PUBKEY *pub)
{
    X509_PUBKEY *dup = NULL, *ret = NULL;
    X509_ALGOR *from, *to;
    const unsigned char *bits;
    unsigned char *copy = NULL;
    int len;

    if (pub == NULL || !X509_PUBKEY_get0_param(NULL, &bits, &len, &from, pub))
        return NULL;
    if ((dup = X509_PUBKEY_new()) == NULL
        || (len > 0 && (copy = OPENSSL_memdup(bits, (size_t)len)) == NULL))
        goto out;
    /* set0_param takes the copy over as whole octets, as every key is */
    if (!X509_PUBKEY_set0_param(dup, NULL, V_ASN1_UNDEF, NULL, copy, len))
        goto out;
    copy = NULL; /* transferred */
    if (!X509_PUBKEY_get0_param(NULL, NULL, NULL, &to, dup) || !X509_ALGOR_copy(to, from))
        goto out;
    ret = dup;
    dup = NULL;
out:
    OPENSSL_free(copy);
    X509_PUBKEY_free(dup);
    return ret;
}

int pxc_spki_eq(const X509_PUBKEY *a, const X509_PUBKEY *b)
{
    const unsigned char *abits, *bbits;
    int alen, blen;
    X509_ALGOR *aalg, *balg;

    if (a == NULL || b == NULL || !X509_PUBKEY_get0_param(NULL, &abits, &alen, &aalg, a)
        || !X509_PUBKEY_get0_param(NULL, &bbits, &blen, &balg, b))
        return 0;
    return X509_ALGOR_cmp(aalg, balg) == 0 && alen == blen
        && (alen == 0 || memcmp(abits, bbits, (size_t)alen) == 0);
}

X509 *pxc_spki_cert_decoded(X509 *x)
{
    EVP_PKEY *k;

    ERR_set_mark();
    k = X509_get0_pubkey(x);
    ERR_pop_to_mark();
    if (k != NULL)
        return X509_up_ref(x) ? x : NULL;
    return X509_dup(x);
}
