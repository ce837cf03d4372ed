/*
 * srv_mock.c - PKIXCMP_MOCK (mock.h): the mock CA (mockca.h) as a backend
 * of the server core (srv_backend.h), with the fault injection of openssl
 * cmp's mock server: a status put into every certificate and revocation
 * response, error messages for everything, and polling.
 *
 * The core has checked each request (protection, header, transaction,
 * POP) before a callback here runs; the callbacks only decide.
 */
#include <limits.h>
#include <string.h>
#include <openssl/err.h>
#include <pkixcmp/mock.h>
#include "certreq.h"
#include "enc_cert.h"
#include "hdr_build.h"
#include "mockca.h"
#include "srv_local.h"
#include "typed_oid.h"

/* The certProfile openssl's mock server accepts in a cr. */
#define MOCK_PROFILE "profile1"
/* Largest failInfo mask: bits 0..26 of RFC 9810 5.2.3. */
#define MOCK_FAILUREBITS_MAX ((1L << 27) - 1)

struct pkixcmp_mock_st {
    PXC_MOCKCA *ca;
    X509 *ref_cert;          /* also held by ca; here to find kur's old cert */
    EVP_PKEY *ca_key;        /* also held by ca; here to sign generated keys */
    STACK_OF(X509) *ca_chain;
    EVP_PKEY *rsp_key;       /* central key generation: the key returned */
    const PKIXCMP_CTX *cmp;  /* the attached server's: clock and log */
    char *statusstring;
    long days, allow_ca, poll_count, check_after, poll_all;
    long pkistatus, failurebits, send_error, check_profile;
};

/* What the mock remembers of one transaction (pxc_srv_req.txn_data). */
struct mock_txn {
    long polls;              /* pollReqs received */
};

/* ------------------------------------------------------------ helpers */

static time_t mock_now(const PKIXCMP_MOCK *m)
{
    return m->cmp != NULL ? pxc_ctx_now(m->cmp) : time(NULL);
}

static const char *req_name(const struct pxc_srv_req *req)
{
    const char *name = pkixcmp_body_type_name(pkixcmp_msg_get_body_type(req->msg));

    return name != NULL ? name : "request";
}

/* -send_error: every request is refused. */
static int refuse_all(const PKIXCMP_MOCK *m, const struct pxc_srv_req *req)
{
    if (!m->send_error)
        return 0;
    PXC_ERR(PKIXCMP_E_CA_FAILURE, "%s: the mock server is set to answer with an error message",
            req_name(req));
    return 1;
}

/*
 * Polling (-poll_count): the first time a request is answered, its
 * transaction gets a counter and the client is told to wait; poll() counts
 * the pollReqs and says ready at the poll_count-th, and then the core asks
 * the same request again, which finds the counter and is answered.
 */
static int must_wait(const PKIXCMP_MOCK *m, const struct pxc_srv_req *req, int *wait)
{
    struct mock_txn *t;

    *wait = 0;
    if (m->poll_count <= 0 || *req->txn_data != NULL)
        return 1;
    if ((t = OPENSSL_zalloc(sizeof(*t))) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "polling state");
        return 0;
    }
    *req->txn_data = t;
    *wait = 1;
    pxc_log(m->cmp, PKIXCMP_LOG_INFO, "mock: %s answered after %ld pollReq(s)", req_name(req),
            m->poll_count);
    return 1;
}

/* The injected status (NULL: none, plain acceptance); 0 if out of memory. */
static int injected_status(const PKIXCMP_MOCK *m, PKIXCMP_PKIStatusInfo **si)
{
    *si = NULL;
    if (m->pkistatus < 0
        || (m->pkistatus == PXC_STATUS_ACCEPTED && m->failurebits == 0 && m->statusstring == NULL))
        return 1;
    *si = pxc_statusinfo_new((int)m->pkistatus, (unsigned long)m->failurebits, m->statusstring);
    return *si != NULL;
}

