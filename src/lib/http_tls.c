/*
 * http_tls.c - our TLS settings in the SSL_CTX libcurl creates for each new
 * connection (CURLOPT_SSL_CTX_FUNCTION; needs libcurl built with OpenSSL,
 * as Debian's libcurl4-openssl-dev is).
 *
 * Doing it here rather than with libcurl's file-name options lets keys held
 * by providers (HSM, TPM) and in-memory certificates and stores be used as
 * they are, and keeps verification exactly as openssl cmp does it: with
 * -tls_trusted, the chain against that store plus the -tls_host (or server)
 * name or address; without it, no verification.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "http_local.h"

/* The OpenSSL reason on top of the error queue, for err; clears the queue. */
static void tls_fail(PXC_HTTP_TLS *t, const char *what)
{
    char reason[160] = "";
    unsigned long e = ERR_peek_last_error();

    if (e != 0)
        ERR_error_string_n(e, reason, sizeof(reason));
    ERR_clear_error();
    BIO_snprintf(t->err, sizeof(t->err), "%s%s%s", what, *reason != '\0' ? ": " : "",
                 reason);
}

static int install_client_cert(SSL_CTX *ctx, PXC_HTTP_TLS *t)
{
    if (t->cert == NULL && t->key == NULL)
        return 1;
    if (t->cert == NULL || t->key == NULL) {
        tls_fail(t, t->cert == NULL ? "TLS client key without certificate"
                                    : "TLS client certificate without key");
        return 0;
    }
    if (SSL_CTX_use_certificate(ctx, t->cert) != 1
        || SSL_CTX_use_PrivateKey(ctx, t->key) != 1) {
        tls_fail(t, "cannot use the TLS client certificate or key");
        return 0;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        tls_fail(t, "the TLS client key does not match its certificate");
        return 0;
    }
    for (int i = 0; i < sk_X509_num(t->extra); i++) {
        if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(t->extra, i)) != 1) {
            tls_fail(t, "cannot add a -tls_extra certificate to the chain");
            return 0;
        }
    }
    return 1;
}

/* Verification of the server: chain against t->trusted, name or address. */
static int install_trust(SSL_CTX *ctx, PXC_HTTP_TLS *t)
{
    X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
    int ok;

    if (t->trusted == NULL) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
        return 1;
    }
    SSL_CTX_set1_cert_store(ctx, t->trusted); /* up-references it */
    /* an address must match an iPAddress SAN, a name a dNSName (or CN) */
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, t->host) == 1;
    if (!ok) {
        ERR_clear_error();
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        ok = X509_VERIFY_PARAM_set1_host(param, t->host, 0) == 1;
    }
    if (!ok) {
        tls_fail(t, "cannot set the TLS host to check");
        return 0;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    return 1;
}

CURLcode pxc_http_tls_setup(CURL *curl, void *ssl_ctx, void *arg)
{
    PXC_HTTP_TLS *t = arg;
    SSL_CTX *ctx = ssl_ctx;

    (void)curl;
    t->err[0] = '\0';
    if (!install_client_cert(ctx, t))
        return CURLE_SSL_CERTPROBLEM;
    if (!install_trust(ctx, t))
        return CURLE_SSL_CACERT_BADFILE;
    return CURLE_OK;
}
