/*
 * certreq.c - CRMF certificate requests (RFC 4211, RFC 9483 4.1.1): the
 * CertReqMsg of ir, cr and kur, with its template, controls and proof of
 * possession, and the server's check of that proof.
 *
 * POP signatures go through ASN1_item_sign_ctx() and ASN1_item_verify_ex()
 * as protection signatures do (sign.c): the AlgorithmIdentifier, RSASSA-PSS
 * parameters included, comes from the key's own method or provider.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include "certreq.h"
#include "hdr_build.h"
#include "protect_local.h"
#include "spki.h"
#include "typed_oid.h"

#define DEFAULT_POP_DIGEST "SHA256"

static long req_id(const PKIXCMP_CertRequest *req)
{
    return req != NULL && req->certReqId != NULL ? ASN1_INTEGER_get(req->certReqId) : -1;
}

static const char *oid_text(const ASN1_OBJECT *oid, char *buf, int len)
{
    if (oid == NULL || OBJ_obj2txt(buf, len, oid, 0) <= 0)
        return "(none)";
    return buf;
}

/* ------------------------------------------------------------ template */

/*
 * RFC 4211 5: OptionalValidity "-- at least one MUST be present", so with
 * neither date the validity is left out. RFC 5280 4.1.2.5: "CAs conforming
 * to this profile MUST always encode certificate validity dates through the
 * year 2049 as UTCTime; certificate validity dates in 2050 or later MUST be
 * encoded as GeneralizedTime." ASN1_TIME_set() chooses exactly so.
 */
static int set_validity(PKIXCMP_CertTemplate *t, time_t nb, time_t na)
{
    PKIXCMP_OptionalValidity *v;

    if (nb == 0 && na == 0)
        return 1;
    if (nb != 0 && na != 0 && na < nb) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "validity: notAfter is before notBefore");
        return 0;
    }
    v = (PKIXCMP_OptionalValidity *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_OptionalValidity));
    if ((t->validity = v) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "OptionalValidity");
        return 0;
    }
    if ((nb != 0 && (v->notBefore = ASN1_TIME_set(NULL, nb)) == NULL)
        || (na != 0 && (v->notAfter = ASN1_TIME_set(NULL, na)) == NULL)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "validity: a date cannot be encoded as Time");
        return 0;
    }
    return 1;
}

static PKIXCMP_CertTemplate *template_new(const struct pxc_certreq_params *p)
{
    PKIXCMP_CertTemplate *t, *ret = NULL;

    t = (PKIXCMP_CertTemplate *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
    if (t == NULL
        || (p->issuer != NULL && (t->issuer = X509_NAME_dup(p->issuer)) == NULL)
        || (p->subject != NULL && (t->subject = X509_NAME_dup(p->subject)) == NULL)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertTemplate");
        goto out;
    }
    /* X509_PUBKEY_set() takes only the public half of a private key; an
     * encoding made before saves OpenSSL 3.0's encoder and decoder (about
     * 170 us a request) */
    if (p->pubkey_enc != NULL) {
        X509_PUBKEY_free(t->publicKey);
        if ((t->publicKey = pxc_spki_dup(p->pubkey_enc)) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "CertTemplate publicKey");
            goto out;
        }
    } else if (p->pubkey != NULL && !X509_PUBKEY_set(&t->publicKey, p->pubkey)) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "CertTemplate: the %s public key cannot be encoded",
                EVP_PKEY_get0_type_name(p->pubkey));
        goto out;
    }
    /* Extensions ::= SEQUENCE SIZE (1..MAX): an empty list is left out. */
    if (p->exts != NULL && sk_X509_EXTENSION_num(p->exts) > 0
        && (t->extensions = sk_X509_EXTENSION_deep_copy(p->exts, X509_EXTENSION_dup,
                                                        X509_EXTENSION_free)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertTemplate extensions");
        goto out;
    }
    if (!set_validity(t, p->not_before, p->not_after))
        goto out;
    ret = t;
    t = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)t, ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
    return ret;
}

/*
 * RFC 4211 6.5: "OldCertId ::= CertId" names the certificate to be
 * updated by its issuer (a directoryName here, as openssl cmp sends it)
 * and serial number.
 */
