/*
 * srv_cert.c - certificate requests on the server (RFC 9810 5.3.1-5.3.6,
 * 5.3.11, 5.3.12; RFC 9483 4.1): ir, cr, kur, p10cr, ccr and their ip, cp,
 * kup, ccp; the certConf that confirms the certificate (5.3.18) and the
 * pollReq of a delayed answer (5.3.22).
 */
#include <limits.h>
#include <string.h>
#include "certconf.h"
#include "certreq.h"
#include "enc_cert.h"
#include "hdr_build.h"
#include "rsp_build.h"
#include "spki.h"
#include "srv_local.h"

static const char *name_of(int type)
{
    const char *name = pkixcmp_body_type_name(type);

    return name != NULL ? name : "request";
}

int pxc_srv_await_poll(struct pxc_srv_call *c, const PKIXCMP_MSG *msg, long cert_req_id)
{
    struct pxc_srv_txn *st = NULL;

    if (c->st != NULL) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "%s: the backend said its answer was ready, then asked to wait",
                name_of(msg->body->type));
        return 0;
    }
    if ((st = pxc_srv_txn_new(msg->body->type, cert_req_id)) == NULL)
        return 0;
    st->phase = PXC_SRV_PHASE_POLLING;
    st->protection = c->breq.protection;
    if ((st->first = pkixcmp_msg_dup(msg)) == NULL
        || (c->breq.signer != NULL && !X509_up_ref((X509 *)c->breq.signer))) {
        pxc_srv_txn_free(st);
        PXC_ERR(PKIXCMP_E_MALLOC, "state of a polled transaction");
        return 0;
    }
    st->signer = (X509 *)c->breq.signer;
    c->st = st;
    c->keep = 1;
    return 1;
}

/* Remembers cert for the certConf to come. */
static int await_certconf(struct pxc_srv_call *c, int type, long id, X509 *cert)
{
    if (c->st == NULL && (c->st = pxc_srv_txn_new(type, id)) == NULL)
        return 0;
    if (!X509_up_ref(cert)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certificate awaiting certConf");
        return 0;
    }
    X509_free(c->st->cert);
    c->st->cert = cert;
    c->st->cert_req_id = id;
    c->st->phase = PXC_SRV_PHASE_CERTCONF;
    c->keep = 1;
    return 1;
}

/* p10cr: the CSR's self-signature is its proof of possession. */
static int check_p10cr(const struct pxc_srv_call *c, X509_REQ *csr)
{
    EVP_PKEY *key = X509_REQ_get0_pubkey(csr);

    if (key != NULL && X509_REQ_verify_ex(csr, key, c->srv->cmp->libctx, c->srv->cmp->propq) > 0)
        return 1;
    PXC_ERR(PKIXCMP_E_BAD_POP, "p10cr: the CSR's signature does not verify with its public key");
    return 0;
}

/*
 * RFC 4211 4.1, POPOSigningKeyInput: "sender [0] GeneralName, -- used only
 * if an authenticated identity has been established for the sender (e.g.,
 * a DN from a previously-issued and currently-valid certificate)". The POP
 * check leaves this to us: the sender named must be the subject of the
 * certificate that signed the message.
 */
static int check_poposk_sender(const struct pxc_srv_call *c, const PKIXCMP_MSG *msg,
                               const PKIXCMP_CertReqMsg *crm)
{
    const PKIXCMP_POPOSigningKeyInput *in = NULL;
    const X509_NAME *name;

    if (crm->popo != NULL && crm->popo->type == PKIXCMP_POP_SIGNATURE)
        in = crm->popo->value.signature->poposkInput;
    if (in == NULL || in->authInfo == NULL || in->authInfo->type != 0 /* sender */)
        return 1;
    name = pxc_gn_dirname(in->authInfo->value.sender);
    if (name != NULL && c->breq.signer != NULL
        && X509_NAME_cmp(name, X509_get_subject_name(c->breq.signer)) == 0)
        return 1;
    PXC_ERR(PKIXCMP_E_BAD_POP, "%s: poposkInput names a sender that did not sign the message",
            name_of(msg->body->type));
    return 0;
}

/* Central key generation: the secret a MAC-protected request came with,
 * and the certificate that signed a signed one (NULL: none). */
static const ASN1_OCTET_STRING *kga_secret(const struct pxc_srv_call *c)
{
    return c->breq.protection == PXC_SRV_PROT_MAC ? c->srv->cmp->secret : NULL;
}

