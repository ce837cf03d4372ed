/*
 * protect.c - pkixcmp_msg_protect() and pkixcmp_msg_verify(): which kind of
 * protection, in which order the header fields, the MAC or signature and
 * extraCerts are made, and the checks before trusting either.
 */
#include <stdint.h>
#include <string.h>
#include <openssl/err.h>
#include "der_tlv.h"
#include "protect_local.h"

int pxc_protected_part_der(const PKIXCMP_MSG *msg, unsigned char **der)
{
    PKIXCMP_ProtectedPart pp;
    int n;

    *der = NULL;
    pp.header = msg->header;
    pp.body = msg->body;
    n = ASN1_item_i2d((const ASN1_VALUE *)&pp, der, ASN1_ITEM_rptr(PKIXCMP_ProtectedPart));
    if (n <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "ProtectedPart: cannot be encoded");
        return -1;
    }
    return n;
}

/* Replaces the header's senderKID with a copy of kid (NULL clears). */
static int set_sender_kid(PKIXCMP_PKIHeader *h, const ASN1_OCTET_STRING *kid)
{
    ASN1_OCTET_STRING *dup = NULL;

    if (kid != NULL && (dup = ASN1_OCTET_STRING_dup(kid)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "senderKID");
        return 0;
    }
    ASN1_OCTET_STRING_free(h->senderKID);
    h->senderKID = dup;
    return 1;
}

/* MAC protection: protectionAlg, senderKID = reference, then the MAC;
 * the DER it covers goes to *keep if keep is not NULL. */
static int protect_mac(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg, unsigned char **keep,
                       size_t *keep_len)
{
    unsigned char *der = NULL, *mac = NULL;
    size_t maclen = 0;
    int n, ret = 0;

    X509_ALGOR_free(msg->header->protectionAlg);
    if ((msg->header->protectionAlg = pxc_mac_new_alg(ctx)) == NULL
        || !set_sender_kid(msg->header, ctx->reference)
        || (n = pxc_protected_part_der(msg, &der)) < 0
        || !pxc_mac_compute(ctx, msg->header->protectionAlg, der, (size_t)n, &mac, &maclen))
        goto out;
    if (maclen > INT32_MAX || !ASN1_BIT_STRING_set(msg->protection, mac, (int)maclen)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "protection of %zu bytes", maclen);
        goto out;
    }
    /* The MAC is whole octets: say so, or the encoder drops trailing zero
     * bits as for a named-bit list and the MAC no longer verifies. */
    msg->protection->flags &= ~0x07;
    msg->protection->flags |= ASN1_STRING_FLAG_BITS_LEFT;
    if (keep != NULL) {
        *keep = der;
        *keep_len = (size_t)n;
        der = NULL; /* transferred */
    }
    ret = 1;
out:
    OPENSSL_free(der);
    OPENSSL_free(mac);
    return ret;
}

/* RFC 9483 3.1: with signature-based protection the sender field MUST
 * contain the subject of the CMP protection certificate. */
static int set_sender_from_cert(PKIXCMP_PKIHeader *h, X509 *cert)
{
    GENERAL_NAME *gn = GENERAL_NAME_new();

    if (gn == NULL || (gn->d.directoryName = X509_NAME_dup(X509_get_subject_name(cert))) == NULL) {
        GENERAL_NAME_free(gn);
        PXC_ERR(PKIXCMP_E_MALLOC, "sender name");
        return 0;
    }
    gn->type = GEN_DIRNAME;
    GENERAL_NAME_free(h->sender);
    h->sender = gn;
    return 1;
}

/* Appends cert (up-referenced) to *certs unless an equal one is there. */
static int add_cert_once(STACK_OF(X509) **certs, X509 *cert)
{
    int i;

    if (*certs == NULL && (*certs = sk_X509_new_null()) == NULL)
        return 0;
    for (i = 0; i < sk_X509_num(*certs); i++)
        if (X509_cmp(sk_X509_value(*certs, i), cert) == 0)
            return 1;
    if (!X509_up_ref(cert))
        return 0;
    if (!sk_X509_push(*certs, cert)) {
        X509_free(cert);
        return 0;
    }
    return 1;
}

/* Appends the chain of ctx->cert above it (without the self-issued trust
 * anchor) as far as the untrusted certificates and trust store build it. */
