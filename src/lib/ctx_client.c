/*
 * ctx_client.c - the client parts of PKIXCMP_CTX: what goes into requests
 * (client.h setters) and the results of the last transaction (getters).
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <pkixcmp/http.h>
#include "ctx_local.h"

static int set1_name(X509_NAME **dst, const X509_NAME *name, const char *what)
{
    X509_NAME *n = NULL;

    if (name != NULL && (n = X509_NAME_dup(name)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s", what);
        return 0;
    }
    X509_NAME_free(*dst);
    *dst = n;
    return 1;
}

int pkixcmp_ctx_set1_subject(PKIXCMP_CTX *ctx, const X509_NAME *name)
{
    return set1_name(&ctx->cl.subject, name, "subject");
}

int pkixcmp_ctx_set1_issuer(PKIXCMP_CTX *ctx, const X509_NAME *name)
{
    return set1_name(&ctx->cl.issuer, name, "issuer");
}

int pkixcmp_ctx_set1_recipient(PKIXCMP_CTX *ctx, const X509_NAME *name)
{
    return set1_name(&ctx->cl.recipient, name, "recipient");
}

int pkixcmp_ctx_set1_newkey(PKIXCMP_CTX *ctx, EVP_PKEY *pkey)
{
    X509_PUBKEY *enc = NULL;

    /* encoded once here, not for every request (-repeat); a key that cannot
     * be encoded is left to each request, which reports it */
    ERR_set_mark();
    if (pkey != NULL && !X509_PUBKEY_set(&enc, pkey))
        enc = NULL;
    ERR_pop_to_mark();
    if (pkey != NULL && !EVP_PKEY_up_ref(pkey)) {
        X509_PUBKEY_free(enc);
        return 0;
    }
    EVP_PKEY_free(ctx->cl.newkey);
    X509_PUBKEY_free(ctx->cl.newkey_enc);
    ctx->cl.newkey = pkey;
    ctx->cl.newkey_enc = enc;
    return 1;
}

EVP_PKEY *pkixcmp_ctx_get0_newkey(const PKIXCMP_CTX *ctx)
{
    return ctx->cl.newkey;
}

int pkixcmp_ctx_set1_oldcert(PKIXCMP_CTX *ctx, X509 *cert)
{
    if (cert != NULL && !X509_up_ref(cert))
        return 0;
    X509_free(ctx->cl.oldcert);
    ctx->cl.oldcert = cert;
    return 1;
}

int pkixcmp_ctx_set1_revoke_serial(PKIXCMP_CTX *ctx, const ASN1_INTEGER *serial)
{
    ASN1_INTEGER *dup = NULL;

    if (serial != NULL && (dup = ASN1_INTEGER_dup(serial)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "serial number");
        return 0;
    }
    ASN1_INTEGER_free(ctx->cl.revoke_serial);
    ctx->cl.revoke_serial = dup;
    return 1;
}

