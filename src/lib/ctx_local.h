/*
 * ctx_local.h - the layout of PKIXCMP_CTX, for the library's own files.
 * Configuration only: per-transaction state and results get structs of
 * their own as the client and server arrive.
 */
#ifndef PKIXCMP_CTX_LOCAL_H
#define PKIXCMP_CTX_LOCAL_H

#include <pkixcmp/ctx.h>
#include <pkixcmp/client.h>
#include "internal.h"
#include "asn1_types.h"

#define PXC_MAC_PBM 0
#define PXC_MAC_PBMAC1 1

struct pkixcmp_ctx_st {
    OSSL_LIB_CTX *libctx;           /* not owned */
    char *propq;

    /* credentials */
    ASN1_OCTET_STRING *secret;
    ASN1_OCTET_STRING *reference;
    X509 *cert;
    EVP_PKEY *pkey;
    STACK_OF(X509) *untrusted;
    STACK_OF(X509) *extra_certs_out;

    /* trust */
    X509_STORE *trusted;
    X509 *srvcert;
    X509_NAME *expected_sender;

    /* algorithms (integer options are all long: see pkixcmp_ctx_set_option) */
    char *digest;                   /* "SHA256" */
    char *mac;                      /* "HMAC-SHA1" */
    long mac_type;                   /* PXC_MAC_PBM or PXC_MAC_PBMAC1 */
    long pbm_iterations;
    long pbm_salt_len;

    /* policy */
    long max_iterations;
    long max_salt_len;
    long unprotected_errors;
    long ignore_keyusage;
    long require_cmp_eku;
    long msg_time_skew;
    long permit_ta_in_extracerts_for_ir;
    long pvno;
    long rfc9481_only;

    long log_verbosity;
    pkixcmp_log_fn *log_fn;
    void *log_arg;

    /* clock */
    time_t (*now)(void *arg);
    void *now_arg;

    /* client: configuration (client.h) */
    struct pxc_client_cfg {
        X509_NAME *subject, *issuer, *recipient;
        EVP_PKEY *newkey;
        X509_PUBKEY *newkey_enc;    /* newkey's public key, encoded once */
        X509 *oldcert;
        X509_REQ *p10csr;
        ASN1_INTEGER *revoke_serial;
        STACK_OF(X509_EXTENSION) *reqexts;
        X509_STORE *out_trusted;
        STACK_OF(PKIXCMP_InfoTypeAndValue) *genm_itavs;
        STACK_OF(PKIXCMP_InfoTypeAndValue) *geninfo_itavs;
        long days, popo, revreason, implicit_confirm, disable_confirm;
        long total_timeout, unprotected_send, san_nodefault, cert_req_id;
        pkixcmp_transfer_fn *transfer;
        void *transfer_arg;
        void (*sleep_fn)(void *arg, long secs);
        void *sleep_arg;
    } cl;

    /* client: state of the running transaction */
    struct pxc_client_state {
        time_t deadline;            /* end of the total timeout; 0: none */
        PKIXCMP_MSG *sent;          /* what the transfer sent instead */
    } st;
    struct pkixcmp_http_st *http;   /* default transfer; created on first use */

    /* client: results of the last transaction */
    struct pxc_client_result {
        int status;                 /* -1: none */
        unsigned long failinfo;
        char *status_text;
        X509 *newcert;
        STACK_OF(X509) *newchain, *capubs, *extracerts_in;
        X509 *srvcert;              /* the validated signer of the responses */
        PKIXCMP_MSG *last_rsp;
    } res;
};

/* Frees the client parts of ctx (ctx_client.c); clears the results of
 * the last transaction. */
void pxc_ctx_client_free(PKIXCMP_CTX *ctx);
void pxc_ctx_client_reset_results(PKIXCMP_CTX *ctx);

/* The context's current time (the injected clock, else time(NULL)). */
time_t pxc_ctx_now(const PKIXCMP_CTX *ctx);

/* Logs a line at level through the context's log callback. */
void pxc_log(const PKIXCMP_CTX *ctx, int level, const char *fmt, ...) PXC_PRINTF(3, 4);

#endif
