/*
 * load.c - credentials from files and URIs, as `openssl cmp` loads them:
 * through OSSL_STORE with the library context and property query of the
 * provider options, so that PEM, DER, PKCS#8 (encrypted too), PKCS#12 and
 * provider URIs ("file:", "pkcs11:", ...) all work; keys of -keyform ENGINE
 * through the engine. Pass phrases come from openssl pass phrase arguments
 * (pass.c); without one, an encrypted input prompts on the terminal unless
 * -batch is given.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/store.h>
#include <openssl/ui.h>
#include <openssl/x509.h>
#include "apps.h"

/* What a load wants */
#define WANT_KEY 1     /* the first private key */
#define WANT_PUBKEY 2  /* the first public (or private) key */
#define WANT_CERT 4    /* the first certificate */
#define WANT_CERTS 8   /* all certificates */
#define WANT_CRL 16    /* the first CRL */
#define MAX_OBJECTS 100000 /* a bound on the objects read from one URI */

struct loaded {
    EVP_PKEY *pkey;
    STACK_OF(X509) *certs;
    X509_CRL *crl;
};

/* The pass phrase callback's view of one load */
struct pw_data {
    const char *pass;   /* NULL: none given */
    int batch;
    int missing;        /* set when a pass phrase was needed but not given */
    const char *desc;
};

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    struct pw_data *pw = u;
    char prompt[256];
    size_t len;

    (void)rwflag;
    if (pw->pass == NULL && pw->batch) {
        pw->missing = 1;
        return -1;
    }
    if (pw->pass == NULL) {
        snprintf(prompt, sizeof(prompt), "Enter pass phrase for %s:", pw->desc);
        if (EVP_read_pw_string_min(buf, 0, size, prompt, 0) != 0) {
            pw->missing = 1;
            return -1;
        }
        return (int)strlen(buf);
    }
    len = strlen(pw->pass);
    if (len > (size_t)size)
        len = (size_t)size;
    memcpy(buf, pw->pass, len);
    return (int)len;
}

/* Takes what l still wants from info; returns 1 while more is wanted. */
static int take(OSSL_STORE_INFO *info, int want, struct loaded *l)
{
    int type = OSSL_STORE_INFO_get_type(info);
    X509 *cert;

    if (type == OSSL_STORE_INFO_PKEY && (want & (WANT_KEY | WANT_PUBKEY)) && l->pkey == NULL)
        l->pkey = OSSL_STORE_INFO_get1_PKEY(info);
    else if (type == OSSL_STORE_INFO_PUBKEY && (want & WANT_PUBKEY) && l->pkey == NULL)
        l->pkey = OSSL_STORE_INFO_get1_PUBKEY(info);
    else if (type == OSSL_STORE_INFO_CRL && (want & WANT_CRL) && l->crl == NULL)
        l->crl = OSSL_STORE_INFO_get1_CRL(info);
    else if (type == OSSL_STORE_INFO_CERT && (want & (WANT_CERT | WANT_CERTS))
             && ((want & WANT_CERTS) || sk_X509_num(l->certs) == 0)) {
        if ((cert = OSSL_STORE_INFO_get1_CERT(info)) != NULL && !sk_X509_push(l->certs, cert))
            X509_free(cert);
    }
    if ((want & WANT_CERTS) != 0)
        return 1;
    return !(((want & (WANT_KEY | WANT_PUBKEY)) == 0 || l->pkey != NULL)
             && ((want & WANT_CERT) == 0 || sk_X509_num(l->certs) > 0)
             && ((want & WANT_CRL) == 0 || l->crl != NULL));
}

static int expected_type(int want)
{
    switch (want) {
    case WANT_KEY:
        return OSSL_STORE_INFO_PKEY;
    case WANT_CERT:
    case WANT_CERTS:
        return OSSL_STORE_INFO_CERT;
    case WANT_CRL:
        return OSSL_STORE_INFO_CRL;
    default:
        return 0;
    }
}

/* Reads from uri what want says into l. Returns 1 if anything was read
 * (the caller checks for what it needs), else 0 after printing an error. */
static int load_uri(const struct cmp_opts *o, const char *uri, const char *pass_src, int want,
                    struct loaded *l, const char *desc)
{
    struct pw_data pw = {NULL, o->batch, 0, desc};
    char *pass = app_pass_get(o, pass_src, desc);
    UI_METHOD *ui = UI_UTIL_wrap_read_pem_callback(pass_cb, 0);
    OSSL_STORE_CTX *ctx = NULL;
    int n = 0, ret = 0;

