/*
 * mockca_local.h - the inside of PXC_MOCKCA, shared by mockca.c
 * (configuration), mockca_issue.c (issuance), mockca_reg.c (registry,
 * serial numbers, revocation) and mockca_genm.c (general messages).
 */
#ifndef PKIXCMP_MOCKCA_LOCAL_H
#define PKIXCMP_MOCKCA_LOCAL_H

#include <stdint.h>
#include <openssl/crypto.h>
#include "mockca.h"

struct mockca_entry; /* mockca_reg.c */

struct pxc_mockca_st {
    OSSL_LIB_CTX *libctx;
    char *propq;

    /* configuration (set before the CA is shared between threads) */
    X509 *cacert;
    EVP_PKEY *cakey;
    STACK_OF(X509) *chain;         /* the CA's issuers */
    STACK_OF(X509) *ca_certs;      /* cacert followed by chain */
    ASN1_OCTET_STRING *ca_keyid;   /* AKID keyIdentifier of what cacert issues */
    X509 *rsp_cert, *ref_cert;
    STACK_OF(X509) *rsp_extracerts, *rsp_capubs;
    X509_CRL *rsp_crl;
    X509 *newwithnew, *newwithold, *oldwithnew;
    PKIXCMP_CertReqTemplateContent *certreq_template; /* NULL: default */
    int days;
    char *digest;                  /* NULL: SHA256 */
    EVP_MD_CTX *sign_tmpl;         /* initialised for signing, copied per
                                      certificate; NULL: initialise each */
    int allow_ca;

    /* registry (mockca_reg.c), guarded by lock */
    CRYPTO_RWLOCK *lock;
    struct mockca_entry **buckets;
    struct mockca_entry *oldest, *newest;
    size_t n, max;
    uint64_t counter;              /* serial numbers handed out */
};

/* (Re)makes the signing context template after the CA key or digest
 * changed (mockca_issue.c); without one, each signing initialises. */
void pxc_mockca_prepare_signer(PXC_MOCKCA *ca);

/* Registry set-up and teardown (mockca_reg.c); 0 if out of memory. */
int pxc_mockca_reg_init(PXC_MOCKCA *ca) PXC_MUST_CHECK;
void pxc_mockca_reg_cleanup(PXC_MOCKCA *ca);
/* Evicts the oldest entries until at most max remain. */
int pxc_mockca_reg_shrink(PXC_MOCKCA *ca, size_t max) PXC_MUST_CHECK;

/* A fresh serial number (caller frees): 63 random bits, then the 64-bit
 * counter. NULL with PKIXCMP_E_CA_FAILURE if randomness fails. */
ASN1_INTEGER *pxc_mockca_new_serial(PXC_MOCKCA *ca) PXC_MUST_CHECK;

/* Records cert, just issued at now; PKIXCMP_E_CA_FAILURE if it cannot. */
int pxc_mockca_reg_add(PXC_MOCKCA *ca, const X509 *cert, time_t now) PXC_MUST_CHECK;

/* A key identifier of pk (RFC 7093 section 2 method 1), or NULL. */
ASN1_OCTET_STRING *pxc_mockca_key_id(const PXC_MOCKCA *ca, const X509_PUBKEY *pk);

/* Formats into why (if why_len > 0). Use through MOCKCA_FAIL, which also
 * raises the same text as a pkixcmp error. */
void pxc_mockca_why(char *why, size_t why_len, const char *fmt, ...) PXC_PRINTF(3, 4);
#define MOCKCA_FAIL(why, why_len, code, ...)              \
    do {                                                   \
        PXC_ERR((code), __VA_ARGS__);                      \
        pxc_mockca_why((why), (why_len), __VA_ARGS__);     \
    } while (0)

#endif
