/*
 * signer.c - whose signature protects a message, and do we trust it?
 * (RFC 9810 section 5.1.3.3, RFC 9483 section 3.5)
 *
 * Candidates are found by sender and senderKID, then each is tried: the
 * signature first (a certificate whose key did not sign is simply not the
 * signer), then its chain, key usage and extended key usage. When no
 * candidate passes, the errors of the one that got furthest are reported.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "protect_local.h"

/* How far a candidate got; the higher, the more telling its failure. */
enum {
    TRY_SIG_FAILED = 1,
    TRY_CHAIN_FAILED,
    TRY_KU_FAILED,
    TRY_EKU_FAILED,
    TRY_OK
};

/* The subject of cert for error details. */
static const char *subject_text(const X509 *cert, char *buf, size_t len)
{
    return pxc_dn_text(X509_get_subject_name(cert), buf, len);
}

/* ---- matching sender and senderKID ---- */

/*
 * RFC 9810 section 5.1.1: "This name (in conjunction with senderKID, if
 * supplied) should be sufficient to indicate the key to use to verify the
 * protection on the message." A certificate without SKID cannot match a
 * senderKID.
 */
static int cert_matches(X509 *cert, const X509_NAME *sender,
                        const ASN1_OCTET_STRING *kid)
{
    const ASN1_OCTET_STRING *skid;

    if (X509_NAME_cmp(X509_get_subject_name(cert), sender) != 0)
        return 0;
    if (kid == NULL)
        return 1;
    skid = X509_get0_subject_key_id(cert);
    return skid != NULL && ASN1_OCTET_STRING_cmp(skid, kid) == 0;
}

/* 1 if cert is already among cands (the same certificate twice). */
static int already_listed(STACK_OF(X509) *cands, const X509 *cert)
{
    int i;

    for (i = 0; i < sk_X509_num(cands); i++)
        if (X509_cmp(sk_X509_value(cands, i), cert) == 0)
            return 1;
    return 0;
}

/* Appends the certificates of certs that match to cands (not owned). */
static int add_matching(STACK_OF(X509) *cands, STACK_OF(X509) *certs,
                        const X509_NAME *sender, const ASN1_OCTET_STRING *kid)
{
    int i, ret = 0;

    for (i = 0; i < sk_X509_num(certs); i++) {
        X509 *c = sk_X509_value(certs, i);

        if (cert_matches(c, sender, kid) && !already_listed(cands, c)
            && !sk_X509_push(cands, c)) {
            PXC_ERR(PKIXCMP_E_MALLOC, "signer candidates");
            goto out;
        }
    }
    ret = 1;
out:
    return ret;
}

/* Raises PKIXCMP_E_NO_SIGNER naming what was looked for. */
static void no_signer(const PKIXCMP_PKIHeader *hdr, const char *why)
{
    char name[256], kid[128];
    const X509_NAME *sender = hdr->sender != NULL && hdr->sender->type == GEN_DIRNAME
        ? hdr->sender->d.directoryName : NULL;

    PXC_ERR(PKIXCMP_E_NO_SIGNER, "%s: sender %s, senderKID %s", why,
            sender != NULL ? pxc_dn_text(sender, name, sizeof(name)) : "(not a directoryName)",
            pxc_hex_text(hdr->senderKID, kid, sizeof(kid)));
}

/*
 * The candidates in the order to try them, or NULL (PKIXCMP_E_NO_SIGNER if
 * there is none). RFC 9483 section 3.3 puts the CMP protection certificate
 * first in extraCerts, so extraCerts come before the untrusted certificates.
 */
