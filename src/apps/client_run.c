/*
 * client_run.c - the CMP client job of the CLI (-cmd): checks that the
 * transaction has what it needs (as openssl cmp does, before any network
 * I/O), runs it -repeat times over one context (so one kept-alive
 * connection), and saves what came back (-certout, -chainout,
 * -extracertsout, -cacertsout, -srvcertout).
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <pkixcmp/pkixcmp.h>
#include "client_run.h"
#include "client_genm.h"

/* The checks openssl cmp makes before contacting anyone. */
static int precheck(const struct cmp_opts *o)
{
    int enroll = o->cmd_type == APP_CMD_IR || o->cmd_type == APP_CMD_CR
        || o->cmd_type == APP_CMD_KUR;

    if (o->server == NULL && !o->use_mock_srv && o->rspin == NULL && o->reqout_only == NULL) {
        app_err("missing -server or -use_mock_srv or -rspin option");
        return 0;
    }
    if (o->secret == NULL && o->key == NULL && !o->unprotected_requests) {
        app_err("missing -secret or -key option, or -unprotected_requests");
        return 0;
    }
    if (o->cert != NULL && o->key == NULL) {
        app_err("missing -key option for -cert");
        return 0;
    }
    if (o->ref == NULL && o->cert == NULL && o->subject == NULL && o->secret != NULL) {
        app_err("missing -ref option (or -cert or -subject) to identify the sender with -secret");
        return 0;
    }
    if (o->centralkeygen && o->popo >= 0) {
        app_err("-centralkeygen is not compatible with -popo %d", o->popo);
        return 0;
    }
    if ((o->centralkeygen || o->popo == -1) && enroll && o->newkeyout == NULL) {
        app_err("-newkeyout not given, nowhere to save the centrally generated key");
        return 0;
    }
    if (o->policies != NULL && o->policy_oids != NULL) {
        app_err("cannot have policies both via -policies and via -policy_oids");
        return 0;
    }
    if ((enroll || o->cmd_type == APP_CMD_P10CR) && o->certout == NULL && o->reqout_only == NULL) {
        app_err("-certout not given, nowhere to save newly enrolled certificate");
        return 0;
    }
    if (enroll && o->newkey == NULL && o->key == NULL && o->csr == NULL && o->reqin == NULL
        && !o->centralkeygen && o->popo != -1
        && (o->cmd_type != APP_CMD_KUR || o->oldcert == NULL)) {
        app_err("missing -newkey (or -key) option for key to be certified");
        return 0;
    }
    if (o->cmd_type == APP_CMD_P10CR && o->csr == NULL) {
        app_err("missing -csr option for p10cr");
        return 0;
    }
    if (o->serial != NULL && o->issuer == NULL) {
        app_err("missing -issuer option for -serial");
        return 0;
    }
    if (o->cmd_type == APP_CMD_RR && o->oldcert == NULL && o->csr == NULL && o->serial == NULL) {
        app_err("missing -oldcert, -csr or -issuer and -serial option for certificate to be revoked");
        return 0;
    }
    if (!app_genm_precheck(o))
        return 0;
    if (o->total_timeout > 0 && o->msg_timeout > 0 && o->total_timeout < o->msg_timeout) {
        app_err("-total_timeout argument = %d must not be < -msg_timeout = %d",
                o->total_timeout, o->msg_timeout);
        return 0;
    }
    return 1;
}

/* Writes certs (PEM, or DER for one certificate with -certform DER). */
static int save_certs(const struct cmp_opts *o, STACK_OF(X509) *certs, const char *file,
                      const char *desc)
{
    BIO *out;
    int i, ok = 1;

    if (file == NULL)
        return 1;
    if ((out = BIO_new_file(file, o->certform_type == APP_FORMAT_DER ? "wb" : "w")) == NULL) {
        app_err("cannot open file '%s' for writing %s", file, desc);
        return 0;
    }
    for (i = 0; ok && i < sk_X509_num(certs); i++)
        ok = o->certform_type == APP_FORMAT_DER ? i2d_X509_bio(out, sk_X509_value(certs, i))
            : PEM_write_bio_X509(out, sk_X509_value(certs, i));
    if (!BIO_free(out) || !ok) {
        app_err("cannot write %s to file '%s'", desc, file);
        return 0;
    }
    return 1;
}

static int save_one(const struct cmp_opts *o, X509 *cert, const char *file, const char *desc)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    int ok = sk != NULL && sk_X509_push(sk, cert) && save_certs(o, sk, file, desc);

    sk_X509_free(sk);
    return ok;
}

/* -chainout: the chain of the new certificate without itself and without
 * self-signed (root) certificates. */
static int save_chain(const struct cmp_opts *o, PKIXCMP_CTX *ctx, X509 *newcert)
{
    STACK_OF(X509) *all = pkixcmp_ctx_get0_newchain(ctx), *chain = sk_X509_new_null();
    int i, ok = chain != NULL;

    for (i = 0; ok && i < sk_X509_num(all); i++) {
        X509 *c = sk_X509_value(all, i);

        if (X509_cmp(c, newcert) != 0 && X509_check_issued(c, c) != X509_V_OK)
            ok = sk_X509_push(chain, c);
    }
    ok = ok && save_certs(o, chain, o->chainout, "chain");
    sk_X509_free(chain);
    return ok;
}

/* -newkeyout: the centrally generated private key, PKCS#8 PEM, encrypted
 * with -newkeypass if given. */