/* The status the mock answers every request with, when one is injected. */
static int injected_status_value(const PKIXCMP_MOCK *m)
{
    return m->pkistatus < 0 ? PXC_STATUS_ACCEPTED : (int)m->pkistatus;
}

static int copy_certs(const STACK_OF(X509) *in, STACK_OF(X509) **out)
{
    *out = NULL;
    if (in == NULL)
        return 1;
    if ((*out = X509_chain_up_ref((STACK_OF(X509) *)in)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certificates of a response");
        return 0;
    }
    return 1;
}

/* ------------------------------------------------- certificate requests */

/*
 * openssl's mock server refuses a cr whose header names a certProfile
 * (RFC 9483 3.1, id-it-certProfile in generalInfo) other than its one.
 */
static int check_profile(const PKIXCMP_MOCK *m, const struct pxc_srv_req *req)
{
    const STACK_OF(PKIXCMP_InfoTypeAndValue) *gi = req->msg->header->generalInfo;
    const PKIXCMP_InfoTypeAndValue *itav;
    const PXC_TYPED_OID *row = NULL;
    STACK_OF(ASN1_UTF8STRING) *names = NULL;
    const ASN1_UTF8STRING *name;
    int i, ok = 0;

    if (!m->check_profile || req->msg->body->type != PKIXCMP_BODY_CR)
        return 1;
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(gi); i++) {
        itav = sk_PKIXCMP_InfoTypeAndValue_value(gi, i);
        row = pxc_itav_lookup(itav->infoType);
        if (row == NULL || strcmp(row->name, "id-it-certProfile") != 0)
            continue;
        names = (STACK_OF(ASN1_UTF8STRING) *)pxc_typed_value_decode(row, itav->infoValue,
                                                                   "generalInfo certProfile");
        if (names == NULL)
            goto out;
        name = sk_ASN1_UTF8STRING_value(names, 0);
        if (name == NULL || (size_t)name->length != strlen(MOCK_PROFILE)
            || memcmp(name->data, MOCK_PROFILE, strlen(MOCK_PROFILE)) != 0) {
            PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "cr: certProfile '%.*s' is not one this server offers "
                    "(%s)", name != NULL ? name->length : 0,
                    name != NULL ? (const char *)name->data : "", MOCK_PROFILE);
            goto out;
        }
        ASN1_item_free((ASN1_VALUE *)names, ASN1_ITEM_ptr(row->item));
        names = NULL;
    }
    ok = 1;
out:
    if (names != NULL)
        ASN1_item_free((ASN1_VALUE *)names, ASN1_ITEM_ptr(row->item));
    return ok;
}

/*
 * kur: the oldCertID control names the certificate being updated (RFC 9483
 * 4.1.3); it must be one this CA issued and has not revoked, or the
 * reference certificate. *oldcert is that certificate if the CA still
 * holds it (for the subject and SANs of the new one), else NULL.
 */
static int check_kur(PKIXCMP_MOCK *m, const PKIXCMP_CertReqMsg *crm, X509 **oldcert)
{
    PKIXCMP_CertId *cid = NULL;
    const X509_NAME *issuer;
    int ok = 0;

    *oldcert = NULL;
    if (!pxc_certreq_get1_oldcertid(crm, &cid))
        goto out;
    if (cid == NULL || (issuer = pxc_gn_dirname(cid->issuer)) == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_TEMPLATE, "kur: %s", cid == NULL
                ? "no oldCertID control names the certificate to update"
                : "the oldCertID issuer is not a directoryName");
        goto out;
    }
    if (!pxc_mockca_check_oldcert(m->ca, issuer, cid->serialNumber))
        goto out;
    if (m->ref_cert != NULL && pxc_certid_matches(cid, m->ref_cert)) {
        if (!X509_up_ref(m->ref_cert))
            goto out;
        *oldcert = m->ref_cert;
    } else {
        ERR_set_mark();
        *oldcert = pxc_mockca_get1_cert(m->ca, issuer, cid->serialNumber);
        ERR_pop_to_mark();
    }
    ok = 1;