static STACK_OF(X509) *find_candidates(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg)
{
    const PKIXCMP_PKIHeader *hdr = msg->header;
    STACK_OF(X509) *cands = NULL;
    const X509_NAME *sender;

    if (hdr->sender == NULL || hdr->sender->type != GEN_DIRNAME) {
        no_signer(hdr, "a certificate can only match a directoryName sender");
        goto err;
    }
    sender = hdr->sender->d.directoryName;
    if ((cands = sk_X509_new_null()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "signer candidates");
        goto err;
    }
    if (!add_matching(cands, msg->extraCerts, sender, hdr->senderKID)
        || !add_matching(cands, ctx->untrusted, sender, hdr->senderKID))
        goto err;
    if (sk_X509_num(cands) == 0) {
        no_signer(hdr, "no certificate in extraCerts or the untrusted ones matches");
        goto err;
    }
    return cands;
err:
    sk_X509_free(cands);
    return NULL;
}

/* ---- the checks of one candidate ---- */

/* The protection of msg verifies with cert's public key. */
static int check_signature(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 *cert)
{
    PKIXCMP_ProtectedPart pp;
    EVP_PKEY *key = X509_get0_pubkey(cert);
    char subj[256];
    int ret = 0;

    pp.header = msg->header;
    pp.body = msg->body;
    if (key == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_SIGNATURE, "the public key of %s cannot be used",
                subject_text(cert, subj, sizeof(subj)));
        goto out;
    }
    if (!pxc_sig_verify(ctx, &pp, msg->header->protectionAlg, msg->protection, key)) {
        /* an unknown algorithm says it all; a bad signature needs the who */
        if (pkixcmp_err_peek_last() == PKIXCMP_E_BAD_SIGNATURE)
            PXC_ERR(PKIXCMP_E_BAD_SIGNATURE, "signature by %s does not verify",
                    subject_text(cert, subj, sizeof(subj)));
        goto out;
    }
    ret = 1;
out:
    return ret;
}

/* extraCerts and then the context's untrusted certificates, not owned. */
static STACK_OF(X509) *chain_pool(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg)
{
    STACK_OF(X509) *pool = msg->extraCerts != NULL ? sk_X509_dup(msg->extraCerts)
                                                   : sk_X509_new_null();
    int i;

    for (i = 0; pool != NULL && i < sk_X509_num(ctx->untrusted); i++) {
        if (!sk_X509_push(pool, sk_X509_value(ctx->untrusted, i))) {
            sk_X509_free(pool);
            pool = NULL;
        }
    }
    if (pool == NULL)
        PXC_ERR(PKIXCMP_E_MALLOC, "untrusted certificates for chain building");
    return pool;
}

/* Raises the error for a failed chain validation of cert. */
static void chain_error(X509_STORE_CTX *vctx, X509 *cert)
{
    int err = X509_STORE_CTX_get_error(vctx);
    int depth = X509_STORE_CTX_get_error_depth(vctx);
    char subj[256];

    if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID)
        PXC_ERR(PKIXCMP_E_SIGNER_EXPIRED, "chain of %s: %s (at depth %d)",
                subject_text(cert, subj, sizeof(subj)),
                X509_verify_cert_error_string(err), depth);
    else
        PXC_ERR(PKIXCMP_E_UNTRUSTED_SIGNER, "chain of %s: %s (error %d at depth %d)",
                subject_text(cert, subj, sizeof(subj)),
                X509_verify_cert_error_string(err), err, depth);
}

/* Validates cert's chain to the trust anchors of store, with extraCerts and
 * the untrusted certificates as intermediates, at the context's time. */
static int check_chain_with(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 *cert,
                            X509_STORE *store)
{
    X509_STORE_CTX *vctx = NULL;
    STACK_OF(X509) *pool = NULL;
    int ret = 0;

    if ((pool = chain_pool(ctx, msg)) == NULL)
        goto out;
    if ((vctx = X509_STORE_CTX_new_ex(ctx->libctx, ctx->propq)) == NULL
        || !X509_STORE_CTX_init(vctx, store, cert, pool)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certificate verification context");
        goto out;
    }
    /* An injected clock replaces the system time (X509_V_FLAG_USE_CHECK_TIME). */
    if (ctx->now != NULL)
        X509_STORE_CTX_set_time(vctx, 0, pxc_ctx_now(ctx));
    if (X509_verify_cert(vctx) <= 0) {
        chain_error(vctx, cert);
        goto out;
    }
    ret = 1;
out:
    X509_STORE_CTX_free(vctx);
    sk_X509_free(pool);
    return ret;
}

