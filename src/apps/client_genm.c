/*
 * client_genm.c - -cmd genm of the CLI (RFC 9483 4.3), one handler per
 * -infotype with its options, as openssl cmp (3.2 to 4.0):
 *
 *   caCerts          -cacertsout (required; emptied if none came)
 *   rootCaCert       -oldwithold in; -newwithnew (required), -newwithold,
 *                    -oldwithnew out, each deleted if not received
 *   certReqTemplate  -template (required), -keyspec out (DER), deleted if
 *                    not received
 *   crlStatusList    -crlcert and/or -oldcrl in; -crlout (required, as
 *                    -crlform, default DER), deleted if no CRL came
 *   anything else    a plain genm; the genp is printed to stdout
 *
 * A file is deleted to say "nothing received": scripts rely on that and on
 * the exit status only (the log lines differ between openssl versions).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <openssl/pem.h>
#include "client_genm.h"

/* ------------------------------------------------------------ outputs */

/* Removes file to say that no desc was received (a missing file is fine). */
static int delete_file(const char *file, const char *desc)
{
    if (file == NULL || remove(file) == 0 || errno == ENOENT)
        return 1;
    app_err("failed to delete %s, which should be done to indicate there is no %s", file, desc);
    return 0;
}

/* Writes certs to file: PEM, or DER with -certform DER (no certificates:
 * an empty file). */
static int save_certs(const struct cmp_opts *o, STACK_OF(X509) *certs, const char *file,
                      const char *desc)
{
    int der = o->certform_type == APP_FORMAT_DER, i, ok = 1;
    BIO *out;

    if (sk_X509_num(certs) > 1 && der)
        app_warn(o, "saving more than one certificate in non-PEM format");
    if ((out = BIO_new_file(file, der ? "wb" : "w")) == NULL) {
        app_err("could not open file '%s' for writing %s certificate(s)", file, desc);
        return 0;
    }
    for (i = 0; ok && i < sk_X509_num(certs); i++)
        ok = der ? i2d_X509_bio(out, sk_X509_value(certs, i))
                 : PEM_write_bio_X509(out, sk_X509_value(certs, i));
    if (!BIO_free(out) || !ok) {
        app_err("cannot write %s certificate(s) to file '%s'", desc, file);
        return 0;
    }
    return 1;
}

/* Saves cert to file (if given), or deletes the file when cert is NULL. */
static int save_cert_or_delete(const struct cmp_opts *o, X509 *cert, const char *file,
                               const char *desc)
{
    STACK_OF(X509) *one;
    int ok;

    if (file == NULL)
        return 1;
    if (cert == NULL)
        return delete_file(file, desc);
    app_info(o, "received %s, saving to file '%s'", desc, file);
    one = sk_X509_new_null();
    ok = one != NULL && sk_X509_push(one, cert) && save_certs(o, one, file, desc);
    sk_X509_free(one);
    return ok;
}

/* Writes len bytes of DER to file. */
static int save_der(const struct cmp_opts *o, const unsigned char *der, size_t len,
                    const char *file, const char *desc)
{
    BIO *out = BIO_new_file(file, "wb");
    int ok;

    if (out == NULL) {
        app_err("error saving %s: cannot open file %s", desc, file);
        return 0;
    }
    ok = len <= (size_t)INT32_MAX && BIO_write(out, der, (int)len) == (int)len;
    if (!BIO_free(out) || !ok) {
        app_err("error saving %s: cannot write file %s", desc, file);
        return 0;
    }
    app_info(o, "stored %s to file '%s'", desc, file);
    return 1;
}

/* Writes crl to file as -crlform (default DER). */
static int save_crl(const struct cmp_opts *o, X509_CRL *crl, const char *file, const char *desc)
{
    int pem = o->crlform_type == APP_FORMAT_PEM, ok;
    BIO *out;

    app_info(o, "received %s, saving to file '%s'", desc, file);
    if ((out = BIO_new_file(file, pem ? "w" : "wb")) == NULL) {
        app_err("could not open file '%s' for writing %s", file, desc);
        return 0;
    }
    ok = pem ? PEM_write_bio_X509_CRL(out, crl) : i2d_X509_CRL_bio(out, crl);
    if (!BIO_free(out) || !ok) {
        app_err("cannot write %s to file '%s'", desc, file);
        return 0;
    }
    return 1;
}

/* ----------------------------------------------------------- handlers */

