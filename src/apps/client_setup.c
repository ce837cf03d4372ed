/*
 * client_setup.c - a PKIXCMP_CTX from the options, as openssl cmp sets up
 * its client: credentials, trust, what goes into the requests, and the
 * HTTP(S) transfer. Everything goes through the public API.
 */
#include <string.h>
#include <openssl/x509v3.h>
#include <pkixcmp/pkixcmp.h>
#include "apps.h"
#include "client_run.h"

/* Library log lines as openssl cmp words them ("CMP info: sending ir"),
 * on stderr with all other diagnostics: stdout carries only results. */
static void log_line(int level, const char *line, void *arg)
{
    static const char *const names[] = {
        "EMERG", "ALERT", "CRIT", "error", "warning", "NOTICE", "info", "DEBUG", "TRACE",
    };

    (void)arg;
    fprintf(stderr, "CMP %s: %s\n",
            level >= 0 && level <= 8 ? names[level] : "log", line);
}

static int set_secret(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    char *sec;
    int ok;

    if (o->secret == NULL)
        return 1;
    if ((sec = app_pass_get(o, o->secret, "-secret")) == NULL)
        return 0;
    ok = pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)sec, strlen(sec));
    app_pass_free(sec);
    return ok;
}

/* -own_trusted: our own certificate must validate before we sign with it. */
static int check_own_cert(const struct cmp_opts *o, PKIXCMP_CTX *ctx, X509 *cert,
                          STACK_OF(X509) *untrusted)
{
    X509_STORE *store = app_load_trusted(o, o->own_trusted, o->otherpass, 0, "-own_trusted");
    X509_STORE_CTX *vctx = X509_STORE_CTX_new_ex(o->env.libctx, o->env.propq);
    int ok = store != NULL && vctx != NULL && X509_STORE_CTX_init(vctx, store, cert, untrusted)
        && X509_verify_cert(vctx) > 0;

    (void)ctx;
    if (!ok && vctx != NULL && store != NULL)
        app_err("own certificate (-cert) does not validate against -own_trusted: %s",
                X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
    X509_STORE_CTX_free(vctx);
    X509_STORE_free(store);
    return ok;
}

/* -cert (with its chain), -key, -untrusted, -extracerts. */
static int set_credentials(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509 *cert = NULL;
    STACK_OF(X509) *chain = NULL, *untrusted = NULL, *extra = NULL;
    EVP_PKEY *key = NULL;
    int ok = 0, i;

    if (!set_secret(o, ctx))
        goto out;
    if (o->ref != NULL
        && !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)o->ref, strlen(o->ref)))
        goto out;
    if (o->cert != NULL
        && (!app_load_cert_chain(o, o->cert, o->keypass, "-cert", &cert, &chain)
            || !pkixcmp_ctx_set1_cert(ctx, cert)))
        goto out;
    if (o->key != NULL
        && ((key = app_load_key(o, o->key, o->keypass, "-key")) == NULL
            || !pkixcmp_ctx_set1_pkey(ctx, key)))
        goto out;
    untrusted = o->untrusted != NULL ? app_load_certs(o, o->untrusted, o->otherpass, "-untrusted")
        : sk_X509_new_null();
    if (untrusted == NULL)
        goto out;
    for (i = 0; i < sk_X509_num(chain); i++)
        if (!sk_X509_push(untrusted, sk_X509_value(chain, i)) || !X509_up_ref(sk_X509_value(chain, i)))
            goto out;
    if (!pkixcmp_ctx_set1_untrusted(ctx, untrusted))
        goto out;
    if (o->own_trusted != NULL && cert != NULL && !check_own_cert(o, ctx, cert, untrusted))
        goto out;
    if (o->extracerts != NULL
        && ((extra = app_load_certs(o, o->extracerts, o->otherpass, "-extracerts")) == NULL
            || !pkixcmp_ctx_set1_extra_certs_out(ctx, extra)))
        goto out;
    ok = 1;
out:
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    sk_X509_pop_free(untrusted, X509_free);
    sk_X509_pop_free(extra, X509_free);
    EVP_PKEY_free(key);
    return ok;
}