/* A store whose trust anchors are the self-issued certificates of the
 * message's extraCerts, or NULL if there are none. */
static X509_STORE *extracerts_anchors(const PKIXCMP_MSG *msg)
{
    X509_STORE *store = NULL;
    int i;

    for (i = 0; i < sk_X509_num(msg->extraCerts); i++) {
        X509 *c = sk_X509_value(msg->extraCerts, i);

        if (X509_check_issued(c, c) != X509_V_OK)
            continue;
        if ((store == NULL && (store = X509_STORE_new()) == NULL) || !X509_STORE_add_cert(store, c)) {
            X509_STORE_free(store);
            return NULL;
        }
    }
    return store;
}

/*
 * 3GPP TS 33.310 (openssl cmp -permit_ta_in_extraCerts_for_ir): an ip may
 * be validated with a self-issued certificate of its own extraCerts as
 * trust anchor, trust on first use. Only by option, only for ip.
 */
static int tofu_allowed(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg)
{
    return ctx->permit_ta_in_extracerts_for_ir && msg->body->type == PKIXCMP_BODY_IP;
}

/* Validates cert's chain to the configured trust store or, failing that and
 * where tofu_allowed(), to a self-issued extraCert. */
static int check_chain(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 *cert)
{
    X509_STORE *tofu = NULL;
    char subj[256];
    int ret = 0;

    ERR_set_mark();
    if (ctx->trusted != NULL && check_chain_with(ctx, msg, cert, ctx->trusted)) {
        ERR_clear_last_mark();
        return 1;
    }
    if (!tofu_allowed(ctx, msg) || (tofu = extracerts_anchors(msg)) == NULL) {
        if (ctx->trusted == NULL)
            PXC_ERR(PKIXCMP_E_UNTRUSTED_SIGNER, "no trust anchors configured");
        ERR_clear_last_mark();
        return 0;
    }
    ERR_pop_to_mark(); /* the failure with the configured store is superseded */
    ret = check_chain_with(ctx, msg, cert, tofu);
    if (ret)
        pxc_log(ctx, PKIXCMP_LOG_WARNING,
                "ip signer %s trusted through a self-issued certificate in its extraCerts "
                "(3GPP trust on first use)", subject_text(cert, subj, sizeof(subj)));
    X509_STORE_free(tofu);
    return ret;
}

/*
 * RFC 5280 section 4.2.1.3: "The digitalSignature bit is asserted when the
 * subject public key is used for verifying digital signatures, other than
 * signatures on certificates (bit 5) and CRLs (bit 6)". Without a keyUsage
 * extension every usage is allowed (X509_get_key_usage gives all bits).
 */
static int check_key_usage(const PKIXCMP_CTX *ctx, X509 *cert)
{
    char subj[256];

    if (ctx->ignore_keyusage || (X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE) != 0)
        return 1;
    PXC_ERR(PKIXCMP_E_SIGNER_KEY_USAGE, "%s has keyUsage without digitalSignature",
            subject_text(cert, subj, sizeof(subj)));
    return 0;
}

/*
 * When configured, the signer must be a CMP CA or RA: extended key usage
 * id-kp-cmcCA (1.3.6.1.5.5.7.3.27) or id-kp-cmcRA (1.3.6.1.5.5.7.3.28),
 * the purposes RFC 6402 defines for CAs and RAs of CMC and CMP.
 */