static int add_chain(const PKIXCMP_CTX *ctx, STACK_OF(X509) **certs)
{
    STACK_OF(X509) *chain;
    int i, ret = 1;

    ERR_set_mark();
    chain = X509_build_chain(ctx->cert, ctx->untrusted, ctx->trusted, 0, ctx->libctx, ctx->propq);
    /* Our trust store need not lead to our own certificate (it is for the
     * server's): then the chain as far as the untrusted certificates go. */
    if (sk_X509_num(chain) <= 1 && sk_X509_num(ctx->untrusted) > 0) {
        sk_X509_pop_free(chain, X509_free);
        chain = X509_build_chain(ctx->cert, ctx->untrusted, NULL, 0, ctx->libctx, ctx->propq);
    }
    ERR_pop_to_mark(); /* an incomplete chain is not an error when sending */
    for (i = 1; i < sk_X509_num(chain) && ret; i++) {
        X509 *c = sk_X509_value(chain, i);

        if (X509_check_issued(c, c) != X509_V_OK)
            ret = add_cert_once(certs, c);
    }
    sk_X509_pop_free(chain, X509_free);
    return ret;
}

/*
 * extraCerts of a signed message (RFC 9483 3.3): the signer's certificate
 * first, then its chain, then the configured extra certificates, then any
 * the message had already.
 */
static int set_extra_certs(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg)
{
    STACK_OF(X509) *certs = NULL;
    int i, ok;

    ok = add_cert_once(&certs, ctx->cert) && add_chain(ctx, &certs);
    for (i = 0; ok && i < sk_X509_num(ctx->extra_certs_out); i++)
        ok = add_cert_once(&certs, sk_X509_value(ctx->extra_certs_out, i));
    for (i = 0; ok && i < sk_X509_num(msg->extraCerts); i++)
        ok = add_cert_once(&certs, sk_X509_value(msg->extraCerts, i));
    if (!ok) {
        sk_X509_pop_free(certs, X509_free);
        PXC_ERR(PKIXCMP_E_MALLOC, "extraCerts");
        return 0;
    }
    sk_X509_pop_free(msg->extraCerts, X509_free);
    msg->extraCerts = certs;
    return 1;
}

/* Signature protection: sender, senderKID = SKID, extraCerts, signature. */
static int protect_sig(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg)
{
    PKIXCMP_ProtectedPart pp;

    if (ctx->cert == NULL || ctx->pkey == NULL) {
        PXC_ERR(PKIXCMP_E_NO_CREDENTIALS,
                "neither a secret nor a certificate and private key to protect with");
        return 0;
    }
    if (!X509_check_private_key(ctx->cert, ctx->pkey)) {
        PXC_ERR(PKIXCMP_E_NO_CREDENTIALS, "the private key does not match the certificate");
        return 0;
    }
    if (!set_sender_from_cert(msg->header, ctx->cert)
        || !set_sender_kid(msg->header, X509_get0_subject_key_id(ctx->cert))
        || !set_extra_certs(ctx, msg))
        return 0;
    if (msg->header->protectionAlg == NULL
        && (msg->header->protectionAlg = X509_ALGOR_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "protectionAlg");
        return 0;
    }
    pp.header = msg->header;
    pp.body = msg->body;
    return pxc_sig_sign(ctx, &pp, msg->header->protectionAlg, msg->protection);
}

int pxc_msg_protect_keep(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg, unsigned char **pp,
                         size_t *pplen)
{
    if (pp != NULL) {
        *pp = NULL;
        *pplen = 0;
    }
    if (msg->protection == NULL && (msg->protection = ASN1_BIT_STRING_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "protection");
        return 0;
    }
    /* RFC 9810 5.1.3: the protection covers header and body only */
    if (ctx->secret != NULL)
        return protect_mac(ctx, msg, pp, pplen);
    return protect_sig(ctx, msg);
}

int pkixcmp_msg_protect(const PKIXCMP_CTX *ctx, PKIXCMP_MSG *msg)
{
    return pxc_msg_protect_keep(ctx, msg, NULL, NULL);
}

/* MAC verification: recompute and compare in constant time. */
static int verify_mac(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, const unsigned char *pp,
                      size_t pplen)
{
    unsigned char *der = NULL, *mac = NULL;
    size_t maclen = 0;
    int n, ret = 0;

    if (pp == NULL) {
        if ((n = pxc_protected_part_der(msg, &der)) < 0)
            goto out;
        pp = der;
        pplen = (size_t)n;
    }
    if (!pxc_mac_compute(ctx, msg->header->protectionAlg, pp, pplen, &mac, &maclen))
        goto out;
    if ((size_t)ASN1_STRING_length(msg->protection) != maclen
        || CRYPTO_memcmp(ASN1_STRING_get0_data(msg->protection), mac, maclen) != 0) {
        PXC_ERR(PKIXCMP_E_WRONG_MAC,
                "MAC-protected %s does not verify with the configured secret "
                "(wrong secret, or the message was changed)",
                pkixcmp_body_type_name(msg->body->type));
        goto out;
    }
    ret = 1;
out:
    OPENSSL_free(der);
    OPENSSL_free(mac);
    return ret;
}

