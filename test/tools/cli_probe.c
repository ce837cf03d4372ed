/*
 * cli_probe.c - runs one function of the pkixcmp CLI (src/apps) and prints
 * its result, for the recipes 06-*.sh:
 *
 *   cli_probe WHAT ARG [pkixcmp options]
 *
 * The options are parsed, checked and set up as pkixcmp does (opts_parse,
 * cmp_opts_check, app_env_init); then WHAT runs on ARG:
 *   opts -        every option that differs from its default, name=value
 *   pass SRC      app_pass_read          passget SRC  app_pass_get (-keypass)
 *   dn DN         app_parse_name         sans SPEC    app_parse_sans
 *   oids LIST     app_parse_oids         serial S     app_parse_serial
 *   geninfo SPEC  app_parse_geninfo      infotype N   app_infotype_oid
 *   key URI       app_load_key (-keypass)             pubkey URI  app_load_pubkey
 *   cert URI      app_load_cert (-keypass)            chain URI   app_load_cert_chain
 *   certs LIST    app_load_certs (-otherpass)         csr FILE    app_load_csr
 *   crl URI       app_load_crl
 *   verify CERT   app_load_trusted(-trusted) + -untrusted, X509_verify_cert
 *   reqexts -     app_load_reqexts       server -     app_server_resolve
 * Exit status 0 on success, 1 on failure (the error printed to stderr).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include "../../src/apps/apps.h"

static BIO *out;

static void print_opt(const struct opt_def *d, void *arg)
{
    const struct cmp_opts *o = arg;
    const char *field = (const char *)o + d->offset;
    const struct str_list *l;
    int i;

    switch (d->arg) {
    case OPT_FLAG:
        if (*(const int *)(const void *)field)
            BIO_printf(out, "%s=1\n", d->name);
        break;
    case OPT_STR:
    case OPT_OUTFILE:
        if (*(const char *const *)(const void *)field != NULL)
            BIO_printf(out, "%s=%s\n", d->name, *(const char *const *)(const void *)field);
        break;
    case OPT_LIST:
        l = (const struct str_list *)(const void *)field;
        for (i = 0; i < l->n; i++)
            BIO_printf(out, "%s=%s\n", d->name, l->item[i]);
        break;
    case OPT_INTMAX:
        if (*(const intmax_t *)(const void *)field != INTMAX_MIN)
            BIO_printf(out, "%s=%jd\n", d->name, *(const intmax_t *)(const void *)field);
        break;
    default:
        if (*(const int *)(const void *)field != d->def)
            BIO_printf(out, "%s=%d\n", d->name, *(const int *)(const void *)field);
        break;
    }
}

static int print_name(const X509_NAME *n)
{
    int i;

    for (i = 0; i < X509_NAME_entry_count(n); i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
        const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);

        BIO_printf(out, "rdn %d: %s=%.*s (%s)\n", X509_NAME_ENTRY_set(e),
                   OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(e))),
                   ASN1_STRING_length(v), (const char *)ASN1_STRING_get0_data(v),
                   ASN1_tag2str(ASN1_STRING_type(v)));
    }
    return 1;
}

static int print_cert(const char *what, const X509 *c)
{
    BIO_printf(out, "%s: ", what);
    X509_NAME_print_ex(out, X509_get_subject_name(c), 0, XN_FLAG_ONELINE);
    BIO_printf(out, "\n");
    return 1;
}

static int print_key(EVP_PKEY *k)
{
    BIGNUM *bn = NULL;
    size_t len = 0;
    int priv;

    if (k == NULL)
        return 0;
    priv = EVP_PKEY_get_bn_param(k, "priv", &bn) || EVP_PKEY_get_bn_param(k, "d", &bn)
        || EVP_PKEY_get_octet_string_param(k, "priv", NULL, 0, &len);
    BIO_printf(out, "key: %s %d bits, %s\n", EVP_PKEY_get0_type_name(k), EVP_PKEY_get_bits(k),
               priv ? "private" : "public");
    BN_clear_free(bn);
    EVP_PKEY_free(k);
    ERR_clear_error();
    return 1;
}

static int do_sans(const char *spec)
{
    int crit, i;
    GENERAL_NAMES *g = app_parse_sans(spec, &crit);

    if (g == NULL)
        return 0;
    for (i = 0; i < sk_GENERAL_NAME_num(g); i++) {
        GENERAL_NAME_print(out, sk_GENERAL_NAME_value(g, i));
        BIO_printf(out, "\n");
    }
    BIO_printf(out, "critical=%d\n", crit);
    GENERAL_NAMES_free(g);
    return 1;
}

static int do_geninfo(const char *spec)
{
    struct app_itav *items;
    int n, i;
    char buf[80];

    if (!app_parse_geninfo(spec, &items, &n))
        return 0;
    for (i = 0; i < n; i++) {
        OBJ_obj2txt(buf, sizeof(buf), items[i].type, 1);
        BIO_printf(out, "%s ", buf);
        if (items[i].value->type == V_ASN1_INTEGER)
            BIO_printf(out, "int %ld\n", ASN1_INTEGER_get(items[i].value->value.integer));
        else
            BIO_printf(out, "str '%s'\n", ASN1_STRING_get0_data(items[i].value->value.asn1_string));
    }
    app_itavs_free(items, n);
    return 1;
}

static int do_certs(STACK_OF(X509) *certs)
{
    int i;

    if (certs == NULL)
        return 0;
    BIO_printf(out, "%d certificate(s)\n", sk_X509_num(certs));
    for (i = 0; i < sk_X509_num(certs); i++)
        print_cert("cert", sk_X509_value(certs, i));
    sk_X509_pop_free(certs, X509_free);
    return 1;
}

static int do_chain(const struct cmp_opts *o, const char *uri)
{
    X509 *cert;
    STACK_OF(X509) *chain;

    if (!app_load_cert_chain(o, uri, o->keypass, "certificate", &cert, &chain))
        return 0;
    print_cert("leaf", cert);
    X509_free(cert);
    return do_certs(chain);
}

static int do_verify(const struct cmp_opts *o, const char *file)
{
    X509_STORE *ts = app_load_trusted(o, o->trusted, o->otherpass, 0, "trusted certs");
    STACK_OF(X509) *untrusted = o->untrusted ? app_load_certs(o, o->untrusted, NULL, "untrusted") : NULL;
    X509 *cert = app_load_cert(o, file, NULL, "certificate to verify");
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int ok = 0;

    if (ts != NULL && cert != NULL && ctx != NULL && X509_STORE_CTX_init(ctx, ts, cert, untrusted)) {
        ok = X509_verify_cert(ctx) == 1;
        BIO_printf(out, "verify: %s\n", ok ? "OK"
                   : X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    }
    X509_STORE_CTX_free(ctx);
    X509_free(cert);
    sk_X509_pop_free(untrusted, X509_free);
    X509_STORE_free(ts);
    return ok;
}

static int do_server(struct cmp_opts *o)
{
    struct app_server s;

    if (!app_server_resolve(o, &s))
        return 0;
    BIO_printf(out, "host=%s port=%d path=%s tls_used=%d proxy=%s:%d\n",
               s.url.host ? s.url.host : "(none)", s.url.port, s.url.path, o->tls_used,
               s.proxy.host ? s.proxy.host : "(none)", s.proxy.port);
    app_server_clear(&s);
    return 1;
}

static int do_reqexts(const struct cmp_opts *o)
{
    STACK_OF(X509_EXTENSION) *exts;
    int i;

    if (!app_load_reqexts(o, NULL, &exts))
        return 0;
    for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);

        BIO_printf(out, "%s%s: ", OBJ_nid2sn(OBJ_obj2nid(X509_EXTENSION_get_object(e))),
                   X509_EXTENSION_get_critical(e) ? " (critical)" : "");
        X509V3_EXT_print(out, e, 0, 0);
        BIO_printf(out, "\n");
    }
    BIO_printf(out, "san=%d\n", app_exts_have_san(exts));
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return 1;
}

static int simple(struct cmp_opts *o, const char *what, const char *arg)
{
    char *p = NULL;
    void *x = NULL;
    int ok = 0;

    if (strcmp(what, "pass") == 0 || strcmp(what, "passget") == 0) {
        p = what[4] ? app_pass_get(o, arg, "probe") : app_pass_read(arg);
        if (p != NULL)
            BIO_printf(out, "pass=[%s]\n", p);
        ok = p != NULL;
        app_pass_free(p);
    } else if (strcmp(what, "dn") == 0) {
        ok = (x = app_parse_name(o, arg, "subject")) != NULL && print_name(x);
        X509_NAME_free(x);
    } else if (strcmp(what, "serial") == 0) {
        if ((x = app_parse_serial(arg)) != NULL && (p = i2s_ASN1_INTEGER(NULL, x)) != NULL)
            ok = BIO_printf(out, "serial=%s\n", p) > 0;
        OPENSSL_free(p);
        ASN1_INTEGER_free(x);
    } else if (strcmp(what, "infotype") == 0) {
        char buf[80];

        if ((x = app_infotype_oid(arg)) != NULL && OBJ_obj2txt(buf, sizeof(buf), x, 1) > 0)
            ok = BIO_printf(out, "oid=%s\n", buf) > 0;
        ASN1_OBJECT_free(x);
    } else {
        return -1;
    }
    return ok;
}

static int probe(struct cmp_opts *o, const char *what, const char *arg)
{
    int r = simple(o, what, arg);

    if (r >= 0)
        return r;
    if (strcmp(what, "opts") == 0) {
        opts_foreach(print_opt, o);
        return 1;
    }
    if (strcmp(what, "sans") == 0)
        return do_sans(arg);
    if (strcmp(what, "oids") == 0) {
        STACK_OF(ASN1_OBJECT) *oids = app_parse_oids(arg, "policy");

        if ((r = oids != NULL))
            BIO_printf(out, "%d oid(s)\n", sk_ASN1_OBJECT_num(oids));
        sk_ASN1_OBJECT_pop_free(oids, ASN1_OBJECT_free);
        return r;
    }
    if (strcmp(what, "geninfo") == 0)
        return do_geninfo(arg);
    if (strcmp(what, "key") == 0)
        return print_key(app_load_key(o, arg, o->keypass, "private key"));
    if (strcmp(what, "pubkey") == 0)
        return print_key(app_load_pubkey(o, arg, o->keypass, "public key"));
    if (strcmp(what, "cert") == 0) {
        X509 *c = app_load_cert(o, arg, o->keypass, "certificate");

        r = c != NULL && print_cert("cert", c);
        X509_free(c);
        return r;
    }
    if (strcmp(what, "chain") == 0)
        return do_chain(o, arg);
    if (strcmp(what, "certs") == 0)
        return do_certs(app_load_certs(o, arg, o->otherpass, "certificates"));
    if (strcmp(what, "csr") == 0) {
        X509_REQ *req = app_load_csr(o, arg, "PKCS#10 CSR");

        r = req != NULL && BIO_printf(out, "csr: ") > 0
            && X509_NAME_print_ex(out, X509_REQ_get_subject_name(req), 0, XN_FLAG_ONELINE) >= 0
            && BIO_printf(out, "\n") > 0;
        X509_REQ_free(req);
        return r;
    }
    if (strcmp(what, "crl") == 0) {
        X509_CRL *crl = app_load_crl(o, arg, "CRL");

        r = crl != NULL && BIO_printf(out, "crl: %d revoked\n",
                                      sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl))) > 0;
        X509_CRL_free(crl);
        return r;
    }
    if (strcmp(what, "verify") == 0)
        return do_verify(o, arg);
    if (strcmp(what, "server") == 0)
        return do_server(o);
    if (strcmp(what, "reqexts") == 0)
        return do_reqexts(o);
    app_err("cli_probe: unknown probe '%s'", what);
    return 0;
}

int main(int argc, char **argv)
{
    struct cmp_opts o;
    const char *what, *arg;
    int ok = 0;

    cmp_opts_init(&o);
    out = BIO_new_fp(stdout, BIO_NOCLOSE);
    if (argc < 3) {
        fprintf(stderr, "usage: cli_probe WHAT ARG [pkixcmp options]\n");
        goto out;
    }
    what = argv[1];
    arg = argv[2];
    argv[2] = argv[0]; /* the options start after ARG */
    if (out == NULL || !opts_parse(argc - 2, argv + 2, &o) || !cmp_opts_check(&o)
        || !app_env_init(&o))
        goto out;
    ok = probe(&o, what, arg);
out:
    if (!ok)
        ERR_print_errors_fp(stderr);
    app_env_cleanup(&o);
    opts_free(&o);
    BIO_free(out);
    return ok ? 0 : 1;
}