static X509 *kga_recipient(const struct pxc_srv_call *c)
{
    return c->breq.protection == PXC_SRV_PROT_SIG ? (X509 *)c->breq.signer : NULL;
}

/*
 * The POP of crm. Two kinds of request carry none that can be checked now:
 *  - central key generation (RFC 9483 4.1.6): the EE has no key yet, so no
 *    popo (an RA may put raVerified, accepted where raVerified is); RFC
 *    9810 5.3.12: in a ccp "no encrypted private key can be sent"; and
 *    nothing is issued whose private key could not be sent encrypted;
 *  - the indirect method (RFC 9810 5.2.8.3.2, subsequentMessage encrCert):
 *    "The end entity proves knowledge of the private key to the CA by
 *    providing the correct CertHash for this certificate in the certConf
 *    message", so it is accepted when we can encrypt for the key.
 */
static int check_pop(struct pxc_srv_call *c, const PKIXCMP_MSG *msg,
                     const PKIXCMP_CertReqMsg *crm)
{
    const unsigned char *der = NULL;
    size_t len = 0;
    EVP_PKEY *key;
    int ok;

    if (pxc_enc_ckg_requested(crm)) {
        if (msg->body->type == PKIXCMP_BODY_CCR) {
            PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "ccr: no key to certify; central key generation "
                    "is not for cross-certification");
            return 0;
        }
        if (crm->popo != NULL
            && (crm->popo->type != PKIXCMP_POP_RAVERIFIED || !c->srv->accept_raverified)) {
            PXC_ERR(PKIXCMP_E_BAD_POP, "%s: a central key generation request (no public key) "
                    "with a proof of possession", name_of(msg->body->type));
            return 0;
        }
        return pxc_enc_ckg_deliverable(kga_secret(c), kga_recipient(c));
    }
    if (pxc_enc_pop_is_encrcert(crm)) {
        if ((key = pxc_certreq_get1_pubkey(c->srv->cmp, crm)) == NULL)
            return 0;
        if (!(ok = pxc_enc_key_supported(key)))
            PXC_ERR(PKIXCMP_E_BAD_POP, "%s: encrCert POP: cannot encrypt the certificate for a "
                    "%s key (only RSA and EC)", name_of(msg->body->type),
                    EVP_PKEY_get0_type_name(key));
        EVP_PKEY_free(key);
        return ok;
    }
    /* the POP's signature is checked over certReq as it came, if we have
     * the DER that msg (with its one CertReqMsg) was decoded from */
    if (msg == c->req && c->req_der != NULL
        && !pxc_certreq_locate_der(c->req_der, c->req_len, &der, &len))
        der = NULL;
    EVP_PKEY_free(c->breq.key);
    return pxc_certreq_check_pop_der(c->srv->cmp, crm, (int)c->srv->accept_raverified,
                                     &c->breq.key, der, len)
        && check_poposk_sender(c, msg, crm);
}

/*
 * The one CertReqMsg of msg and its certReqId, with its POP checked; for a
 * p10cr (*crm NULL) the CSR with its signature checked and certReqId -1.
 */
static int check_request(struct pxc_srv_call *c, const PKIXCMP_MSG *msg,
                         const PKIXCMP_CertReqMsg **crm, long *id)
{
    const PKIXCMP_CertReqMessages *reqs = msg->body->value.ir;
    int64_t v = -1;

    *crm = NULL;
    /* RFC 9810 5.3.4: "A p10cr message contains exactly one
     * CertificationRequestInfo ... but no certReqId. Therefore, the
     * certReqId in the corresponding Certification Response (cp) message
     * MUST be set to -1." */
    *id = -1;
    if (msg->body->type == PKIXCMP_BODY_P10CR)
        return check_p10cr(c, msg->body->value.p10cr);
    /* RFC 9483 4.1.1 profiles one CertReqMsg per request */
    if (sk_PKIXCMP_CertReqMsg_num(reqs) != 1) {
        PXC_ERR(PKIXCMP_E_UNSUPPORTED_REQUEST, "%s with %d CertReqMsg; this server handles one",
                name_of(msg->body->type), sk_PKIXCMP_CertReqMsg_num(reqs));
        return 0;
    }
    *crm = sk_PKIXCMP_CertReqMsg_value(reqs, 0);
    if (!ASN1_INTEGER_get_int64(&v, (*crm)->certReq->certReqId) || v < 0 || v > LONG_MAX) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "%s: certReqId is not a non-negative long",
                name_of(msg->body->type));
        return 0;
    }
    *id = (long)v;
    return check_pop(c, msg, *crm);
}