/*
 * With PKIXCMP_OPT_RFC9481_ONLY: a signature algorithm of RFC 9481 section
 * 3 (RSA PKCS#1 v1.5 or RSASSA-PSS, ECDSA with SHA-2, EdDSA), no SHA-1 or
 * MD5. PSS parameters are left to OpenSSL's verification.
 */
static int sig_alg_allowed(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg)
{
    const ASN1_OBJECT *oid;
    int md = NID_undef, pk = NID_undef;

    if (!ctx->rfc9481_only)
        return 1;
    X509_ALGOR_get0(&oid, NULL, NULL, alg);
    if (OBJ_find_sigid_algs(OBJ_obj2nid(oid), &md, &pk)
        && md != NID_sha1 && md != NID_md5 && md != NID_md4 && md != NID_md2)
        return 1;
    PXC_ERR(PKIXCMP_E_DISALLOWED_ALGORITHM,
            "signature algorithm %s is not one RFC 9481 allows", OBJ_nid2ln(OBJ_obj2nid(oid)));
    return 0;
}

int pkixcmp_msg_verify(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, X509 **signer)
{
    return pxc_msg_verify_pp(ctx, msg, NULL, 0, signer);
}

int pxc_msg_verify_pp(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg, const unsigned char *pp,
                      size_t pplen, X509 **signer)
{
    X509 *s;

    if (signer != NULL)
        *signer = NULL;
    if (msg->header->protectionAlg == NULL || msg->protection == NULL) {
        PXC_ERR(PKIXCMP_E_UNPROTECTED, "%s has no protection%s",
                pkixcmp_body_type_name(msg->body->type),
                msg->header->protectionAlg == NULL ? "Alg" : "");
        return 0;
    }
    if (pxc_mac_is_mac_alg(msg->header->protectionAlg)) {
        if (ctx->secret == NULL) {
            PXC_ERR(PKIXCMP_E_WRONG_INTEGRITY,
                    "%s is MAC-protected but no secret is configured",
                    pkixcmp_body_type_name(msg->body->type));
            return 0;
        }
        return verify_mac(ctx, msg, pp, pplen);
    }
    if (!sig_alg_allowed(ctx, msg->header->protectionAlg)
        || (s = pxc_signer_find(ctx, msg)) == NULL)
        return 0;
    if (signer != NULL)
        *signer = s;
    else
        X509_free(s);
    return 1;
}

/* RFC 9810 5.3.21 / openssl cmp -unprotected_errors: negative responses
 * may be accepted without (valid) protection, if the caller allows it. */
static int is_negative(const PKIXCMP_MSG *rsp)
{
    const PKIXCMP_PKIBody *b = rsp->body;
    const PKIXCMP_CertRepMessage *crm;
    const PKIXCMP_CertResponse *cr;

    if (b->type == PKIXCMP_BODY_ERROR)
        return 1;
    if (b->type != PKIXCMP_BODY_IP && b->type != PKIXCMP_BODY_CP && b->type != PKIXCMP_BODY_KUP
        && b->type != PKIXCMP_BODY_CCP)
        return 0;
    crm = b->value.ip;
    if (sk_PKIXCMP_CertResponse_num(crm->response) != 1)
        return 0;
    cr = sk_PKIXCMP_CertResponse_value(crm->response, 0);
    return ASN1_INTEGER_get(cr->status->status) == 2; /* rejection */
}

int pxc_check_response(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, const PKIXCMP_MSG *rsp,
                       X509 **signer)
{
    ERR_set_mark();
    if (!pkixcmp_msg_verify(ctx, rsp, signer)) {
        int code = pkixcmp_err_peek_last();

        if (!ctx->unprotected_errors || !is_negative(rsp)) {
            ERR_clear_last_mark();
            return 0;
        }
        pxc_log(ctx, PKIXCMP_LOG_WARNING,
                "accepting negative %s despite its protection (%s), as unprotected errors are allowed",
                pkixcmp_body_type_name(rsp->body->type), pkixcmp_err_reason_string(code));
        ERR_pop_to_mark();
    } else {
        ERR_clear_last_mark();
    }
    return pxc_hdr_check_response(ctx, req, rsp);
}

int pkixcmp_msg_check_response(const PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req,
                               const PKIXCMP_MSG *rsp)
{
    return pxc_check_response(ctx, req, rsp, NULL);
}

