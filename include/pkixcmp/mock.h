/*
 * mock.h - the mock CA behind the CMP server core (server.h), for tests,
 * demonstrations and `pkixcmp -port` / `-use_mock_srv`: the behaviour of
 * `openssl cmp`'s mock server (the -rsp_*, -ref_cert and fault injection
 * options), and in addition a CA that really issues.
 *
 * Two modes:
 *  - issuing (pkixcmp_mock_set1_ca()): ir, cr, kur, ccr and p10cr get a
 *    freshly signed certificate for the requested subject, public key and
 *    extensions; what was issued is remembered, so kur (oldCertID) and rr
 *    accept exactly the certificates this mock issued (and -ref_cert);
 *  - fixed (pkixcmp_mock_set1_rsp_cert(); wins over issuing): every
 *    certificate request gets a copy of that certificate, as openssl's mock
 *    does, the template is not honoured.
 *
 * Threads: configure first, then attach and share: the callbacks run from
 * all threads that process requests at once (per-transaction state such as
 * polling counters lives with the server's transaction). The setters must
 * not run while the server processes requests.
 */
#ifndef PKIXCMP_MOCK_H
#define PKIXCMP_MOCK_H

#include <openssl/x509.h>
#include <pkixcmp/client.h>
#include <pkixcmp/server.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkixcmp_mock_st PKIXCMP_MOCK;

/* A new mock CA using libctx and propq (both may be NULL) for keys,
 * digests and randomness; it issues nothing until set1_ca or
 * set1_rsp_cert. */
PKIXCMP_MOCK *pkixcmp_mock_new(OSSL_LIB_CTX *libctx, const char *propq);

/* Frees m; NULL is a no-op. Detach it first (or free the server): a
 * server keeps a pointer to its backend. */
void pkixcmp_mock_free(PKIXCMP_MOCK *m);

/*
 * Makes m the backend of srv (not copied: m must outlive srv or be
 * detached with pkixcmp_mock_attach(NULL, srv)). m takes its clock (for
 * validity and revocation times) and log from srv's CMP context. One mock
 * serves one server at a time.
 */
int pkixcmp_mock_attach(PKIXCMP_MOCK *m, PKIXCMP_SRV_CTX *srv);

/* ---- what the mock answers with (each set1 copies or up-references;
 * NULL clears) ---- */

/* The issuing CA: its certificate, its private key (must match) and its
 * chain of issuers up to the root (may be NULL), sent in extraCerts. */
int pkixcmp_mock_set1_ca(PKIXCMP_MOCK *m, X509 *cacert, EVP_PKEY *cakey,
                         STACK_OF(X509) *chain);

/* Fixed mode: the certificate sent for every certificate request (-rsp_cert). */
int pkixcmp_mock_set1_rsp_cert(PKIXCMP_MOCK *m, X509 *cert);

/*
 * Central key generation (RFC 9483 4.1.6, a template without public key):
 * the key pair to return (-rsp_key), the same for every request; NULL
 * (default): a new key of the algorithm the template names (EC P-256 if
 * it names none). The certificate is issued for it (in fixed mode the
 * rsp_cert is sent, which must then be for this key); the private key goes
 * back signed by the issuing CA (in fixed mode by the server's own
 * certificate) and encrypted with the secret or for the client's
 * certificate, whichever protected the request.
 */
int pkixcmp_mock_set1_rsp_key(PKIXCMP_MOCK *m, EVP_PKEY *key);

/* The certificate kur (oldCertID) and rr must name besides those issued
 * (-ref_cert); in fixed mode the rsp_cert serves when it is not set. */
int pkixcmp_mock_set1_ref_cert(PKIXCMP_MOCK *m, X509 *cert);

/* extraCerts of certificate responses instead of the CA's chain
 * (-rsp_extracerts); caPubs of ip and the genm caCerts answer
 * (-rsp_capubs). */
int pkixcmp_mock_set1_rsp_extracerts(PKIXCMP_MOCK *m, STACK_OF(X509) *certs);
int pkixcmp_mock_set1_rsp_capubs(PKIXCMP_MOCK *m, STACK_OF(X509) *certs);

