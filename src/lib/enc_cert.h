/*
 * enc_cert.h - encrypted values of certificate responses (RFC 9810 5.2.2):
 * the certificate encrypted for the key it certifies, as indirect proof of
 * possession (RFC 9810 5.2.8.3.2, RFC 4211 4.2 "encrCert"), and centrally
 * generated private keys (RFC 9483 4.1.6), each made by the server and
 * opened by the client. Both travel as EncryptedKey envelopedData, made
 * and opened with OpenSSL's CMS API (envdata.h converts).
 *
 * What OpenSSL 3.0's CMS API allows, and so what is supported:
 *  - recipient keys: RSA (KeyTransRecipientInfo, RSAES-OAEP with SHA-256)
 *    and EC (KeyAgreeRecipientInfo, ephemeral-static ECDH,
 *    dhSinglePass-stdDH-sha256kdf-scheme); X25519/X448 key agreement and
 *    KEM keys are not (3.0 has no CMS support for them);
 *  - passwords: PasswordRecipientInfo with PBKDF2 (HMAC-SHA1, fixed by 3.0)
 *    and id-alg-PWRI-KEK;
 *  - content: AES-256-CBC.
 *
 * enc_cert.c: the certificate, the recipient choice and the client's
 * take of a CertifiedKeyPair; enc_key.c: the private key.
 */
#ifndef PKIXCMP_ENC_CERT_H
#define PKIXCMP_ENC_CERT_H

#include <openssl/cms.h>
#include "asn1_types.h"
#include "ctx_local.h"

/* ---------------------------------------------------- shared (enc_cert.c) */

/* 1 if the CMS API can encrypt for key (RSA or EC), else 0. */
int pxc_enc_key_supported(const EVP_PKEY *key);

/*
 * Adds cert (whose public key must be pxc_enc_key_supported()) as recipient
 * of the EnvelopedData cms: KTRI with RSAES-OAEP/SHA-256 for RSA, KARI with
 * an ephemeral ECDH key and the SHA-256 KDF for EC; rid the
 * subjectKeyIdentifier if use_skid and cert has one, else
 * issuerAndSerialNumber. PKIXCMP_E_CMS on failure.
 */
int pxc_enc_add_recipient(CMS_ContentInfo *cms, X509 *cert, int use_skid) PXC_MUST_CHECK;

/* A new empty EnvelopedData with AES-256-CBC content encryption, or NULL
 * with PKIXCMP_E_CMS. */
CMS_ContentInfo *pxc_enc_envelope_new(const PKIXCMP_CTX *ctx) PXC_MUST_CHECK;

/*
 * Encrypts data into the CMS_ContentInfo cms (made by the
 * caller with pxc_enc_envelope_new() and given its recipient),
 * content type econtent (NULL: id-data), and returns the EncryptedKey
 * envelopedData holding it. PKIXCMP_E_CMS on failure.
 */
PKIXCMP_EncryptedKey *pxc_enc_finish(CMS_ContentInfo *cms, const ASN1_OBJECT *econtent,
                                     const unsigned char *data, size_t len) PXC_MUST_CHECK;

/*
 * Decrypts ek (envelopedData only) with pkey, or with the password pass if
 * pkey is NULL, into *out (caller frees with OPENSSL_free), *outlen; the
 * content type must be want (a NID). PKIXCMP_E_CMS, with what in the
 * detail, when it is not EnvelopedData, cannot be decrypted with this key
 * or password (OpenSSL does not tell which: on purpose, against oracle
 * attacks), or holds another content type.
 */
int pxc_enc_open(const PKIXCMP_EncryptedKey *ek, EVP_PKEY *pkey,
                 const ASN1_OCTET_STRING *pass, int want, const char *what,
                 unsigned char **out, size_t *outlen) PXC_MUST_CHECK;

/* ------------------------------------------- encrypted certificate (server) */

/* 1 if the POP of crm is keyEncipherment or keyAgreement with
 * subsequentMessage encrCert: the certificate is to come back encrypted. */
int pxc_enc_pop_is_encrcert(const PKIXCMP_CertReqMsg *crm);

/*
 * RFC 9810 5.2.8.3.2: cert encrypted for its own public key (the key of the
 * request), as EncryptedKey envelopedData of content type id-data holding
 * the certificate's DER. rid: issuerAndSerialNumber of cert ("The sender
 * MUST populate the rid field as specified by CMS"), which the client
 * cannot know yet and ignores.
 */
PKIXCMP_EncryptedKey *pxc_enc_cert_new(const PKIXCMP_CTX *ctx, X509 *cert) PXC_MUST_CHECK;

/* ------------------------------------------------------ client (enc_cert.c) */