static void answer_clear(struct pxc_srv_cert_answer *ans)
{
    ASN1_item_free((ASN1_VALUE *)ans->status, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    X509_free(ans->cert);
    sk_X509_pop_free(ans->extra_certs, X509_free);
    sk_X509_pop_free(ans->ca_pubs, X509_free);
    EVP_PKEY_free(ans->new_key);
    X509_free(ans->kga_cert);
    EVP_PKEY_free(ans->kga_key);
    sk_X509_pop_free(ans->kga_chain, X509_free);
    memset(ans, 0, sizeof(*ans));
}

/* The CertRepMessage response of type rsp_type with si (NULL: accepted),
 * cert (may be NULL) and caPubs (ip only). */
static PKIXCMP_MSG *certrep(const struct pxc_srv_call *c, int rsp_type, long id,
                            const PKIXCMP_PKIStatusInfo *si, X509 *cert,
                            const STACK_OF(X509) *ca_pubs)
{
    PKIXCMP_MSG *rsp = pxc_srv_rsp_new(c, rsp_type);

    if (rsp == NULL)
        return NULL;
    rsp->body->value.ip = pxc_certrep_new(id, si, cert,
                                          rsp_type == PKIXCMP_BODY_IP ? ca_pubs : NULL);
    if (rsp->body->value.ip == NULL) {
        pkixcmp_msg_free(rsp);
        return NULL;
    }
    return rsp;
}

/* An ip/cp/kup/ccp with status waiting (RFC 9810 5.3.22: "polling is
 * initiated with an ip, cp, kup, krp, or ccp response message containing
 * status "waiting""); the certificate comes after pollReq. */
static PKIXCMP_MSG *certrep_waiting(struct pxc_srv_call *c, const PKIXCMP_MSG *msg, long id,
                                    const PKIXCMP_PKIStatusInfo *si)
{
    PKIXCMP_PKIStatusInfo *wait = NULL;
    PKIXCMP_MSG *rsp = NULL;

    if (si == NULL && (si = wait = pxc_statusinfo_new(PXC_STATUS_WAITING, 0, NULL)) == NULL)
        return NULL;
    if (pxc_srv_await_poll(c, msg, id))
        rsp = certrep(c, pxc_response_type(msg->body->type), id, si, NULL, NULL);
    ASN1_item_free((ASN1_VALUE *)wait, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return rsp;
}

/*
 * The centrally generated private key of ans for the client (RFC 9483
 * 4.1.6): signed by the KGA the backend names, else by our own credentials;
 * encrypted with the shared secret of a MAC-protected request, else for the
 * certificate that signed the request.
 */
static PKIXCMP_EncryptedKey *private_key(const struct pxc_srv_call *c,
                                         const struct pxc_srv_cert_answer *ans)
{
    const PKIXCMP_CTX *cmp = c->srv->cmp;
    struct pxc_enc_signer s = {ans->kga_cert, ans->kga_key, ans->kga_chain};

    if (ans->new_key == NULL
        || pxc_spki_cert_has_key(ans->cert, ans->new_key, cmp->libctx, cmp->propq) != 1) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "central key generation: the backend %s", ans->new_key == NULL
                ? "generated no key" : "issued a certificate for another key than it generated");
        return NULL;
    }
    if (s.cert == NULL) {
        s.cert = cmp->cert;
        s.key = cmp->pkey;
    }
    return pxc_enc_newkey_new(cmp, ans->new_key, &s, kga_secret(c), kga_recipient(c));
}

/* Encrypts in rsp what goes back encrypted: the certificate of an encrCert
 * POP (RFC 9810 5.2.8.3.2), a centrally generated private key. */
static int encrypt_answer(const struct pxc_srv_call *c, const PKIXCMP_CertReqMsg *crm,
                          PKIXCMP_MSG *rsp, const struct pxc_srv_cert_answer *ans)
{
    PKIXCMP_EncryptedKey *enc_cert = NULL, *priv = NULL;
    int ckg = pxc_enc_ckg_requested(crm);

    if (!ckg && ans->new_key != NULL) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "the backend generated a key that was not asked for");
        return 0;
    }
    if (ckg && (priv = private_key(c, ans)) == NULL)
        return 0;
    if (pxc_enc_pop_is_encrcert(crm)
        && (enc_cert = pxc_enc_cert_new(c->srv->cmp, ans->cert)) == NULL) {
        ASN1_item_free((ASN1_VALUE *)priv, ASN1_ITEM_rptr(PKIXCMP_EncryptedKey));
        return 0;
    }
    return (enc_cert == NULL && priv == NULL)
        || pxc_certrep_set0_encrypted(rsp->body->value.ip, enc_cert, priv);
}

