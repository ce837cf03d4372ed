/*
 * server_tls.c - HTTPS for `pkixcmp -port` (a pkixcmp extension: openssl
 * cmp -port serves plain HTTP only and refuses -tls_used, which we keep):
 * -srv_tls_cert (followed by its chain) with -srv_tls_key and
 * -srv_tls_keypass make the TLS server context; -srv_tls_trusted makes
 * client certificates required and validated against those trust anchors
 * (with the verification options).
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include "apps.h"
#include "server_run.h"

/* Which combinations of the options make sense. */
static int check_opts(const struct cmp_opts *o)
{
    if ((o->srv_tls_cert == NULL) != (o->srv_tls_key == NULL)) {
        app_err("must give both -srv_tls_cert and -srv_tls_key or neither");
        return 0;
    }
    if (o->srv_tls_cert == NULL && (o->srv_tls_trusted != NULL || o->srv_tls_keypass != NULL)) {
        app_err("-srv_tls_trusted and -srv_tls_keypass need -srv_tls_cert");
        return 0;
    }
    return 1;
}

/* -srv_tls_cert with its chain, -srv_tls_key. */
static int set_credentials(const struct cmp_opts *o, SSL_CTX *ctx)
{
    STACK_OF(X509) *chain = NULL;
    X509 *cert = NULL;
    EVP_PKEY *key = NULL;
    int ok = 0;

    if (!app_load_cert_chain(o, o->srv_tls_cert, o->srv_tls_keypass, "-srv_tls_cert", &cert,
                             &chain)
        || (key = app_load_key(o, o->srv_tls_key, o->srv_tls_keypass, "-srv_tls_key")) == NULL)
        goto out;
    if (SSL_CTX_use_certificate(ctx, cert) != 1 || SSL_CTX_set1_chain(ctx, chain) != 1
        || SSL_CTX_use_PrivateKey(ctx, key) != 1) {
        app_err("cannot use -srv_tls_cert and -srv_tls_key for TLS");
        goto out;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        app_err("-srv_tls_key does not match -srv_tls_cert");
        goto out;
    }
    ok = 1;
out:
    X509_free(cert);
    EVP_PKEY_free(key);
    sk_X509_pop_free(chain, X509_free);
    return ok;
}

/* -srv_tls_trusted: client certificates required, validated against it;
 * their subjects are the CA names the server suggests to clients. */
static int set_client_auth(const struct cmp_opts *o, SSL_CTX *ctx)
{
    static const unsigned char sid_ctx[] = "pkixcmp -port";
    STACK_OF(X509) *anchors = NULL;
    X509_STORE *store;
    int ok = 0, i;

    if ((store = app_load_trusted(o, o->srv_tls_trusted, o->otherpass, 0, "-srv_tls_trusted"))
        == NULL)
        return 0;
    SSL_CTX_set_cert_store(ctx, store); /* transferred */
    if ((anchors = X509_STORE_get1_all_certs(store)) == NULL)
        goto out;
    for (i = 0; i < sk_X509_num(anchors); i++)
        if (SSL_CTX_add1_to_CA_list(ctx, sk_X509_value(anchors, i)) != 1)
            goto out;
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    /* sessions resumed with a client certificate need a context id */
    ok = SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1) == 1;
out:
    if (!ok)
        app_err("cannot set up the TLS client certificate check");
    sk_X509_pop_free(anchors, X509_free);
    return ok;
}

int app_srv_tls_new(const struct cmp_opts *o, SSL_CTX **ctx)
{
    SSL_CTX *c = NULL;
    int ok = 0;

    *ctx = NULL;
    if (!check_opts(o))
        return 0;
    if (o->srv_tls_cert == NULL)
        return 1; /* plain HTTP */
    if ((c = SSL_CTX_new_ex(o->env.libctx, o->env.propq, TLS_server_method())) == NULL
        /* TLS 1.2 or later, as BCP 195 (RFC 9325) recommends */
        || SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION) != 1) {
        app_err("cannot make a TLS server context");
        goto out;
    }
    if (!set_credentials(o, c) || (o->srv_tls_trusted != NULL && !set_client_auth(o, c)))
        goto out;
    *ctx = c;
    c = NULL; /* transferred */
    ok = 1;
out:
    SSL_CTX_free(c);
    return ok;
}