/*
 * The certificate of ckp for the client: the certificate itself, or
 * encryptedCert decrypted with the key of the request (the context's new
 * key, else its key): *cert up-referenced or new. -1 with PKIXCMP_E_CMS
 * (or PKIXCMP_E_NO_CERT) if there is none or it cannot be decrypted.
 */
int pxc_enc_get1_cert(const PKIXCMP_CTX *ctx, const PKIXCMP_CertifiedKeyPair *ckp,
                      X509 **cert) PXC_MUST_CHECK;

/*
 * The client's part of central key generation: if the request asked for
 * it (-popo -1, no POP: RFC 9483 4.1.6), the privateKey of ckp is opened
 * (pxc_enc_newkey_open()), must be the key of cert and becomes the
 * context's new key (pkixcmp_ctx_set1_newkey()). 1 on success or if
 * nothing was asked; 0 with why (and an error on the queue) if cert is to
 * be rejected: no private key, it does not open, is not trusted or not for
 * cert. A privateKey that was not asked for is refused too.
 */
int pxc_enc_take_newkey(PKIXCMP_CTX *ctx, const PKIXCMP_CertifiedKeyPair *ckp, X509 *cert,
                        char *why, size_t why_len) PXC_MUST_CHECK;

/* -------------------------------------- central key generation (enc_key.c) */

/*
 * 1 if crm asks for central key generation (RFC 9483 4.1.6): its template
 * has no publicKey, or one with an empty subjectPublicKey; else 0.
 */
int pxc_enc_ckg_requested(const PKIXCMP_CertReqMsg *crm);

/*
 * Client: makes crm a central key generation request: the template's
 * publicKey keeps only its algorithm (AlgorithmIdentifier with parameters,
 * a zero-length subjectPublicKey), and the popo is removed. A template
 * without publicKey stays so (the KGA chooses the algorithm).
 */
int pxc_enc_ckg_request(PKIXCMP_CertReqMsg *crm) PXC_MUST_CHECK;

/*
 * Server: a new key pair for the template of crm: the algorithm (with
 * parameters) of its publicKey: RSA (2048 bits), RSA-PSS, EC (the named
 * curve), Ed25519, Ed448, X25519, X448; EC P-256 if it names none.
 * PKIXCMP_E_BAD_TEMPLATE for other algorithms.
 */
EVP_PKEY *pxc_enc_ckg_keygen(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm)
    PXC_MUST_CHECK;

/*
 * 1 if a private key can be sent encrypted with secret (if not NULL) or
 * for recip as pxc_enc_newkey_new() does, else 0 with
 * PKIXCMP_E_NOT_AUTHORIZED: the server asks before it issues anything.
 */
int pxc_enc_ckg_deliverable(const ASN1_OCTET_STRING *secret, X509 *recip) PXC_MUST_CHECK;

/* Who signs the key package: the KGA (RFC 9483 4.1.6). */
struct pxc_enc_signer {
    X509 *cert;                 /* the CA or a certificate with id-kp-cmKGA */
    EVP_PKEY *key;
    STACK_OF(X509) *chain;      /* its issuers (may be NULL) */
};

/*
 * Server, RFC 9483 4.1.6: EncryptedKey envelopedData (content type
 * id-signedData) holding a SignedData, signed by s, of an
 * AsymmetricKeyPackage with newkey as one OneAsymmetricKey (v2, with its
 * publicKey). Encrypted with the password secret (PWRI) if it is not NULL
 * (MAC-protected requests), else for recip (KTRI/KARI, rid its
 * subjectKeyIdentifier), whose keyUsage must then allow keyEncipherment
 * (RSA) or keyAgreement (EC): PKIXCMP_E_NOT_AUTHORIZED otherwise.
 */
PKIXCMP_EncryptedKey *pxc_enc_newkey_new(const PKIXCMP_CTX *ctx, EVP_PKEY *newkey,
                                         const struct pxc_enc_signer *s,
                                         const ASN1_OCTET_STRING *secret, X509 *recip)
    PXC_MUST_CHECK;

/*
 * Client, RFC 9483 4.1.6: the private key in ek (caller frees): decrypted
 * with the context's secret if it has one, else with its key; the
 * SignedData must verify and its signer validate against the context's
 * trust store (else -out_trusted) at the context's time, and be the
 * issuer of newcert or hold id-kp-cmKGA; the package must hold exactly one
 * key. NULL with PKIXCMP_E_CMS, PKIXCMP_E_UNTRUSTED_SIGNER or
 * PKIXCMP_E_NOT_AUTHORIZED.
 */
EVP_PKEY *pxc_enc_newkey_open(const PKIXCMP_CTX *ctx, const PKIXCMP_EncryptedKey *ek,
                              const X509 *newcert) PXC_MUST_CHECK;

#endif
