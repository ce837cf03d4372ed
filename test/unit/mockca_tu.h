/*
 * mockca_tu.h - helpers shared by the mock CA tests (test_mockca*.c): the
 * test PKI, keys, names, templates and small CAs. Failures are reported with
 * tap_diag() and a NULL result; the tests check the results.
 */
#ifndef PKIXCMP_TEST_MOCKCA_TU_H
#define PKIXCMP_TEST_MOCKCA_TU_H

#include <time.h>
#include <openssl/x509.h>
#include "mockca.h"

#define MT_NOW ((time_t)1893456000) /* the tests' clock: 2030-01-01T00:00:00Z */
#define MT_DAY ((time_t)86400)

/* The test PKI (test/certs): root, the intermediate CA and its key. */
extern X509 *mt_root, *mt_interm;
extern EVP_PKEY *mt_interm_key;

/* Loads the test PKI; 0 if a file is missing. */
int mt_pki_load(void);
/* Frees it. */
void mt_pki_free(void);

/* A certificate / private key of test/certs (PEM), NULL if unreadable. */
X509 *mt_load_cert(const char *name);
EVP_PKEY *mt_load_key(const char *name);

/* A new key: "EC" (P-256), "RSA" (2048) or a type name ("ED25519"). */
EVP_PKEY *mt_new_key(const char *type);

/* "O=pkixcmp test, CN=cn" */
X509_NAME *mt_name(const char *cn);

/* Appends the extension nid = conf value (openssl config syntax). */
void mt_add_ext(STACK_OF(X509_EXTENSION) **exts, int nid, const char *value);

/* Appends certificatePolicies with the one policy oid (the config syntax
 * needs a config database). */
void mt_add_policy(STACK_OF(X509_EXTENSION) **exts, const char *oid);

/* A template with subject CN=cn (NULL: none), the public key of key (NULL:
 * none) and extensions exts (taken over; may be NULL). */
PKIXCMP_CertTemplate *mt_tmpl_new(const char *cn, EVP_PKEY *key,
                                  STACK_OF(X509_EXTENSION) *exts);
void mt_tmpl_free(PKIXCMP_CertTemplate *t);

/* Sets the template validity; 0 leaves a bound out. */
void mt_tmpl_validity(PKIXCMP_CertTemplate *t, time_t nb, time_t na);

/* The first DNS name of the certificate's SAN, or "" (static buffer). */
const char *mt_san_dns(const X509 *x);

/* 1 if n is "O=pkixcmp test, CN=cn". */
int mt_cn_is(const X509_NAME *n, const char *cn);

/* Validates x with root as anchor and interm as untrusted at time t. */
int mt_chain_ok(X509 *x, time_t t);

/* A self-signed CA certificate (CA:TRUE, SKID) for key, valid from
 * MT_NOW - 1 day for 10 years. */
X509 *mt_self_signed_ca(EVP_PKEY *key, const char *cn);

/* A mock CA with a fresh self-signed CA of key type type ("EC", "ED25519"). */
PXC_MOCKCA *mt_fresh_ca(const char *type);

/* The mock CA of the test PKI: interm, with root as chain. */
PXC_MOCKCA *mt_interm_ca(void);

/* Issues a certificate for a new EC key with subject CN=cn and a SAN in
 * config syntax (NULL: none) at MT_NOW. */
X509 *mt_issue_simple(PXC_MOCKCA *ca, const char *cn, const char *san);

#endif
