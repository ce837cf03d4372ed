/*
 * srv.c - the server's request pipeline: check a request (header,
 * protection), find its transaction, hand its body to the handler of its
 * type, keep or close the transaction, protect the response; every refusal
 * becomes an error message.
 *
 *   request -> header check -> protection -> route -> transaction
 *           -> handler -> keep/close -> protect -> response
 */
#include <string.h>
#include <openssl/err.h>
#include "hdr_build.h"
#include "protect_local.h"
#include "rsp_build.h"
#include "srv_local.h"

/* Longest statusString of our error messages. */
#define SRV_ERR_TEXT_LEN 512

/* Body type -> handler; `opens`: the first message of a transaction. */
struct srv_route {
    int type;
    int opens;
    pxc_srv_handler_fn *fn;
};

static const struct srv_route routes[] = {
    {PKIXCMP_BODY_IR, 1, pxc_srv_handle_cert_request},
    {PKIXCMP_BODY_CR, 1, pxc_srv_handle_cert_request},
    {PKIXCMP_BODY_KUR, 1, pxc_srv_handle_cert_request},
    {PKIXCMP_BODY_P10CR, 1, pxc_srv_handle_cert_request},
    {PKIXCMP_BODY_CCR, 1, pxc_srv_handle_cert_request},
    {PKIXCMP_BODY_RR, 1, pxc_srv_handle_rr},
    {PKIXCMP_BODY_GENM, 1, pxc_srv_handle_genm},
    {PKIXCMP_BODY_CERTCONF, 0, pxc_srv_handle_certconf},
    {PKIXCMP_BODY_POLLREQ, 0, pxc_srv_handle_pollreq},
    {PKIXCMP_BODY_ERROR, 0, pxc_srv_handle_error},
};

static const struct srv_route *route_of(int type)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(routes); i++)
        if (routes[i].type == type)
            return &routes[i];
    return NULL;
}

pxc_srv_handler_fn *pxc_srv_handler(int type)
{
    const struct srv_route *r = route_of(type);

    return r != NULL ? r->fn : NULL;
}

static const char *type_name(const PKIXCMP_MSG *msg)
{
    const char *name = msg != NULL ? pkixcmp_body_type_name(pkixcmp_msg_get_body_type(msg)) : NULL;

    return name != NULL ? name : "message";
}

int pxc_srv_no_backend(const struct pxc_srv_call *c, const char *what)
{
    PXC_ERR(PKIXCMP_E_UNSUPPORTED_REQUEST, "%s: the server has no backend for %s",
            type_name(c->req), what);
    return 0;
}

void pxc_srv_backend_failed(const struct pxc_srv_call *c, const char *what)
{
    if (pkixcmp_err_peek_last() == PKIXCMP_E_NONE)
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "%s: the backend refused %s without an error",
                type_name(c->req), what);
}

/* ------------------------------------------------------ the response */

/* The name we send as sender; NULL for the NULL-DN. */
static const X509_NAME *our_name(const PKIXCMP_SRV_CTX *srv)
{
    if (srv->sender != NULL)
        return srv->sender;
    return srv->cmp->cert != NULL ? X509_get_subject_name(srv->cmp->cert) : NULL;
}

PKIXCMP_MSG *pxc_srv_rsp_new(const struct pxc_srv_call *c, int type)
{
    const PKIXCMP_PKIHeader *rh = c->req != NULL ? c->req->header : NULL;
    PKIXCMP_MSG *rsp = NULL, *ret = NULL;
    long pvno;

    rsp = pxc_msg_create(c->srv->cmp, type, our_name(c->srv), NULL,
                         rh != NULL ? rh->transactionID : NULL,
                         rh != NULL ? rh->senderNonce : NULL);
    if (rsp == NULL)
        goto out;
    /* RFC 9810 7: "If a server receives a message with a version that it
     * supports, then the version of the response message MUST be the same
     * as the received version." */
    pvno = c->req != NULL ? pkixcmp_msg_get_pvno(c->req) : -1;
    if ((pvno == 2 || pvno == 3) && !ASN1_INTEGER_set(rsp->header->pvno, pvno))
        goto malloc_fail;
    /* RFC 9810 5.1.1: "The recipient field contains the name of the
     * recipient of the PKIMessage": the request's sender. */
    if (rh != NULL && rh->sender != NULL) {
        GENERAL_NAME *gn = GENERAL_NAME_dup(rh->sender);

        if (gn == NULL)
            goto malloc_fail;
        GENERAL_NAME_free(rsp->header->recipient);
        rsp->header->recipient = gn;
    }
    ret = rsp;
    rsp = NULL;
    goto out;
malloc_fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "response header");
out:
    pkixcmp_msg_free(rsp);
    return ret;
}