static int add_old_cert_id(PKIXCMP_CertRequest *req, const X509 *oldcert)
{
    PKIXCMP_CertId *cid = NULL;
    PKIXCMP_AttributeTypeAndValue *atv = NULL;
    X509_NAME *issuer = NULL;
    int ret = 0;

    cid = (PKIXCMP_CertId *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertId));
    atv = (PKIXCMP_AttributeTypeAndValue *)ASN1_item_new(
        ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue));
    if (cid == NULL || atv == NULL
        || (issuer = X509_NAME_dup(X509_get_issuer_name(oldcert))) == NULL
        || !ASN1_STRING_copy(cid->serialNumber, X509_get0_serialNumber(oldcert))) {
        PXC_ERR(PKIXCMP_E_MALLOC, "oldCertID control");
        goto out;
    }
    GENERAL_NAME_set0_value(cid->issuer, GEN_DIRNAME, issuer);
    issuer = NULL; /* transferred */
    atv->type = OBJ_nid2obj(NID_id_regCtrl_oldCertID);
    if (ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(PKIXCMP_CertId), cid, &atv->value) == NULL) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "oldCertID control value");
        goto out;
    }
    if ((req->controls == NULL
         && (req->controls = sk_PKIXCMP_AttributeTypeAndValue_new_null()) == NULL)
        || !sk_PKIXCMP_AttributeTypeAndValue_push(req->controls, atv)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "controls");
        goto out;
    }
    atv = NULL; /* transferred */
    ret = 1;
out:
    X509_NAME_free(issuer);
    ASN1_item_free((ASN1_VALUE *)cid, ASN1_ITEM_rptr(PKIXCMP_CertId));
    ASN1_item_free((ASN1_VALUE *)atv, ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue));
    return ret;
}

static PKIXCMP_CertRequest *request_new(const struct pxc_certreq_params *p)
{
    PKIXCMP_CertRequest *req, *ret = NULL;

    req = (PKIXCMP_CertRequest *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertRequest));
    if (req == NULL || !ASN1_INTEGER_set(req->certReqId, p->cert_req_id)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertRequest");
        goto out;
    }
    ASN1_item_free((ASN1_VALUE *)req->certTemplate, ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
    if ((req->certTemplate = template_new(p)) == NULL)
        goto out;
    if (p->oldcert != NULL && !add_old_cert_id(req, p->oldcert))
        goto out;
    ret = req;
    req = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)req, ASN1_ITEM_rptr(PKIXCMP_CertRequest));
    return ret;
}

/* ------------------------------------------------------------ POP: build */

/*
 * Sets up mdctx to sign with key: digest p->digest (none for EdDSA, which
 * hashes the message itself), and for RSA-PSS keys RSASSA-PSS with MGF1 of
 * the same digest and a salt as long as its output, as sign.c does.
 */
static int pop_sign_init(const PKIXCMP_CTX *ctx, EVP_MD_CTX *mdctx, EVP_PKEY *key,
                         const char *digest)
{
    EVP_MD *md = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    const char *mdname = NULL;
    int ret = 0;

    if (!EVP_PKEY_is_a(key, "ED25519") && !EVP_PKEY_is_a(key, "ED448")) {
        if ((md = EVP_MD_fetch(ctx->libctx, digest, ctx->propq)) == NULL) {
            PXC_ERR(PKIXCMP_E_UNKNOWN_NAME, "POP signature: digest %s is not available", digest);
            goto out;
        }
        mdname = EVP_MD_get0_name(md);
    }
    if (EVP_DigestSignInit_ex(mdctx, &pctx, mdname, ctx->libctx, ctx->propq, key, NULL) <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "POP signature: cannot sign with the %s key and digest %s",
                EVP_PKEY_get0_type_name(key), mdname != NULL ? mdname : "(none)");
        goto out;
    }
    if (EVP_PKEY_is_a(key, "RSA-PSS")
        && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0
            || EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mdname, NULL) <= 0
            || EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "POP signature: cannot set RSASSA-PSS parameters for %s",
                mdname);
        goto out;
    }
    ret = 1;
out:
    EVP_MD_free(md);
    return ret;
}

/*
 * RFC 4211 Appendix B: "If the CertReqMsg certReq CertTemplate contains
 * the subject and publicKey values, then poposkInput MUST be omitted and
 * the signature MUST be computed over the DER-encoded value of CertReqMsg
 * certReq. If the CertReqMsg certReq CertTemplate does not contain both
 * the public key and subject values (i.e., if it contains only one of
 * these, or neither), then poposkInput MUST be present and MUST be signed."
 * Our template always has the public key.
 */