    pw.pass = pass;
    if ((pass_src != NULL && pass == NULL) || ui == NULL || (l->certs = sk_X509_new_null()) == NULL)
        goto out;
    ctx = OSSL_STORE_open_ex(uri, o->env.libctx, o->env.propq, ui, &pw, NULL, NULL, NULL);
    if (ctx == NULL) {
        app_err("cannot open %s '%s'", desc, uri);
        goto out;
    }
    if (expected_type(want) != 0)
        OSSL_STORE_expect(ctx, expected_type(want));
    ERR_set_mark();
    while (!OSSL_STORE_eof(ctx) && n++ < MAX_OBJECTS) {
        OSSL_STORE_INFO *info = OSSL_STORE_load(ctx);
        int more;

        if (info == NULL)
            continue; /* e.g. an object that could not be decrypted */
        more = take(info, want, l);
        OSSL_STORE_INFO_free(info);
        if (!more)
            break;
    }
    ret = l->pkey != NULL || sk_X509_num(l->certs) > 0 || l->crl != NULL;
    if (ret)
        ERR_pop_to_mark(); /* failures on the way that did not matter */
    else
        ERR_clear_last_mark();
    if (pw.missing)
        app_err("%s '%s' is encrypted and no pass phrase was given%s", desc, uri,
                o->batch ? " (-batch)" : "");
    else if (!ret)
        app_err("cannot load %s from '%s'%s", desc, uri,
                pass_src != NULL ? " (wrong pass phrase?)" : "");
out:
    OSSL_STORE_close(ctx);
    UI_destroy_method(ui);
    app_pass_free(pass);
    return ret;
}

static void loaded_clear(struct loaded *l)
{
    EVP_PKEY_free(l->pkey);
    sk_X509_pop_free(l->certs, X509_free);
    X509_CRL_free(l->crl);
    memset(l, 0, sizeof(*l));
}

/* A key of -keyform ENGINE */
static EVP_PKEY *engine_pkey(const struct cmp_opts *o, const char *uri, const char *pass_src,
                             int public_key, const char *desc)
{
    struct pw_data pw = {NULL, o->batch, 0, desc};
    char *pass = app_pass_get(o, pass_src, desc);
    UI_METHOD *ui = UI_UTIL_wrap_read_pem_callback(pass_cb, 0);
    EVP_PKEY *pkey = NULL;

    pw.pass = pass;
    if (ui != NULL)
        pkey = app_engine_key(o, uri, ui, &pw, public_key, desc);
    UI_destroy_method(ui);
    app_pass_free(pass);
    return pkey;
}

static EVP_PKEY *load_pkey(const struct cmp_opts *o, const char *uri, const char *pass_src,
                           int want, const char *desc)
{
    struct loaded l = {NULL, NULL, NULL};
    EVP_PKEY *ret = NULL;

    if (o->keyform_type == APP_FORMAT_ENGINE)
        return engine_pkey(o, uri, pass_src, want == WANT_PUBKEY, desc);
    if (!load_uri(o, uri, pass_src, want, &l, desc))
        goto out;
    if (l.pkey == NULL) {
        app_err("no %s found in '%s'", desc, uri);
        goto out;
    }
    ret = l.pkey;
    l.pkey = NULL; /* transferred */
out:
    loaded_clear(&l);
    return ret;
}

EVP_PKEY *app_load_key(const struct cmp_opts *o, const char *uri, const char *pass_src,
                       const char *desc)
{
    return load_pkey(o, uri, pass_src, WANT_KEY, desc);
}

EVP_PKEY *app_load_pubkey(const struct cmp_opts *o, const char *uri, const char *pass_src,
                          const char *desc)
{
    return load_pkey(o, uri, pass_src, WANT_PUBKEY, desc);
}

/* Warns about a certificate outside its validity period (at -attime if
 * given), as openssl does when loading. */
static void warn_time(const struct cmp_opts *o, const char *uri, X509 *cert, const char *desc)
{
    int r = X509_cmp_timeframe(o->env.vpm, X509_get0_notBefore(cert), X509_get0_notAfter(cert));
    char *subj;

    if (r == 0)
        return;
    subj = X509_NAME_oneline(X509_get_subject_name(cert), NULL, 0);
    app_warn(o, "%s from '%s' with subject '%s' %s", desc, uri, subj != NULL ? subj : "?",
             r < 0 ? "is not yet valid" : "has expired");
    OPENSSL_free(subj);
}

int app_load_cert_chain(const struct cmp_opts *o, const char *uri, const char *pass_src,
                        const char *desc, X509 **cert, STACK_OF(X509) **chain)
{
    struct loaded l = {NULL, NULL, NULL};
    int i, ret = 0;

    *cert = NULL;
    if (chain != NULL)
        *chain = NULL;
    if (!load_uri(o, uri, pass_src, chain != NULL ? WANT_CERTS : WANT_CERT, &l, desc))
        goto out;
    if (sk_X509_num(l.certs) == 0) {
        app_err("no %s found in '%s'", desc, uri);
        goto out;
    }
    for (i = 0; i < sk_X509_num(l.certs); i++)
        warn_time(o, uri, sk_X509_value(l.certs, i), desc);
    *cert = sk_X509_shift(l.certs);
    if (chain != NULL) {
        *chain = l.certs;
        l.certs = NULL; /* transferred */
    }
    ret = 1;
out:
    loaded_clear(&l);
    return ret;
}

