/*
 * test_server.h - what test_server.c shares with its helpers in
 * test_server_util.c: a test CA backend and builders of client requests.
 */
#ifndef PKIXCMP_TEST_SERVER_H
#define PKIXCMP_TEST_SERVER_H

#include <pthread.h>
#include "hdr_build.h"
#include "rsp_build.h"
#include "srv_local.h"

/* ---- the test CA behind the server ---- */

struct test_ca {
    pthread_mutex_t lock;
    X509 *ca_cert;          /* interm.crt */
    EVP_PKEY *ca_key;       /* interm.key */
    X509 *root;             /* root.crt, sent as caPubs */
    long serial;            /* of the last certificate issued */
    /* polling: cert_request (and genm if genm_wait) answer PXC_SRV_WAIT
     * first, then poll() says ready at the poll_count-th pollReq; the
     * count of each transaction is its txn_data */
    int poll_count;
    long check_after;
    int genm_wait;
    int txn_data_live;      /* txn_data allocated and not yet freed */
    /* what the backend saw */
    int issued, confirmed, rejected, revoked, errors, last_reason;
    long last_cert_req_id;
    /* fault: refuse certificate requests with this status (0: issue) */
    int reject;
};

extern const PXC_SRV_BACKEND test_backend;

int test_ca_init(struct test_ca *ca);
void test_ca_cleanup(struct test_ca *ca);

/* ---- files ---- */

X509 *tsrv_cert(const char *name);
EVP_PKEY *tsrv_key(const char *name);
PKIXCMP_MSG *tsrv_load(const char *file);

/* ---- contexts ---- */

/* A client or server context with the secret (and reference 4711). */
PKIXCMP_CTX *tsrv_mac_ctx(const char *secret);
/* Sets cert/key (may be NULL) and trust: root.crt anchors, interm.crt untrusted. */
int tsrv_set_sig(PKIXCMP_CTX *ctx, const char *cert, const char *key);
/* A server with the MAC secret test1234 and the test CA as backend. */
PKIXCMP_SRV_CTX *tsrv_new_srv(struct test_ca *ca);

/* ---- requests ---- */

#define TSRV_POP_SIG 1
#define TSRV_POP_RAVERIFIED 0
#define TSRV_POP_BADSIG 9

/* A CertReqMsg for key with subject CN=cn and a POP of kind pop. */
PKIXCMP_CertReqMsg *tsrv_crm(EVP_PKEY *key, const char *cn, int pop);

/* A CertReqMsg for key without subject, whose signature POP is over a
 * poposkInput naming sender (RFC 4211 4.1). */
PKIXCMP_CertReqMsg *tsrv_crm_poposk(EVP_PKEY *key, const X509_NAME *sender);

/* A request of body type `type` with body value `value` (taken over, also
 * on failure), in the transaction of prev (its transactionID, recipNonce =
 * its senderNonce) or a new one if prev is NULL, with implicitConfirm if
 * asked, protected with cli if `protect`. */
PKIXCMP_MSG *tsrv_req(const PKIXCMP_CTX *cli, int protect, int type, void *value,
                      const PKIXCMP_MSG *prev, int implicit);

/* ir with one CertReqMsg for key (CN "test ee"). */
PKIXCMP_MSG *tsrv_ir(const PKIXCMP_CTX *cli, int protect, EVP_PKEY *key, int pop, int implicit);
/* certConf for the certificate of rsp (hash of cert; NULL: none: empty). */
PKIXCMP_MSG *tsrv_certconf(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *rsp, const X509 *cert,
                           int reject);
PKIXCMP_MSG *tsrv_pollreq(const PKIXCMP_CTX *cli, const PKIXCMP_MSG *rsp, long id);
PKIXCMP_MSG *tsrv_rr(const PKIXCMP_CTX *cli, const X509_NAME *issuer, long serial, int reason);

/* ---- responses ---- */

/* The certificate of an ip/cp/kup/ccp (borrowed), NULL if none. */
X509 *tsrv_rsp_cert(const PKIXCMP_MSG *rsp);
/* 1 if rsp is an error with status rejection and failInfo bit `name`. */
int tsrv_is_error(const PKIXCMP_MSG *rsp, const char *name);
/* The errorCode of an error message, -1 if none. */
long tsrv_error_code(const PKIXCMP_MSG *rsp);

#endif
