/*
 * srv_local.h - the parts of the server core, each in a file of its own:
 * the context (srv_ctx.c), the request pipeline (srv.c), certificate
 * requests with certConf and polling (srv_cert.c), rr, genm and error
 * (srv_other.c), the per-transaction state (srv_state.c).
 */
#ifndef PKIXCMP_SRV_LOCAL_H
#define PKIXCMP_SRV_LOCAL_H

#include <stddef.h>
#include "ctx_local.h"
#include "srv_backend.h"
#include "txn.h"

/* ---- srv_state.c: what the server remembers between two messages ---- */

/* The phases in which a transaction stays open. */
#define PXC_SRV_PHASE_POLLING 1  /* the answer to `first` is pending: pollReq */
#define PXC_SRV_PHASE_CERTCONF 2 /* `cert` was sent: certConf */

struct pxc_srv_txn {
    int phase;
    int first_type;       /* body type of the first request */
    long cert_req_id;     /* of the certificate request; -1 for others */
    X509 *cert;           /* CERTCONF: the certificate sent */
    PKIXCMP_MSG *first;   /* POLLING: the first request, asked again when ready */
    X509 *signer;         /* POLLING: its signer (may be NULL) */
    int protection;       /* POLLING: its protection (PXC_SRV_PROT_*) */
    void *be_data;        /* the backend's data (pxc_srv_req.txn_data) */
    const PXC_SRV_BACKEND *be; /* which frees be_data with be_arg */
    void *be_arg;
};

typedef struct pxc_srv_states_st PXC_SRV_STATES;

/* A new empty store for max_entries states expiring ttl seconds after
 * they were put, as the transaction table (txn.h) does. */
PXC_SRV_STATES *pxc_srv_states_new(size_t max_entries, long ttl) PXC_MUST_CHECK;
void pxc_srv_states_free(PXC_SRV_STATES *s);

struct pxc_srv_txn *pxc_srv_txn_new(int first_type, long cert_req_id) PXC_MUST_CHECK;
/* Frees st with its backend data (through st->be's txn_free). */
void pxc_srv_txn_free(struct pxc_srv_txn *st);
/* Frees backend data of be (NULL data is a no-op). */
void pxc_srv_be_data_free(const PXC_SRV_BACKEND *be, void *be_arg, void *data);

/*
 * Stores st under tid (it replaces any state there); on success the store
 * owns st. PKIXCMP_E_SERVER_BUSY when all entries are taken and none has
 * expired.
 */
int pxc_srv_states_put(PXC_SRV_STATES *s, const ASN1_OCTET_STRING *tid,
                       struct pxc_srv_txn *st, time_t now) PXC_MUST_CHECK;

/* Removes the state of tid and returns it (caller frees), NULL if there is
 * none or it expired. A message being handled holds its transaction's
 * state, so a second message of it at the same time finds none. */
struct pxc_srv_txn *pxc_srv_states_take(PXC_SRV_STATES *s, const ASN1_OCTET_STRING *tid,
                                        time_t now);

size_t pxc_srv_states_count(PXC_SRV_STATES *s);

/* ---- srv_ctx.c: the context ---- */

struct pkixcmp_srv_ctx_st {
    PKIXCMP_CTX *cmp;            /* our credentials, trust, clock, log */
    X509_NAME *sender;           /* see pkixcmp_srv_ctx_set1_sender() */
    const PXC_SRV_BACKEND *be;   /* not owned */
    void *be_arg;

    /* policy: PKIXCMP_SRV_OPT_* */
    long accept_unprotected;
    long accept_unprot_err;
    long accept_raverified;
    long grant_implicit_confirm;
    long send_unprotected;
    long send_unprot_err;
    long txn_max;
    long txn_ttl;
    long max_msg_size;

    PXC_TXN_TABLE *txns;         /* nonces of open transactions */
    PXC_SRV_STATES *states;      /* and what else we remember of them */
};

/* 1 if be has member m, sized as its struct says, and it is not NULL. */
#define PXC_SRV_BE_HAS(be, m)                                                    \
    ((be) != NULL && (be)->size >= offsetof(PXC_SRV_BACKEND, m) + sizeof((be)->m) \
     && (be)->m != NULL)

/* ---- srv.c: the pipeline ---- */

/* One request while it is handled. */
struct pxc_srv_call {
    PKIXCMP_SRV_CTX *srv;
    const PKIXCMP_MSG *req;      /* the request answered */
    const unsigned char *req_der; /* the DER it was decoded from, or NULL */
    size_t req_len;
    struct pxc_srv_req breq;     /* the request as the backend sees it */
    X509 *signer;                /* req's validated signer, or NULL */
    struct pxc_srv_txn *st;      /* the state of req's transaction, or NULL */
    int keep;                    /* the transaction stays open after the reply */
    STACK_OF(X509) *extra_certs; /* for the response's extraCerts */
    void *be_data;               /* the backend's data of the transaction */
    unsigned char *rsp_pp;       /* the answer's ProtectedPart DER, if MAC- */
    size_t rsp_pplen;            /* protected: it is not encoded again */
};

/*
 * A handler answers the body of msg (c->req itself, or after polling the
 * transaction's first request) with a new response built by
 * pxc_srv_rsp_new(), or returns NULL with an error on the queue.
 */
typedef PKIXCMP_MSG *pxc_srv_handler_fn(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);

/* The handler of requests of body type `type`, NULL if there is none. */
pxc_srv_handler_fn *pxc_srv_handler(int type);

/* A new response of body type `type` to c->req: transactionID copied,
 * recipNonce = its senderNonce, fresh senderNonce, its pvno, recipient =
 * its sender, sender as pkixcmp_srv_ctx_set1_sender() says. */
PKIXCMP_MSG *pxc_srv_rsp_new(const struct pxc_srv_call *c, int type) PXC_MUST_CHECK;

/* Raises PKIXCMP_E_UNSUPPORTED_REQUEST: no backend callback for what;
 * returns 0. */
int pxc_srv_no_backend(const struct pxc_srv_call *c, const char *what);

/* After a backend callback failed: makes sure a pkixcmp error says so
 * (PKIXCMP_E_CA_FAILURE if the backend raised none). */
void pxc_srv_backend_failed(const struct pxc_srv_call *c, const char *what);

/* ---- srv_cert.c and srv_other.c: the handlers ---- */

PKIXCMP_MSG *pxc_srv_handle_cert_request(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);
PKIXCMP_MSG *pxc_srv_handle_certconf(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);
PKIXCMP_MSG *pxc_srv_handle_pollreq(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);
PKIXCMP_MSG *pxc_srv_handle_rr(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);
PKIXCMP_MSG *pxc_srv_handle_genm(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);
PKIXCMP_MSG *pxc_srv_handle_error(struct pxc_srv_call *c, const PKIXCMP_MSG *msg);

/* Keeps the transaction open for polling (RFC 9810 5.3.22): msg is asked
 * again when the backend is ready. Refused (PKIXCMP_E_CA_FAILURE) when msg
 * is already being asked again after polling. */
int pxc_srv_await_poll(struct pxc_srv_call *c, const PKIXCMP_MSG *msg, long cert_req_id)
    PXC_MUST_CHECK;

/* An error message with status waiting: the answer to msg (not a
 * certificate request) comes later, polled for with certReqId -1. */
PKIXCMP_MSG *pxc_srv_delay(struct pxc_srv_call *c, const PKIXCMP_MSG *msg) PXC_MUST_CHECK;

#endif