static int save_newkey(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    EVP_PKEY *key = pkixcmp_ctx_get0_newkey(ctx);
    char *pass = NULL;
    BIO *out = NULL;
    int ok = 0;

    if (o->newkeyout == NULL)
        return 1;
    if (key == NULL) {
        app_err("no new private key to save to '%s'", o->newkeyout);
        return 0;
    }
    if (o->newkeypass != NULL && (pass = app_pass_get(o, o->newkeypass, "-newkeypass")) == NULL)
        return 0;
    if ((out = BIO_new_file(o->newkeyout, "w")) != NULL)
        ok = PEM_write_bio_PrivateKey(out, key, pass != NULL && *pass != '\0' ? EVP_aes_256_cbc() : NULL,
                                      NULL, 0, NULL, pass);
    if (!BIO_free(out) || !ok) {
        app_err("cannot write the new private key to file '%s'", o->newkeyout);
        ok = 0;
    } else {
        app_info(o, "saving the centrally generated private key to file '%s'", o->newkeyout);
    }
    app_pass_free(pass);
    return ok;
}

/* What an enrollment brought: the certificate, chain, caPubs, extraCerts. */
static int save_enrollment(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509 *cert = pkixcmp_ctx_get0_newcert(ctx);

    if (cert == NULL) {
        app_err("no certificate received");
        return 0;
    }
    app_info(o, "received 1 newly enrolled certificate(s), saving to file '%s'", o->certout);
    return save_one(o, cert, o->certout, "newly enrolled certificate")
        && ((!o->centralkeygen && o->popo != -1) || save_newkey(o, ctx))
        && (o->chainout == NULL || save_chain(o, ctx, cert))
        && save_certs(o, pkixcmp_ctx_get0_capubs(ctx), o->cacertsout, "CA certificates");
}

static int run_cmd(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    switch (o->cmd_type) {
    case APP_CMD_IR:
        return pkixcmp_exec_ir(ctx) && save_enrollment(o, ctx);
    case APP_CMD_CR:
        return pkixcmp_exec_cr(ctx) && save_enrollment(o, ctx);
    case APP_CMD_KUR:
        return pkixcmp_exec_kur(ctx) && save_enrollment(o, ctx);
    case APP_CMD_P10CR:
        return pkixcmp_exec_p10cr(ctx) && save_enrollment(o, ctx);
    case APP_CMD_RR:
        if (!pkixcmp_exec_rr(ctx))
            return 0;
        app_info(o, "revocation accepted");
        return 1;
    case APP_CMD_GENM:
        return app_run_genm(o, ctx);
    default:
        app_err("no cmp command to execute");
        return 0;
    }
}

/* A failed transaction's PKIStatus, as openssl cmp reports it. */
static void report_status(const struct cmp_opts *o, const PKIXCMP_CTX *ctx)
{
    (void)o;
    if (pkixcmp_ctx_get_status(ctx) >= 0 && pkixcmp_ctx_get0_status_text(ctx) != NULL)
        app_err("received PKIStatus: %s", pkixcmp_ctx_get0_status_text(ctx));
}

/* -extracertsout (emptied if none came) and -srvcertout (deleted when the
 * responses were not signed, as openssl cmp does). */
static int save_common(const struct cmp_opts *o, PKIXCMP_CTX *ctx)
{
    X509 *srvcert = pkixcmp_ctx_get0_validated_srvcert(ctx);

    if (o->srvcertout != NULL) {
        if (srvcert == NULL)
            (void)remove(o->srvcertout);
        else if (!save_one(o, srvcert, o->srvcertout, "validated server certificate"))
            return 0;
    }
    return save_certs(o, pkixcmp_ctx_get0_extracerts_in(ctx), o->extracertsout, "extraCerts");
}

int run_client(struct cmp_opts *o)
{
    PKIXCMP_CTX *ctx = NULL;
    struct app_files *files = NULL;
    pkixcmp_transfer_fn *fn = NULL;
    void *mock = NULL;
    int ok = 0, i;

    if (o->port != NULL)
        return run_server(o);
    if (o->cmd_type == APP_CMD_NONE) {
        app_err("no cmp command to execute (give -cmd, -port or -inspect; see -help)");
        return 0;
    }
    if (!precheck(o))
        return 0;
    if ((ctx = pkixcmp_ctx_new(o->env.libctx, o->env.propq)) == NULL
        || !app_client_setup(o, ctx))
        goto out;
    if (o->use_mock_srv && !app_mock_new(o, &fn, &mock))
        goto out;
    if (o->reqin != NULL || o->reqout != NULL || o->rspin != NULL || o->rspout != NULL
        || o->reqout_only != NULL) {
        if ((files = app_files_new(o, fn, mock)) == NULL)
            goto out;
        (void)pkixcmp_ctx_set_transfer_cb(ctx, app_files_transfer, files);
    } else if (fn != NULL) {
        (void)pkixcmp_ctx_set_transfer_cb(ctx, fn, mock);
    }
    for (i = 0; i < o->repeat; i++) {
        ok = run_cmd(o, ctx);
        if (app_files_reqout_only_done(files)) {
            ERR_clear_error(); /* the transaction stopped after the request on purpose */
            ok = 1;
            break;
        }
        if (!ok) {
            report_status(o, ctx);
            break;
        }
        ok = save_common(o, ctx);
    }
out:
    app_files_free(files);
    pkixcmp_ctx_free(ctx);
    app_mock_free(mock);
    return ok;
}
