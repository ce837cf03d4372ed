/*
 * enc_key.c - central key generation (RFC 9483 4.1.6): the request that
 * leaves the key to the CA, the key pair the key generation authority (KGA)
 * makes, and the private key's way back to the client: a OneAsymmetricKey
 * in an AsymmetricKeyPackage (RFC 5958), in a SignedData signed by the KGA,
 * in an EnvelopedData for the client (RFC 9810 5.2.2).
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include "enc_cert.h"

/* What the KGA generates when the template names no algorithm. */
#define DEFAULT_CURVE "P-256"
#define RSA_BITS ((size_t)2048)
/* PBKDF2 iterations of PasswordRecipientInfo (the KEK from the secret). */
#define PWRI_ITERATIONS 10000
/* id-ct-KP-aKeyPackage (RFC 5958 section 2); OpenSSL 3.0 has no NID. */
#define OID_AKEY_PACKAGE "2.16.840.1.101.2.1.2.78.5"

/* ------------------------------------------------------------ ASN.1 */

/* OneAsymmetricKey ::= SEQUENCE {
 *     version                   Version,       -- v1(0), v2(1)
 *     privateKeyAlgorithm       PrivateKeyAlgorithmIdentifier,
 *     privateKey                PrivateKey,    -- OCTET STRING
 *     attributes            [0] Attributes OPTIONAL,
 *     ...,
 *     [[2: publicKey        [1] PublicKey OPTIONAL ]],   -- BIT STRING
 *     ... } */
typedef struct {
    ASN1_INTEGER *version;
    X509_ALGOR *privateKeyAlgorithm;
    ASN1_OCTET_STRING *privateKey;
    STACK_OF(X509_ATTRIBUTE) *attributes;
    ASN1_BIT_STRING *publicKey;
} ONE_ASYM_KEY;
DEFINE_STACK_OF(ONE_ASYM_KEY)

/* The private key is wiped before it is freed. */
static int one_asym_key_cb(int op, ASN1_VALUE **pval, const ASN1_ITEM *it, void *exarg)
{
    ONE_ASYM_KEY *k = (ONE_ASYM_KEY *)*pval;

    (void)it;
    (void)exarg;
    if (op == ASN1_OP_FREE_PRE && k->privateKey != NULL)
        OPENSSL_cleanse(k->privateKey->data, (size_t)k->privateKey->length);
    return 1;
}

ASN1_SEQUENCE_cb(ONE_ASYM_KEY, one_asym_key_cb) = {
    ASN1_SIMPLE(ONE_ASYM_KEY, version, ASN1_INTEGER),
    ASN1_SIMPLE(ONE_ASYM_KEY, privateKeyAlgorithm, X509_ALGOR),
    ASN1_SIMPLE(ONE_ASYM_KEY, privateKey, ASN1_OCTET_STRING),
    ASN1_IMP_SET_OF_OPT(ONE_ASYM_KEY, attributes, X509_ATTRIBUTE, 0),
    ASN1_IMP_OPT(ONE_ASYM_KEY, publicKey, ASN1_BIT_STRING, 1),
} static_ASN1_SEQUENCE_END_cb(ONE_ASYM_KEY, ONE_ASYM_KEY)

/* AsymmetricKeyPackage ::= SEQUENCE SIZE (1..MAX) OF OneAsymmetricKey */
ASN1_ITEM_TEMPLATE(ASYM_KEY_PACKAGE) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, AsymmetricKeyPackage, ONE_ASYM_KEY)
static_ASN1_ITEM_TEMPLATE_END(ASYM_KEY_PACKAGE)

/* ContentInfo ::= SEQUENCE { contentType ContentType,
 *                            content [0] EXPLICIT ANY DEFINED BY contentType }
 * (RFC 5652 3): to cut the SignedData out of OpenSSL's ContentInfo and to
 * put it back, as envdata.c does for EnvelopedData. */
typedef struct {
    ASN1_OBJECT *contentType;
    ASN1_TYPE *content;
} CONTENT_INFO;