X509 *app_load_cert(const struct cmp_opts *o, const char *uri, const char *pass_src,
                    const char *desc)
{
    X509 *cert = NULL;

    return app_load_cert_chain(o, uri, pass_src, desc, &cert, NULL) ? cert : NULL;
}

STACK_OF(X509) *app_load_certs(const struct cmp_opts *o, const char *uris, const char *pass_src,
                               const char *desc)
{
    STACK_OF(OPENSSL_STRING) *items = app_split_list(uris);
    STACK_OF(X509) *all = sk_X509_new_null(), *chain = NULL, *ret = NULL;
    X509 *cert = NULL;
    int i;

    if (items == NULL || all == NULL)
        goto out;
    for (i = 0; i < sk_OPENSSL_STRING_num(items); i++) {
        if (!app_load_cert_chain(o, sk_OPENSSL_STRING_value(items, i), pass_src, desc, &cert,
                                 &chain)
            || !sk_X509_push(all, cert))
            goto out;
        cert = NULL; /* transferred */
        while (sk_X509_num(chain) > 0) {
            if (!sk_X509_push(all, sk_X509_value(chain, 0)))
                goto out;
            (void)sk_X509_shift(chain); /* transferred */
        }
        sk_X509_free(chain);
        chain = NULL;
    }
    ret = all;
    all = NULL; /* transferred */
out:
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    sk_X509_pop_free(all, X509_free);
    app_list_free(items);
    return ret;
}

X509_STORE *app_load_trusted(const struct cmp_opts *o, const char *uris, const char *pass_src,
                             int for_new_cert, const char *desc)
{
    STACK_OF(X509) *certs = app_load_certs(o, uris, pass_src, desc);
    X509_STORE *ts = NULL, *ret = NULL;
    X509_VERIFY_PARAM *vpm;
    int i;

    if (certs == NULL || (ts = X509_STORE_new()) == NULL)
        goto out;
    for (i = 0; i < sk_X509_num(certs); i++)
        if (!X509_STORE_add_cert(ts, sk_X509_value(certs, i)))
            goto out;
    vpm = X509_STORE_get0_param(ts);
    if ((o->env.vpm != NULL && !X509_VERIFY_PARAM_set1(vpm, o->env.vpm)))
        goto out;
    if (for_new_cert) {
        /* as openssl cmp: no -attime for the new certificate, it is current */
        X509_VERIFY_PARAM_clear_flags(vpm, X509_V_FLAG_USE_CHECK_TIME);
    } else if (!X509_VERIFY_PARAM_set1_host(vpm, NULL, 0)
               || !X509_VERIFY_PARAM_set1_ip(vpm, NULL, 0)
               || !X509_VERIFY_PARAM_set1_email(vpm, NULL, 0)) {
        /* -verify_hostname, -verify_ip, -verify_email are for -out_trusted */
        goto out;
    }
    ret = ts;
    ts = NULL; /* transferred */
out:
    if (ret == NULL && certs != NULL)
        app_err("cannot set up the store of %s", desc);
    X509_STORE_free(ts);
    sk_X509_pop_free(certs, X509_free);
    return ret;
}

X509_CRL *app_load_crl(const struct cmp_opts *o, const char *uri, const char *desc)
{
    struct loaded l = {NULL, NULL, NULL};
    X509_CRL *ret = NULL;

    if (!load_uri(o, uri, NULL, WANT_CRL, &l, desc))
        goto out;
    if (l.crl == NULL) {
        app_err("no %s found in '%s'", desc, uri);
        goto out;
    }
    ret = l.crl;
    l.crl = NULL; /* transferred */
out:
    loaded_clear(&l);
    return ret;
}

X509_REQ *app_load_csr(const struct cmp_opts *o, const char *file, const char *desc)
{
    BIO *in = BIO_new_file(file, "rb");
    X509_REQ *req = X509_REQ_new_ex(o->env.libctx, o->env.propq), *ret = NULL;
    EVP_PKEY *pkey;
    int r;

    if (in == NULL) {
        app_err("cannot open %s file '%s'", desc, file);
        goto out;
    }
    ERR_set_mark();
    if (req == NULL || (PEM_read_bio_X509_REQ(in, &req, NULL, NULL) == NULL
                        && (BIO_seek(in, 0) < 0 || d2i_X509_REQ_bio(in, &req) == NULL))) {
        ERR_clear_last_mark();
        app_err("cannot load %s from '%s' (neither PEM nor DER PKCS#10)", desc, file);
        goto out;
    }
    ERR_pop_to_mark();
    ERR_set_mark();
    pkey = X509_REQ_get0_pubkey(req);
    r = pkey == NULL ? -1 : X509_REQ_verify_ex(req, pkey, o->env.libctx, o->env.propq);
    if (r < 0)
        app_warn(o, "error while verifying the self-signature of %s '%s'", desc, file);
    else if (r == 0)
        app_warn(o, "the self-signature of %s '%s' does not match its contents", desc, file);
    ERR_pop_to_mark();
    ret = req;
    req = NULL; /* transferred */
out:
    X509_REQ_free(req);
    BIO_free(in);
    return ret;
}
