/*
 * mockca.c - PXC_MOCKCA: creation, configuration and getters (see
 * mockca.h). Issuance is in mockca_issue.c, the registry in mockca_reg.c,
 * general messages in mockca_genm.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "mockca_local.h"
#include "spki.h"

PXC_MOCKCA *pxc_mockca_new(OSSL_LIB_CTX *libctx, const char *propq)
{
    PXC_MOCKCA *ca = OPENSSL_zalloc(sizeof(*ca));

    if (ca == NULL)
        goto err;
    ca->libctx = libctx;
    if (propq != NULL && (ca->propq = OPENSSL_strdup(propq)) == NULL)
        goto err;
    ca->days = PXC_MOCKCA_DEFAULT_DAYS;
    ca->max = PXC_MOCKCA_DEFAULT_MAX_ENTRIES;
    if (!pxc_mockca_reg_init(ca))
        goto err;
    return ca;
err:
    PXC_ERR(PKIXCMP_E_MALLOC, "mock CA");
    pxc_mockca_free(ca);
    return NULL;
}

void pxc_mockca_free(PXC_MOCKCA *ca)
{
    if (ca == NULL)
        return;
    pxc_mockca_reg_cleanup(ca);
    OPENSSL_free(ca->propq);
    X509_free(ca->cacert);
    EVP_PKEY_free(ca->cakey);
    sk_X509_pop_free(ca->chain, X509_free);
    sk_X509_pop_free(ca->ca_certs, X509_free);
    ASN1_OCTET_STRING_free(ca->ca_keyid);
    X509_free(ca->rsp_cert);
    X509_free(ca->ref_cert);
    sk_X509_pop_free(ca->rsp_extracerts, X509_free);
    sk_X509_pop_free(ca->rsp_capubs, X509_free);
    X509_CRL_free(ca->rsp_crl);
    X509_free(ca->newwithnew);
    X509_free(ca->newwithold);
    X509_free(ca->oldwithnew);
    ASN1_item_free((ASN1_VALUE *)ca->certreq_template,
                   ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent));
    OPENSSL_free(ca->digest);
    EVP_MD_CTX_free(ca->sign_tmpl);
    OPENSSL_free(ca);
}

void pxc_mockca_why(char *why, size_t why_len, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || why_len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(why, why_len, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------ configuration */

/* Replaces *dst with an up-reference of cert (NULL clears). */
static int set1_cert(X509 **dst, X509 *cert)
{
    if (cert != NULL && !X509_up_ref(cert)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot up-reference a certificate");
        return 0;
    }
    X509_free(*dst);
    *dst = cert;
    return 1;
}

/* Replaces *dst with a copy of certs whose certificates are up-referenced
 * (NULL clears). */
static int set1_certs(STACK_OF(X509) **dst, STACK_OF(X509) *certs, const char *what)
{
    STACK_OF(X509) *copy = NULL;

    if (certs != NULL && (copy = X509_chain_up_ref(certs)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s", what);
        return 0;
    }
    sk_X509_pop_free(*dst, X509_free);
    *dst = copy;
    return 1;
}

int pxc_mockca_set1_ca(PXC_MOCKCA *ca, X509 *cacert, EVP_PKEY *cakey,
                       STACK_OF(X509) *chain)
{
    STACK_OF(X509) *all = NULL, *chain_copy = NULL;
    X509 *decoded = NULL;
    const ASN1_OCTET_STRING *skid;
    ASN1_OCTET_STRING *keyid = NULL;
    int ret = 0;

    if (cacert == NULL || cakey == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "mock CA needs a certificate and a key");
        goto out;
    }
    /* one issued here knows its key by DER only (spki.h) */
    if ((decoded = pxc_spki_cert_decoded(cacert)) == NULL)
        goto oom;
    cacert = decoded;
    if (!X509_check_private_key(cacert, cakey)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "mock CA key does not match its certificate");
        goto out;
    }
    /* Whatever OpenSSL computes and caches on first use (extensions, the
     * name's encoding) is computed here, before issuing threads share
     * cacert; the AKID keyIdentifier is the CA's SKID, or computed as our
     * SKIDs are. */
    if (i2d_X509_NAME(X509_get_subject_name(cacert), NULL) <= 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "mock CA certificate subject cannot be encoded");
        goto out;
    }
    skid = X509_get0_subject_key_id(cacert);
    keyid = skid != NULL ? ASN1_OCTET_STRING_dup(skid)
                         : pxc_mockca_key_id(ca, X509_get_X509_PUBKEY(cacert));
    if (keyid == NULL)
        goto oom;
    if ((all = sk_X509_new_null()) == NULL
        || !X509_add_cert(all, cacert, X509_ADD_FLAG_UP_REF)
        || !X509_add_certs(all, chain, X509_ADD_FLAG_UP_REF))
        goto oom;
    if (chain != NULL && (chain_copy = X509_chain_up_ref(chain)) == NULL)
        goto oom;
    if (!EVP_PKEY_up_ref(cakey))
        goto oom;
    X509_free(ca->cacert);
    ca->cacert = cacert;
    decoded = NULL; /* transferred */
    EVP_PKEY_free(ca->cakey);
    ca->cakey = cakey;
    sk_X509_pop_free(ca->chain, X509_free);
    ca->chain = chain_copy;
    chain_copy = NULL; /* transferred */
    sk_X509_pop_free(ca->ca_certs, X509_free);
    ca->ca_certs = all;
    all = NULL; /* transferred */
    ASN1_OCTET_STRING_free(ca->ca_keyid);
    ca->ca_keyid = keyid;
    keyid = NULL; /* transferred */
    pxc_mockca_prepare_signer(ca);
    ret = 1;
    goto out;