ASN1_SEQUENCE(CONTENT_INFO) = {
    ASN1_SIMPLE(CONTENT_INFO, contentType, ASN1_OBJECT),
    ASN1_EXP(CONTENT_INFO, content, ASN1_ANY, 0),
} static_ASN1_SEQUENCE_END(CONTENT_INFO)

/* The DER of the content of cms (for a SignedData: the SignedData). */
static int content_der(CMS_ContentInfo *cms, unsigned char **out, size_t *outlen)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    CONTENT_INFO *ci = NULL;
    const ASN1_STRING *s;
    int n, ret = 0;

    if ((n = i2d_CMS_ContentInfo(cms, &der)) <= 0
        || (p = der, ci = (CONTENT_INFO *)ASN1_item_d2i(NULL, &p, n,
                                                        ASN1_ITEM_rptr(CONTENT_INFO))) == NULL
        || ci->content->type != V_ASN1_SEQUENCE) {
        PXC_ERR(PKIXCMP_E_CMS, "cannot take the content out of a CMS ContentInfo");
        goto out;
    }
    s = ci->content->value.sequence;
    if ((*out = OPENSSL_memdup(s->data, (size_t)s->length)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CMS content");
        goto out;
    }
    *outlen = (size_t)s->length;
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)ci, ASN1_ITEM_rptr(CONTENT_INFO));
    OPENSSL_free(der);
    return ret;
}

/* A CMS_ContentInfo of type nid around content (the DER of one SEQUENCE). */
static CMS_ContentInfo *content_wrap(int nid, const unsigned char *content, size_t len)
{
    CONTENT_INFO ci = {NULL, NULL};
    ASN1_STRING *seq = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
    unsigned char *der = NULL;
    const unsigned char *p;
    CMS_ContentInfo *cms = NULL;
    int n;

    ci.contentType = OBJ_nid2obj(nid);
    if (seq == NULL || len > INT32_MAX || !ASN1_STRING_set(seq, content, (int)len)
        || (ci.content = ASN1_TYPE_new()) == NULL) {
        ASN1_STRING_free(seq);
        PXC_ERR(PKIXCMP_E_MALLOC, "CMS ContentInfo");
        goto out;
    }
    ASN1_TYPE_set(ci.content, V_ASN1_SEQUENCE, seq);
    if ((n = ASN1_item_i2d((ASN1_VALUE *)&ci, &der, ASN1_ITEM_rptr(CONTENT_INFO))) <= 0
        || (p = der, cms = d2i_CMS_ContentInfo(NULL, &p, n)) == NULL || p != der + n) {
        CMS_ContentInfo_free(cms);
        cms = NULL;
        PXC_ERR(PKIXCMP_E_CMS, "the decrypted %s does not decode", OBJ_nid2sn(nid));
    }
out:
    ASN1_TYPE_free(ci.content);
    OPENSSL_free(der);
    return cms;
}

/* ------------------------------------------------------------ request */

/*
 * RFC 9483 4.1.6: an EE asking for central key generation leaves the
 * publicKey out of the template, or sends only its algorithm with an empty
 * subjectPublicKey.
 */
int pxc_enc_ckg_requested(const PKIXCMP_CertReqMsg *crm)
{
    const X509_PUBKEY *pub;
    const unsigned char *bits = NULL;
    int len = 0;

    if (crm == NULL || crm->certReq == NULL || crm->certReq->certTemplate == NULL)
        return 0;
    if ((pub = crm->certReq->certTemplate->publicKey) == NULL)
        return 1;
    return X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, pub) && len == 0;
}

