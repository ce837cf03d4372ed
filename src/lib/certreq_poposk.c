/*
 * certreq_poposk.c - POPOSigningKeyInput (RFC 4211 4.1): what a POP
 * signature covers when the template has no subject. authInfo is a
 * publicKeyMAC with the context's shared secret, or the sender named by
 * the context's certificate.
 */
#include <stdint.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include "certreq.h"
#include "protect_local.h"
#include "spki.h"

/* A BIT STRING holding exactly the bytes given (no unused bits): without
 * the flag, OpenSSL's encoder would drop trailing zero bits. */
static int bits_set(ASN1_BIT_STRING *bs, const unsigned char *data, size_t len)
{
    if (len > INT32_MAX || !ASN1_BIT_STRING_set(bs, (unsigned char *)data, (int)len))
        return 0;
    bs->flags &= ~0x07;
    bs->flags |= ASN1_STRING_FLAG_BITS_LEFT;
    return 1;
}

/*
 * RFC 4211 Appendix B: authInfo sender is "used only if an authenticated
 * identity has been established for the sender (e.g., a DN from a
 * previously-issued and currently-valid certificate)", publicKeyMAC is
 * "used if no authenticated GeneralName currently exists for the sender;
 * publicKeyMAC contains a password-based MAC on the DER-encoded value of
 * publicKey" (PBM of RFC 4211 4.4, or PBMAC1 as RFC 9045 adds). With a
 * shared secret we take the MAC; else our CMP certificate names us.
 */
static int set_auth_info(const PKIXCMP_CTX *ctx, PKIXCMP_POPOSigningKeyInput *in, long id)
{
    PKIXCMP_AuthInfo *ai = in->authInfo;
    PKIXCMP_PKMACValue *mv = NULL;
    unsigned char *der = NULL, *mac = NULL;
    size_t maclen = 0;
    X509_NAME *name = NULL;
    int len, ret = 0;

    if (ctx->secret == NULL) {
        if (ctx->cert == NULL) {
            PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "certReqId %ld: without a subject the POP needs "
                    "poposkInput, authenticated by a shared secret or a certificate; none is set", id);
            goto out;
        }
        if ((name = X509_NAME_dup(X509_get_subject_name(ctx->cert))) == NULL
            || (ai->value.sender = GENERAL_NAME_new()) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "poposkInput sender");
            goto out;
        }
        GENERAL_NAME_set0_value(ai->value.sender, GEN_DIRNAME, name);
        name = NULL; /* transferred */
        ai->type = 0;
        ret = 1;
        goto out;
    }
    mv = (PKIXCMP_PKMACValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PKMACValue));
    if (mv == NULL || (len = i2d_X509_PUBKEY(in->publicKey, &der)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "poposkInput publicKeyMAC");
        goto out;
    }
    X509_ALGOR_free(mv->algId);
    if ((mv->algId = pxc_mac_new_alg(ctx)) == NULL
        || !pxc_mac_compute(ctx, mv->algId, der, (size_t)len, &mac, &maclen))
        goto out;
    if (!bits_set(mv->value, mac, maclen)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "publicKeyMAC value");
        goto out;
    }
    ai->type = 1;
    ai->value.publicKeyMAC = mv;
    mv = NULL; /* transferred */
    ret = 1;
out:
    X509_NAME_free(name);
    ASN1_item_free((ASN1_VALUE *)mv, ASN1_ITEM_rptr(PKIXCMP_PKMACValue));
    OPENSSL_free(der);
    OPENSSL_free(mac);
    return ret;
}

/*
 * RFC 4211 4.1: publicKey "contains a copy of the public key from the
 * certificate template. This MUST be exactly the same value as contained
 * in the certificate template."
 */
PKIXCMP_POPOSigningKeyInput *pxc_poposk_input_new(const PKIXCMP_CTX *ctx,
                                                  const X509_PUBKEY *pub, long id)
{
    PKIXCMP_POPOSigningKeyInput *in, *ret = NULL;

    in = (PKIXCMP_POPOSigningKeyInput *)ASN1_item_new(
        ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput));
    if (in == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "poposkInput");
        goto out;
    }
    X509_PUBKEY_free(in->publicKey);
    if ((in->publicKey = pxc_spki_dup(pub)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "poposkInput publicKey");
        goto out;
    }
    if (!set_auth_info(ctx, in, id))
        goto out;
    ret = in;
    in = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)in, ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput));
    return ret;
}

int pxc_poposk_input_check(const PKIXCMP_CTX *ctx, const PKIXCMP_POPOSigningKeyInput *in,
                           const X509_PUBKEY *tmpl_key, long id)
{
    const PKIXCMP_PKMACValue *mv;
    unsigned char *der = NULL, *mac = NULL;
    size_t maclen = 0;
    int len, ret = 0;

    if (in->publicKey == NULL || !pxc_spki_eq(in->publicKey, tmpl_key)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: poposkInput publicKey is not the template's "
                "(RFC 4211 4.1: it MUST be exactly the same value)", id);
        goto out;
    }
    if (in->authInfo == NULL || in->authInfo->type != 1) {
        ret = 1; /* sender: for the caller to compare with the message */
        goto out;
    }
    mv = in->authInfo->value.publicKeyMAC;
    if (ctx->secret == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: poposkInput publicKeyMAC cannot be checked "
                "without a shared secret", id);
        goto out;
    }
    if ((len = i2d_X509_PUBKEY(in->publicKey, &der)) <= 0
        || !pxc_mac_compute(ctx, mv->algId, der, (size_t)len, &mac, &maclen)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: poposkInput publicKeyMAC cannot be computed", id);
        goto out;
    }
    if (mv->value == NULL || (size_t)ASN1_STRING_length(mv->value) != maclen
        || CRYPTO_memcmp(ASN1_STRING_get0_data(mv->value), mac, maclen) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "certReqId %ld: poposkInput publicKeyMAC does not verify "
                "with the shared secret", id);
        goto out;
    }
    ret = 1;
out:
    OPENSSL_free(der);
    OPENSSL_free(mac);
    return ret;
}
