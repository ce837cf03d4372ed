/*
 * ctx.c - PKIXCMP_CTX: creation, setters and defaults.
 * Defaults follow `openssl cmp` where it has one (digest SHA256, MAC
 * hmac-sha1, 500 PBM iterations, 16-byte salt, pvno 2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include "ctx_local.h"

PKIXCMP_CTX *pkixcmp_ctx_new(OSSL_LIB_CTX *libctx, const char *propq)
{
    PKIXCMP_CTX *ctx = OPENSSL_zalloc(sizeof(*ctx));

    if (ctx == NULL)
        goto err;
    ctx->libctx = libctx;
    if ((propq != NULL && (ctx->propq = OPENSSL_strdup(propq)) == NULL)
        || (ctx->digest = OPENSSL_strdup("SHA256")) == NULL
        || (ctx->mac = OPENSSL_strdup("HMAC-SHA1")) == NULL)
        goto err;
    ctx->mac_type = PXC_MAC_PBM;
    ctx->pbm_iterations = 500;
    ctx->pbm_salt_len = 16;
    ctx->max_iterations = 100000;
    ctx->max_salt_len = 64;
    ctx->msg_time_skew = -1;
    ctx->pvno = 2;
    ctx->log_verbosity = PKIXCMP_LOG_INFO;
    ctx->cl.popo = 1;               /* signature POP */
    ctx->cl.revreason = -1;
    ctx->res.status = -1;
    return ctx;
err:
    PXC_ERR(PKIXCMP_E_MALLOC, "CMP context");
    pkixcmp_ctx_free(ctx);
    return NULL;
}

void pkixcmp_ctx_free(PKIXCMP_CTX *ctx)
{
    if (ctx == NULL)
        return;
    OPENSSL_free(ctx->propq);
    ASN1_OCTET_STRING_free(ctx->secret);
    ASN1_OCTET_STRING_free(ctx->reference);
    X509_free(ctx->cert);
    EVP_PKEY_free(ctx->pkey);
    sk_X509_pop_free(ctx->untrusted, X509_free);
    sk_X509_pop_free(ctx->extra_certs_out, X509_free);
    X509_STORE_free(ctx->trusted);
    X509_free(ctx->srvcert);
    X509_NAME_free(ctx->expected_sender);
    OPENSSL_free(ctx->digest);
    OPENSSL_free(ctx->mac);
    pxc_ctx_client_free(ctx);
    OPENSSL_free(ctx);
}

/* Replaces *dst with a copy of data (NULL clears). */
static int set1_octets(ASN1_OCTET_STRING **dst, const unsigned char *data, size_t len,
                       const char *what)
{
    ASN1_OCTET_STRING *s = NULL;

    if (data != NULL) {
        if (len > INT32_MAX || (s = ASN1_OCTET_STRING_new()) == NULL
            || !ASN1_OCTET_STRING_set(s, data, (int)len)) {
            ASN1_OCTET_STRING_free(s);
            PXC_ERR(PKIXCMP_E_MALLOC, "%s of %zu bytes", what, len);
            return 0;
        }
    }
    ASN1_OCTET_STRING_free(*dst);
    *dst = s;
    return 1;
}

int pkixcmp_ctx_set1_secret(PKIXCMP_CTX *ctx, const unsigned char *sec, size_t len)
{
    return set1_octets(&ctx->secret, sec, len, "secret");
}

int pkixcmp_ctx_set1_reference(PKIXCMP_CTX *ctx, const unsigned char *ref, size_t len)
{
    return set1_octets(&ctx->reference, ref, len, "reference");
}

/* Up-references cert into *dst (NULL clears). */
static int set1_cert(X509 **dst, X509 *cert)
{
    if (cert != NULL && !X509_up_ref(cert)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "certificate reference");
        return 0;
    }
    X509_free(*dst);
    *dst = cert;
    return 1;
}

int pkixcmp_ctx_set1_cert(PKIXCMP_CTX *ctx, X509 *cert)
{
    return set1_cert(&ctx->cert, cert);
}