static PKIXCMP_POPOSigningKey *sig_popo_new(const PKIXCMP_CTX *ctx,
                                            const struct pxc_certreq_params *p,
                                            const PKIXCMP_CertRequest *req)
{
    PKIXCMP_POPOSigningKey *sk = NULL, *ret = NULL;
    EVP_MD_CTX *mdctx = NULL;
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertRequest);
    const void *tbs = req;
    int eq;

    if (p->popkey == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER,
                "certReqId %ld: a signature POP needs the private key (popkey)", p->cert_req_id);
        goto out;
    }
    /* 0: another key; -1: another key type; -2: cannot compare (provider) */
    if ((eq = EVP_PKEY_eq(p->popkey, p->pubkey)) == 0 || eq == -1) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: the POP key (%s) is not the key to certify (%s)",
                p->cert_req_id, EVP_PKEY_get0_type_name(p->popkey),
                EVP_PKEY_get0_type_name(p->pubkey));
        goto out;
    }
    sk = (PKIXCMP_POPOSigningKey *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_POPOSigningKey));
    if (sk == NULL || (mdctx = EVP_MD_CTX_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "POPOSigningKey");
        goto out;
    }
    if (req->certTemplate->subject == NULL) {
        sk->poposkInput = pxc_poposk_input_new(ctx, req->certTemplate->publicKey, req_id(req));
        if (sk->poposkInput == NULL)
            goto out;
        it = ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput);
        tbs = sk->poposkInput;
    }
    if (!pop_sign_init(ctx, mdctx, p->popkey, p->digest != NULL ? p->digest : DEFAULT_POP_DIGEST))
        goto out;
    if (ASN1_item_sign_ctx(it, sk->algorithmIdentifier, NULL, sk->signature, tbs, mdctx) <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: signing the %s with the %s key failed "
                "(is it a private key?)", p->cert_req_id, pxc_item_name(it),
                EVP_PKEY_get0_type_name(p->popkey));
        goto out;
    }
    ret = sk;
    sk = NULL; /* transferred */
out:
    EVP_MD_CTX_free(mdctx);
    ASN1_item_free((ASN1_VALUE *)sk, ASN1_ITEM_rptr(PKIXCMP_POPOSigningKey));
    return ret;
}

/*
 * The POP of p->popo. For keys that cannot sign, RFC 4211 4.2 and 4.3 let
 * the subsequentMessage "encrCert" (0) ask for the certificate to come
 * back encrypted for the key, POP then following in certConf.
 */
static PKIXCMP_ProofOfPossession *popo_new(const PKIXCMP_CTX *ctx,
                                           const struct pxc_certreq_params *p,
                                           const PKIXCMP_CertRequest *req)
{
    PKIXCMP_ProofOfPossession *popo, *ret = NULL;
    PKIXCMP_POPOPrivKey *pk = NULL;

    popo = (PKIXCMP_ProofOfPossession *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession));
    if (popo == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "ProofOfPossession");
        goto out;
    }
    switch (p->popo) {
    case PXC_POPO_RAVERIFIED:
        popo->type = PKIXCMP_POP_RAVERIFIED;
        if ((popo->value.raVerified = ASN1_NULL_new()) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "raVerified");
            goto out;
        }
        break;
    case PXC_POPO_SIGNATURE:
        popo->type = PKIXCMP_POP_SIGNATURE;
        if ((popo->value.signature = sig_popo_new(ctx, p, req)) == NULL)
            goto out;
        break;
    case PXC_POPO_KEYENC:
    case PXC_POPO_KEYAGREE:
        pk = (PKIXCMP_POPOPrivKey *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_POPOPrivKey));
        if (pk == NULL || (pk->value.subsequentMessage = ASN1_INTEGER_new()) == NULL
            || !ASN1_INTEGER_set(pk->value.subsequentMessage, 0)) {
            PXC_ERR(PKIXCMP_E_MALLOC, "POPOPrivKey");
            goto out;
        }
        pk->type = 1; /* subsequentMessage */
        popo->type = p->popo == PXC_POPO_KEYENC ? PKIXCMP_POP_KEYENCIPHERMENT
                                                : PKIXCMP_POP_KEYAGREEMENT;
        popo->value.keyEncipherment = pk; /* both arms are POPOPrivKey */
        pk = NULL; /* transferred */
        break;
    default:
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "unknown POP method %d", p->popo);
        goto out;
    }
    ret = popo;
    popo = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)pk, ASN1_ITEM_rptr(PKIXCMP_POPOPrivKey));
    ASN1_item_free((ASN1_VALUE *)popo, ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession));
    return ret;
}