int pxc_enc_ckg_request(PKIXCMP_CertReqMsg *crm)
{
    PKIXCMP_CertTemplate *t = crm->certReq->certTemplate;
    X509_ALGOR *alg = NULL;
    X509_PUBKEY *pub = NULL;
    unsigned char *algder = NULL, *der = NULL, *w;
    const unsigned char *p;
    int alen, clen, total, ret = 0;

    ASN1_item_free((ASN1_VALUE *)crm->popo, ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession));
    crm->popo = NULL;
    if (t->publicKey == NULL)
        return 1;
    /* SubjectPublicKeyInfo { algorithm, subjectPublicKey BIT STRING '' } */
    if (!X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, t->publicKey)
        || (alen = i2d_X509_ALGOR(alg, &algder)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "central key generation: the template's key algorithm");
        goto out;
    }
    clen = alen + 3;
    total = ASN1_object_size(1, clen, V_ASN1_SEQUENCE);
    if (total <= 0 || (der = OPENSSL_malloc((size_t)total)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "central key generation: template publicKey");
        goto out;
    }
    w = der;
    ASN1_put_object(&w, 1, clen, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    memcpy(w, algder, (size_t)alen);
    memcpy(w + alen, "\x03\x01\x00", 3);
    p = der;
    ERR_set_mark(); /* the empty key does not decode into an EVP_PKEY */
    pub = d2i_X509_PUBKEY(NULL, &p, total);
    ERR_pop_to_mark();
    if (pub == NULL) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "central key generation: template publicKey");
        goto out;
    }
    X509_PUBKEY_free(t->publicKey);
    t->publicKey = pub;
    ret = 1;
out:
    OPENSSL_free(algder);
    OPENSSL_free(der);
    return ret;
}

/* ------------------------------------------------------------ key pair */

EVP_PKEY *pxc_enc_ckg_keygen(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm)
{
    const X509_PUBKEY *pub = crm->certReq->certTemplate->publicKey;
    const ASN1_OBJECT *aobj = NULL;
    const void *pval = NULL;
    X509_ALGOR *alg = NULL;
    int nid, ptype = V_ASN1_UNDEF;
    EVP_PKEY *key = NULL;
    char name[80];

    if (pub == NULL) /* the KGA chooses */
        return EVP_PKEY_Q_keygen(ctx->libctx, ctx->propq, "EC", DEFAULT_CURVE);
    X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub);
    X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
    switch (nid = OBJ_obj2nid(aobj)) {
    case NID_rsaEncryption:
        key = EVP_PKEY_Q_keygen(ctx->libctx, ctx->propq, "RSA", RSA_BITS);
        break;
    case NID_rsassaPss:
        key = EVP_PKEY_Q_keygen(ctx->libctx, ctx->propq, "RSA-PSS", RSA_BITS);
        break;
    case NID_X9_62_id_ecPublicKey:
        /* RFC 5480: ECParameters { namedCurve } */
        if (ptype == V_ASN1_OBJECT && OBJ_obj2nid(pval) != NID_undef)
            key = EVP_PKEY_Q_keygen(ctx->libctx, ctx->propq, "EC",
                                    OBJ_nid2sn(OBJ_obj2nid(pval)));
        break;
    case NID_ED25519:
    case NID_ED448:
    case NID_X25519:
    case NID_X448:
        key = EVP_PKEY_Q_keygen(ctx->libctx, ctx->propq, OBJ_nid2sn(nid));
        break;
    default:
        break;
    }
    if (key == NULL) {
        OBJ_obj2txt(name, sizeof(name), aobj, 0);
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "central key generation: cannot generate a key of "
                "algorithm %s%s", name, nid == NID_X9_62_id_ecPublicKey ? " (no named curve)" : "");
    }
    return key;
}

/* ------------------------------------------------------------ KGA side */