static int check_eku(const PKIXCMP_CTX *ctx, X509 *cert)
{
    EXTENDED_KEY_USAGE *eku = NULL;
    char subj[256];
    int i, ret = 0;

    if (!ctx->require_cmp_eku) {
        ret = 1;
        goto out;
    }
    eku = X509_get_ext_d2i(cert, NID_ext_key_usage, NULL, NULL);
    for (i = 0; i < sk_ASN1_OBJECT_num(eku) && !ret; i++) {
        int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i));

        ret = nid == NID_cmcCA || nid == NID_cmcRA;
    }
    if (!ret)
        PXC_ERR(PKIXCMP_E_SIGNER_EKU, "%s has neither id-kp-cmcCA nor id-kp-cmcRA",
                subject_text(cert, subj, sizeof(subj)));
out:
    EXTENDED_KEY_USAGE_free(eku);
    return ret;
}

/* Tries cert as the signer; the pinned certificate needs no chain. */
static int signer_try(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 *cert,
                      int pinned)
{
    int stage = TRY_SIG_FAILED;

    if (!check_signature(ctx, msg, cert))
        goto out;
    stage = TRY_CHAIN_FAILED;
    if (!pinned && !check_chain(ctx, msg, cert))
        goto out;
    stage = TRY_KU_FAILED;
    if (!check_key_usage(ctx, cert))
        goto out;
    stage = TRY_EKU_FAILED;
    if (!check_eku(ctx, cert))
        goto out;
    stage = TRY_OK;
out:
    return stage;
}

/*
 * The first candidate that passes, errors of rejected ones cleared; else
 * NULL with the errors of the candidate that got furthest (the first of
 * equals), tried once more if its errors were not the last kept.
 */
static X509 *try_candidates(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg,
                            STACK_OF(X509) *cands)
{
    X509 *signer = NULL;
    int i, n = sk_X509_num(cands), best = 0, best_i = -1, kept = 0;

    for (i = 0; i < n && signer == NULL; i++) {
        int stage;

        ERR_set_mark();
        stage = signer_try(ctx, msg, sk_X509_value(cands, i), 0);
        if (stage == TRY_OK)
            signer = sk_X509_value(cands, i);
        kept = stage != TRY_OK && i == n - 1 && stage > best;
        if (kept)
            (void)ERR_clear_last_mark();
        else
            (void)ERR_pop_to_mark();
        if (stage != TRY_OK && stage > best) {
            best = stage;
            best_i = i;
        }
    }
    if (signer == NULL && !kept && best_i >= 0)
        (void)signer_try(ctx, msg, sk_X509_value(cands, best_i), 0);
    return signer;
}

/* The message carries what a signature check needs. */
static int check_msg(const PKIXCMP_MSG *msg)
{
    if (msg == NULL || msg->header == NULL || msg->body == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no message to verify");
        return 0;
    }
    if (msg->header->protectionAlg == NULL || msg->protection == NULL) {
        PXC_ERR(PKIXCMP_E_UNPROTECTED, "message has no %s",
                msg->protection == NULL ? "protection" : "protectionAlg");
        return 0;
    }
    return 1;
}

X509 *pxc_signer_find(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg)
{
    STACK_OF(X509) *cands = NULL;
    X509 *signer = NULL;

    if (!check_msg(msg))
        goto out;
    /* A pinned certificate (-srvcert) is trusted directly, without a chain. */
    if (ctx->srvcert != NULL) {
        if (signer_try(ctx, msg, ctx->srvcert, 1) == TRY_OK)
            signer = ctx->srvcert;
        goto out;
    }
    if (ctx->trusted == NULL && !tofu_allowed(ctx, msg)) {
        PXC_ERR(PKIXCMP_E_UNTRUSTED_SIGNER, "no trust anchors configured");
        goto out;
    }
    if ((cands = find_candidates(ctx, msg)) == NULL)
        goto out;
    signer = try_candidates(ctx, msg, cands);
out:
    if (signer != NULL && !X509_up_ref(signer)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot reference the signer certificate");
        signer = NULL;
    }
    sk_X509_free(cands);
    return signer;
}
