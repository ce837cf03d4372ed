/*
 * enc_cert.c - the certificate encrypted for the key it certifies (RFC 9810
 * 5.2.8.3.2, the indirect proof of possession), both sides; the recipient
 * and envelope helpers that enc_key.c shares; the client's take of a
 * CertifiedKeyPair.
 *
 * EncryptedKey ::= CHOICE {
 *     encryptedValue        EncryptedValue,   -- Deprecated
 *     envelopedData     [0] EnvelopedData }
 * Only envelopedData is made and opened: RFC 9810 5.2.2 "it is RECOMMENDED
 * to use EnvelopedData", and RFC 4211 deprecates EncryptedValue.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "certreq.h"
#include "client_local.h"
#include "enc_cert.h"
#include "envdata.h"
#include "spki.h"

/* The first octet of EncryptedKey's envelopedData: [0] IMPLICIT, constructed. */
#define ENVDATA_TAG 0xA0
/* Content encryption (RFC 9481 5: AES-CBC). */
#define CONTENT_CIPHER "AES-256-CBC"
/* RSAES-OAEP (RFC 9481 4.2.1) and the ECDH KDF (RFC 9481 4.1.2) digest. */
#define KEY_MGMT_DIGEST "SHA256"

/* ------------------------------------------------------------ recipients */

int pxc_enc_key_supported(const EVP_PKEY *key)
{
    return key != NULL && (EVP_PKEY_is_a(key, "RSA") || EVP_PKEY_is_a(key, "EC"));
}

/*
 * RFC 9810 5.2.2: the content-encryption key is protected with "the key
 * transport key management technique" for a key that "supports key
 * transport" and with "the key agreement key management technique" for
 * one that "supports key agreement": RSA with RSAES-OAEP (SHA-256, MGF1
 * SHA-256), EC with ephemeral-static ECDH and the X9.63 KDF with SHA-256
 * (dhSinglePass-stdDH-sha256kdf-scheme), AES key wrap.
 */
int pxc_enc_add_recipient(CMS_ContentInfo *cms, X509 *cert, int use_skid)
{
    /* CMS takes the key from the certificate; one issued here knows it
     * by DER only (spki.h) */
    X509 *decoded = pxc_spki_cert_decoded(cert);
    EVP_PKEY *key = decoded != NULL ? X509_get0_pubkey(decoded) : NULL;
    CMS_RecipientInfo *ri;
    EVP_PKEY_CTX *pctx;
    unsigned int flags = CMS_KEY_PARAM;
    int ok = 0;

    cert = decoded;
    if (!pxc_enc_key_supported(key)) {
        PXC_ERR(PKIXCMP_E_CMS, "cannot encrypt for a %s key (only RSA and EC)",
                key != NULL ? EVP_PKEY_get0_type_name(key) : "missing");
        goto out;
    }
    if (use_skid && X509_get0_subject_key_id(cert) != NULL)
        flags |= CMS_USE_KEYID;
    if ((ri = CMS_add1_recipient_cert(cms, cert, flags)) == NULL
        || (pctx = CMS_RecipientInfo_get0_pkey_ctx(ri)) == NULL) {
        PXC_ERR(PKIXCMP_E_CMS, "cannot add the %s recipient", EVP_PKEY_get0_type_name(key));
        goto out;
    }
    if (EVP_PKEY_is_a(key, "RSA"))
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_OAEP_PADDING) > 0
            && EVP_PKEY_CTX_set_rsa_oaep_md_name(pctx, KEY_MGMT_DIGEST, NULL) > 0
            && EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, KEY_MGMT_DIGEST, NULL) > 0;
    else /* the KDF type is OpenSSL's to set (X9.63); only its digest is ours */
        ok = EVP_PKEY_CTX_set_ecdh_kdf_md(pctx, EVP_sha256()) > 0;
    if (!ok)
        PXC_ERR(PKIXCMP_E_CMS, "cannot set the %s key management parameters",
                EVP_PKEY_get0_type_name(key));
out:
    X509_free(decoded);
    return ok;
}

/* ------------------------------------------------------------ envelopes */

PKIXCMP_EncryptedKey *pxc_enc_finish(CMS_ContentInfo *cms, const ASN1_OBJECT *econtent,
                                     const unsigned char *data, size_t len)
{
    PKIXCMP_EncryptedKey *ek = NULL, *ret = NULL;
    BIO *in = NULL;

    if (len > INT32_MAX || (in = BIO_new_mem_buf(data, (int)len)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "content of an EnvelopedData (%zu bytes)", len);
        goto out;
    }
    if ((econtent != NULL && !CMS_set1_eContentType(cms, econtent))
        || !CMS_set_detached(cms, 0) || !CMS_final(cms, in, NULL, CMS_BINARY)) {
        PXC_ERR(PKIXCMP_E_CMS, "encrypting %zu bytes into an EnvelopedData failed", len);
        goto out;
    }
    ek = (PKIXCMP_EncryptedKey *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_EncryptedKey));
    if (ek == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "EncryptedKey");
        goto out;
    }
    ek->type = PKIXCMP_ENCRYPTEDKEY_ENVELOPEDDATA;
    if ((ek->value.envelopedData = pxc_envdata_from_cms(cms, ENVDATA_TAG)) == NULL)
        goto out;
    ret = ek;
    ek = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)ek, ASN1_ITEM_rptr(PKIXCMP_EncryptedKey));
    BIO_free(in);
    return ret;
}