/* The DER of an AsymmetricKeyPackage with key as OneAsymmetricKey v2. */
static int package_der(EVP_PKEY *key, unsigned char **der, size_t *len)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
    const STACK_OF(X509_ATTRIBUTE) *attrs;
    const unsigned char *priv, *pubbits;
    const X509_ALGOR *palg;
    X509_PUBKEY *xpub = NULL;
    ONE_ASYM_KEY *k = (ONE_ASYM_KEY *)ASN1_item_new(ASN1_ITEM_rptr(ONE_ASYM_KEY));
    STACK_OF(ONE_ASYM_KEY) *pkg = sk_ONE_ASYM_KEY_new_null();
    int privlen, publen, n, ret = 0;

    *der = NULL;
    if (p8 == NULL || k == NULL || pkg == NULL
        || !PKCS8_pkey_get0(NULL, &priv, &privlen, &palg, p8)
        || !X509_PUBKEY_set(&xpub, key)
        || !X509_PUBKEY_get0_param(NULL, &pubbits, &publen, NULL, xpub)
        || !ASN1_INTEGER_set(k->version, 1) /* v2: with publicKey */
        || !X509_ALGOR_copy(k->privateKeyAlgorithm, palg)
        || !ASN1_OCTET_STRING_set(k->privateKey, priv, privlen)
        || (k->publicKey = ASN1_BIT_STRING_new()) == NULL
        || !ASN1_BIT_STRING_set(k->publicKey, (unsigned char *)pubbits, publen)) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "central key generation: the %s key as OneAsymmetricKey",
                EVP_PKEY_get0_type_name(key));
        goto out;
    }
    /* the key's bits as they are, no trailing zero bits dropped */
    k->publicKey->flags = (k->publicKey->flags & ~0x07L) | ASN1_STRING_FLAG_BITS_LEFT;
    attrs = PKCS8_pkey_get0_attrs(p8);
    if ((sk_X509_ATTRIBUTE_num(attrs) > 0
         && (k->attributes = sk_X509_ATTRIBUTE_deep_copy(attrs, X509_ATTRIBUTE_dup,
                                                         X509_ATTRIBUTE_free)) == NULL)
        || !sk_ONE_ASYM_KEY_push(pkg, k)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "AsymmetricKeyPackage");
        goto out;
    }
    k = NULL; /* transferred */
    if ((n = ASN1_item_i2d((ASN1_VALUE *)pkg, der, ASN1_ITEM_rptr(ASYM_KEY_PACKAGE))) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "AsymmetricKeyPackage");
        goto out;
    }
    *len = (size_t)n;
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)k, ASN1_ITEM_rptr(ONE_ASYM_KEY));
    ASN1_item_free((ASN1_VALUE *)pkg, ASN1_ITEM_rptr(ASYM_KEY_PACKAGE));
    X509_PUBKEY_free(xpub);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return ret;
}

/*
 * RFC 9810 5.2.2: "It may contain a private key in the AsymmetricKeyPackage
 * structure ... that is wrapped in a SignedData structure ... signed by the
 * Key Generation Authority or CA." The signer is named by its
 * subjectKeyIdentifier where it has one; signed attributes are
 * contentType, messageDigest and signingTime.
 */
static int sign_package(const PKIXCMP_CTX *ctx, const struct pxc_enc_signer *s,
                        const unsigned char *pkg, size_t len, unsigned char **sd, size_t *sdlen)
{
    unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    ASN1_OBJECT *oid = OBJ_txt2obj(OID_AKEY_PACKAGE, 1);
    CMS_ContentInfo *cms = NULL;
    BIO *in = NULL;
    int ret = 0;

    if (X509_get0_subject_key_id(s->cert) != NULL)
        flags |= CMS_USE_KEYID;
    if (oid == NULL || len > INT32_MAX || (in = BIO_new_mem_buf(pkg, (int)len)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "SignedData of the key package");
        goto out;
    }
    if ((cms = CMS_sign_ex(s->cert, s->key, s->chain, NULL, flags, ctx->libctx,
                           ctx->propq)) == NULL
        || !CMS_set1_eContentType(cms, oid) || !CMS_final(cms, in, NULL, CMS_BINARY)) {
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: signing the key package with the %s "
                "key failed", EVP_PKEY_get0_type_name(s->key));
        goto out;
    }
    ret = content_der(cms, sd, sdlen);
out:
    BIO_free(in);
    CMS_ContentInfo_free(cms);
    ASN1_OBJECT_free(oid);
    return ret;
}

/*
 * RFC 9810 5.2.2: key transport for a recipient's certificate "where any
 * given key usage extension allows keyEncipherment", key agreement where
 * it "allows keyAgreement".
 */