/* PXC_SRV_PROT_* of msg by its protectionAlg. */
static int protection_of(const PKIXCMP_MSG *msg)
{
    const X509_ALGOR *alg = msg != NULL ? msg->header->protectionAlg : NULL;

    if (alg == NULL)
        return PXC_SRV_PROT_NONE;
    return pxc_mac_is_mac_alg(alg) ? PXC_SRV_PROT_MAC : PXC_SRV_PROT_SIG;
}

/* 1 if rsp refuses: an error (other than "waiting") or a rejection. */
static int is_negative(const PKIXCMP_MSG *rsp)
{
    int status = pxc_rsp_status(rsp);

    if (rsp->body->type == PKIXCMP_BODY_ERROR)
        return status != PXC_STATUS_WAITING;
    return status == PXC_STATUS_REJECTION;
}

/*
 * Protects rsp as the policy says: not at all with send_unprotected (or
 * send_unprot_err for negative responses); else the same kind as the
 * request when we have both a secret and a key (openssl cmp's mock server
 * does the same), else the kind we have. The error message of RFC 9810
 * 5.3.21 ("The CA MUST always sign it") is protected the same way: a
 * client holding only a shared secret could not check a signature.
 */
static int protect_rsp(const struct pxc_srv_call *c, PKIXCMP_MSG *rsp, unsigned char **pp,
                       size_t *pplen)
{
    const PKIXCMP_SRV_CTX *srv = c->srv;
    PKIXCMP_CTX sig_only;
    int i;

    for (i = 0; i < sk_X509_num(c->extra_certs); i++) {
        if ((rsp->extraCerts == NULL && (rsp->extraCerts = sk_X509_new_null()) == NULL)
            || !X509_add_cert(rsp->extraCerts, sk_X509_value(c->extra_certs, i),
                              X509_ADD_FLAG_UP_REF | X509_ADD_FLAG_NO_DUP)) {
            PXC_ERR(PKIXCMP_E_MALLOC, "extraCerts of the response");
            return 0;
        }
    }
    if (srv->send_unprotected || (srv->send_unprot_err && is_negative(rsp)))
        return 1;
    if (protection_of(c->req) == PXC_SRV_PROT_SIG && srv->cmp->secret != NULL
        && srv->cmp->cert != NULL && srv->cmp->pkey != NULL) {
        /* pkixcmp_msg_protect() prefers the secret: hide it */
        sig_only = *srv->cmp;
        sig_only.secret = NULL;
        return pkixcmp_msg_protect(&sig_only, rsp);
    }
    return pxc_msg_protect_keep(srv->cmp, rsp, pp, pplen);
}

/* ------------------------------------------------------ refusals */

/* "reason: detail" of the newest pkixcmp error on the queue into buf;
 * its code, PKIXCMP_E_INTERNAL if the newest error is not ours. */
static int last_error(char *buf, size_t size)
{
    int code = pkixcmp_err_peek_last(), flags = 0;
    const char *data = NULL;
    unsigned long e = ERR_peek_last_error_all(NULL, NULL, NULL, &data, &flags);

    if (code == PKIXCMP_E_NONE) {
        code = PKIXCMP_E_INTERNAL;
        data = e != 0 ? ERR_reason_error_string(e) : NULL;
        flags = ERR_TXT_STRING;
    }
    if (data != NULL && (flags & ERR_TXT_STRING) != 0 && *data != '\0')
        BIO_snprintf(buf, size, "%s: %s", pkixcmp_err_reason_string(code), data);
    else
        BIO_snprintf(buf, size, "%s", pkixcmp_err_reason_string(code));
    return code;
}

/*
 * The error message for a request refused with the newest error on the
 * queue: status rejection, failInfo the bit of its code, statusString its
 * text, errorCode the code. Sent unprotected if it cannot be protected.
 */
static PKIXCMP_MSG *refuse(const struct pxc_srv_call *c)
{
    char text[SRV_ERR_TEXT_LEN];
    int code = last_error(text, sizeof(text));
    PKIXCMP_PKIStatusInfo *si = NULL;
    PKIXCMP_MSG *rsp = NULL;

    pxc_log(c->srv->cmp, PKIXCMP_LOG_WARNING, "refusing %s: %s", type_name(c->req), text);
    si = pxc_statusinfo_new(PXC_STATUS_REJECTION, 1UL << pkixcmp_err_failinfo_bit(code), text);
    if (si == NULL || (rsp = pxc_srv_rsp_new(c, PKIXCMP_BODY_ERROR)) == NULL
        || (rsp->body->value.error = pxc_errormsg_new(si, code, NULL)) == NULL)
        goto err;
    ERR_set_mark();
    if (!protect_rsp(c, rsp, NULL, NULL)) {
        last_error(text, sizeof(text));
        pxc_log(c->srv->cmp, PKIXCMP_LOG_WARNING, "sending the error unprotected: %s", text);
        X509_ALGOR_free(rsp->header->protectionAlg);
        rsp->header->protectionAlg = NULL;
        ASN1_BIT_STRING_free(rsp->protection);
        rsp->protection = NULL;
    }
    ERR_pop_to_mark();
    goto out;
err:
    pkixcmp_msg_free(rsp);
    rsp = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return rsp;
}

