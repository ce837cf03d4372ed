/* test_ctx.c - PKIXCMP_CTX defaults, option ranges, setters, clock, log. */
#include <openssl/err.h>
#include "ctx_local.h"
#include "tap.h"

static time_t fixed_clock(void *arg)
{
    return *(time_t *)arg;
}

static int log_calls, log_level;
static char log_line[256];

static void log_cb(int level, const char *line, void *arg)
{
    (void)arg;
    log_calls++;
    log_level = level;
    snprintf(log_line, sizeof(log_line), "%s", line);
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, "provider=default");
    time_t t = 1234567890;

    ok(ctx != NULL, "new context");
    is_str(ctx->propq, "provider=default", "property query kept");
    is_str(ctx->digest, "SHA256", "default digest SHA256 (as openssl cmp)");
    is_str(ctx->mac, "HMAC-SHA1", "default PBM MAC hmac-sha1 (as openssl cmp)");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS), 500, "default 500 iterations");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PBM_SALT_LEN), 16, "default salt of 16 bytes");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_MAC_TYPE), PXC_MAC_PBM, "default MAC is PBM");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PVNO), 2, "default pvno 2");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_MSG_TIME_SKEW), -1, "no time check by default");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_UNPROTECTED_ERRORS), 0,
           "unprotected errors refused by default");

    ok(pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS, 2047), "Insta's 2047 iterations");
    is_int(pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS), 2047, "iterations stored");
    ERR_clear_error();
    ok(!pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PVNO, 1)
       && pkixcmp_err_peek_last() == PKIXCMP_E_INVALID_ARGUMENT, "pvno 1 refused");
    ok(!pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_UNPROTECTED_ERRORS, 2), "flag 2 refused");
    ok(!pkixcmp_ctx_set_option(ctx, (pkixcmp_opt)999, 1), "unknown option refused");
    is_int(pkixcmp_ctx_get_option(ctx, (pkixcmp_opt)999), -1, "unknown option reads -1");
    ERR_clear_error();

    ok(pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"s3cr3t", 6)
       && ASN1_STRING_length(ctx->secret) == 6, "secret set");
    ok(pkixcmp_ctx_set1_secret(ctx, NULL, 0) && ctx->secret == NULL, "secret cleared");
    ok(!pkixcmp_ctx_set1_digest(ctx, "") && pkixcmp_err_peek_last() == PKIXCMP_E_INVALID_ARGUMENT,
       "empty digest name refused");
    ERR_clear_error();

    ok(pxc_ctx_now(ctx) > 1700000000, "system clock by default");
    pkixcmp_ctx_set_clock(ctx, fixed_clock, &t);
    is_int(pxc_ctx_now(ctx), 1234567890, "injected clock");
    pkixcmp_ctx_set_clock(ctx, NULL, NULL);
    ok(pxc_ctx_now(ctx) > 1700000000, "system clock restored");

    pkixcmp_ctx_set_log_cb(ctx, log_cb, NULL);
    pxc_log(ctx, PKIXCMP_LOG_WARNING, "hello %d", 42);
    ok(log_calls == 1 && log_level == PKIXCMP_LOG_WARNING && strcmp(log_line, "hello 42") == 0,
       "log line reaches the callback");
    pxc_log(ctx, PKIXCMP_LOG_DEBUG, "not shown");
    is_int(log_calls, 1, "debug is above the default verbosity");
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, 7);
    pxc_log(ctx, PKIXCMP_LOG_DEBUG, "shown");
    is_int(log_calls, 2, "debug shown at verbosity 7");

    pkixcmp_ctx_free(ctx);
    pkixcmp_ctx_free(NULL);
    ok(1, "free(NULL) is a no-op");
    return tap_done();
}