out:
    ASN1_item_free((ASN1_VALUE *)cid, ASN1_ITEM_rptr(PKIXCMP_CertId));
    return ok;
}

/*
 * Central key generation (RFC 9483 4.1.6): the key pair is rsp_key, else a
 * new one of the template's algorithm; when issuing, the CA signs it as
 * key generation authority (RFC 9810 4.5: "CMP key generation authorities
 * are CAs or ..."), in fixed mode the server with its own certificate.
 */
static int central_key(PKIXCMP_MOCK *m, const PKIXCMP_CertReqMsg *crm,
                       struct pxc_srv_cert_answer *ans)
{
    X509 *cacert = pxc_mockca_get0_cacert(m->ca);

    if (m->rsp_key != NULL) {
        if (!EVP_PKEY_up_ref(m->rsp_key))
            return 0;
        ans->new_key = m->rsp_key;
    } else if ((ans->new_key = pxc_enc_ckg_keygen(m->cmp, crm)) == NULL) {
        return 0;
    }
    if (pxc_mockca_get0_rsp_cert(m->ca) != NULL || cacert == NULL || m->ca_key == NULL)
        return 1;
    if (!X509_up_ref(cacert))
        return 0;
    ans->kga_cert = cacert;
    if (!EVP_PKEY_up_ref(m->ca_key))
        return 0;
    ans->kga_key = m->ca_key;
    return copy_certs(m->ca_chain, &ans->kga_chain);
}

/* The new certificate for crm (ir, cr, kur, ccr) or p10cr in ans->cert. */
static int issue(PKIXCMP_MOCK *m, const struct pxc_srv_req *req, const PKIXCMP_CertReqMsg *crm,
                 const X509_REQ *p10cr, struct pxc_srv_cert_answer *ans)
{
    X509 *oldcert = NULL;

    if (p10cr != NULL)
        return (ans->cert = pxc_mockca_issue_csr(m->ca, p10cr, mock_now(m), NULL, 0)) != NULL;
    if (req->msg->body->type == PKIXCMP_BODY_KUR && !check_kur(m, crm, &oldcert))
        return 0;
    /* the template's public key, whose POP the core has verified, or the
     * key generated for it */
    if (!pxc_enc_ckg_requested(crm) || central_key(m, crm, ans))
        ans->cert = pxc_mockca_issue_key(m->ca, crm->certReq->certTemplate, ans->new_key,
                                         req->key, oldcert, mock_now(m), NULL, 0);
    X509_free(oldcert);
    return ans->cert != NULL;
}

static int mock_cert_request(void *arg, const struct pxc_srv_req *req,
                             const PKIXCMP_CertReqMsg *crm, const X509_REQ *p10cr,
                             long cert_req_id, struct pxc_srv_cert_answer *ans)
{
    PKIXCMP_MOCK *m = arg;
    char hex[80];
    int wait, status;

    (void)cert_req_id;
    if (refuse_all(m, req) || !check_profile(m, req) || !must_wait(m, req, &wait))
        return PXC_SRV_FAIL;
    if (wait)
        return PXC_SRV_WAIT;
    if (!injected_status(m, &ans->status))
        return PXC_SRV_FAIL;
    /* rejection carries no certificate, waiting none yet: nothing is issued */
    status = injected_status_value(m);
    if (status == PXC_STATUS_REJECTION || status == PXC_STATUS_WAITING)
        return PXC_SRV_ANSWER;
    if (!issue(m, req, crm, p10cr, ans)
        || !copy_certs(pxc_mockca_get0_extracerts(m->ca), &ans->extra_certs)
        || !copy_certs(pxc_mockca_get0_capubs(m->ca), &ans->ca_pubs))
        return PXC_SRV_FAIL;
    pxc_log(m->cmp, PKIXCMP_LOG_INFO, "mock: %s: issued serial %s", req_name(req),
            pxc_hex_text(X509_get0_serialNumber(ans->cert), hex, sizeof(hex)));
    return PXC_SRV_ANSWER;
}

