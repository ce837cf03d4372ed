/*
 * client_run.h - the client job of the CLI, split by concern: setting up
 * the context (client_setup.c), message files (client_files.c), running
 * and saving results (client_run.c), and the mock server (server_run.c).
 */
#ifndef PKIXCMP_APPS_CLIENT_RUN_H
#define PKIXCMP_APPS_CLIENT_RUN_H

#include <pkixcmp/pkixcmp.h>
#include "apps.h"

/* Configures ctx from the options: credentials, trust, request contents,
 * and with -server the HTTP(S) transfer. */
int app_client_setup(struct cmp_opts *o, PKIXCMP_CTX *ctx);

/* The message-file options (-reqin, -reqout, -rspin, -rspout,
 * -reqout_only) as a transfer callback wrapping next (NULL: HTTP). */
struct app_files;
struct app_files *app_files_new(const struct cmp_opts *o, pkixcmp_transfer_fn *next, void *next_arg);
void app_files_free(struct app_files *f);
PKIXCMP_MSG *app_files_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg);
/* Whether -reqout_only has written its request (the run then succeeds). */
int app_files_reqout_only_done(const struct app_files *f);

/*
 * The in-process mock server of -use_mock_srv: *fn and *arg become the
 * transfer to it; app_mock_free() releases it. And the HTTP mock server of
 * -port. Both take the -srv_* and -rsp_* options (server_run.c; the mock setup in server_mock.c).
 */
int app_mock_new(struct cmp_opts *o, pkixcmp_transfer_fn **fn, void **arg);
void app_mock_free(void *arg);
int run_server(struct cmp_opts *o);

#endif
