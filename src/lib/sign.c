/*
 * sign.c - signature protection of ProtectedPart (RFC 9810 section 5.1.3.3).
 *
 * Both directions go through OpenSSL's generic ASN1_item_sign_ctx() and
 * ASN1_item_verify_ex(), so the AlgorithmIdentifier (including RSASSA-PSS
 * parameters) comes from the key's own method or provider, exactly as for
 * certificates, and keys held by providers work as keys from files do.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include "protect_local.h"

/* The text of an algorithm OID for messages ("ecdsa-with-SHA256"). */
static const char *alg_text(const X509_ALGOR *alg, char *buf, int len)
{
    if (alg == NULL || alg->algorithm == NULL
        || OBJ_obj2txt(buf, len, alg->algorithm, 0) <= 0)
        return "(none)";
    return buf;
}

/* EdDSA hashes the message itself: it takes no separate digest. */
static int key_takes_no_digest(const EVP_PKEY *key)
{
    return EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448");
}

/*
 * RSASSA-PSS for RSA-PSS keys. RFC 4055 section 3.1: "The parameters MUST
 * be present when used in the algorithm identifier associated with a
 * signature value"; OpenSSL's RSA method writes them from these settings.
 * MGF1 with the message digest and a salt as long as the digest output are
 * the usual choice (RFC 4055, RFC 8017 section 9.1) that others accept.
 */
static int setup_pss(EVP_PKEY_CTX *pctx, const char *mdname)
{
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0
        && EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, mdname, NULL) > 0
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0;
}

/*
 * Initialises mdctx for signing with the context's key and digest (none
 * for EdDSA), with PSS parameters for RSA-PSS keys.
 */
static int sign_init(const PKIXCMP_CTX *ctx, EVP_MD_CTX *mdctx)
{
    EVP_MD *md = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    const char *mdname = NULL;
    int ret = 0;

    if (!key_takes_no_digest(ctx->pkey)) {
        md = EVP_MD_fetch(ctx->libctx, ctx->digest, ctx->propq);
        if (md == NULL) {
            PXC_ERR(PKIXCMP_E_SIGN_FAILED, "digest %s is not available", ctx->digest);
            goto out;
        }
        mdname = EVP_MD_get0_name(md);
    }
    if (EVP_DigestSignInit_ex(mdctx, &pctx, mdname, ctx->libctx, ctx->propq,
                              ctx->pkey, NULL) <= 0) {
        PXC_ERR(PKIXCMP_E_SIGN_FAILED, "cannot sign with a %s key and digest %s",
                EVP_PKEY_get0_type_name(ctx->pkey), mdname != NULL ? mdname : "(none)");
        goto out;
    }
    if (EVP_PKEY_is_a(ctx->pkey, "RSA-PSS") && !setup_pss(pctx, mdname)) {
        PXC_ERR(PKIXCMP_E_SIGN_FAILED, "cannot set RSASSA-PSS parameters for %s", mdname);
        goto out;
    }
    ret = 1;
out:
    EVP_MD_free(md);
    return ret;
}

/* Refuses to sign without credentials that a receiver could verify. */
static int check_credentials(const PKIXCMP_CTX *ctx)
{
    if (ctx->pkey == NULL || ctx->cert == NULL) {
        PXC_ERR(PKIXCMP_E_NO_CREDENTIALS, "signature protection needs %s",
                ctx->pkey == NULL ? "a private key" : "a certificate");
        return 0;
    }
    /* Only a definite mismatch (0) counts: provider keys may not compare. */
    if (EVP_PKEY_eq(X509_get0_pubkey(ctx->cert), ctx->pkey) == 0) {
        PXC_ERR(PKIXCMP_E_NO_CREDENTIALS, "the private key does not belong to the certificate");
        return 0;
    }
    return 1;
}

int pxc_sig_sign(const PKIXCMP_CTX *ctx, PKIXCMP_ProtectedPart *pp,
                 X509_ALGOR *alg, ASN1_BIT_STRING *sig)
{
    EVP_MD_CTX *mdctx = NULL;
    int ret = 0;

    if (!check_credentials(ctx))
        goto out;
    /*
     * RFC 9810 5.1.3: protectionAlg is part of the header and so of the
     * protected part; it must be the one the signature covers.
     */
    if (pp->header == NULL || pp->header->protectionAlg != alg) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "protectionAlg to set is not the header's");
        goto out;
    }
    if ((mdctx = EVP_MD_CTX_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "signature context");
        goto out;
    }
    if (!sign_init(ctx, mdctx))
        goto out;
    /* Sets alg before encoding pp, as X509_sign() does for the TBS field. */
    if (ASN1_item_sign_ctx(ASN1_ITEM_rptr(PKIXCMP_ProtectedPart), alg, NULL, sig,
                           pp, mdctx) <= 0) {
        PXC_ERR(PKIXCMP_E_SIGN_FAILED, "signing ProtectedPart with a %s key failed",
                EVP_PKEY_get0_type_name(ctx->pkey));
        goto out;
    }
    ret = 1;
out:
    EVP_MD_CTX_free(mdctx);
    return ret;
}

/*
 * 1 if key can make signatures of algorithm signid whose key algorithm is
 * pknid. RSASSA-PSS signatures may come from rsaEncryption keys too
 * (RFC 4055 section 1.2).
 */
static int key_fits_alg(EVP_PKEY *key, int pknid)
{
    if (pknid == NID_rsassaPss)
        return EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "RSA-PSS");
    return EVP_PKEY_is_a(key, OBJ_nid2sn(pknid));
}

int pxc_sig_verify(const PKIXCMP_CTX *ctx, const PKIXCMP_ProtectedPart *pp,
                   const X509_ALGOR *alg, const ASN1_BIT_STRING *sig,
                   EVP_PKEY *key)
{
    char name[80];
    int mdnid, pknid, ret = 0;

    if (alg == NULL || alg->algorithm == NULL
        || !OBJ_find_sigid_algs(OBJ_obj2nid(alg->algorithm), &mdnid, &pknid)) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "%s is not a known signature algorithm",
                alg_text(alg, name, sizeof(name)));
        goto out;
    }
    if (!key_fits_alg(key, pknid)) {
        PXC_ERR(PKIXCMP_E_BAD_SIGNATURE, "%s signature cannot come from an %s key",
                alg_text(alg, name, sizeof(name)), EVP_PKEY_get0_type_name(key));
        goto out;
    }
    if (sig == NULL
        || ASN1_item_verify_ex(ASN1_ITEM_rptr(PKIXCMP_ProtectedPart), alg, sig, pp,
                               NULL, key, ctx->libctx, ctx->propq) <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_SIGNATURE,
                "%s with the %s key: the message was changed or another key signed it",
                alg_text(alg, name, sizeof(name)), EVP_PKEY_get0_type_name(key));
        goto out;
    }
    ret = 1;
out:
    return ret;
}
