/*
 * client_files.c - -reqout, -rspout, -reqin, -rspin and -reqout_only: a
 * transfer callback that records requests and responses to DER files or
 * takes them from files, wrapping the real transfer (HTTP or the mock).
 * Each option is a list of file names used one per message, in order.
 */
#include <stdlib.h>
#include <pkixcmp/pkixcmp.h>
#include "client_run.h"

struct app_files {
    const struct cmp_opts *o;
    STACK_OF(OPENSSL_STRING) *reqin, *reqout, *rspin, *rspout;
    int n_reqin, n_reqout, n_rspin, n_rspout;
    int reqout_only_done;
    pkixcmp_transfer_fn *next;
    void *next_arg;
};

struct app_files *app_files_new(const struct cmp_opts *o, pkixcmp_transfer_fn *next, void *next_arg)
{
    struct app_files *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return NULL;
    f->o = o;
    f->next = next;
    f->next_arg = next_arg;
    if ((o->reqin != NULL && (f->reqin = app_split_list(o->reqin)) == NULL)
        || (o->reqout != NULL && (f->reqout = app_split_list(o->reqout)) == NULL)
        || (o->rspin != NULL && (f->rspin = app_split_list(o->rspin)) == NULL)
        || (o->rspout != NULL && (f->rspout = app_split_list(o->rspout)) == NULL)) {
        app_files_free(f);
        return NULL;
    }
    if (f->rspin != NULL && f->reqin != NULL)
        app_warn(o, "-reqin is ignored since -rspin is present");
    return f;
}

void app_files_free(struct app_files *f)
{
    if (f == NULL)
        return;
    app_list_free(f->reqin);
    app_list_free(f->reqout);
    app_list_free(f->rspin);
    app_list_free(f->rspout);
    free(f);
}

int app_files_reqout_only_done(const struct app_files *f)
{
    return f != NULL && f->reqout_only_done;
}

static int write_msg(const char *file, const PKIXCMP_MSG *msg, const char *what)
{
    BIO *out = BIO_new_file(file, "wb");
    int ok = out != NULL && pkixcmp_msg_write(out, msg) > 0;

    if (BIO_free(out) != 1 || !ok) {
        app_err("cannot write %s to file '%s'", what, file);
        return 0;
    }
    return 1;
}

/* The next file of list (advancing *n), NULL when they are used up. */
static const char *next_file(STACK_OF(OPENSSL_STRING) *list, int *n)
{
    if (list == NULL || *n >= sk_OPENSSL_STRING_num(list))
        return NULL;
    return sk_OPENSSL_STRING_value(list, (*n)++);
}

static PKIXCMP_MSG *read_msg(const struct app_files *f, const char *file, const char *what)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_read_file(file, (size_t)f->o->max_msg_size);

    if (msg == NULL)
        app_err("cannot read %s from file '%s'", what, file);
    return msg;
}

/*
 * A request from -reqin takes the place of req: as openssl cmp, later ones
 * get req's recipNonce (the server's last senderNonce) and
 * transactionID, the first one req's transactionID with -reqin_new_tid;
 * changed ones are protected again.
 */
static int adapt_reqin(const struct app_files *f, PKIXCMP_CTX *ctx, PKIXCMP_MSG *in,
                       const PKIXCMP_MSG *req)
{
    int later = f->n_reqin > 1;

    if (!later && !f->o->reqin_new_tid)
        return 1;
    if (!pkixcmp_msg_set1_transaction_id(in, pkixcmp_msg_get0_transaction_id(req))
        || (later && !pkixcmp_msg_set1_recip_nonce(in, pkixcmp_msg_get0_recip_nonce(req))))
        return 0;
    return f->o->unprotected_requests || pkixcmp_msg_protect(ctx, in);
}

/* A response from -rspin answers a request sent before: the client checks
 * it against a copy of req with that request's transactionID and nonce. */
static int adopt_rspin(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, const PKIXCMP_MSG *rsp)
{
    PKIXCMP_MSG *as_sent = pkixcmp_msg_dup(req);
    int ok = as_sent != NULL
        && pkixcmp_msg_set1_transaction_id(as_sent, pkixcmp_msg_get0_transaction_id(rsp))
        && pkixcmp_msg_set1_sender_nonce(as_sent, pkixcmp_msg_get0_recip_nonce(rsp))
        && pkixcmp_ctx_set1_sent_request(ctx, as_sent);

    pkixcmp_msg_free(as_sent);
    return ok;
}

PKIXCMP_MSG *app_files_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct app_files *f = arg;
    PKIXCMP_MSG *in = NULL, *rsp = NULL;
    const char *file;

    if (f->o->reqout_only != NULL) {
        /* build the first request, save it, and stop without a server */
        f->reqout_only_done = write_msg(f->o->reqout_only, req, "request");
        return NULL;
    }
    if ((file = next_file(f->reqout, &f->n_reqout)) != NULL && !write_msg(file, req, "request"))
        return NULL;
    if ((file = next_file(f->rspin, &f->n_rspin)) != NULL) {
        if ((rsp = read_msg(f, file, "response")) != NULL && !adopt_rspin(ctx, req, rsp)) {
            pkixcmp_msg_free(rsp);
            return NULL;
        }
    } else {
        if (f->rspin != NULL)
            app_warn(f->o, "too few -rspin filename arguments; resorting to contacting server");
        if (f->rspin == NULL && (file = next_file(f->reqin, &f->n_reqin)) != NULL) {
            if ((in = read_msg(f, file, "request")) == NULL || !adapt_reqin(f, ctx, in, req)
                || !pkixcmp_ctx_set1_sent_request(ctx, in)) {
                pkixcmp_msg_free(in);
                return NULL;
            }
        }
        rsp = f->next != NULL ? f->next(ctx, in != NULL ? in : req, f->next_arg)
            : pkixcmp_transfer_http(ctx, in != NULL ? in : req, NULL);
        pkixcmp_msg_free(in);
    }
    if (rsp != NULL && (file = next_file(f->rspout, &f->n_rspout)) != NULL
        && !write_msg(file, rsp, "response")) {
        pkixcmp_msg_free(rsp);
        return NULL;
    }
    return rsp;
}
