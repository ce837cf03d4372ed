/*
 * bench/core.c - the server core alone: what pkixcmp_srv_process_der()
 * costs per enrollment without HTTP, sockets or threads, so that the
 * protocol work can be compared with the crypto floor (bench/floor) and
 * profiled on its own (perf record bench/core ...).
 *
 * A mock CA with the given certificate and key, MAC protection (PBM, 500
 * iterations), implicitConfirm granted; -requests distinct ir requests of
 * a client with a P-256 key are recorded first, then replayed in turn for
 * -seconds. Each answer must be an ip (every answer is decoded and checked
 * with the client's context every 16th time).
 *
 *   core -cacert FILE -cakey FILE [-seconds 2] [-requests 64]
 *
 * The last line is "CORE us=... n=..." for scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <pkixcmp/pkixcmp.h>

struct req {
    unsigned char *der;
    size_t len;
    PKIXCMP_MSG *msg;
};

static double now_cpu(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Transfer callback that keeps the request and answers nothing. */
static PKIXCMP_MSG *record(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct req *r = arg;
    int len;

    (void)ctx;
    if ((len = pkixcmp_msg_encode(req, &r->der)) > 0 && (r->msg = pkixcmp_msg_dup(req)) != NULL)
        r->len = (size_t)len;
    return NULL;
}

static PKIXCMP_SRV_CTX *server(const char *cacert, const char *cakey, PKIXCMP_MOCK **mock)
{
    PKIXCMP_SRV_CTX *srv = pkixcmp_srv_ctx_new(NULL, NULL);
    PKIXCMP_CTX *cmp = srv != NULL ? pkixcmp_srv_ctx_get0_cmp_ctx(srv) : NULL;
    FILE *f;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    int ok;

    if ((f = fopen(cacert, "r")) != NULL) {
        cert = PEM_read_X509(f, NULL, NULL, NULL);
        fclose(f);
    }
    if ((f = fopen(cakey, "r")) != NULL) {
        key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
        fclose(f);
    }
    *mock = pkixcmp_mock_new(NULL, NULL);
    ok = cmp != NULL && cert != NULL && key != NULL && *mock != NULL
        && pkixcmp_ctx_set1_reference(cmp, (const unsigned char *)"4711", 4)
        && pkixcmp_ctx_set1_secret(cmp, (const unsigned char *)"test1234", 8)
        && pkixcmp_ctx_set_option(cmp, PKIXCMP_OPT_LOG_VERBOSITY, PKIXCMP_LOG_ERR)
        && pkixcmp_srv_ctx_set_option(srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM, 1)
        && pkixcmp_mock_set1_ca(*mock, cert, key, NULL) && pkixcmp_mock_attach(*mock, srv);
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        pkixcmp_srv_ctx_free(srv);
        srv = NULL;
    }
    return srv;
}

static PKIXCMP_CTX *client(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509_NAME *subj = X509_NAME_new();
    int ok = ctx != NULL && key != NULL && subj != NULL
        && X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_ASC, (const unsigned char *)"core",
                                      -1, -1, 0)
        && pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8)
        && pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)"4711", 4)
        && pkixcmp_ctx_set1_newkey(ctx, key) && pkixcmp_ctx_set1_subject(ctx, subj)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, PKIXCMP_LOG_ERR);

    EVP_PKEY_free(key);
    X509_NAME_free(subj);
    if (!ok) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* Processes r and checks the answer (fully with check). */
static int one(PKIXCMP_SRV_CTX *srv, PKIXCMP_CTX *cli, const struct req *r, int check)
{
    unsigned char *out = NULL;
    size_t len = 0;
    PKIXCMP_MSG *rsp = NULL;
    int ok = pkixcmp_srv_process_der(srv, r->der, r->len, &out, &len);

    if (ok && check)
        ok = (rsp = pkixcmp_msg_decode(out, len, 0)) != NULL
            && pkixcmp_msg_get_body_type(rsp) == PKIXCMP_BODY_IP
            && pkixcmp_msg_check_response(cli, r->msg, rsp);
    pkixcmp_msg_free(rsp);
    OPENSSL_free(out);
    return ok;
}

int main(int argc, char **argv)
{
    const char *cacert = NULL, *cakey = NULL;
    double secs = 2, t0, t;
    long nreq = 64, n = 0, i;
    struct req *reqs;
    PKIXCMP_MOCK *mock = NULL;
    PKIXCMP_SRV_CTX *srv;
    PKIXCMP_CTX *cli;
    int a, ret = 1;

    for (a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "-cacert") == 0)
            cacert = argv[a + 1];
        else if (strcmp(argv[a], "-cakey") == 0)
            cakey = argv[a + 1];
        else if (strcmp(argv[a], "-seconds") == 0)
            secs = atof(argv[a + 1]);
        else if (strcmp(argv[a], "-requests") == 0)
            nreq = atol(argv[a + 1]);
        else
            break;
    }
    if (a != argc || cacert == NULL || cakey == NULL || secs <= 0 || nreq <= 0) {
        fprintf(stderr, "usage: core -cacert FILE -cakey FILE [-seconds 2] [-requests 64]\n");
        return 2;
    }
    if ((reqs = calloc((size_t)nreq, sizeof(*reqs))) == NULL
        || (srv = server(cacert, cakey, &mock)) == NULL || (cli = client()) == NULL) {
        fprintf(stderr, "core: setup failed\n");
        ERR_print_errors_fp(stderr);
        return 1;
    }
    for (i = 0; i < nreq; i++) {
        if (!pkixcmp_ctx_set_transfer_cb(cli, record, &reqs[i]))
            goto out;
        (void)pkixcmp_exec_ir(cli); /* cut off after the request */
        if (reqs[i].msg == NULL) {
            fprintf(stderr, "core: cannot record request %ld\n", i);
            goto out;
        }
    }
    ERR_clear_error();
    for (i = 0; i < nreq; i++) /* warm-up, all checked */
        if (!one(srv, cli, &reqs[i], 1))
            goto fail;
    t0 = now_cpu();
    do {
        for (i = 0; i < 16; i++, n++)
            if (!one(srv, cli, &reqs[n % nreq], (n & 15) == 15))
                goto fail;
        t = now_cpu();
    } while (t - t0 < secs);
    printf("server core: %.1f us CPU per enrollment (%ld enrollments, one thread)\n",
           (t - t0) * 1e6 / (double)n, n);
    printf("CORE us=%.1f n=%ld\n", (t - t0) * 1e6 / (double)n, n);
    ret = 0;
    goto out;
fail:
    fprintf(stderr, "core: enrollment %ld failed\n", n);
    ERR_print_errors_fp(stderr);
out:
    for (i = 0; i < nreq; i++) {
        OPENSSL_free(reqs[i].der);
        pkixcmp_msg_free(reqs[i].msg);
    }
    free(reqs);
    pkixcmp_ctx_free(cli);
    pkixcmp_srv_ctx_free(srv);
    pkixcmp_mock_free(mock);
    return ret;
}
