/*
 * client_http.c - the client's default transfer: HTTP(S) with libcurl
 * (RFC 9811) through the context's PKIXCMP_HTTP, which keeps its
 * connection across the messages and transactions of this context.
 */
#include <pkixcmp/http.h>
#include "client_local.h"

/* HTTP log lines go through the context's log, filtered by its verbosity. */
static void http_log(int level, const char *line, void *arg)
{
    pxc_log((const PKIXCMP_CTX *)arg, level, "%s", line);
}

PKIXCMP_HTTP *pkixcmp_ctx_get0_http(PKIXCMP_CTX *ctx)
{
    if (ctx->http == NULL) {
        if ((ctx->http = pkixcmp_http_new(ctx->libctx, ctx->propq)) == NULL)
            return NULL;
        if (ctx->now != NULL)
            (void)pkixcmp_http_set_clock(ctx->http, ctx->now, ctx->now_arg);
        (void)pkixcmp_http_set_log_cb(ctx->http, http_log, ctx);
    }
    return ctx->http;
}

PKIXCMP_MSG *pkixcmp_transfer_http(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    unsigned char *der = NULL, *rsp = NULL;
    size_t rsp_len = 0;
    PKIXCMP_MSG *msg = NULL;
    int len;

    (void)arg;
    if (ctx->http == NULL || pkixcmp_http_get0_url(ctx->http) == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "no server to send to (-server, or -use_mock_srv)");
        return NULL;
    }
    if ((len = pkixcmp_msg_encode(req, &der)) <= 0)
        return NULL;
    if (pkixcmp_http_transfer(ctx->http, der, (size_t)len, &rsp, &rsp_len, ctx->st.deadline))
        msg = pkixcmp_msg_decode(rsp, rsp_len, 0);
    OPENSSL_free(der);
    OPENSSL_free(rsp);
    return msg;
}
