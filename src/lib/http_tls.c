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
 *
 * The server's chain is checked by our own call of X509_verify_cert()
 * (SSL_CTX_set_cert_verify_callback), not in the SSL_CTX's store: libcurl
 * fills, flags (X509_V_FLAG_PARTIAL_CHAIN) and caches that store across
 * connections at times that differ between its versions, and the caller's
 * store must neither be changed nor be replaced by an older one.
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
    if (X509_check_private_key(t->cert, t->key) != 1) {
        ERR_clear_error();
        tls_fail(t, "the TLS client key does not match its certificate");
        return 0;
    }
    if (SSL_CTX_use_certificate(ctx, t->cert) != 1
        || SSL_CTX_use_PrivateKey(ctx, t->key) != 1) {
        tls_fail(t, "cannot use the TLS client certificate or key");
        return 0;
    }
    for (int i = 0; i < sk_X509_num(t->extra); i++) {
        if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(t->extra, i)) != 1) {
            tls_fail(t, "cannot add a tls_extra certificate to the chain");
            return 0;
        }
    }
    return 1;
}

/* The peer must be host: an IP address matches an iPAddress SAN, anything
 * else a dNSName (or the CN without SANs). */
static int expect_host(X509_VERIFY_PARAM *param, const char *host)
{
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host) == 1)
        return 1;
    ERR_clear_error();
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return X509_VERIFY_PARAM_set1_host(param, host, 0) == 1;
}

/* Replaces OpenSSL's check of the server's chain: ours against t->trusted
 * with t->host; the result goes back into sctx for the handshake. */
static int verify_server(X509_STORE_CTX *sctx, void *arg)
{
    PXC_HTTP_TLS *t = arg;
    X509_STORE_CTX *vctx = X509_STORE_CTX_new_ex(t->libctx, t->propq);
    X509 *leaf = X509_STORE_CTX_get0_cert(sctx), *bad;
    int ok = 0, err = X509_V_ERR_UNSPECIFIED, depth = 0;
    char subject[256] = "?";

    if (vctx != NULL && leaf != NULL
        && X509_STORE_CTX_init(vctx, t->trusted, leaf, X509_STORE_CTX_get0_untrusted(sctx))
        && X509_STORE_CTX_set_purpose(vctx, X509_PURPOSE_SSL_SERVER)
        && expect_host(X509_STORE_CTX_get0_param(vctx), t->host)) {
        ok = X509_verify_cert(vctx) > 0;
        err = X509_STORE_CTX_get_error(vctx);
        depth = X509_STORE_CTX_get_error_depth(vctx);
    }
    if (ok) {
        X509_STORE_CTX_set0_verified_chain(sctx, X509_STORE_CTX_get1_chain(vctx));
    } else {
        if ((bad = vctx != NULL ? X509_STORE_CTX_get_current_cert(vctx) : NULL) == NULL)
            bad = leaf;
        if (bad != NULL)
            X509_NAME_oneline(X509_get_subject_name(bad), subject, sizeof(subject));
        BIO_snprintf(t->err, sizeof(t->err), "server certificate not accepted for %s: %s"
                     " (depth %d, %s)", t->host, X509_verify_cert_error_string(err), depth,
                     subject);
        ERR_clear_error();
    }
    X509_STORE_CTX_set_error(sctx, ok ? X509_V_OK : err);
    X509_STORE_CTX_free(vctx);
    return ok;
}

static CRYPTO_ONCE index_once = CRYPTO_ONCE_STATIC_INIT;
static int tls_index = -1;

static void new_index(void)
{
    tls_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* An alert from the server, e.g. refusing our client certificate; with
 * TLS 1.3 it comes after the handshake, when libcurl sees a receive error. */
static void on_info(const SSL *ssl, int where, int value)
{
    PXC_HTTP_TLS *t = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), tls_index);

    const char *desc;

    if (t == NULL || (where & SSL_CB_READ_ALERT) == 0 || SSL_alert_type_string(value)[0] != 'F')
        return;
    /* OpenSSL 3.0 has no text for the newer alerts (certificate_required) */
    if (strcmp(desc = SSL_alert_desc_string_long(value), "unknown") != 0)
        BIO_snprintf(t->alert, sizeof(t->alert), "%s", desc);
    else
        BIO_snprintf(t->alert, sizeof(t->alert), "number %d", value & 0xff);
}

CURLcode pxc_http_tls_setup(CURL *curl, void *ssl_ctx, void *arg)
{
    PXC_HTTP_TLS *t = arg;
    SSL_CTX *ctx = ssl_ctx;

    (void)curl;
    t->err[0] = t->alert[0] = '\0';
    if (!install_client_cert(ctx, t))
        return CURLE_SSL_CERTPROBLEM;
    if (CRYPTO_THREAD_run_once(&index_once, new_index) && tls_index >= 0
        && SSL_CTX_set_ex_data(ctx, tls_index, t))
        SSL_CTX_set_info_callback(ctx, on_info);
    if (t->trusted == NULL) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
        return CURLE_OK;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_verify_callback(ctx, verify_server, t);
    return CURLE_OK;
}