/* ------------------------------------------------------ the checks */

/*
 * Verifies the request's protection with our secret or trust store. A
 * request without valid protection is accepted only by policy
 * (-accept_unprotected; -accept_unprot_err for error messages), with a
 * warning.
 */
static int check_protection(struct pxc_srv_call *c)
{
    const PKIXCMP_SRV_CTX *srv = c->srv;
    char text[SRV_ERR_TEXT_LEN];
    unsigned char *pp = NULL;
    int ok, allowed, n = -1;

    allowed = srv->accept_unprotected
        || (srv->accept_unprot_err && c->req->body->type == PKIXCMP_BODY_ERROR);
    ERR_set_mark();
    /* a MAC covers header and body as they came: no need to encode them */
    if (c->req_der != NULL && c->req->header->protectionAlg != NULL
        && pxc_mac_is_mac_alg(c->req->header->protectionAlg))
        n = pxc_protected_part_from_der(c->req_der, c->req_len, &pp); /* if -1: encoded */
    ok = pxc_msg_verify_pp(srv->cmp, c->req, pp, n > 0 ? (size_t)n : 0, &c->signer);
    OPENSSL_free(pp);
    if (ok || !allowed) {
        ERR_clear_last_mark();
        c->breq.protection = ok ? protection_of(c->req) : PXC_SRV_PROT_NONE;
        return ok;
    }
    last_error(text, sizeof(text));
    ERR_pop_to_mark();
    pxc_log(srv->cmp, PKIXCMP_LOG_WARNING, "accepting %s despite its protection (%s), by policy",
            type_name(c->req), text);
    c->breq.protection = PXC_SRV_PROT_NONE;
    return 1;
}

/*
 * The transaction of the request: a new one for the first message (RFC
 * 9810 5.1.1: transactionIdInUse if its ID is taken), else the open one,
 * whose state the request takes while it is handled.
 */
static int enter_txn(struct pxc_srv_call *c, const struct srv_route *r, time_t now)
{
    const PKIXCMP_PKIHeader *h = c->req->header;
    char hex[128];

    if (r->opens)
        return pxc_txn_begin(c->srv->txns, h->transactionID, h->senderNonce, now);
    if (!pxc_txn_continue(c->srv->txns, h->transactionID, h->senderNonce, h->recipNonce, now))
        return 0;
    if ((c->st = pxc_srv_states_take(c->srv->states, h->transactionID, now)) == NULL) {
        PXC_ERR(PKIXCMP_E_UNEXPECTED_REQUEST,
                "%s: transaction %s expects no message now (or one is being handled)",
                type_name(c->req), pxc_hex_text(h->transactionID, hex, sizeof(hex)));
        return 0;
    }
    c->be_data = c->st->be_data;
    c->st->be_data = NULL; /* transferred */
    return 1;
}

/* After the response: keep the transaction (our senderNonce is the next
 * recipNonce) or close it. */
static int leave_txn(struct pxc_srv_call *c, const PKIXCMP_MSG *rsp, time_t now)
{
    const ASN1_OCTET_STRING *tid = c->req->header->transactionID;

    if (c->keep && c->st != NULL) {
        c->st->be_data = c->be_data;
        c->st->be = c->srv->be;
        c->st->be_arg = c->srv->be_arg;
        c->be_data = NULL; /* transferred */
        if (!pxc_txn_set_reply_nonce(c->srv->txns, tid, rsp->header->senderNonce)
            || !pxc_srv_states_put(c->srv->states, tid, c->st, now))
            return 0;
        c->st = NULL; /* transferred */
        return 1;
    }
    ERR_set_mark();
    if (!pxc_txn_end(c->srv->txns, tid))
        ERR_pop_to_mark(); /* expired meanwhile: closed anyway */
    else
        ERR_clear_last_mark();
    return 1;
}