/*
 * The final response: the certificate for any status but rejection, with
 * implicit confirmation when asked for and granted, else the certificate
 * awaits certConf.
 */
static PKIXCMP_MSG *certrep_final(struct pxc_srv_call *c, const PKIXCMP_MSG *msg,
                                  const PKIXCMP_CertReqMsg *crm, long id, int status,
                                  struct pxc_srv_cert_answer *ans)
{
    int type = msg->body->type;
    X509 *cert = status == PXC_STATUS_REJECTION ? NULL : ans->cert;
    PKIXCMP_MSG *rsp = NULL;

    if (status != PXC_STATUS_REJECTION && ans->cert == NULL) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "%s: the backend answered %s without a certificate",
                name_of(type), pxc_status_name(status));
        return NULL;
    }
    if ((rsp = certrep(c, pxc_response_type(type), id, ans->status, cert, ans->ca_pubs)) == NULL)
        return NULL;
    if (cert != NULL && !encrypt_answer(c, crm, rsp, ans)) {
        pkixcmp_msg_free(rsp);
        return NULL;
    }
    c->extra_certs = ans->extra_certs;
    ans->extra_certs = NULL; /* transferred */
    c->keep = 0;
    if (cert == NULL)
        return rsp;
    /* RFC 9810 5.1.1.1: "If the CA grants the request to the EE, it MUST
     * put the same extension in the PKIHeader of the response." Never for
     * an encrypted certificate: its certConf is the proof of possession. */
    if (c->srv->grant_implicit_confirm && pxc_hdr_has_implicit_confirm(msg->header)
        && !pxc_enc_pop_is_encrcert(crm)) {
        if (pxc_hdr_set_implicit_confirm(rsp->header))
            return rsp;
    } else if (await_certconf(c, type, id, cert)) {
        return rsp;
    }
    pkixcmp_msg_free(rsp);
    return NULL;
}

PKIXCMP_MSG *pxc_srv_handle_cert_request(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    struct pxc_srv_cert_answer ans;
    const PKIXCMP_CertReqMsg *crm = NULL;
    PKIXCMP_MSG *rsp = NULL;
    long id = -1;
    int r, status;

    memset(&ans, 0, sizeof(ans));
    if (!check_request(c, msg, &crm, &id))
        goto out;
    if (!PXC_SRV_BE_HAS(be, cert_request)) {
        pxc_srv_no_backend(c, "certificate requests");
        goto out;
    }
    r = be->cert_request(c->srv->be_arg, &c->breq, crm,
                         crm == NULL ? msg->body->value.p10cr : NULL, id, &ans);
    status = ans.status != NULL ? pxc_statusinfo_status(ans.status) : PXC_STATUS_ACCEPTED;
    if (r == PXC_SRV_FAIL) {
        pxc_srv_backend_failed(c, "the certificate request");
    } else if (r == PXC_SRV_WAIT || (r == PXC_SRV_ANSWER && status == PXC_STATUS_WAITING)) {
        rsp = certrep_waiting(c, msg, id, ans.status);
    } else if (r != PXC_SRV_ANSWER || status < 0) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "%s: the backend gave an invalid answer (%d, status %d)",
                name_of(msg->body->type), r, status);
    } else {
        rsp = certrep_final(c, msg, crm, id, status, &ans);
    }
out:
    answer_clear(&ans);
    EVP_PKEY_free(c->breq.key);
    c->breq.key = NULL;
    return rsp;
}

/*
 * certConf: the client accepts or rejects the certificate we sent. RFC
 * 9810 5.3.18: "omission of a CertStatus structure corresponding to a
 * certificate supplied in the previous response message indicates
 * rejection of the certificate. Thus, an empty CertConfirmContent ... MAY
 * be used to indicate rejection of all supplied certificates."
 */