CMS_ContentInfo *pxc_enc_envelope_new(const PKIXCMP_CTX *ctx)
{
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(ctx->libctx, CONTENT_CIPHER, ctx->propq);
    CMS_ContentInfo *cms = NULL;

    if (cipher == NULL
        || (cms = CMS_EnvelopedData_create_ex(cipher, ctx->libctx, ctx->propq)) == NULL)
        PXC_ERR(PKIXCMP_E_CMS, "cannot make an EnvelopedData with %s", CONTENT_CIPHER);
    EVP_CIPHER_free(cipher);
    return cms;
}

int pxc_enc_open(const PKIXCMP_EncryptedKey *ek, EVP_PKEY *pkey,
                 const ASN1_OCTET_STRING *pass, int want, const char *what,
                 unsigned char **out, size_t *outlen)
{
    CMS_ContentInfo *cms = NULL;
    BIO *bio = NULL;
    char *data = NULL;
    long n = 0;
    int nid, ret = 0;

    *out = NULL;
    *outlen = 0;
    if (ek == NULL || ek->type != PKIXCMP_ENCRYPTEDKEY_ENVELOPEDDATA) {
        PXC_ERR(PKIXCMP_E_CMS, "%s: %s; only envelopedData is supported", what,
                ek == NULL ? "absent" : "encryptedValue (deprecated by RFC 4211)");
        goto out;
    }
    if ((cms = pxc_envdata_to_cms(ek->value.envelopedData)) == NULL)
        goto out;
    if ((nid = OBJ_obj2nid(CMS_get0_eContentType(cms))) != want) {
        PXC_ERR(PKIXCMP_E_CMS, "%s: the EnvelopedData holds %s, not %s", what,
                nid != NID_undef ? OBJ_nid2sn(nid) : "an unknown content type", OBJ_nid2sn(want));
        goto out;
    }
    if (pass != NULL
        && !CMS_decrypt_set1_password(cms, (unsigned char *)pass->data, pass->length)) {
        PXC_ERR(PKIXCMP_E_CMS, "%s: cannot use the shared secret as password", what);
        goto out;
    }
    /* Fails, without saying why, when the key or password is not the one:
     * OpenSSL then decrypts with a random key rather than tell (MMA). */
    if ((bio = BIO_new(BIO_s_mem())) == NULL
        || CMS_decrypt(cms, pass != NULL ? NULL : pkey, NULL, NULL, bio, CMS_BINARY) <= 0
        || (n = BIO_get_mem_data(bio, &data)) <= 0) {
        PXC_ERR(PKIXCMP_E_CMS, "%s: cannot decrypt it with %s: not encrypted for %s, or damaged",
                what, pass != NULL ? "the shared secret" : "our key",
                pass != NULL ? "this secret" : "this key");
        goto out;
    }
    if ((*out = OPENSSL_memdup(data, (size_t)n)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s: decrypted content", what);
        goto out;
    }
    *outlen = (size_t)n;
    ret = 1;
out:
    if (data != NULL && n > 0)
        OPENSSL_cleanse(data, (size_t)n); /* may hold a private key */
    BIO_free(bio);
    CMS_ContentInfo_free(cms);
    return ret;
}

/* ---------------------------------------------- encrypted certificate */

/*
 * RFC 4211 4.2: "SubsequentMessage ::= INTEGER { encrCert (0), challengeResp
 * (1) }"; the keyEncipherment and keyAgreement POPs both carry a
 * POPOPrivKey.
 */
int pxc_enc_pop_is_encrcert(const PKIXCMP_CertReqMsg *crm)
{
    const PKIXCMP_POPOPrivKey *pk;

    if (crm == NULL || crm->popo == NULL
        || (crm->popo->type != PKIXCMP_POP_KEYENCIPHERMENT
            && crm->popo->type != PKIXCMP_POP_KEYAGREEMENT))
        return 0;
    pk = crm->popo->value.keyEncipherment;
    return pk != NULL && pk->type == 1 /* subsequentMessage */
        && pk->value.subsequentMessage != NULL
        && ASN1_INTEGER_get(pk->value.subsequentMessage) == 0 /* encrCert */;
}

/*
 * RFC 9810 5.2.8.3.2: "The recipient may be unable to use the RecipientInfo
 * structure as it refers to the certificate that is still encrypted. The
 * sender MUST populate the rid field as specified by CMS and the client
 * MAY ignore it." The recipient is the new certificate itself: its key is
 * the requested one, its issuerAndSerialNumber the rid.
 */
PKIXCMP_EncryptedKey *pxc_enc_cert_new(const PKIXCMP_CTX *ctx, X509 *cert)
{
    CMS_ContentInfo *cms = NULL;
    PKIXCMP_EncryptedKey *ret = NULL;
    unsigned char *der = NULL;
    int len;

    if ((len = i2d_X509(cert, &der)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "the certificate to encrypt");
        goto out;
    }
    if ((cms = pxc_enc_envelope_new(ctx)) == NULL || !pxc_enc_add_recipient(cms, cert, 0))
        goto out;
    ret = pxc_enc_finish(cms, NULL, der, (size_t)len);
out:
    CMS_ContentInfo_free(cms);
    OPENSSL_free(der);
    return ret;
}

/*
 * RFC 9810 8.2: "The client MUST return the decrypted values only if they
 * match the expected content type. In an Indirect Method, the decrypted
 * value MUST be a valid certificate": one whole DER certificate.
 */
static X509 *decrypt_cert(const PKIXCMP_CTX *ctx, const PKIXCMP_EncryptedKey *ek)
{
    EVP_PKEY *key = pxc_client_request_key(ctx);
    unsigned char *der = NULL;
    const unsigned char *p;
    size_t len = 0;
    X509 *cert = NULL;

    if (key == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "encryptedCert: no key to decrypt it with");
        return NULL;
    }
    if (!pxc_enc_open(ek, key, NULL, NID_pkcs7_data, "encryptedCert", &der, &len))
        return NULL;
    p = der;
    if (len > INT32_MAX || (cert = d2i_X509(NULL, &p, (long)len)) == NULL || p != der + len) {
        X509_free(cert);
        cert = NULL;
        PXC_ERR(PKIXCMP_E_CMS, "encryptedCert: the decrypted content (%zu bytes) is not one "
                "DER certificate", len);
    }
    OPENSSL_clear_free(der, len);
    return cert;
}