static int mock_cert_conf(void *arg, const struct pxc_srv_req *req, long cert_req_id,
                          const X509 *cert, int accepted, const PKIXCMP_PKIStatusInfo *status)
{
    PKIXCMP_MOCK *m = arg;

    (void)cert_req_id;
    (void)cert;
    (void)status;
    if (refuse_all(m, req))
        return 0;
    pxc_log(m->cmp, PKIXCMP_LOG_DEBUG, "mock: certificate %s by the client",
            accepted ? "confirmed" : "rejected");
    return 1;
}

/* ------------------------------------------------ rr, genm, poll, error */

static int mock_revoke(void *arg, const struct pxc_srv_req *req, const X509_NAME *issuer,
                       const ASN1_INTEGER *serial, int reason, PKIXCMP_PKIStatusInfo **status)
{
    PKIXCMP_MOCK *m = arg;
    int wait = 0;

    if (refuse_all(m, req) || (m->poll_all && !must_wait(m, req, &wait)))
        return PXC_SRV_FAIL;
    if (wait)
        return PXC_SRV_WAIT;
    if (!injected_status(m, status))
        return PXC_SRV_FAIL;
    if (injected_status_value(m) == PXC_STATUS_REJECTION)
        return PXC_SRV_ANSWER;
    return pxc_mockca_revoke(m->ca, issuer, serial, reason, mock_now(m)) ? PXC_SRV_ANSWER
                                                                          : PXC_SRV_FAIL;
}

static int mock_genm(void *arg, const struct pxc_srv_req *req,
                     const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                     STACK_OF(PKIXCMP_InfoTypeAndValue) **out)
{
    PKIXCMP_MOCK *m = arg;
    int wait = 0;

    if (refuse_all(m, req) || (m->poll_all && !must_wait(m, req, &wait)))
        return PXC_SRV_FAIL;
    if (wait)
        return PXC_SRV_WAIT;
    return pxc_mockca_genm(m->ca, in, out) ? PXC_SRV_ANSWER : PXC_SRV_FAIL;
}

static int mock_poll(void *arg, const struct pxc_srv_req *req, long cert_req_id, int *ready,
                     long *check_after)
{
    PKIXCMP_MOCK *m = arg;
    struct mock_txn *t = *req->txn_data;

    (void)cert_req_id;
    *ready = 1;
    *check_after = 0;
    if (refuse_all(m, req))
        return 0;
    if (t == NULL) /* not delayed by us */
        return 1;
    t->polls++;
    if (t->polls < m->poll_count) {
        *ready = 0;
        *check_after = m->check_after;
    }
    return 1;
}

static int mock_error(void *arg, const struct pxc_srv_req *req, const PKIXCMP_ErrorMsgContent *err)
{
    (void)arg;
    (void)req;
    (void)err;
    return 1;
}

static void mock_txn_free(void *arg, void *txn_data)
{
    (void)arg;
    OPENSSL_free(txn_data);
}

static const PXC_SRV_BACKEND mock_backend = {
    sizeof(PXC_SRV_BACKEND),
    mock_cert_request,
    mock_revoke,
    mock_genm,
    mock_cert_conf,
    mock_poll,
    mock_error,
    mock_txn_free,
};

/* ------------------------------------------------------------ the object */

PKIXCMP_MOCK *pkixcmp_mock_new(OSSL_LIB_CTX *libctx, const char *propq)
{
    PKIXCMP_MOCK *m = OPENSSL_zalloc(sizeof(*m));

    if (m == NULL || (m->ca = pxc_mockca_new(libctx, propq)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "mock server");
        OPENSSL_free(m);
        return NULL;
    }
    m->days = PXC_MOCKCA_DEFAULT_DAYS;
    m->check_after = 1;
    m->check_profile = 1;
    return m;
}