static int recipient_allowed(X509 *recip)
{
    EVP_PKEY *key = X509_get0_pubkey(recip);
    int rsa = key != NULL && EVP_PKEY_is_a(key, "RSA");
    uint32_t need = rsa ? KU_KEY_ENCIPHERMENT : KU_KEY_AGREEMENT;
    char subj[256];

    if (!pxc_enc_key_supported(key)) {
        PXC_ERR(PKIXCMP_E_NOT_AUTHORIZED, "central key generation: cannot encrypt the private "
                "key for a %s key (only RSA and EC)",
                key != NULL ? EVP_PKEY_get0_type_name(key) : "missing");
        return 0;
    }
    if ((X509_get_key_usage(recip) & need) == 0) {
        PXC_ERR(PKIXCMP_E_NOT_AUTHORIZED, "central key generation: the key usage of %s does not "
                "allow %s", pxc_dn_text(X509_get_subject_name(recip), subj, sizeof(subj)),
                rsa ? "keyEncipherment" : "keyAgreement");
        return 0;
    }
    return 1;
}

int pxc_enc_ckg_deliverable(const ASN1_OCTET_STRING *secret, X509 *recip)
{
    if (secret != NULL)
        return 1;
    if (recip == NULL) {
        PXC_ERR(PKIXCMP_E_NOT_AUTHORIZED, "central key generation: neither a shared secret nor a "
                "certificate to encrypt the private key for (an unprotected request?)");
        return 0;
    }
    return recipient_allowed(recip);
}

PKIXCMP_EncryptedKey *pxc_enc_newkey_new(const PKIXCMP_CTX *ctx, EVP_PKEY *newkey,
                                         const struct pxc_enc_signer *s,
                                         const ASN1_OCTET_STRING *secret, X509 *recip)
{
    unsigned char *pkg = NULL, *sd = NULL, *pass = NULL;
    size_t pkglen = 0, sdlen = 0;
    CMS_ContentInfo *cms = NULL;
    PKIXCMP_EncryptedKey *ret = NULL;

    if (s == NULL || s->cert == NULL || s->key == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "central key generation: no KGA certificate and "
                "key to sign the private key with");
        goto out;
    }
    if (!pxc_enc_ckg_deliverable(secret, recip))
        goto out;
    if (!package_der(newkey, &pkg, &pkglen) || !sign_package(ctx, s, pkg, pkglen, &sd, &sdlen)
        || (cms = pxc_enc_envelope_new(ctx)) == NULL)
        goto out;
    if (secret != NULL) {
        /* RFC 9810 5.2.2: "a password or shared secret: ... the
         * password-based key management technique" */
        if ((pass = OPENSSL_memdup(secret->data, (size_t)secret->length)) == NULL
            || CMS_add0_recipient_password(cms, PWRI_ITERATIONS, NID_undef, NID_undef, pass,
                                           secret->length, NULL) == NULL) {
            OPENSSL_clear_free(pass, (size_t)secret->length);
            PXC_ERR(PKIXCMP_E_CMS, "central key generation: cannot add the password recipient");
            goto out;
        }
    } else if (!pxc_enc_add_recipient(cms, recip, 1)) {
        goto out;
    }
    ret = pxc_enc_finish(cms, OBJ_nid2obj(NID_pkcs7_signed), sd, sdlen);
out:
    CMS_ContentInfo_free(cms);
    OPENSSL_clear_free(pkg, pkglen);
    OPENSSL_clear_free(sd, sdlen);
    return ret;
}

/* ------------------------------------------------------------ client side */

/* 1 if cert has id-kp-cmKGA among its extended key usages. */
static int has_kga_eku(X509 *cert)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    int i, found = 0;

    for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
        if (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i)) == NID_cmKGA)
            found = 1;
    EXTENDED_KEY_USAGE_free(eku);
    return found;
}

/* Validates signer (the SignedData's certificates and ours as intermediates)
 * against the trust store, else -out_trusted, at the context's time. */