int pxc_enc_get1_cert(const PKIXCMP_CTX *ctx, const PKIXCMP_CertifiedKeyPair *ckp, X509 **cert)
{
    const PKIXCMP_CertOrEncCert *coe = ckp != NULL ? ckp->certOrEncCert : NULL;

    *cert = NULL;
    if (coe != NULL && coe->type == PKIXCMP_CERTORENCCERT_CERTIFICATE
        && coe->value.certificate != NULL) {
        if (!X509_up_ref(coe->value.certificate)) {
            PXC_ERR(PKIXCMP_E_INTERNAL, "cannot up-reference the new certificate");
            return -1;
        }
        *cert = coe->value.certificate;
        return 1;
    }
    if (coe == NULL || coe->type != PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT) {
        PXC_ERR(PKIXCMP_E_NO_CERT, "the CertifiedKeyPair has no certificate");
        return -1;
    }
    if ((*cert = decrypt_cert(ctx, coe->value.encryptedCert)) == NULL)
        return -1;
    pxc_log(ctx, PKIXCMP_LOG_INFO, "decrypted the new certificate (encryptedCert)");
    return 1;
}

/* --------------------------------------------- central key, client side */

/* Rejects the new certificate: why, and the error on the queue. */
static int reject(char *why, size_t why_len, const char *text)
{
    snprintf(why, why_len, "%s", text);
    return 0;
}

/*
 * RFC 9483 4.1.6: with central key generation the response carries the
 * private key of the new certificate in privateKey. -popo -1 (no POP)
 * asks for it, as in openssl cmp 3.5 where it implies central keygen.
 */
int pxc_enc_take_newkey(PKIXCMP_CTX *ctx, const PKIXCMP_CertifiedKeyPair *ckp, X509 *cert,
                        char *why, size_t why_len)
{
    int asked = ctx->cl.popo == PXC_POPO_NONE;
    EVP_PKEY *reqkey = pxc_client_request_key(ctx), *key = NULL;
    int ret = 0;

    if (ckp->privateKey == NULL) {
        /* no POP for a key of our own (a request whose template kept its
         * key) is answered with a certificate for that key */
        if (!asked || (reqkey != NULL && EVP_PKEY_eq(X509_get0_pubkey(cert), reqkey) == 1))
            return 1;
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "central key generation: the response has no privateKey");
        return reject(why, why_len, "central key generation asked for, but no private key came");
    }
    if (!asked) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "the response has a privateKey, but central key "
                "generation was not asked for");
        return reject(why, why_len, "a private key came that was not asked for");
    }
    if ((key = pxc_enc_newkey_open(ctx, ckp->privateKey, cert)) == NULL)
        return reject(why, why_len, "the centrally generated private key cannot be used");
    if (EVP_PKEY_eq(X509_get0_pubkey(cert), key) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "central key generation: the private key (%s) is not "
                "the key of the new certificate", EVP_PKEY_get0_type_name(key));
        ret = reject(why, why_len, "the private key is not the key of the new certificate");
        goto out;
    }
    if (!pkixcmp_ctx_set1_newkey(ctx, key)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot keep the centrally generated key");
        ret = reject(why, why_len, "the centrally generated key cannot be kept");
        goto out;
    }
    pxc_log(ctx, PKIXCMP_LOG_INFO, "received the centrally generated %s private key",
            EVP_PKEY_get0_type_name(key));
    ret = 1;
out:
    EVP_PKEY_free(key);
    return ret;
}