void pkixcmp_mock_free(PKIXCMP_MOCK *m)
{
    if (m == NULL)
        return;
    pxc_mockca_free(m->ca);
    X509_free(m->ref_cert);
    EVP_PKEY_free(m->ca_key);
    sk_X509_pop_free(m->ca_chain, X509_free);
    EVP_PKEY_free(m->rsp_key);
    OPENSSL_free(m->statusstring);
    OPENSSL_free(m);
}

int pkixcmp_mock_attach(PKIXCMP_MOCK *m, PKIXCMP_SRV_CTX *srv)
{
    if (srv == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no server to attach the mock to");
        return 0;
    }
    if (m == NULL)
        return pxc_srv_ctx_set_backend(srv, NULL, NULL);
    if (!pxc_srv_ctx_set_backend(srv, &mock_backend, m))
        return 0;
    m->cmp = pkixcmp_srv_ctx_get0_cmp_ctx(srv);
    return 1;
}

int pkixcmp_mock_set1_ca(PKIXCMP_MOCK *m, X509 *cacert, EVP_PKEY *cakey, STACK_OF(X509) *chain)
{
    STACK_OF(X509) *copy = NULL;

    if (!pxc_mockca_set1_ca(m->ca, cacert, cakey, chain))
        return 0;
    /* kept to sign centrally generated keys */
    if ((chain != NULL && (copy = X509_chain_up_ref(chain)) == NULL)
        || (cakey != NULL && !EVP_PKEY_up_ref(cakey))) {
        sk_X509_pop_free(copy, X509_free);
        PXC_ERR(PKIXCMP_E_MALLOC, "CA key and chain");
        return 0;
    }
    EVP_PKEY_free(m->ca_key);
    m->ca_key = cakey;
    sk_X509_pop_free(m->ca_chain, X509_free);
    m->ca_chain = copy;
    return 1;
}

int pkixcmp_mock_set1_rsp_key(PKIXCMP_MOCK *m, EVP_PKEY *key)
{
    if (key != NULL && !EVP_PKEY_up_ref(key)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot up-reference the key for central key generation");
        return 0;
    }
    EVP_PKEY_free(m->rsp_key);
    m->rsp_key = key;
    return 1;
}

int pkixcmp_mock_set1_rsp_cert(PKIXCMP_MOCK *m, X509 *cert)
{
    return pxc_mockca_set1_rsp_cert(m->ca, cert);
}

int pkixcmp_mock_set1_ref_cert(PKIXCMP_MOCK *m, X509 *cert)
{
    if (!pxc_mockca_set1_ref_cert(m->ca, cert))
        return 0;
    if (cert != NULL && !X509_up_ref(cert)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot up-reference the reference certificate");
        return 0;
    }
    X509_free(m->ref_cert);
    m->ref_cert = cert;
    return 1;
}

int pkixcmp_mock_set1_rsp_extracerts(PKIXCMP_MOCK *m, STACK_OF(X509) *certs)
{
    return pxc_mockca_set1_rsp_extracerts(m->ca, certs);
}

int pkixcmp_mock_set1_rsp_capubs(PKIXCMP_MOCK *m, STACK_OF(X509) *certs)
{
    return pxc_mockca_set1_rsp_capubs(m->ca, certs);
}

int pkixcmp_mock_set1_rsp_crl(PKIXCMP_MOCK *m, X509_CRL *crl)
{
    return pxc_mockca_set1_rsp_crl(m->ca, crl);
}

int pkixcmp_mock_set1_rsp_newwithnew(PKIXCMP_MOCK *m, X509 *cert)
{
    return pxc_mockca_set1_newwithnew(m->ca, cert);
}

int pkixcmp_mock_set1_rsp_newwithold(PKIXCMP_MOCK *m, X509 *cert)
{
    return pxc_mockca_set1_newwithold(m->ca, cert);
}

