/*
 * fuzz_server.c - libFuzzer target: any bytes as a request to the server
 * core (pkixcmp_srv_process_der), twice on the same server, so that the
 * second run meets the transaction the first one opened. The server
 * accepts unprotected requests and raVerified, so that inputs reach the
 * handlers, and its backend answers everything (a fixed certificate). The
 * oracle, besides the sanitizers: every input gets a response, and every
 * response decodes.
 * Seeds: fuzz/corpus/fuzz_server (from a 240 s run: 272k inputs, no
 * finding), fuzz/corpus/fuzz_msg and test/data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "srv_local.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The certificate sent for every certificate request: client_p256.crt. */
static X509 *fuzz_cert(void)
{
    static X509 *cert;
    const char *top = getenv("top_srcdir");
    char path[1024];
    BIO *in;

    if (cert != NULL)
        return cert;
    snprintf(path, sizeof(path), "%s/test/certs/client_p256.crt", top != NULL ? top : ".");
    if ((in = BIO_new_file(path, "r")) != NULL)
        cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO_free(in);
    return cert;
}

static int fb_cert_request(void *arg, const struct pxc_srv_req *req, const PKIXCMP_CertReqMsg *crm,
                           const X509_REQ *p10cr, long id, struct pxc_srv_cert_answer *ans)
{
    static int marker; /* txn_data: "this transaction waited"; nothing to free */
    X509 *cert = fuzz_cert();

    (void)arg;
    (void)p10cr;
    (void)crm;
    /* every other certReqId waits, so that pollReq is reached */
    if ((id & 1) != 0 && *req->txn_data == NULL) {
        *req->txn_data = &marker;
        return PXC_SRV_WAIT;
    }
    if (cert == NULL || !X509_up_ref(cert))
        return PXC_SRV_FAIL;
    ans->cert = cert;
    return PXC_SRV_ANSWER;
}

static int fb_revoke(void *arg, const struct pxc_srv_req *req, const X509_NAME *issuer,
                     const ASN1_INTEGER *serial, int reason, PKIXCMP_PKIStatusInfo **status)
{
    (void)arg;
    (void)req;
    (void)issuer;
    (void)serial;
    (void)status;
    return reason == 6 ? PXC_SRV_WAIT : PXC_SRV_ANSWER;
}

static int fb_genm(void *arg, const struct pxc_srv_req *req,
                   const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                   STACK_OF(PKIXCMP_InfoTypeAndValue) **out)
{
    (void)arg;
    (void)req;
    *out = (STACK_OF(PKIXCMP_InfoTypeAndValue) *)ASN1_item_dup(
        ASN1_ITEM_rptr(PKIXCMP_GenMsgContent), in);
    return *out != NULL ? PXC_SRV_ANSWER : PXC_SRV_FAIL;
}

static int fb_cert_conf(void *arg, const struct pxc_srv_req *req, long id, const X509 *cert,
                        int accepted, const PKIXCMP_PKIStatusInfo *status)
{
    (void)arg;
    (void)req;
    (void)id;
    (void)cert;
    (void)accepted;
    (void)status;
    return 1;
}

static int fb_poll(void *arg, const struct pxc_srv_req *req, long id, int *ready,
                   long *check_after)
{
    (void)arg;
    (void)req;
    *ready = id >= 0;
    *check_after = 1;
    return 1;
}

static const PXC_SRV_BACKEND fuzz_backend = {
    sizeof(PXC_SRV_BACKEND), fb_cert_request, fb_revoke, fb_genm, fb_cert_conf, fb_poll,
    NULL, NULL,
};

static PKIXCMP_SRV_CTX *fuzz_srv(void)
{
    PKIXCMP_SRV_CTX *srv = pkixcmp_srv_ctx_new(NULL, NULL);
    PKIXCMP_CTX *cmp = srv != NULL ? pkixcmp_srv_ctx_get0_cmp_ctx(srv) : NULL;

    if (cmp == NULL || !pkixcmp_ctx_set1_secret(cmp, (const unsigned char *)"test1234", 8)
        || !pkixcmp_ctx_set1_reference(cmp, (const unsigned char *)"4711", 4)
        /* keep each input fast: real servers set limits too */
        || !pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_MAX_ITERATIONS, 10000)
        || !pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_LOG_VERBOSITY, 0)
        || !pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, 1)
        || !pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_ACCEPT_RAVERIFIED, 1)
        || !pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_TXN_MAX, 8)
        || !pxc_srv_ctx_set_backend(srv, &fuzz_backend, NULL)) {
        pkixcmp_srv_ctx_free(srv);
        return NULL;
    }
    return srv;
}

/* One round: a response must come, and it must decode. */
static void round_trip(PKIXCMP_SRV_CTX *srv, const uint8_t *data, size_t size)
{
    unsigned char *rsp = NULL;
    size_t len = 0;
    PKIXCMP_MSG *msg;

    if (!pkixcmp_srv_process_der(srv, data, size, &rsp, &len))
        abort(); /* "never returns NULL for a request it could parse" */
    if ((msg = pkixcmp_msg_decode(rsp, len, 0)) == NULL)
        abort(); /* we sent something that is not a PKIMessage */
    pkixcmp_msg_free(msg);
    OPENSSL_free(rsp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PKIXCMP_SRV_CTX *srv = fuzz_srv();

    if (srv != NULL) {
        round_trip(srv, data, size);
        round_trip(srv, data, size);
    }
    pkixcmp_srv_ctx_free(srv);
    ERR_clear_error();
    return 0;
}