static int check_ca_certs(const struct cmp_opts *o)
{
    if (o->cacertsout == NULL) {
        app_err("missing -cacertsout option for -infotype caCerts");
        return 0;
    }
    return 1;
}

static int run_ca_certs(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    STACK_OF(X509) *certs = NULL;
    int ok;

    if (!pkixcmp_exec_get_cacerts(ctx, &certs))
        return 0;
    if (sk_X509_num(certs) == 0)
        app_info(o, "no CA certificates provided by server");
    else
        app_info(o, "received %d CA certificate(s), saving to file '%s'", sk_X509_num(certs),
                 o->cacertsout);
    ok = save_certs(o, certs, o->cacertsout, "CA");
    sk_X509_pop_free(certs, X509_free);
    return ok;
}

static int check_root_ca_cert(const struct cmp_opts *o)
{
    if (o->newwithnew == NULL) {
        app_err("missing -newwithnew option for -infotype rootCaCert");
        return 0;
    }
    return 1;
}

static int run_root_ca_cert(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509 *old = NULL, *nwn = NULL, *nwo = NULL, *own = NULL;
    int ok = 0;

    if (o->oldwithold == NULL)
        app_warn(o, "no -oldwithold given, will use all certs given with -trusted as trust "
                 "anchors for verifying the newWithNew cert");
    else if ((old = app_load_cert(o, o->oldwithold, o->otherpass,
                                  "OldWithOld cert for genm with -infotype rootCaCert")) == NULL)
        return 0;
    if (!pkixcmp_exec_get_root_ca_update(ctx, old, &nwn, &nwo, &own))
        goto out;
    if (nwn == NULL)
        app_info(o, "no root CA certificate update available");
    else if (old == NULL && own != NULL)
        app_warn(o, "oldWithNew certificate received in genp for verifying oldWithOld, but "
                 "oldWithOld was not provided");
    ok = save_cert_or_delete(o, nwn, o->newwithnew, "NewWithNew cert from genp")
        && save_cert_or_delete(o, nwo, o->newwithold, "NewWithOld cert from genp")
        && save_cert_or_delete(o, own, o->oldwithnew, "OldWithNew cert from genp");
out:
    X509_free(old);
    X509_free(nwn);
    X509_free(nwo);
    X509_free(own);
    return ok;
}

static int check_cert_req_template(const struct cmp_opts *o)
{
    if (o->template == NULL) {
        app_err("missing -template option for genm with infotype certReqTemplate");
        return 0;
    }
    return 1;
}

static int run_cert_req_template(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    unsigned char *tmpl = NULL, *spec = NULL;
    size_t tmpl_len = 0, spec_len = 0;
    int ok = 0;

    if (!pkixcmp_exec_get_cert_req_template(ctx, &tmpl, &tmpl_len, &spec, &spec_len))
        return 0;
    if (tmpl == NULL) {
        app_warn(o, "no certificate request template available");
        ok = delete_file(o->template, "certTemplate from genp")
            && delete_file(o->keyspec, "keySpec from genp");
        goto out;
    }
    if (!save_der(o, tmpl, tmpl_len, o->template, "certTemplate from genp"))
        goto out;
    if (spec == NULL) {
        app_info(o, "no key specifications available");
        ok = delete_file(o->keyspec, "keySpec from genp");
        goto out;
    }
    ok = o->keyspec == NULL || save_der(o, spec, spec_len, o->keyspec, "keySpec from genp");
out:
    OPENSSL_free(tmpl);
    OPENSSL_free(spec);
    return ok;
}

static int check_crl_status_list(const struct cmp_opts *o)
{
    if (o->oldcrl == NULL && o->crlcert == NULL) {
        app_err("missing -oldcrl and no -crlcert given for -infotype crlStatusList");
        return 0;
    }
    if (o->crlout == NULL) {
        app_err("missing -crlout for -infotype crlStatusList");
        return 0;
    }
    return 1;
}

static int run_crl_status_list(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509 *cert = NULL;
    X509_CRL *old = NULL, *crl = NULL;
    int ok = 0;

    if (o->crlcert != NULL
        && (cert = app_load_cert(o, o->crlcert, o->otherpass,
                                 "Cert for genm with -infotype crlStatusList")) == NULL)
        goto out;
    if (o->oldcrl != NULL
        && (old = app_load_crl(o, o->oldcrl, "CRL for genm with -infotype crlStatusList")) == NULL)
        goto out;
    if (cert != NULL && old != NULL
        && X509_NAME_cmp(X509_get_issuer_name(cert), X509_CRL_get_issuer(old)) != 0) {
        app_err("-oldcrl and -crlcert have different issuer");
        goto out;
    }
    if (!pkixcmp_exec_get_crl_update(ctx, cert, old, &crl))
        goto out;
    if (crl == NULL) {
        app_info(o, "no CRL update available");
        ok = delete_file(o->crlout, "CRL from genp of type 'crls'");
        goto out;
    }
    ok = save_crl(o, crl, o->crlout, "CRL from genp of type 'crls'");
out:
    X509_free(cert);
    X509_CRL_free(old);
    X509_CRL_free(crl);
    return ok;
}