/* -trusted, -srvcert, -expect_sender, -out_trusted and the policy flags. */
static int set_trust(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509_STORE *store = NULL, *out_store = NULL;
    X509 *srvcert = NULL;
    X509_NAME *sender = NULL;
    int ok = 0;

    if (o->trusted != NULL
        && ((store = app_load_trusted(o, o->trusted, o->otherpass, 0, "-trusted")) == NULL
            || !pkixcmp_ctx_set1_trusted(ctx, store)))
        goto out;
    if (o->srvcert != NULL
        && ((srvcert = app_load_cert(o, o->srvcert, o->otherpass, "-srvcert")) == NULL
            || !pkixcmp_ctx_set1_srvcert(ctx, srvcert)))
        goto out;
    if (o->expect_sender != NULL
        && ((sender = app_parse_name(o, o->expect_sender, "-expect_sender")) == NULL
            || !pkixcmp_ctx_set1_expected_sender(ctx, sender)))
        goto out;
    if (o->out_trusted != NULL
        && ((out_store = app_load_trusted(o, o->out_trusted, o->otherpass, 1, "-out_trusted")) == NULL
            || !pkixcmp_ctx_set1_out_trusted(ctx, out_store)))
        goto out;
    ok = pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_IGNORE_KEYUSAGE, o->ignore_keyusage)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PERMIT_TA_IN_EXTRACERTS_FOR_IR,
                                  o->ta_in_ip_extracerts)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_UNPROTECTED_ERRORS, o->unprotected_errors)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_UNPROTECTED_SEND, o->unprotected_requests)
        && (o->digest == NULL || pkixcmp_ctx_set1_digest(ctx, o->digest))
        && (o->mac == NULL || pkixcmp_ctx_set1_mac(ctx, o->mac));
out:
    X509_STORE_free(store);
    X509_STORE_free(out_store);
    X509_free(srvcert);
    X509_NAME_free(sender);
    return ok;
}

/* certificatePolicies with the OIDs of -policy_oids (no qualifiers). */
static int add_policy_oids(const struct cmp_opts *o, STACK_OF(X509_EXTENSION) **exts)
{
    STACK_OF(ASN1_OBJECT) *oids = app_parse_oids(o->policy_oids, "-policy_oids");
    CERTIFICATEPOLICIES *pols = sk_POLICYINFO_new_null();
    POLICYINFO *pi;
    int ok = 0, i;

    if (oids == NULL || pols == NULL)
        goto out;
    for (i = 0; i < sk_ASN1_OBJECT_num(oids); i++) {
        if ((pi = POLICYINFO_new()) == NULL || !sk_POLICYINFO_push(pols, pi)) {
            POLICYINFO_free(pi);
            goto out;
        }
        ASN1_OBJECT_free(pi->policyid);
        if ((pi->policyid = OBJ_dup(sk_ASN1_OBJECT_value(oids, i))) == NULL)
            goto out;
    }
    ok = X509V3_add1_i2d(exts, NID_certificate_policies, pols, o->policy_oids_critical,
                         X509V3_ADD_REPLACE) == 1;
out:
    sk_ASN1_OBJECT_pop_free(oids, ASN1_OBJECT_free);
    CERTIFICATEPOLICIES_free(pols);
    return ok;
}

/* -reqexts, -policies, -sans, -policy_oids into the template extensions. */
static int set_exts(const struct cmp_opts *o, PKIXCMP_CTX *ctx, X509_REQ *csr)
{
    STACK_OF(X509_EXTENSION) *exts = NULL;
    GENERAL_NAMES *sans = NULL;
    int ok = 0, critical = 0;

    if (!app_load_reqexts(o, csr, &exts))
        goto out;
    if (o->sans != NULL) {
        if (app_exts_have_san(exts)) {
            app_err("cannot have Subject Alternative Names both via -reqexts and via -sans");
            goto out;
        }
        if ((sans = app_parse_sans(o->sans, &critical)) == NULL
            || X509V3_add1_i2d(&exts, NID_subject_alt_name, sans, critical, X509V3_ADD_REPLACE) != 1)
            goto out;
    }
    if (o->policy_oids != NULL && !add_policy_oids(o, &exts))
        goto out;
    ok = exts == NULL || pkixcmp_ctx_set1_reqexts(ctx, exts);
out:
    GENERAL_NAMES_free(sans);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return ok;
}

/* Sets name (parsed from dn) with setter; no-op without dn. */
static int set_name(const struct cmp_opts *o, PKIXCMP_CTX *ctx, const char *dn, const char *desc,
                    int (*setter)(PKIXCMP_CTX *, const X509_NAME *))
{
    X509_NAME *name;
    int ok;

    if (dn == NULL)
        return 1;
    if ((name = app_parse_name(o, dn, desc)) == NULL)
        return 0;
    ok = setter(ctx, name);
    X509_NAME_free(name);
    return ok;
}

/* -newkey: a private key, or only a public key when no POP is signed. */
static int set_newkey(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    EVP_PKEY *key;
    int ok;

    if (o->newkey == NULL)
        return 1;
    key = o->popo == -1 || o->popo == 0
        ? app_load_pubkey(o, o->newkey, o->newkeypass, "-newkey")
        : app_load_key(o, o->newkey, o->newkeypass, "-newkey");
    ok = key != NULL && pkixcmp_ctx_set1_newkey(ctx, key);
    EVP_PKEY_free(key);
    return ok;
}