oom:
    PXC_ERR(PKIXCMP_E_MALLOC, "mock CA certificates");
out:
    sk_X509_pop_free(all, X509_free);
    sk_X509_pop_free(chain_copy, X509_free);
    ASN1_OCTET_STRING_free(keyid);
    X509_free(decoded);
    return ret;
}

int pxc_mockca_set1_rsp_cert(PXC_MOCKCA *ca, X509 *cert)
{
    return set1_cert(&ca->rsp_cert, cert);
}

int pxc_mockca_set1_ref_cert(PXC_MOCKCA *ca, X509 *cert)
{
    return set1_cert(&ca->ref_cert, cert);
}

int pxc_mockca_set1_rsp_extracerts(PXC_MOCKCA *ca, STACK_OF(X509) *certs)
{
    return set1_certs(&ca->rsp_extracerts, certs, "mock CA extraCerts");
}

int pxc_mockca_set1_rsp_capubs(PXC_MOCKCA *ca, STACK_OF(X509) *certs)
{
    return set1_certs(&ca->rsp_capubs, certs, "mock CA caPubs");
}

int pxc_mockca_set1_rsp_crl(PXC_MOCKCA *ca, X509_CRL *crl)
{
    if (crl != NULL && !X509_CRL_up_ref(crl)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot up-reference a CRL");
        return 0;
    }
    X509_CRL_free(ca->rsp_crl);
    ca->rsp_crl = crl;
    return 1;
}

int pxc_mockca_set1_newwithnew(PXC_MOCKCA *ca, X509 *cert)
{
    return set1_cert(&ca->newwithnew, cert);
}

int pxc_mockca_set1_newwithold(PXC_MOCKCA *ca, X509 *cert)
{
    return set1_cert(&ca->newwithold, cert);
}

int pxc_mockca_set1_oldwithnew(PXC_MOCKCA *ca, X509 *cert)
{
    return set1_cert(&ca->oldwithnew, cert);
}

int pxc_mockca_set1_certreq_template(PXC_MOCKCA *ca, const PKIXCMP_CertReqTemplateContent *t)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent);
    PKIXCMP_CertReqTemplateContent *copy = NULL;

    if (t != NULL && (copy = ASN1_item_dup(it, t)) == NULL) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "certReqTemplate cannot be copied");
        return 0;
    }
    ASN1_item_free((ASN1_VALUE *)ca->certreq_template, it);
    ca->certreq_template = copy;
    return 1;
}

int pxc_mockca_set_days(PXC_MOCKCA *ca, int days)
{
    if (days < 1 || days > 36500) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "validity of %d days (1 to 36500)", days);
        return 0;
    }
    ca->days = days;
    return 1;
}

int pxc_mockca_set_digest(PXC_MOCKCA *ca, const char *mdname)
{
    EVP_MD *md = NULL;
    char *copy = NULL;
    int ret = 0;

    if (mdname != NULL) {
        if ((md = EVP_MD_fetch(ca->libctx, mdname, ca->propq)) == NULL) {
            PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "unknown digest \"%s\"", mdname);
            goto out;
        }
        if ((copy = OPENSSL_strdup(mdname)) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "digest name");
            goto out;
        }
    }
    OPENSSL_free(ca->digest);
    ca->digest = copy;
    pxc_mockca_prepare_signer(ca);
    ret = 1;
out:
    EVP_MD_free(md);
    return ret;
}

void pxc_mockca_set_allow_ca(PXC_MOCKCA *ca, int allow)
{
    ca->allow_ca = allow != 0;
}

int pxc_mockca_set_max_entries(PXC_MOCKCA *ca, size_t max)
{
    if (max < 1 || max > PXC_MOCKCA_MAX_ENTRIES_LIMIT) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "registry size %zu (1 to %zu)", max,
                PXC_MOCKCA_MAX_ENTRIES_LIMIT);
        return 0;
    }
    return pxc_mockca_reg_shrink(ca, max);
}

/* ------------------------------------------------------------ getters */

X509 *pxc_mockca_get0_cacert(const PXC_MOCKCA *ca)
{
    return ca->cacert;
}

X509 *pxc_mockca_get0_rsp_cert(const PXC_MOCKCA *ca)
{
    return ca->rsp_cert;
}

STACK_OF(X509) *pxc_mockca_get0_extracerts(const PXC_MOCKCA *ca)
{
    return ca->rsp_extracerts != NULL ? ca->rsp_extracerts : ca->ca_certs;
}

STACK_OF(X509) *pxc_mockca_get0_capubs(const PXC_MOCKCA *ca)
{
    return ca->rsp_capubs;
}