static int validate_signer(const PKIXCMP_CTX *ctx, CMS_ContentInfo *sd, X509 *signer)
{
    X509_STORE *store = ctx->trusted != NULL ? ctx->trusted : ctx->cl.out_trusted;
    STACK_OF(X509) *pool = CMS_get1_certs(sd);
    X509_STORE_CTX *vctx = NULL;
    char subj[256];
    int i, ret = 0;

    pxc_dn_text(X509_get_subject_name(signer), subj, sizeof(subj));
    if (pool == NULL && (pool = sk_X509_new_null()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "untrusted certificates for the key package's signer");
        goto out;
    }
    if (ctx->srvcert != NULL && X509_cmp(ctx->srvcert, signer) == 0) {
        ret = 1; /* the pinned server certificate is trusted as it is */
        goto out;
    }
    if (store == NULL) {
        PXC_ERR(PKIXCMP_E_UNTRUSTED_SIGNER, "central key generation: no trust store (-trusted or "
                "-out_trusted) to validate the key package's signer %s with", subj);
        goto out;
    }
    for (i = 0; i < sk_X509_num(ctx->untrusted); i++)
        if (!X509_add_cert(pool, sk_X509_value(ctx->untrusted, i), X509_ADD_FLAG_UP_REF))
            goto out;
    if ((vctx = X509_STORE_CTX_new_ex(ctx->libctx, ctx->propq)) == NULL
        || !X509_STORE_CTX_init(vctx, store, signer, pool)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certificate verification context");
        goto out;
    }
    if (ctx->now != NULL)
        X509_STORE_CTX_set_time(vctx, 0, pxc_ctx_now(ctx));
    if (X509_verify_cert(vctx) <= 0) {
        PXC_ERR(PKIXCMP_E_UNTRUSTED_SIGNER, "central key generation: the key package's signer %s "
                "does not validate: %s", subj,
                X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
        goto out;
    }
    ret = 1;
out:
    X509_STORE_CTX_free(vctx);
    sk_X509_pop_free(pool, X509_free);
    return ret;
}

/* The one key of the AsymmetricKeyPackage der (caller frees). */
static EVP_PKEY *package_key(const PKIXCMP_CTX *ctx, const unsigned char *der, size_t len)
{
    const unsigned char *p = der, *bits;
    STACK_OF(ONE_ASYM_KEY) *pkg = NULL;
    ONE_ASYM_KEY *k;
    ASN1_BIT_STRING *pubkey = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    X509_PUBKEY *xpub = NULL;
    unsigned char *v1 = NULL;
    EVP_PKEY *key = NULL, *ret = NULL;
    long version;
    int n = 0, blen;

    if (len > INT32_MAX
        || (pkg = (STACK_OF(ONE_ASYM_KEY) *)ASN1_item_d2i(NULL, &p, (long)len,
                                                         ASN1_ITEM_rptr(ASYM_KEY_PACKAGE))) == NULL
        || p != der + len || sk_ONE_ASYM_KEY_num(pkg) != 1
        || (version = ASN1_INTEGER_get((k = sk_ONE_ASYM_KEY_value(pkg, 0))->version)) < 0
        || version > 1) {
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: the signed content is not an "
                "AsymmetricKeyPackage of one OneAsymmetricKey v1 or v2");
        goto out;
    }
    /* as PrivateKeyInfo (v1) for OpenSSL's decoders; the publicKey checked after */
    pubkey = k->publicKey;
    k->publicKey = NULL;
    p8 = NULL;
    if (!ASN1_INTEGER_set(k->version, 0)
        || (n = ASN1_item_i2d((ASN1_VALUE *)k, &v1, ASN1_ITEM_rptr(ONE_ASYM_KEY))) <= 0
        || (p = v1, p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, n)) == NULL
        || (key = EVP_PKCS82PKEY_ex(p8, ctx->libctx, ctx->propq)) == NULL) {
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: the private key does not decode");
        goto out;
    }
    if (pubkey != NULL
        && (!X509_PUBKEY_set(&xpub, key) || !X509_PUBKEY_get0_param(NULL, &bits, &blen, NULL, xpub)
            || blen != pubkey->length || memcmp(bits, pubkey->data, (size_t)blen) != 0)) {
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: the OneAsymmetricKey's publicKey is "
                "not the one of its private key");
        goto out;
    }
    ret = key;
    key = NULL; /* transferred */
out:
    EVP_PKEY_free(key);
    X509_PUBKEY_free(xpub);
    PKCS8_PRIV_KEY_INFO_free(p8);
    OPENSSL_clear_free(v1, n > 0 ? (size_t)n : 0);
    ASN1_BIT_STRING_free(pubkey);
    ASN1_item_free((ASN1_VALUE *)pkg, ASN1_ITEM_rptr(ASYM_KEY_PACKAGE));
    return ret;
}