/* certProfile (RFC 9483 3.2, id-it 21): SEQUENCE OF UTF8String, one here. */
static int set_profile(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    unsigned char der[4 + 255];
    size_t n = o->profile != NULL ? strlen(o->profile) : 0;
    ASN1_OBJECT *oid;
    int ok;

    if (o->profile == NULL)
        return 1;
    if (n > 120) {
        app_err("-profile name too long (%zu characters, at most 120)", n);
        return 0;
    }
    der[0] = 0x30; /* SEQUENCE */
    der[1] = (unsigned char)(n + 2);
    der[2] = 0x0c; /* UTF8String */
    der[3] = (unsigned char)n;
    memcpy(der + 4, o->profile, n);
    oid = OBJ_txt2obj("1.3.6.1.5.5.7.4.21", 1);
    ok = oid != NULL && pkixcmp_ctx_add_geninfo_itav(ctx, oid, der, n + 4);
    ASN1_OBJECT_free(oid);
    return ok;
}

static int set_geninfo(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    struct app_itav *items = NULL;
    unsigned char *der = NULL;
    int n = 0, i, len, ok = 0;

    if (o->geninfo == NULL)
        return 1;
    if (!app_parse_geninfo(o->geninfo, &items, &n))
        return 0;
    for (i = 0; i < n; i++) {
        if ((len = i2d_ASN1_TYPE(items[i].value, &der)) <= 0
            || !pkixcmp_ctx_add_geninfo_itav(ctx, items[i].type, der, (size_t)len))
            goto out;
        OPENSSL_free(der);
        der = NULL;
    }
    ok = 1;
out:
    OPENSSL_free(der);
    app_itavs_free(items, n);
    return ok;
}

/* What goes into the requests. */
static int set_request(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509_REQ *csr = NULL;
    X509 *oldcert = NULL;
    int ok = 0;

    if (o->csr != NULL
        && ((csr = app_load_csr(o, o->csr, "-csr")) == NULL || !pkixcmp_ctx_set1_p10csr(ctx, csr)))
        goto out;
    if (o->oldcert != NULL
        && ((oldcert = app_load_cert(o, o->oldcert, o->keypass, "-oldcert")) == NULL
            || !pkixcmp_ctx_set1_oldcert(ctx, oldcert)))
        goto out;
    if (o->serial != NULL) {
        ASN1_INTEGER *serial = app_parse_serial(o->serial);

        ok = serial != NULL && pkixcmp_ctx_set1_revoke_serial(ctx, serial);
        ASN1_INTEGER_free(serial);
        if (!ok)
            goto out;
    }
    ok = set_newkey(o, ctx)
        && set_name(o, ctx, o->subject, "-subject", pkixcmp_ctx_set1_subject)
        && set_name(o, ctx, o->issuer, "-issuer", pkixcmp_ctx_set1_issuer)
        && set_name(o, ctx, o->recipient, "-recipient", pkixcmp_ctx_set1_recipient)
        && set_exts(o, ctx, csr)
        && set_profile(o, ctx)
        && set_geninfo(o, ctx)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_DAYS, o->days)
        && (o->popo == -2 || pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_POPO_METHOD, o->popo))
        /* -centralkeygen asks for the key from the server: no POP (RFC 9483 4.1.6) */
        && (!o->centralkeygen || pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_POPO_METHOD, -1))
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_REVOCATION_REASON, o->revreason)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, o->implicit_confirm)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_DISABLE_CONFIRM, o->disable_confirm)
        && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_SAN_NODEFAULT, o->san_nodefault)
        && (o->total_timeout < 0
            || pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_TOTAL_TIMEOUT, o->total_timeout));
out:
    X509_REQ_free(csr);
    X509_free(oldcert);
    return ok;
}

/* Appends to chain the issuers of cert found in pool, up to but without
 * a self-signed root (at most 10), skipping those already in chain. */
static int add_issuer_path(STACK_OF(X509) *chain, X509 *cert, STACK_OF(X509) *pool)
{
    X509 *cur = cert, *issuer;
    int depth, i;

    for (depth = 0; depth < 10 && X509_check_issued(cur, cur) != X509_V_OK; depth++) {
        for (i = 0, issuer = NULL; i < sk_X509_num(pool) && issuer == NULL; i++)
            if (X509_check_issued(sk_X509_value(pool, i), cur) == X509_V_OK)
                issuer = sk_X509_value(pool, i);
        if (issuer == NULL || X509_check_issued(issuer, issuer) == X509_V_OK)
            break;
        if (!X509_add_cert(chain, issuer, X509_ADD_FLAG_UP_REF | X509_ADD_FLAG_NO_DUP))
            return 0;
        cur = issuer;
    }
    return 1;
}