/* The response to c->req, or NULL with the error that refuses it. */
static PKIXCMP_MSG *answer(struct pxc_srv_call *c, int *in_txn)
{
    const struct srv_route *r;
    PKIXCMP_MSG *rsp = NULL;
    time_t now = pxc_ctx_now(c->srv->cmp);

    pxc_log(c->srv->cmp, PKIXCMP_LOG_DEBUG, "received %s", type_name(c->req));
    if (!pxc_hdr_check_request(c->srv->cmp, c->req) || !check_protection(c))
        return NULL;
    if ((r = route_of(c->req->body->type)) == NULL) {
        PXC_ERR(PKIXCMP_E_UNSUPPORTED_REQUEST, "%s is not a request this server answers",
                type_name(c->req));
        return NULL;
    }
    if (!enter_txn(c, r, now))
        return NULL;
    *in_txn = 1;
    c->breq.msg = c->req;
    c->breq.signer = c->signer;
    c->breq.txn_data = &c->be_data;
    if ((rsp = r->fn(c, c->req)) == NULL || !protect_rsp(c, rsp, &c->rsp_pp, &c->rsp_pplen)
        || !leave_txn(c, rsp, now))
        goto err;
    *in_txn = 0;
    return rsp;
err:
    pkixcmp_msg_free(rsp);
    return NULL;
}

/* pkixcmp_srv_process() of req decoded from der (or NULL), also handing
 * back the answer's ProtectedPart DER in *pp (if pp is not NULL; *pp NULL
 * if it has none). */
static PKIXCMP_MSG *process(PKIXCMP_SRV_CTX *srv, const PKIXCMP_MSG *req,
                            const unsigned char *der, size_t len, unsigned char **pp,
                            size_t *pplen)
{
    struct pxc_srv_call c;
    PKIXCMP_MSG *rsp = NULL;
    int in_txn = 0;

    memset(&c, 0, sizeof(c));
    c.srv = srv;
    c.req = req;
    c.req_der = der;
    c.req_len = len;
    if (req == NULL || req->header == NULL || req->body == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no request to process");
        return NULL;
    }
    ERR_set_mark();
    if ((rsp = answer(&c, &in_txn)) == NULL) {
        /* an error ends the transaction it happened in */
        if (in_txn && !pxc_txn_end(srv->txns, req->header->transactionID))
            ERR_clear_error();
        OPENSSL_free(c.rsp_pp); /* not of the refusal */
        c.rsp_pp = NULL;
        rsp = refuse(&c);
    }
    if (rsp != NULL) {
        ERR_pop_to_mark();
        pxc_log(srv->cmp, PKIXCMP_LOG_DEBUG, "sending %s", type_name(rsp));
        if (pp != NULL) {
            *pp = c.rsp_pp;
            *pplen = c.rsp_pplen;
            c.rsp_pp = NULL; /* transferred */
        }
    } else {
        ERR_clear_last_mark();
    }
    OPENSSL_free(c.rsp_pp);
    X509_free(c.signer);
    sk_X509_pop_free(c.extra_certs, X509_free);
    pxc_srv_be_data_free(srv->be, srv->be_arg, c.be_data);
    pxc_srv_txn_free(c.st);
    return rsp;
}

PKIXCMP_MSG *pkixcmp_srv_process(PKIXCMP_SRV_CTX *srv, const PKIXCMP_MSG *req)
{
    return process(srv, req, NULL, 0, NULL, NULL);
}

/* The error message for input that is no PKIMessage, in a new transaction. */
static PKIXCMP_MSG *refuse_undecodable(PKIXCMP_SRV_CTX *srv)
{
    struct pxc_srv_call c;

    memset(&c, 0, sizeof(c));
    c.srv = srv;
    return refuse(&c);
}

int pkixcmp_srv_process_der(PKIXCMP_SRV_CTX *srv, const unsigned char *req, size_t len,
                            unsigned char **rsp, size_t *rsp_len)
{
    PKIXCMP_MSG *in = NULL, *out = NULL;
    unsigned char *pp = NULL;
    size_t pplen = 0;
    int n, ret = 0;

    *rsp = NULL;
    *rsp_len = 0;
    ERR_set_mark();
    in = pkixcmp_msg_decode(req, len, (size_t)srv->max_msg_size);
    out = in != NULL ? process(srv, in, req, len, &pp, &pplen) : refuse_undecodable(srv);
    if (out == NULL) {
        ERR_clear_last_mark();
        goto out;
    }
    ERR_pop_to_mark();
    /* header and body were encoded for the MAC already */
    if ((n = pp != NULL ? pxc_msg_encode_with_pp(out, pp, pplen, rsp)
                        : pkixcmp_msg_encode(out, rsp)) <= 0) {
        *rsp = NULL;
        goto out;
    }
    *rsp_len = (size_t)n;
    ret = 1;
out:
    OPENSSL_free(pp);
    pkixcmp_msg_free(in);
    pkixcmp_msg_free(out);
    return ret;
}
