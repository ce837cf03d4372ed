/*
 * srv_backend.h - what the server core asks of a CA: one struct of
 * callbacks (a class with a size field, as BearSSL's br_x509_class), set
 * with pxc_srv_ctx_set_backend().
 *
 * The core has checked each request before calling: protection, header,
 * transaction, proof of possession; the backend decides what to issue,
 * revoke or answer. Callbacks may run from several threads at once (the
 * server is thread-safe): a backend with state locks it itself.
 *
 * Return values of the callbacks that answer a request:
 *   PXC_SRV_ANSWER  the answer is in the out parameters;
 *   PXC_SRV_WAIT    the answer comes later: the client is told to poll
 *                   (an ip/cp/kup/ccp with status waiting for certificate
 *                   requests, an error message with status waiting for
 *                   others, RFC 9810 5.3.22) and poll() says when it is
 *                   ready; the core then calls the same callback again
 *                   with the same request, which must answer;
 *   PXC_SRV_FAIL    refused: a pkixcmp error is on the queue (PXC_ERR)
 *                   and the client gets an error message with the failInfo
 *                   bit of its code (pkixcmp_err_failinfo_bit()) and its
 *                   text, e.g. PKIXCMP_E_UNKNOWN_CERT gives badCertId.
 * Out parameters start NULL; what the backend puts there is new (copied
 * or up-referenced) and the core frees it. A backend that keeps state per
 * transaction (a polling counter, say) puts it in *req->txn_data.
 */
#ifndef PKIXCMP_SRV_BACKEND_H
#define PKIXCMP_SRV_BACKEND_H

#include <pkixcmp/server.h>
#include "asn1_types.h"
#include "internal.h"

#define PXC_SRV_FAIL 0
#define PXC_SRV_ANSWER 1
#define PXC_SRV_WAIT 2

/* How a request was protected. */
#define PXC_SRV_PROT_NONE 0 /* unprotected, or its protection did not verify
                               and the policy accepted it anyway */
#define PXC_SRV_PROT_MAC 1
#define PXC_SRV_PROT_SIG 2

/* The request a callback answers, as the core checked it. */
struct pxc_srv_req {
    const PKIXCMP_MSG *msg;     /* the request (after polling: the first
                                   request of the transaction, asked again) */
    const X509 *signer;         /* its validated signer, NULL unless
                                   protection is PXC_SRV_PROT_SIG */
    int protection;             /* PXC_SRV_PROT_* */
    EVP_PKEY *key;              /* a certificate request's template key as
                                   decoded for its POP; NULL if it was not */
    /* The backend's own data for this transaction (e.g. a polling
     * counter): NULL at its first message; what the backend stores here is
     * kept between the messages of the transaction and freed with
     * txn_free() when it ends or expires. */
    void **txn_data;
};

/* The answer to a certificate request (ir, cr, kur, p10cr, ccr). */
struct pxc_srv_cert_answer {
    /* NULL means accepted. rejection (2): no certificate is sent; waiting
     * (3): as returning PXC_SRV_WAIT; any other status sends cert. */
    PKIXCMP_PKIStatusInfo *status;
    X509 *cert;                 /* the new certificate */
    STACK_OF(X509) *extra_certs; /* added to the response's extraCerts
                                    (e.g. the chain of cert) */
    STACK_OF(X509) *ca_pubs;    /* caPubs, sent in an ip only */
    /* Central key generation (the template asks for it, see
     * pxc_enc_ckg_requested() in enc_cert.h; RFC 9483 4.1.6): the private
     * key of cert, required then and refused otherwise; the core signs it
     * with the key generation authority's certificate and key (NULL: the
     * server's own) and encrypts it for the client. */
    EVP_PKEY *new_key;
    X509 *kga_cert;
    EVP_PKEY *kga_key;
    STACK_OF(X509) *kga_chain;  /* kga_cert's issuers (may be NULL) */
};

typedef struct pxc_srv_backend_st PXC_SRV_BACKEND;

struct pxc_srv_backend_st {
    /* sizeof(PXC_SRV_BACKEND) as the backend was compiled: members beyond
     * it are taken as absent. A NULL member refuses its requests with
     * PKIXCMP_E_UNSUPPORTED_REQUEST (answers pkiConf for cert_conf and
     * error). */
    size_t size;

    /*
     * ir, cr, kur, ccr (crm, p10cr NULL) or p10cr (p10cr, crm NULL), whose
     * POP (or CSR signature) verified; cert_req_id is the one to answer
     * with (-1 for p10cr).
     */
    int (*cert_request)(void *arg, const struct pxc_srv_req *req,
                        const PKIXCMP_CertReqMsg *crm, const X509_REQ *p10cr,
                        long cert_req_id, struct pxc_srv_cert_answer *ans);

    /*
     * rr of the certificate issuer/serial, reason the CRLReason of its
     * crlEntryDetails (-1 if none): *status is the status to answer with
     * (NULL: accepted).
     */
    int (*revoke)(void *arg, const struct pxc_srv_req *req, const X509_NAME *issuer,
                  const ASN1_INTEGER *serial, int reason, PKIXCMP_PKIStatusInfo **status);

    /* genm with the InfoTypeAndValues in: *out the genp's (NULL: none). */
    int (*genm)(void *arg, const struct pxc_srv_req *req,
                const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                STACK_OF(PKIXCMP_InfoTypeAndValue) **out);

    /*
     * The client confirmed (accepted 1) or rejected (accepted 0, status its
     * PKIStatusInfo, may be NULL) cert of cert_req_id; certHash and
     * certReqId are checked. Informational: return 1, or 0 with an error
     * to answer with an error message instead of pkiConf.
     */
    int (*cert_conf)(void *arg, const struct pxc_srv_req *req, long cert_req_id,
                     const X509 *cert, int accepted, const PKIXCMP_PKIStatusInfo *status);

    /*
     * pollReq for cert_req_id (-1 for a request other than a certificate
     * request) of the transaction whose first request is req->msg: 1 with
     * *ready = 1 when the answer is ready (the core asks for it again), else
     * *ready = 0 and *check_after the seconds the client should wait; 0
     * with an error on the queue to refuse.
     */
    int (*poll)(void *arg, const struct pxc_srv_req *req, long cert_req_id, int *ready,
                long *check_after);

    /* The client sent an error message (which ends the transaction):
     * informational, the core answers pkiConf. */
    int (*error)(void *arg, const struct pxc_srv_req *req, const PKIXCMP_ErrorMsgContent *err);

    /* Frees what the backend stored in *req->txn_data (never NULL). */
    void (*txn_free)(void *arg, void *txn_data);
};

/* Makes be (not copied: it must outlive srv) with arg the backend of srv;
 * be NULL removes it. */
int pxc_srv_ctx_set_backend(PKIXCMP_SRV_CTX *srv, const PXC_SRV_BACKEND *be, void *arg)
    PXC_MUST_CHECK;

/* The transactions srv holds open (for tests and statistics). */
size_t pxc_srv_ctx_open_txns(PKIXCMP_SRV_CTX *srv);

#endif