/*
 * The certificates sent after the TLS client certificate, as openssl cmp
 * chooses them: those after the first in the -tls_cert file and the
 * -untrusted ones on the path to its root ("Intermediate CA certs for chain
 * construction for CMP/TLS/enrolled certs"), then -tls_extra.
 */
static STACK_OF(X509) *tls_chain(const struct cmp_opts *o, X509 *cert, STACK_OF(X509) *file_chain)
{
    STACK_OF(X509) *chain = sk_X509_new_null(), *pool = NULL, *extra = NULL, *ret = NULL;

    if (chain == NULL || !X509_add_certs(chain, file_chain, X509_ADD_FLAG_UP_REF))
        goto out;
    if (cert != NULL && o->untrusted != NULL) {
        if ((pool = app_load_certs(o, o->untrusted, o->otherpass, "-untrusted")) == NULL
            || !X509_add_certs(pool, file_chain, X509_ADD_FLAG_UP_REF | X509_ADD_FLAG_NO_DUP)
            || !add_issuer_path(chain, cert, pool))
            goto out;
    }
    if (o->tls_extra != NULL
        && ((extra = app_load_certs(o, o->tls_extra, o->otherpass, "-tls_extra")) == NULL
            || !X509_add_certs(chain, extra, X509_ADD_FLAG_UP_REF | X509_ADD_FLAG_NO_DUP)))
        goto out;
    ret = chain;
    chain = NULL; /* transferred */
out:
    sk_X509_pop_free(chain, X509_free);
    sk_X509_pop_free(pool, X509_free);
    sk_X509_pop_free(extra, X509_free);
    return ret;
}

/* -tls_cert, -tls_key, -tls_extra (and -untrusted), -tls_trusted, -tls_host. */
static int set_tls(const struct cmp_opts *o, PKIXCMP_HTTP *h)
{
    X509 *cert = NULL;
    STACK_OF(X509) *file_chain = NULL, *chain = NULL;
    EVP_PKEY *key = NULL;
    X509_STORE *trusted = NULL;
    int ok = 0;

    if (!pkixcmp_http_set_use_tls(h, 1))
        goto out;
    if (o->tls_cert != NULL
        && (!app_load_cert_chain(o, o->tls_cert, o->tls_keypass, "-tls_cert", &cert, &file_chain)
            || !pkixcmp_http_set1_tls_cert(h, cert)))
        goto out;
    if (o->tls_key != NULL
        && ((key = app_load_key(o, o->tls_key, o->tls_keypass, "-tls_key")) == NULL
            || !pkixcmp_http_set1_tls_key(h, key)))
        goto out;
    if ((chain = tls_chain(o, cert, file_chain)) == NULL
        || (sk_X509_num(chain) > 0 && !pkixcmp_http_set1_tls_extra(h, chain)))
        goto out;
    if (o->tls_trusted != NULL
        && ((trusted = app_load_trusted(o, o->tls_trusted, o->otherpass, 0, "-tls_trusted")) == NULL
            || !pkixcmp_http_set1_tls_trusted(h, trusted)))
        goto out;
    ok = o->tls_host == NULL || pkixcmp_http_set1_tls_host(h, o->tls_host);
out:
    X509_free(cert);
    sk_X509_pop_free(file_chain, X509_free);
    sk_X509_pop_free(chain, X509_free);
    EVP_PKEY_free(key);
    X509_STORE_free(trusted);
    return ok;
}

/* -server and the HTTP options. */
static int set_http(struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    struct app_server srv;
    PKIXCMP_HTTP *h;
    int ok = 0;

    memset(&srv, 0, sizeof(srv));
    if (!app_server_resolve(o, &srv))
        return 0;
    if ((h = pkixcmp_ctx_get0_http(ctx)) == NULL
        || !pkixcmp_http_set1_server(h, o->server)
        || !pkixcmp_http_set1_path(h, o->path)
        || !pkixcmp_http_set1_proxy(h, o->proxy)
        || !pkixcmp_http_set1_no_proxy(h, o->no_proxy)
        || !pkixcmp_http_set_keep_alive(h, o->keep_alive)
        || (o->msg_timeout >= 0 && !pkixcmp_http_set_msg_timeout(h, o->msg_timeout))
        || (o->tls_used && !set_tls(o, h)))
        goto out;
    app_info(o, "will contact %s", pkixcmp_http_get0_url(h));
    ok = 1;
out:
    app_server_clear(&srv);
    return ok;
}

int app_client_setup(struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    if (!pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, o->verbosity)
        || !pkixcmp_ctx_set_log_cb(ctx, log_line, NULL)
        || !set_credentials(o, ctx) || !set_trust(o, ctx) || !set_request(o, ctx))
        return 0;
    if (o->server != NULL && !set_http(o, ctx))
        return 0;
    return 1;
}