/* 1 if signer issued cert: names, key identifiers, and cert's signature. */
static int is_issuer(X509 *signer, const X509 *cert)
{
    return X509_check_issued(signer, (X509 *)cert) == X509_V_OK
        && X509_verify((X509 *)cert, X509_get0_pubkey(signer)) == 1;
}

/*
 * The key of the SignedData sd: one SignerInfo whose signature verifies,
 * content type id-ct-KP-aKeyPackage, and a signer that validates and may
 * generate keys. RFC 9810 4.5: "CMP key generation authorities are CAs or
 * are identified by the id-kp-cmKGA extended key usage. ... The
 * authorization may also be determined through local configuration of the
 * end entity" (here: the pinned server certificate).
 */
static EVP_PKEY *open_signed(const PKIXCMP_CTX *ctx, const unsigned char *der, size_t len,
                             const X509 *newcert)
{
    CMS_ContentInfo *cms = content_wrap(NID_pkcs7_signed, der, len);
    ASN1_OBJECT *want = OBJ_txt2obj(OID_AKEY_PACKAGE, 1);
    STACK_OF(X509) *signers = NULL;
    X509 *signer;
    BIO *out = NULL;
    char *data = NULL, subj[256];
    long n = 0;
    EVP_PKEY *key = NULL;

    if (cms == NULL || want == NULL)
        goto out;
    if (sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) != 1
        || OBJ_cmp(CMS_get0_eContentType(cms), want) != 0) {
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: the SignedData needs one SignerInfo "
                "and content type id-ct-KP-aKeyPackage");
        goto out;
    }
    if ((out = BIO_new(BIO_s_mem())) == NULL
        || CMS_verify(cms, NULL, NULL, NULL, out, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) <= 0
        || (signers = CMS_get0_signers(cms)) == NULL
        || (signer = sk_X509_value(signers, 0)) == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_SIGNATURE, "central key generation: the signature of the key "
                "package does not verify with a certificate it carries");
        goto out;
    }
    if (!validate_signer(ctx, cms, signer))
        goto out;
    if (!is_issuer(signer, newcert) && !has_kga_eku(signer)
        && (ctx->srvcert == NULL || X509_cmp(ctx->srvcert, signer) != 0)) {
        PXC_ERR(PKIXCMP_E_NOT_AUTHORIZED, "central key generation: the key package's signer %s "
                "is neither the CA of the new certificate nor has id-kp-cmKGA",
                pxc_dn_text(X509_get_subject_name(signer), subj, sizeof(subj)));
        goto out;
    }
    if ((n = BIO_get_mem_data(out, &data)) > 0)
        key = package_key(ctx, (const unsigned char *)data, (size_t)n);
    else
        PXC_ERR(PKIXCMP_E_CMS, "central key generation: the key package is empty");
out:
    if (data != NULL && n > 0)
        OPENSSL_cleanse(data, (size_t)n); /* the private key */
    BIO_free(out);
    sk_X509_free(signers);
    ASN1_OBJECT_free(want);
    CMS_ContentInfo_free(cms);
    return key;
}

/* RFC 9810 5.2.2: PWRI with the secret that also protects our messages,
 * else KTRI/KARI with the key of our protection certificate. */
EVP_PKEY *pxc_enc_newkey_open(const PKIXCMP_CTX *ctx, const PKIXCMP_EncryptedKey *ek,
                              const X509 *newcert)
{
    unsigned char *sd = NULL;
    size_t sdlen = 0;
    EVP_PKEY *key = NULL;

    if (ctx->secret == NULL && ctx->pkey == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "central key generation: neither a secret nor a "
                "key to decrypt the private key with");
        return NULL;
    }
    if (pxc_enc_open(ek, ctx->pkey, ctx->secret, NID_pkcs7_signed, "privateKey", &sd,
                     &sdlen))
        key = open_signed(ctx, sd, sdlen, newcert);
    OPENSSL_clear_free(sd, sdlen);
    return key;
}