/* Any other -infotype (or none): the genp is printed. */
static int run_plain(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    BIO *out;
    int ok;

    if (o->infotype != NULL) {
        ASN1_OBJECT *oid = app_infotype_oid(o->infotype);

        ok = oid != NULL && pkixcmp_ctx_add_genm_itav(ctx, oid, NULL, 0);
        ASN1_OBJECT_free(oid);
        if (!ok)
            return 0;
    }
    ok = pkixcmp_exec_genm(ctx);
    if (o->infotype != NULL) /* -repeat: one ITAV per genm */
        (void)pkixcmp_ctx_clear_genm_itavs(ctx);
    if (!ok)
        return 0;
    if ((out = BIO_new_fp(stdout, BIO_NOCLOSE)) != NULL) {
        (void)pkixcmp_msg_print(out, pkixcmp_ctx_get0_last_response(ctx), PKIXCMP_PRINT_TEXT);
        BIO_free(out);
    }
    return 1;
}

/* The -infotype values with specific handling, and their options. */
static const struct genm_kind {
    const char *infotype;
    int (*check)(const struct cmp_opts *o); /* the options it needs */
    int (*run)(const struct cmp_opts *o, PKIXCMP_CTX *ctx);
} kinds[] = {
    {"caCerts", check_ca_certs, run_ca_certs},
    {"rootCaCert", check_root_ca_cert, run_root_ca_cert},
    {"certReqTemplate", check_cert_req_template, run_cert_req_template},
    {"crlStatusList", check_crl_status_list, run_crl_status_list},
};

static const struct genm_kind *kind_of(const struct cmp_opts *o)
{
    size_t i;

    for (i = 0; o->cmd_type == APP_CMD_GENM && o->infotype != NULL
                && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].infotype, o->infotype) == 0)
            return &kinds[i];
    return NULL;
}

/* ------------------------------------------------------------- checks */

/* Warns about each given option of names (fields of o in the same order)
 * unless -cmd genm with -infotype infotype. */
static void warn_ignored(const struct cmp_opts *o, const char *infotype, const char *const *names,
                         const char *const *values, size_t n)
{
    const struct genm_kind *k = kind_of(o);
    size_t i;

    if (k != NULL && strcmp(k->infotype, infotype) == 0)
        return;
    for (i = 0; i < n; i++)
        if (values[i] != NULL)
            app_warn(o, "-%s option is ignored unless -cmd 'genm' and -infotype %s is given",
                     names[i], infotype);
}

int app_genm_precheck(const struct cmp_opts *o)
{
    static const char *const root[] = {"oldwithold", "newwithnew", "newwithold", "oldwithnew"};
    static const char *const tmpl[] = {"template", "keyspec"};
    static const char *const crl[] = {"crlcert", "oldcrl", "crlout"};
    const char *root_v[] = {o->oldwithold, o->newwithnew, o->newwithold, o->oldwithnew};
    const char *tmpl_v[] = {o->template, o->keyspec};
    const char *crl_v[] = {o->crlcert, o->oldcrl, o->crlout};
    const struct genm_kind *k = kind_of(o);

    if (o->cmd_type == APP_CMD_GENM && o->infotype == NULL)
        app_warn(o, "no -infotype option given for genm");
    if (o->cmd_type != APP_CMD_GENM && o->infotype != NULL)
        app_warn(o, "-infotype option is ignored for commands other than 'genm'");
    warn_ignored(o, "rootCaCert", root, root_v, 4);
    warn_ignored(o, "certReqTemplate", tmpl, tmpl_v, 2);
    warn_ignored(o, "crlStatusList", crl, crl_v, 3);
    return k == NULL || k->check(o);
}

int app_run_genm(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    const struct genm_kind *k = kind_of(o);

    if (k == NULL)
        return run_plain(o, ctx);
    return k->check(o) && k->run(o, ctx);
}