int pkixcmp_mock_set1_rsp_oldwithnew(PKIXCMP_MOCK *m, X509 *cert)
{
    return pxc_mockca_set1_oldwithnew(m->ca, cert);
}

int pkixcmp_mock_set1_statusstring(PKIXCMP_MOCK *m, const char *text)
{
    char *copy = NULL;

    if (text != NULL && (copy = OPENSSL_strdup(text)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "statusString");
        return 0;
    }
    OPENSSL_free(m->statusstring);
    m->statusstring = copy;
    return 1;
}

/* Stores value into *field if it is within [min, max]. */
static int set_range(long *field, long value, long min, long max, const char *name)
{
    if (value < min || value > max) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "mock option %s: %ld is not within %ld..%ld", name,
                value, min, max);
        return 0;
    }
    *field = value;
    return 1;
}

int pkixcmp_mock_set_option(PKIXCMP_MOCK *m, pkixcmp_mock_opt opt, long value)
{
    switch (opt) {
    case PKIXCMP_MOCK_OPT_DAYS:
        return set_range(&m->days, value, 1, 36500, "DAYS")
            && pxc_mockca_set_days(m->ca, (int)value);
    case PKIXCMP_MOCK_OPT_POLL_COUNT:
        return set_range(&m->poll_count, value, 0, INT_MAX, "POLL_COUNT");
    case PKIXCMP_MOCK_OPT_CHECK_AFTER:
        return set_range(&m->check_after, value, 0, INT_MAX, "CHECK_AFTER");
    case PKIXCMP_MOCK_OPT_POLL_ALL:
        return set_range(&m->poll_all, value, 0, 1, "POLL_ALL");
    case PKIXCMP_MOCK_OPT_PKISTATUS:
        return set_range(&m->pkistatus, value, -1, PXC_STATUS_KEY_UPDATE_WARNING, "PKISTATUS");
    case PKIXCMP_MOCK_OPT_FAILUREBITS:
        return set_range(&m->failurebits, value, 0, MOCK_FAILUREBITS_MAX, "FAILUREBITS");
    case PKIXCMP_MOCK_OPT_SEND_ERROR:
        return set_range(&m->send_error, value, 0, 1, "SEND_ERROR");
    case PKIXCMP_MOCK_OPT_ALLOW_CA:
        if (!set_range(&m->allow_ca, value, 0, 1, "ALLOW_CA"))
            return 0;
        pxc_mockca_set_allow_ca(m->ca, (int)value);
        return 1;
    case PKIXCMP_MOCK_OPT_CHECK_PROFILE:
        return set_range(&m->check_profile, value, 0, 1, "CHECK_PROFILE");
    default:
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "unknown mock option %d", (int)opt);
        return 0;
    }
}

long pkixcmp_mock_get_option(const PKIXCMP_MOCK *m, pkixcmp_mock_opt opt)
{
    switch (opt) {
    case PKIXCMP_MOCK_OPT_POLL_COUNT:
        return m->poll_count;
    case PKIXCMP_MOCK_OPT_CHECK_AFTER:
        return m->check_after;
    case PKIXCMP_MOCK_OPT_POLL_ALL:
        return m->poll_all;
    case PKIXCMP_MOCK_OPT_PKISTATUS:
        return m->pkistatus;
    case PKIXCMP_MOCK_OPT_FAILUREBITS:
        return m->failurebits;
    case PKIXCMP_MOCK_OPT_SEND_ERROR:
        return m->send_error;
    case PKIXCMP_MOCK_OPT_CHECK_PROFILE:
        return m->check_profile;
    case PKIXCMP_MOCK_OPT_DAYS:
        return m->days;
    case PKIXCMP_MOCK_OPT_ALLOW_CA:
        return m->allow_ca;
    default:
        return -1;
    }
}

size_t pkixcmp_mock_count(PKIXCMP_MOCK *m)
{
    return pxc_mockca_count(m->ca);
}
