/*
 * spki.h - SubjectPublicKeyInfo in CMP messages without OpenSSL 3.0's key
 * decoders on the way.
 *
 * OpenSSL's X509_PUBKEY decodes the key inside while it parses, through
 * OSSL_DECODER (about 170 us for a P-256 key with 3.0, most of it setting
 * up the decoder chain), and X509_set_pubkey() encodes and decodes it again.
 * A server needs the key of a request once (for the POP) and only its DER
 * for the certificate. PXC_PUBKEY is X509_PUBKEY on the wire and in memory
 * but leaves the key undecoded; pxc_spki_get1_pkey() builds it on demand
 * from the key's own fields for the common algorithms.
 */
#ifndef PKIXCMP_SPKI_H
#define PKIXCMP_SPKI_H

#include <openssl/asn1t.h>
#include <openssl/x509.h>

/* SubjectPublicKeyInfo as an X509_PUBKEY whose key is not decoded on d2i;
 * X509_PUBKEY_get0() of such a value is NULL, ask pxc_spki_get1_pkey().
 * A key with unused bits does not decode; every key encodes as whole
 * octets. */
DECLARE_ASN1_ITEM(PXC_PUBKEY)

/*
 * The key of pub, new reference; NULL with an error queued if it does not
 * decode. RSA, EC on a named curve and the Edwards/Montgomery curves are
 * built from their fields; other algorithms go through libctx's decoders.
 */
EVP_PKEY *pxc_spki_get1_pkey(const X509_PUBKEY *pub, OSSL_LIB_CTX *libctx, const char *propq);

/*
 * A copy of pub (without its decoded key) whose key bits are whole octets
 * (0 unused bits), as every key's are; so is the copy of a copy made by
 * OpenSSL 3.0's X509_PUBKEY_dup(), which loses the "no unused bits" flag of
 * the key's BIT STRING and so encodes the key with its trailing zero bits
 * (and octets) cut off.
 */
X509_PUBKEY *pxc_spki_dup(const X509_PUBKEY *pub);

/* 1 if a and b are the same algorithm with the same key bits, else 0. */
int pxc_spki_eq(const X509_PUBKEY *a, const X509_PUBKEY *b);

/* Copies the algorithm and key bits of pub into the certificate x (whose
 * public key is then known by its DER only); 1 on success. x must not have
 * a decoded key (X509_set_pubkey(), d2i) other than pub's: 0 then, as
 * OpenSSL would keep answering X509_get0_pubkey() with the old one. */
int pxc_spki_set_cert(X509 *x, const X509_PUBKEY *pub);

/* x with its key decoded, new reference: x itself if it is, else a copy
 * through DER (OpenSSL's decoders), whose key may still be missing if they
 * cannot decode it; NULL if no copy can be made. */
X509 *pxc_spki_cert_decoded(X509 *x);

/* 1 if the certificate x is for key, 0 if not, -1 if x's key does not
 * decode. */
int pxc_spki_cert_has_key(const X509 *x, const EVP_PKEY *key, OSSL_LIB_CTX *libctx,
                          const char *propq);

#endif