PKIXCMP_MSG *pxc_srv_handle_certconf(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    const PKIXCMP_CertConfirmContent *ccc = msg->body->value.certConf;
    const PKIXCMP_CertStatus *cs = NULL;
    const PKIXCMP_PKIStatusInfo *si = NULL;
    struct pxc_srv_txn *st = c->st;
    int n = sk_PKIXCMP_CertStatus_num(ccc), accepted = 0;

    if (st->phase != PXC_SRV_PHASE_CERTCONF) {
        PXC_ERR(PKIXCMP_E_UNEXPECTED_REQUEST, "certConf, but no certificate was sent yet");
        return NULL;
    }
    if (n > 1) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "certConf with %d CertStatus for one certificate", n);
        return NULL;
    }
    if (n == 1) {
        cs = sk_PKIXCMP_CertStatus_value(ccc, 0);
        if (!pxc_certstatus_check(c->srv->cmp, cs, st->cert, st->cert_req_id))
            return NULL;
        si = cs->statusInfo;
        /* 5.3.18: "omission of the statusInfo field indicates acceptance" */
        accepted = si == NULL || pxc_statusinfo_status(si) != PXC_STATUS_REJECTION;
    }
    pxc_log(c->srv->cmp, PKIXCMP_LOG_INFO, "the client %s the certificate of certReqId %ld",
            accepted ? "accepted" : "rejected", st->cert_req_id);
    if (PXC_SRV_BE_HAS(be, cert_conf)
        && !be->cert_conf(c->srv->be_arg, &c->breq, st->cert_req_id, st->cert, accepted, si)) {
        pxc_srv_backend_failed(c, "the certificate confirmation");
        return NULL;
    }
    c->keep = 0;
    return pxc_srv_rsp_new(c, PKIXCMP_BODY_PKICONF);
}

/*
 * pollReq (RFC 9810 5.3.22): "In response to a pollReq, a CA/RA will
 * return an ip, cp, kup, krp, or ccp if one or more of still pending
 * requested certificates are ready or the final response to some other
 * type of request is available; otherwise, it will return a pollRep."
 */
PKIXCMP_MSG *pxc_srv_handle_pollreq(struct pxc_srv_call *c, const PKIXCMP_MSG *msg)
{
    const PXC_SRV_BACKEND *be = c->srv->be;
    const PKIXCMP_PollReqContent *prc = msg->body->value.pollReq;
    struct pxc_srv_txn *st = c->st;
    struct pxc_srv_req first = {0}, saved;
    pxc_srv_handler_fn *fn = pxc_srv_handler(st->first_type);
    PKIXCMP_MSG *rsp = NULL, *first_msg = NULL;
    X509 *first_signer = NULL;
    long id = -2, check_after = 0;
    int ready = 0;

    if (st->phase != PXC_SRV_PHASE_POLLING || fn == NULL) {
        PXC_ERR(PKIXCMP_E_UNEXPECTED_REQUEST, "pollReq, but no answer is pending");
        return NULL;
    }
    if (sk_PKIXCMP_PollReq_num(prc) != 1
        || (id = ASN1_INTEGER_get(sk_PKIXCMP_PollReq_value(prc, 0)->certReqId)) != st->cert_req_id) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "pollReq for certReqId %ld (%d entries); pending: %ld",
                id, sk_PKIXCMP_PollReq_num(prc), st->cert_req_id);
        return NULL;
    }
    if (!PXC_SRV_BE_HAS(be, poll)) {
        pxc_srv_no_backend(c, "polling");
        return NULL;
    }
    first.msg = st->first;
    first.signer = st->signer;
    first.protection = st->protection;
    first.txn_data = &c->be_data;
    if (!be->poll(c->srv->be_arg, &first, id, &ready, &check_after)) {
        pxc_srv_backend_failed(c, "the pollReq");
        return NULL;
    }
    if (!ready) {
        c->keep = 1;
        if ((rsp = pxc_srv_rsp_new(c, PKIXCMP_BODY_POLLREP)) != NULL
            && (rsp->body->value.pollRep = pxc_pollrep_new(id, check_after, NULL)) == NULL) {
            pkixcmp_msg_free(rsp);
            rsp = NULL;
        }
        return rsp;
    }
    /* ask the first request again; the state no longer holds it */
    first_msg = st->first;
    first_signer = st->signer;
    st->first = NULL;
    st->signer = NULL;
    saved = c->breq;
    c->breq = first;
    rsp = fn(c, first_msg);
    c->breq = saved;
    pkixcmp_msg_free(first_msg);
    X509_free(first_signer);
    return rsp;
}