int pkixcmp_ctx_set1_srvcert(PKIXCMP_CTX *ctx, X509 *cert)
{
    return set1_cert(&ctx->srvcert, cert);
}

int pkixcmp_ctx_set1_pkey(PKIXCMP_CTX *ctx, EVP_PKEY *pkey)
{
    if (pkey != NULL && !EVP_PKEY_up_ref(pkey)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "key reference");
        return 0;
    }
    EVP_PKEY_free(ctx->pkey);
    ctx->pkey = pkey;
    return 1;
}

/* Replaces *dst with a stack of up-referenced copies of certs (NULL clears). */
static int set1_certs(STACK_OF(X509) **dst, STACK_OF(X509) *certs)
{
    STACK_OF(X509) *dup = NULL;

    if (certs != NULL && (dup = X509_chain_up_ref(certs)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certificate list");
        return 0;
    }
    sk_X509_pop_free(*dst, X509_free);
    *dst = dup;
    return 1;
}

int pkixcmp_ctx_set1_untrusted(PKIXCMP_CTX *ctx, STACK_OF(X509) *certs)
{
    return set1_certs(&ctx->untrusted, certs);
}

int pkixcmp_ctx_set1_extra_certs_out(PKIXCMP_CTX *ctx, STACK_OF(X509) *certs)
{
    return set1_certs(&ctx->extra_certs_out, certs);
}

int pkixcmp_ctx_set1_trusted(PKIXCMP_CTX *ctx, X509_STORE *store)
{
    if (store != NULL && !X509_STORE_up_ref(store)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "trust store reference");
        return 0;
    }
    X509_STORE_free(ctx->trusted);
    ctx->trusted = store;
    return 1;
}

int pkixcmp_ctx_set1_expected_sender(PKIXCMP_CTX *ctx, const X509_NAME *name)
{
    X509_NAME *dup = NULL;

    if (name != NULL && (dup = X509_NAME_dup(name)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "expected sender name");
        return 0;
    }
    X509_NAME_free(ctx->expected_sender);
    ctx->expected_sender = dup;
    return 1;
}

/* Replaces *dst with a copy of name, which must be non-empty. */
static int set1_name(char **dst, const char *name, const char *what)
{
    char *dup;

    if (name == NULL || *name == '\0') {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "empty %s name", what);
        return 0;
    }
    if ((dup = OPENSSL_strdup(name)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s name", what);
        return 0;
    }
    OPENSSL_free(*dst);
    *dst = dup;
    return 1;
}

int pkixcmp_ctx_set1_digest(PKIXCMP_CTX *ctx, const char *name)
{
    return set1_name(&ctx->digest, name, "digest");
}

int pkixcmp_ctx_set1_mac(PKIXCMP_CTX *ctx, const char *name)
{
    return set1_name(&ctx->mac, name, "MAC");
}