STACK_OF(X509) *pkixcmp_msg_get1_trusted_capubs(const PKIXCMP_CTX *ctx,
                                                const PKIXCMP_MSG *rsp)
{
    const PKIXCMP_PKIBody *b = rsp->body;
    STACK_OF(X509) *capubs = NULL;

    if (b->type != PKIXCMP_BODY_IP && b->type != PKIXCMP_BODY_CP && b->type != PKIXCMP_BODY_KUP
        && b->type != PKIXCMP_BODY_CCP) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s carries no caPubs",
                pkixcmp_body_type_name(b->type));
        return NULL;
    }
    if (!pxc_mac_is_mac_alg(rsp->header->protectionAlg)) {
        PXC_ERR(PKIXCMP_E_WRONG_INTEGRITY,
                "caPubs of a %s that is not MAC-protected are not trusted as anchors",
                pkixcmp_body_type_name(b->type));
        return NULL;
    }
    if (!pkixcmp_msg_verify(ctx, rsp, NULL))
        return NULL;
    capubs = b->value.ip->caPubs != NULL ? X509_chain_up_ref(b->value.ip->caPubs)
                                         : sk_X509_new_null();
    if (capubs == NULL)
        PXC_ERR(PKIXCMP_E_MALLOC, "caPubs");
    return capubs;
}

/* ------------------------------------------------ encoding with the DER */

/* The last two fields of PKIMessage, to encode them alone:
 *     protection   [0] PKIProtection OPTIONAL,
 *     extraCerts   [1] SEQUENCE SIZE (1..MAX) OF CMPCertificate OPTIONAL */
typedef struct {
    ASN1_BIT_STRING *protection;
    STACK_OF(X509) *extraCerts;
} PXC_MSG_TAIL;

ASN1_SEQUENCE(PXC_MSG_TAIL) = {
    ASN1_EXP_OPT(PXC_MSG_TAIL, protection, ASN1_BIT_STRING, 0),
    ASN1_EXP_SEQUENCE_OF_OPT(PXC_MSG_TAIL, extraCerts, X509, 1),
} static_ASN1_SEQUENCE_END(PXC_MSG_TAIL)

/* The content of the SEQUENCE that der is: its offset and length. */
static int seq_content(const unsigned char *der, size_t len, size_t *off, size_t *clen)
{
    struct tlv t;
    size_t over = 0;

    if (len == 0 || der[0] != 0x30 || pxc_tlv_parse(der, 0, len, &t, &over) != TF_NONE
        || t.end != len)
        return 0;
    *off = t.coff;
    *clen = t.clen;
    return 1;
}

/* A new SEQUENCE whose content is a || b: its DER in *out, its length;
 * -1 if it cannot be made. */
static int new_seq(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen,
                   unsigned char **out)
{
    size_t content = alen + blen, hlen = 1 + pxc_der_put_len(NULL, content);
    unsigned char *buf;

    *out = NULL;
    if (content > (size_t)INT32_MAX - hlen || (buf = OPENSSL_malloc(hlen + content)) == NULL)
        return -1;
    buf[0] = 0x30;
    (void)pxc_der_put_len(buf + 1, content);
    memcpy(buf + hlen, a, alen);
    if (blen > 0)
        memcpy(buf + hlen + alen, b, blen);
    *out = buf;
    return (int)(hlen + content);
}

int pxc_msg_encode_with_pp(const PKIXCMP_MSG *msg, const unsigned char *pp, size_t pplen,
                           unsigned char **out)
{
    PXC_MSG_TAIL tail;
    unsigned char *tder = NULL;
    size_t poff, plen, toff, tlen;
    int n, ret = -1;

    *out = NULL;
    tail.protection = msg->protection;
    tail.extraCerts = msg->extraCerts;
    if ((n = ASN1_item_i2d((const ASN1_VALUE *)&tail, &tder, ASN1_ITEM_rptr(PXC_MSG_TAIL))) <= 0
        || !seq_content(pp, pplen, &poff, &plen) || !seq_content(tder, (size_t)n, &toff, &tlen)) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "PKIMessage: cannot be encoded");
        goto out;
    }
    /* SEQUENCE { header, body, protection, extraCerts } */
    if ((ret = new_seq(pp + poff, plen, tder + toff, tlen, out)) < 0)
        PXC_ERR(PKIXCMP_E_MALLOC, "PKIMessage of %zu bytes", plen + tlen);
out:
    OPENSSL_free(tder);
    return ret;
}

int pxc_protected_part_from_der(const unsigned char *der, size_t len, unsigned char **pp)
{
    struct tlv msg, hdr, body;
    size_t over = 0;

    *pp = NULL;
    if (len == 0 || der[0] != 0x30 || pxc_tlv_parse(der, 0, len, &msg, &over) != TF_NONE
        || msg.coff >= msg.end
        || pxc_tlv_parse(der, msg.coff, msg.end, &hdr, &over) != TF_NONE || hdr.end >= msg.end
        || pxc_tlv_parse(der, hdr.end, msg.end, &body, &over) != TF_NONE)
        return -1;
    /* SEQUENCE { header, body } */
    return new_seq(der + hdr.off, body.end - hdr.off, NULL, 0, pp);
}