PKIXCMP_CertReqMsg *pxc_certreq_new(const PKIXCMP_CTX *ctx, const struct pxc_certreq_params *p)
{
    PKIXCMP_CertReqMsg *crm = NULL, *ret = NULL;

    if (ctx == NULL || p == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no context or no request parameters");
        goto out;
    }
    /* without POP the key may be left out: central key generation */
    if (p->pubkey == NULL && p->popo != PXC_POPO_NONE) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "certReqId %ld: no public key to certify",
                p->cert_req_id);
        goto out;
    }
    crm = (PKIXCMP_CertReqMsg *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    if (crm == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertReqMsg");
        goto out;
    }
    ASN1_item_free((ASN1_VALUE *)crm->certReq, ASN1_ITEM_rptr(PKIXCMP_CertRequest));
    if ((crm->certReq = request_new(p)) == NULL)
        goto out;
    /* The POP signs the finished certReq, so it comes last. */
    if (p->popo != PXC_POPO_NONE && (crm->popo = popo_new(ctx, p, crm->certReq)) == NULL)
        goto out;
    ret = crm;
    crm = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    return ret;
}

/* ------------------------------------------------------------ POP: check */

EVP_PKEY *pxc_certreq_get1_pubkey(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm)
{
    const X509_PUBKEY *pub;
    const ASN1_OBJECT *alg = NULL;
    EVP_PKEY *key;
    char name[80];

    if (crm == NULL || crm->certReq == NULL || crm->certReq->certTemplate == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no CertReqMsg");
        return NULL;
    }
    if ((pub = crm->certReq->certTemplate->publicKey) == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "certReqId %ld: the certificate template has no publicKey",
                req_id(crm->certReq));
        return NULL;
    }
    X509_PUBKEY_get0_param((ASN1_OBJECT **)&alg, NULL, NULL, NULL, pub);
    /* the message decoder left the key undecoded (spki.h): made here, from
     * the context's providers */
    if ((key = pxc_spki_get1_pkey(pub, ctx->libctx, ctx->propq)) == NULL)
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "certReqId %ld: the template's publicKey (%s) "
                "cannot be decoded", req_id(crm->certReq), oid_text(alg, name, sizeof(name)));
    return key;
}

/* 1 if key can make signatures whose key algorithm is pknid; RSASSA-PSS
 * may come from rsaEncryption keys too (RFC 4055 section 1.2). */
static int key_fits_alg(EVP_PKEY *key, int pknid)
{
    if (pknid == NID_rsassaPss)
        return EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS");
    return pknid != NID_undef && EVP_PKEY_is_a(key, OBJ_nid2sn(pknid));
}

/* The POP signature sk over tbs, a value of type it, or over raw (its DER
 * as received) if raw is not NULL. */
static int verify_sig(const PKIXCMP_CTX *ctx, const ASN1_ITEM *it, const void *tbs,
                      const struct pxc_raw_der *raw, const PKIXCMP_POPOSigningKey *sk,
                      EVP_PKEY *key, long id)
{
    const ASN1_OBJECT *oid = sk->algorithmIdentifier != NULL
                                 ? sk->algorithmIdentifier->algorithm : NULL;
    char name[80];
    int mdnid, pknid;

    if (!OBJ_find_sigid_algs(OBJ_obj2nid(oid), &mdnid, &pknid)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: POP algorithm %s is not a known signature "
                "algorithm", id, oid_text(oid, name, sizeof(name)));
        return 0;
    }
    if (!key_fits_alg(key, pknid)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: a %s POP signature cannot come from the "
                "template's %s key", id, oid_text(oid, name, sizeof(name)),
                EVP_PKEY_get0_type_name(key));
        return 0;
    }
    if (sk->signature == NULL
        || ASN1_item_verify_ex(raw != NULL ? ASN1_ITEM_rptr(PXC_RAW_DER) : it,
                               sk->algorithmIdentifier, sk->signature,
                               raw != NULL ? (const void *)raw : tbs, NULL, key, ctx->libctx,
                               ctx->propq) <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: POP signature (%s over %s) does not verify "
                "with the template's public key", id, oid_text(oid, name, sizeof(name)),
                pxc_item_name(it));
        return 0;
    }
    return 1;
}