/* Where an option lives and which values are valid; NULL if unknown. */
static long *opt_field(PKIXCMP_CTX *ctx, pkixcmp_opt opt, long *min, long *max)
{
    *min = 0;
    *max = 1; /* flags unless said otherwise */
    switch (opt) {
    case PKIXCMP_OPT_MAC_TYPE:
        return &ctx->mac_type;
    case PKIXCMP_OPT_PBM_ITERATIONS:
        *min = 1;
        *max = 10000000;
        return &ctx->pbm_iterations;
    case PKIXCMP_OPT_PBM_SALT_LEN:
        *min = 8;
        *max = 1024;
        return &ctx->pbm_salt_len;
    case PKIXCMP_OPT_MAX_ITERATIONS:
        *min = 1;
        *max = 100000000;
        return &ctx->max_iterations;
    case PKIXCMP_OPT_MAX_SALT_LEN:
        *min = 8;
        *max = 1L << 20;
        return &ctx->max_salt_len;
    case PKIXCMP_OPT_UNPROTECTED_ERRORS:
        return &ctx->unprotected_errors;
    case PKIXCMP_OPT_IGNORE_KEYUSAGE:
        return &ctx->ignore_keyusage;
    case PKIXCMP_OPT_REQUIRE_CMP_EKU:
        return &ctx->require_cmp_eku;
    case PKIXCMP_OPT_MSG_TIME_SKEW:
        *min = -1;
        *max = 0x7fffffffL;
        return &ctx->msg_time_skew;
    case PKIXCMP_OPT_PERMIT_TA_IN_EXTRACERTS_FOR_IR:
        return &ctx->permit_ta_in_extracerts_for_ir;
    case PKIXCMP_OPT_PVNO:
        *min = 2;
        *max = 3;
        return &ctx->pvno;
    case PKIXCMP_OPT_RFC9481_ONLY:
        return &ctx->rfc9481_only;
    case PKIXCMP_OPT_LOG_VERBOSITY:
        *min = 0;
        *max = 8;
        return &ctx->log_verbosity;
    case PKIXCMP_OPT_DAYS:
        *max = 3652425; /* 10000 years: past GeneralizedTime's range anyway */
        return &ctx->cl.days;
    case PKIXCMP_OPT_POPO_METHOD:
        *min = -1;
        *max = 3;
        return &ctx->cl.popo;
    case PKIXCMP_OPT_REVOCATION_REASON:
        /* CRLReason 0..10 without 7 (RFC 5280 5.3.1); -1 = none */
        *min = -1;
        *max = 10;
        return &ctx->cl.revreason;
    case PKIXCMP_OPT_IMPLICIT_CONFIRM:
        return &ctx->cl.implicit_confirm;
    case PKIXCMP_OPT_DISABLE_CONFIRM:
        return &ctx->cl.disable_confirm;
    case PKIXCMP_OPT_TOTAL_TIMEOUT:
        *max = 0x7fffffffL;
        return &ctx->cl.total_timeout;
    case PKIXCMP_OPT_UNPROTECTED_SEND:
        return &ctx->cl.unprotected_send;
    case PKIXCMP_OPT_SAN_NODEFAULT:
        return &ctx->cl.san_nodefault;
    case PKIXCMP_OPT_CERTREQID:
        *max = 0x7fffffffL;
        return &ctx->cl.cert_req_id;
    default:
        return NULL;
    }
}

int pkixcmp_ctx_set_option(PKIXCMP_CTX *ctx, pkixcmp_opt opt, long value)
{
    long min, max, *field = opt_field(ctx, opt, &min, &max);

    if (field == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "unknown option %d", (int)opt);
        return 0;
    }
    if (value < min || value > max) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "option %d: %ld is not in %ld..%ld",
                (int)opt, value, min, max);
        return 0;
    }
    if (opt == PKIXCMP_OPT_REVOCATION_REASON && value == 7) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "CRLReason 7 is not used (RFC 5280 5.3.1)");
        return 0;
    }
    *field = value;
    return 1;
}

long pkixcmp_ctx_get_option(const PKIXCMP_CTX *ctx, pkixcmp_opt opt)
{
    long min, max, *field = opt_field((PKIXCMP_CTX *)ctx, opt, &min, &max);

    return field != NULL ? *field : -1;
}

int pkixcmp_ctx_set_clock(PKIXCMP_CTX *ctx, time_t (*now)(void *arg), void *arg)
{
    ctx->now = now;
    ctx->now_arg = arg;
    return 1;
}

time_t pxc_ctx_now(const PKIXCMP_CTX *ctx)
{
    return ctx->now != NULL ? ctx->now(ctx->now_arg) : time(NULL);
}

int pkixcmp_ctx_set_log_cb(PKIXCMP_CTX *ctx, pkixcmp_log_fn *fn, void *arg)
{
    ctx->log_fn = fn;
    ctx->log_arg = arg;
    return 1;
}

static const char *level_name(int level)
{
    static const char *const names[] = {
        "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", "trace",
    };

    return level >= 0 && level <= 8 ? names[level] : "log";
}

void pxc_log(const PKIXCMP_CTX *ctx, int level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (level > ctx->log_verbosity)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (ctx->log_fn != NULL)
        ctx->log_fn(level, line, ctx->log_arg);
    else
        fprintf(stderr, "pkixcmp %s: %s\n", level_name(level), line);
}
