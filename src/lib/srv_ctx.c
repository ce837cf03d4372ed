/*
 * srv_ctx.c - PKIXCMP_SRV_CTX: creation, policy, limits, backend.
 * Defaults follow the openssl cmp mock server: every policy flag off.
 */
#include <string.h>
#include <openssl/crypto.h>
#include "srv_local.h"

#define SRV_DEFAULT_TXN_MAX 4096
#define SRV_DEFAULT_TXN_TTL 300

/* New transaction tables for the configured size and lifetime, replacing
 * (and dropping the transactions of) the old ones. */
static int reset_tables(PKIXCMP_SRV_CTX *srv, long max, long ttl)
{
    PXC_TXN_TABLE *txns = NULL;
    PXC_SRV_STATES *states = NULL;

    if ((txns = pxc_txn_table_new((size_t)max, ttl)) == NULL
        || (states = pxc_srv_states_new((size_t)max, ttl)) == NULL) {
        pxc_txn_table_free(txns);
        return 0;
    }
    pxc_txn_table_free(srv->txns);
    pxc_srv_states_free(srv->states);
    srv->txns = txns;
    srv->states = states;
    srv->txn_max = max;
    srv->txn_ttl = ttl;
    return 1;
}

PKIXCMP_SRV_CTX *pkixcmp_srv_ctx_new(OSSL_LIB_CTX *libctx, const char *propq)
{
    PKIXCMP_SRV_CTX *srv = OPENSSL_zalloc(sizeof(*srv));

    if (srv == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "server context");
        return NULL;
    }
    srv->max_msg_size = (long)PKIXCMP_DEFAULT_MAX_MSG_SIZE;
    if ((srv->cmp = pkixcmp_ctx_new(libctx, propq)) == NULL
        || !reset_tables(srv, SRV_DEFAULT_TXN_MAX, SRV_DEFAULT_TXN_TTL)) {
        pkixcmp_srv_ctx_free(srv);
        return NULL;
    }
    return srv;
}

void pkixcmp_srv_ctx_free(PKIXCMP_SRV_CTX *srv)
{
    if (srv == NULL)
        return;
    pxc_txn_table_free(srv->txns);
    pxc_srv_states_free(srv->states);
    X509_NAME_free(srv->sender);
    pkixcmp_ctx_free(srv->cmp);
    OPENSSL_free(srv);
}

PKIXCMP_CTX *pkixcmp_srv_ctx_get0_cmp_ctx(PKIXCMP_SRV_CTX *srv)
{
    return srv->cmp;
}

int pkixcmp_srv_ctx_set1_sender(PKIXCMP_SRV_CTX *srv, const X509_NAME *name)
{
    X509_NAME *dup = NULL;

    if (name != NULL && (dup = X509_NAME_dup(name)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "server sender name");
        return 0;
    }
    X509_NAME_free(srv->sender);
    srv->sender = dup;
    return 1;
}

/* The field of a 0/1 policy flag, NULL for other options. */
static long *flag_field(PKIXCMP_SRV_CTX *srv, pkixcmp_srv_opt opt)
{
    switch (opt) {
    case PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED:
        return &srv->accept_unprotected;
    case PKIXCMP_SRV_OPT_ACCEPT_UNPROT_ERR:
        return &srv->accept_unprot_err;
    case PKIXCMP_SRV_OPT_ACCEPT_RAVERIFIED:
        return &srv->accept_raverified;
    case PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM:
        return &srv->grant_implicit_confirm;
    case PKIXCMP_SRV_OPT_SEND_UNPROTECTED:
        return &srv->send_unprotected;
    case PKIXCMP_SRV_OPT_SEND_UNPROT_ERR:
        return &srv->send_unprot_err;
    default:
        return NULL;
    }
}

int pkixcmp_srv_ctx_set_option(PKIXCMP_SRV_CTX *srv, pkixcmp_srv_opt opt, long value)
{
    long *flag = flag_field(srv, opt);

    if (flag != NULL) {
        if (value != 0 && value != 1)
            goto bad;
        *flag = value;
        return 1;
    }
    switch (opt) {
    case PKIXCMP_SRV_OPT_TXN_MAX:
        if (value < 1 || (unsigned long)value > PXC_TXN_MAX_ENTRIES)
            goto bad;
        return reset_tables(srv, value, srv->txn_ttl);
    case PKIXCMP_SRV_OPT_TXN_TTL:
        if (value < 1)
            goto bad;
        return reset_tables(srv, srv->txn_max, value);
    case PKIXCMP_SRV_OPT_MAX_MSG_SIZE:
        if (value < 1)
            goto bad;
        srv->max_msg_size = value;
        return 1;
    default:
        break;
    }
bad:
    PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "server option %d: value %ld out of range", (int)opt, value);
    return 0;
}

long pkixcmp_srv_ctx_get_option(const PKIXCMP_SRV_CTX *srv, pkixcmp_srv_opt opt)
{
    long *flag = flag_field((PKIXCMP_SRV_CTX *)srv, opt);

    if (flag != NULL)
        return *flag;
    switch (opt) {
    case PKIXCMP_SRV_OPT_TXN_MAX:
        return srv->txn_max;
    case PKIXCMP_SRV_OPT_TXN_TTL:
        return srv->txn_ttl;
    case PKIXCMP_SRV_OPT_MAX_MSG_SIZE:
        return srv->max_msg_size;
    default:
        return -1;
    }
}

int pxc_srv_ctx_set_backend(PKIXCMP_SRV_CTX *srv, const PXC_SRV_BACKEND *be, void *arg)
{
    if (be != NULL && be->size < offsetof(PXC_SRV_BACKEND, cert_request)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "backend struct of %zu bytes", be->size);
        return 0;
    }
    srv->be = be;
    srv->be_arg = be != NULL ? arg : NULL;
    return 1;
}

size_t pxc_srv_ctx_open_txns(PKIXCMP_SRV_CTX *srv)
{
    return pxc_txn_count(srv->txns);
}