static int check_sig_pop(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm, EVP_PKEY **keep,
                         const unsigned char *der, size_t len)
{
    const PKIXCMP_CertRequest *req = crm->certReq;
    const PKIXCMP_POPOSigningKey *sk = crm->popo->value.signature;
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertRequest);
    const void *tbs = req;
    struct pxc_raw_der raw = { der, len }, *praw = NULL;
    EVP_PKEY *key;
    long id = req_id(req);
    int ret = 0;

    if ((key = pxc_certreq_get1_pubkey(ctx, crm)) == NULL)
        goto out;
    /* RFC 4211 Appendix B, see sig_popo_new() */
    if (sk->poposkInput == NULL && req->certTemplate->subject == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: the template has no subject, so the POP "
                "needs poposkInput (RFC 4211 Appendix B)", id);
        goto out;
    }
    if (sk->poposkInput != NULL) {
        if (req->certTemplate->subject != NULL) {
            PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: poposkInput present although the "
                    "template has subject and publicKey (RFC 4211 Appendix B: MUST be omitted)", id);
            goto out;
        }
        if (!pxc_poposk_input_check(ctx, sk->poposkInput, req->certTemplate->publicKey, id))
            goto out;
        it = ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput);
        tbs = sk->poposkInput;
    } else if (der != NULL) {
        /* "the signature is computed over the DER-encoded value of
         * certReq" (RFC 4211 4.1): the DER it came as */
        praw = &raw;
    }
    if ((ret = verify_sig(ctx, it, tbs, praw, sk, key, id)) && keep != NULL) {
        *keep = key;
        key = NULL; /* transferred */
    }
out:
    EVP_PKEY_free(key);
    return ret;
}

int pxc_certreq_check_pop(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                          int accept_raverified)
{
    return pxc_certreq_check_pop_key(ctx, crm, accept_raverified, NULL);
}

int pxc_certreq_check_pop_key(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                              int accept_raverified, EVP_PKEY **key)
{
    return pxc_certreq_check_pop_der(ctx, crm, accept_raverified, key, NULL, 0);
}

int pxc_certreq_check_pop_der(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                              int accept_raverified, EVP_PKEY **key, const unsigned char *der,
                              size_t len)
{
    long id;

    if (key != NULL)
        *key = NULL;
    if (ctx == NULL || crm == NULL || crm->certReq == NULL || crm->certReq->certTemplate == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no context or no CertReqMsg");
        return 0;
    }
    id = req_id(crm->certReq);
    if (crm->popo == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: no proof of possession (popo absent)", id);
        return 0;
    }
    switch (crm->popo->type) {
    case PKIXCMP_POP_RAVERIFIED:
        if (!accept_raverified) {
            PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: raVerified POP is not accepted here", id);
            return 0;
        }
        return 1;
    case PKIXCMP_POP_SIGNATURE:
        return check_sig_pop(ctx, crm, key, der, len);
    case PKIXCMP_POP_KEYENCIPHERMENT:
    case PKIXCMP_POP_KEYAGREEMENT:
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: %s POP is not supported (only signature%s)",
                id, crm->popo->type == PKIXCMP_POP_KEYENCIPHERMENT ? "keyEncipherment"
                                                                  : "keyAgreement",
                accept_raverified ? " and raVerified" : "");
        return 0;
    default:
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: unknown POP choice %d", id, crm->popo->type);
        return 0;
    }
}

/* ------------------------------------------------------------ controls */

int pxc_certreq_get1_oldcertid(const PKIXCMP_CertReqMsg *crm, PKIXCMP_CertId **certid)
{
    const PKIXCMP_AttributeTypeAndValue *atv, *found = NULL;
    const PKIXCMP_Controls *controls;
    char where[40];
    int i;

    *certid = NULL;
    if (crm == NULL || crm->certReq == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no CertReqMsg");
        return 0;
    }
    controls = crm->certReq->controls;
    for (i = 0; i < sk_PKIXCMP_AttributeTypeAndValue_num(controls); i++) {
        atv = sk_PKIXCMP_AttributeTypeAndValue_value(controls, i);
        if (OBJ_obj2nid(atv->type) != NID_id_regCtrl_oldCertID)
            continue;
        if (found != NULL) {
            PXC_ERR(PKIXCMP_E_ITAV_VALUE, "certReqId %ld: more than one oldCertID control",
                    req_id(crm->certReq));
            return 0;
        }
        found = atv;
    }
    if (found == NULL)
        return 1;
    snprintf(where, sizeof(where), "certReqId %ld control", req_id(crm->certReq));
    *certid = (PKIXCMP_CertId *)pxc_typed_value_decode(pxc_attr_lookup(found->type),
                                                       found->value, where);
    return *certid != NULL;
}

int pxc_certid_matches(const PKIXCMP_CertId *certid, const X509 *cert)
{
    const X509_NAME *issuer = certid != NULL ? pxc_gn_dirname(certid->issuer) : NULL;

    return issuer != NULL && cert != NULL && certid->serialNumber != NULL
        && X509_NAME_cmp(issuer, X509_get_issuer_name(cert)) == 0
        && ASN1_INTEGER_cmp(certid->serialNumber, X509_get0_serialNumber(cert)) == 0;
}