/* The CRL of the genm crlStatusList answer (-rsp_crl). */
int pkixcmp_mock_set1_rsp_crl(PKIXCMP_MOCK *m, X509_CRL *crl);

/* The genm rootCaCert answer (-rsp_newwithnew, -rsp_newwithold,
 * -rsp_oldwithnew). */
int pkixcmp_mock_set1_rsp_newwithnew(PKIXCMP_MOCK *m, X509 *cert);
int pkixcmp_mock_set1_rsp_newwithold(PKIXCMP_MOCK *m, X509 *cert);
int pkixcmp_mock_set1_rsp_oldwithnew(PKIXCMP_MOCK *m, X509 *cert);

/* The statusString of the injected status (-statusstring; see
 * PKIXCMP_MOCK_OPT_PKISTATUS). */
int pkixcmp_mock_set1_statusstring(PKIXCMP_MOCK *m, const char *text);

/* ---- behaviour and fault injection (integers) ---- */
typedef enum {
    /* Validity in days of issued certificates whose template has no
     * notAfter: 1..36500, default 365 */
    PKIXCMP_MOCK_OPT_DAYS,
    /* pollReqs a request needs before its answer (-poll_count): >= 0,
     * default 0; the client is told to wait CHECK_AFTER seconds
     * (-check_after: >= 0, default 1) each time */
    PKIXCMP_MOCK_OPT_POLL_COUNT,
    PKIXCMP_MOCK_OPT_CHECK_AFTER,
    /* 1: rr and genm are delayed by polling too (an error message with
     * status waiting, as openssl 3.3 and later); 0 (default): only
     * certificate requests, as openssl 3.0 to 3.2, whose clients poll
     * for nothing else */
    PKIXCMP_MOCK_OPT_POLL_ALL,
    /*
     * The PKIStatus put into every certificate and revocation response
     * (-pkistatus), 0..6, with the FAILUREBITS mask (-failurebits, bit i
     * = failInfo bit i of RFC 9810 5.2.3, 0..2^27-1; -failure N is
     * 1 << N) and the statusstring; default 0 (accepted, no bits: a plain
     * acceptance). rejection (2) refuses without issuing or revoking;
     * waiting (3) makes the client poll, then fails. -1: inject nothing
     * (FAILUREBITS and the statusstring are ignored).
     */
    PKIXCMP_MOCK_OPT_PKISTATUS,
    PKIXCMP_MOCK_OPT_FAILUREBITS,
    /* 1: answer every request with an error message (-send_error),
     * default 0 */
    PKIXCMP_MOCK_OPT_SEND_ERROR,
    /* 1: issue CA certificates when a template asks for them; default 0
     * refuses such templates */
    PKIXCMP_MOCK_OPT_ALLOW_CA,
    /* 1 (default): refuse a cr whose certProfile is not "profile1", as
     * openssl's mock does; 0: accept any certProfile */
    PKIXCMP_MOCK_OPT_CHECK_PROFILE
} pkixcmp_mock_opt;

/* Sets or gets an option; set returns 0 for an invalid value, get -1 for
 * an unknown option (and for PKISTATUS when unset). */
int pkixcmp_mock_set_option(PKIXCMP_MOCK *m, pkixcmp_mock_opt opt, long value);
long pkixcmp_mock_get_option(const PKIXCMP_MOCK *m, pkixcmp_mock_opt opt);

/* The number of certificates the mock issued and remembers. */
size_t pkixcmp_mock_count(PKIXCMP_MOCK *m);

/* ---- in-process transfer ---- */

/*
 * A transfer callback (client.h) that hands req to the server srv (a
 * PKIXCMP_SRV_CTX *) in the same process: req is DER-encoded and goes
 * through pkixcmp_srv_process_der(), whose DER response is decoded again,
 * so both sides see the bytes of the wire. For tests and
 * `pkixcmp -use_mock_srv`:
 *   pkixcmp_ctx_set_transfer_cb(ctx, pkixcmp_transfer_server, srv);
 * NULL with PKIXCMP_E_TRANSFER_FAILED if the server made no response.
 */
PKIXCMP_MSG *pkixcmp_transfer_server(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *srv);

#ifdef __cplusplus
}
#endif
#endif