int pkixcmp_ctx_set1_p10csr(PKIXCMP_CTX *ctx, X509_REQ *csr)
{
    X509_REQ *dup = NULL;

    if (csr != NULL && (dup = X509_REQ_dup(csr)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CSR");
        return 0;
    }
    X509_REQ_free(ctx->cl.p10csr);
    ctx->cl.p10csr = dup;
    return 1;
}

int pkixcmp_ctx_set1_reqexts(PKIXCMP_CTX *ctx, const STACK_OF(X509_EXTENSION) *exts)
{
    STACK_OF(X509_EXTENSION) *dup = NULL;

    if (exts != NULL
        && (dup = sk_X509_EXTENSION_deep_copy(exts, X509_EXTENSION_dup,
                                              X509_EXTENSION_free)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "request extensions");
        return 0;
    }
    sk_X509_EXTENSION_pop_free(ctx->cl.reqexts, X509_EXTENSION_free);
    ctx->cl.reqexts = dup;
    return 1;
}

int pkixcmp_ctx_set1_out_trusted(PKIXCMP_CTX *ctx, X509_STORE *store)
{
    if (store != NULL && !X509_STORE_up_ref(store))
        return 0;
    X509_STORE_free(ctx->cl.out_trusted);
    ctx->cl.out_trusted = store;
    return 1;
}

/* Appends InfoTypeAndValue {type, value decoded from DER as ANY}. */
static int add_itav(STACK_OF(PKIXCMP_InfoTypeAndValue) **sk, const ASN1_OBJECT *type,
                    const unsigned char *der, size_t len)
{
    PKIXCMP_InfoTypeAndValue *itav = NULL;
    const unsigned char *p = der;
    int ret = 0;

    itav = (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    if (itav == NULL || type == NULL)
        goto fail;
    ASN1_OBJECT_free(itav->infoType);
    if ((itav->infoType = OBJ_dup(type)) == NULL)
        goto fail;
    if (der != NULL
        && (len > INT32_MAX || (itav->infoValue = d2i_ASN1_TYPE(NULL, &p, (long)len)) == NULL
            || p != der + len)) {
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "InfoTypeAndValue value is not one DER element (%zu bytes)", len);
        goto out;
    }
    if ((*sk == NULL && (*sk = sk_PKIXCMP_InfoTypeAndValue_new_null()) == NULL)
        || !sk_PKIXCMP_InfoTypeAndValue_push(*sk, itav))
        goto fail;
    itav = NULL; /* transferred */
    ret = 1;
    goto out;
fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "InfoTypeAndValue");
out:
    ASN1_item_free((ASN1_VALUE *)itav, ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    return ret;
}

int pkixcmp_ctx_add_genm_itav(PKIXCMP_CTX *ctx, const ASN1_OBJECT *type,
                              const unsigned char *value_der, size_t len)
{
    return add_itav(&ctx->cl.genm_itavs, type, value_der, len);
}

int pkixcmp_ctx_add_geninfo_itav(PKIXCMP_CTX *ctx, const ASN1_OBJECT *type,
                                 const unsigned char *value_der, size_t len)
{
    return add_itav(&ctx->cl.geninfo_itavs, type, value_der, len);
}

int pkixcmp_ctx_set_transfer_cb(PKIXCMP_CTX *ctx, pkixcmp_transfer_fn *fn, void *arg)
{
    ctx->cl.transfer = fn;
    ctx->cl.transfer_arg = arg;
    return 1;
}

int pkixcmp_ctx_set1_sent_request(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req)
{
    PKIXCMP_MSG *dup = NULL;

    if (req != NULL && (dup = pkixcmp_msg_dup(req)) == NULL)
        return 0;
    pkixcmp_msg_free(ctx->st.sent);
    ctx->st.sent = dup;
    return 1;
}

int pkixcmp_ctx_set_sleep_cb(PKIXCMP_CTX *ctx, void (*sleep_fn)(void *arg, long secs), void *arg)
{
    ctx->cl.sleep_fn = sleep_fn;
    ctx->cl.sleep_arg = arg;
    return 1;
}

static void itavs_free(STACK_OF(PKIXCMP_InfoTypeAndValue) *sk)
{
    int i;

    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(sk); i++)
        ASN1_item_free((ASN1_VALUE *)sk_PKIXCMP_InfoTypeAndValue_value(sk, i),
                       ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    sk_PKIXCMP_InfoTypeAndValue_free(sk);
}

void pxc_ctx_client_reset_results(PKIXCMP_CTX *ctx)
{
    struct pxc_client_result *r = &ctx->res;

    OPENSSL_free(r->status_text);
    X509_free(r->newcert);
    sk_X509_pop_free(r->newchain, X509_free);
    sk_X509_pop_free(r->capubs, X509_free);
    sk_X509_pop_free(r->extracerts_in, X509_free);
    X509_free(r->srvcert);
    pkixcmp_msg_free(r->last_rsp);
    memset(r, 0, sizeof(*r));
    r->status = -1;
}

void pxc_ctx_client_free(PKIXCMP_CTX *ctx)
{
    struct pxc_client_cfg *c = &ctx->cl;

    X509_NAME_free(c->subject);
    X509_NAME_free(c->issuer);
    X509_NAME_free(c->recipient);
    EVP_PKEY_free(c->newkey);
    X509_PUBKEY_free(c->newkey_enc);
    X509_free(c->oldcert);
    X509_REQ_free(c->p10csr);
    ASN1_INTEGER_free(c->revoke_serial);
    sk_X509_EXTENSION_pop_free(c->reqexts, X509_EXTENSION_free);
    X509_STORE_free(c->out_trusted);
    itavs_free(c->genm_itavs);
    itavs_free(c->geninfo_itavs);
    pkixcmp_http_free(ctx->http);
    pkixcmp_msg_free(ctx->st.sent);
    pxc_ctx_client_reset_results(ctx);
}

int pkixcmp_ctx_get_status(const PKIXCMP_CTX *ctx)
{
    return ctx->res.status;
}

unsigned long pkixcmp_ctx_get_failinfo(const PKIXCMP_CTX *ctx)
{
    return ctx->res.failinfo;
}

const char *pkixcmp_ctx_get0_status_text(const PKIXCMP_CTX *ctx)
{
    return ctx->res.status_text;
}

X509 *pkixcmp_ctx_get0_newcert(const PKIXCMP_CTX *ctx)
{
    return ctx->res.newcert;
}

STACK_OF(X509) *pkixcmp_ctx_get0_newchain(const PKIXCMP_CTX *ctx)
{
    return ctx->res.newchain;
}

STACK_OF(X509) *pkixcmp_ctx_get0_capubs(const PKIXCMP_CTX *ctx)
{
    return ctx->res.capubs;
}

STACK_OF(X509) *pkixcmp_ctx_get0_extracerts_in(const PKIXCMP_CTX *ctx)
{
    return ctx->res.extracerts_in;
}

X509 *pkixcmp_ctx_get0_validated_srvcert(const PKIXCMP_CTX *ctx)
{
    return ctx->res.srvcert;
}

const PKIXCMP_MSG *pkixcmp_ctx_get0_last_response(const PKIXCMP_CTX *ctx)
{
    return ctx->res.last_rsp;
}
