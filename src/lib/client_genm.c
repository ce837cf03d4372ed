/*
 * client_genm.c - typed general messages of the client (RFC 9810 5.3.19,
 * RFC 9483 4.3): the root CA key update (4.3.2), the certificate request
 * template (4.3.3) and the CRL update (4.3.4).
 *
 * Each runs one genm carrying one InfoTypeAndValue (instead of those
 * configured with pkixcmp_ctx_add_genm_itav), takes the first answer of the
 * expected id-it from the genp, decodes it as its ASN.1 type (DER only) and
 * checks it before handing it out.
 *
 *   request (GenMsg)                    answer (GenRep)
 *   id-it-rootCaCert (20), old root     id-it-rootCaKeyUpdate (18)
 *   id-it-certReqTemplate (19), absent  id-it-certReqTemplate (19)
 *   id-it-crlStatusList (22)            id-it-crls (23)
 *
 * OpenSSL 3.0 has no NIDs for id-it 20..24: the OIDs are made from their
 * numeric form.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include "client_local.h"
#include "typed_oid.h"

/* id-it numbers (RFC 9810 5.3.19) */
#define IT_ROOT_CA_KEY_UPDATE 18
#define IT_CERT_REQ_TEMPLATE 19
#define IT_ROOT_CA_CERT 20
#define IT_CRL_STATUS_LIST 22
#define IT_CRLS 23

/* CRLSource arms: their index in the template (asn1_cmp.c) */
#define CRLSOURCE_DPN 0
#define CRLSOURCE_ISSUER 1

/* ------------------------------------------------------------- common */

/* id-it n (1.3.6.1.5.5.7.4.n) as a new object, NULL if out of memory. */
static ASN1_OBJECT *id_it(int n)
{
    char txt[32];

    snprintf(txt, sizeof(txt), "1.3.6.1.5.5.7.4.%d", n);
    return OBJ_txt2obj(txt, 1);
}

/* The name of an InfoTypeAndValue type ("id-it-crls"), else its dotted
 * form, in buf. */
static const char *type_text(const ASN1_OBJECT *type, char *buf, size_t size)
{
    const PXC_TYPED_OID *row = pxc_itav_lookup(type);

    if (row != NULL)
        snprintf(buf, size, "%s", row->name);
    else if (OBJ_obj2txt(buf, (int)size, type, 1) <= 0)
        snprintf(buf, size, "(unprintable OID)");
    return buf;
}

/* The types of the genp's InfoTypeAndValues, comma separated, in buf. */
static const char *genp_types(const PKIXCMP_GenRepContent *genp, char *buf, size_t size)
{
    size_t pos = 0;
    char one[80];
    int i, n;

    buf[0] = '\0';
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(genp) && pos < size; i++) {
        n = snprintf(buf + pos, size - pos, "%s%s", i > 0 ? ", " : "",
                     type_text(sk_PKIXCMP_InfoTypeAndValue_value(genp, i)->infoType, one,
                               sizeof(one)));
        if (n < 0)
            break;
        pos += (size_t)n;
    }
    return i == 0 ? "nothing" : buf;
}

/*
 * The value of the first InfoTypeAndValue of type want in the last
 * response (a genp answering a genm of type asked), decoded: *out, or
 * NULL when the value is absent.
 */
static int take_answer(PKIXCMP_CTX *ctx, const ASN1_OBJECT *asked, const ASN1_OBJECT *want,
                       ASN1_VALUE **out)
{
    const PKIXCMP_GenRepContent *genp = ctx->res.last_rsp->body->value.genp;
    const PXC_TYPED_OID *row = pxc_itav_lookup(want);
    const PKIXCMP_InfoTypeAndValue *itav = NULL, *echo = NULL;
    char a[64], list[256];
    int i, n = sk_PKIXCMP_InfoTypeAndValue_num(genp);

    for (i = 0; i < n && itav == NULL; i++) {
        const PKIXCMP_InfoTypeAndValue *t = sk_PKIXCMP_InfoTypeAndValue_value(genp, i);

        if (OBJ_cmp(t->infoType, want) == 0)
            itav = t;
        else if (OBJ_cmp(t->infoType, asked) == 0)
            echo = t;
    }
    if (itav == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "genp answering genm %s has no %s but %s%s",
                type_text(asked, a, sizeof(a)), row->name, genp_types(genp, list, sizeof(list)),
                echo != NULL ? " (the request echoed: the server does not support it)" : "");
        return 0;
    }
    if (n > 1)
        pxc_log(ctx, PKIXCMP_LOG_WARNING, "genp has %d InfoTypeAndValues (%s); using the first %s",
                n, genp_types(genp, list, sizeof(list)), row->name);
    if (itav->infoValue == NULL)
        return 1;
    *out = pxc_typed_value_decode(row, itav->infoValue, "genp");
    return *out != NULL;
}

/*
 * Runs a genm with the one InfoTypeAndValue {id-it req, value of type it
 * (NULL: absent)} instead of the configured ones (which are kept for later
 * transactions), and takes the answer of type id-it rsp: *out is its
 * decoded value (free with ASN1_item_free and the item of id-it rsp in
 * typed_oid.c), or NULL when the server sent it without a value.
 */
static int genm_typed(PKIXCMP_CTX *ctx, int req, const ASN1_ITEM *it, const void *value, int rsp,
                      ASN1_VALUE **out)
{
    STACK_OF(PKIXCMP_InfoTypeAndValue) *saved = ctx->cl.genm_itavs;
    ASN1_OBJECT *req_oid = id_it(req), *rsp_oid = id_it(rsp);
    unsigned char *der = NULL;
    int len = 0, ok, ret = 0;

    *out = NULL;
    if (req_oid == NULL || rsp_oid == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "id-it OID");
        goto out;
    }
    if (value != NULL && (len = ASN1_item_i2d((const ASN1_VALUE *)value, &der, it)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "genm id-it %d: the %s cannot be encoded", req,
                pxc_item_name(it));
        goto out;
    }
    ctx->cl.genm_itavs = NULL;
    ok = pkixcmp_ctx_add_genm_itav(ctx, req_oid, der, (size_t)len) && pkixcmp_exec_genm(ctx);
    ASN1_item_free((ASN1_VALUE *)ctx->cl.genm_itavs, ASN1_ITEM_rptr(PKIXCMP_GenMsgContent));
    ctx->cl.genm_itavs = saved;
    ret = ok && take_answer(ctx, req_oid, rsp_oid, out);
out:
    OPENSSL_free(der);
    ASN1_OBJECT_free(req_oid);
    ASN1_OBJECT_free(rsp_oid);
    return ret;
}

int pkixcmp_ctx_clear_genm_itavs(PKIXCMP_CTX *ctx)
{
    if (ctx == NULL)
        return 0;
    ASN1_item_free((ASN1_VALUE *)ctx->cl.genm_itavs, ASN1_ITEM_rptr(PKIXCMP_GenMsgContent));
    ctx->cl.genm_itavs = NULL;
    return 1;
}

/* A time as "2030-01-01 00:00:00Z" in buf. */
static const char *time_text(const ASN1_TIME *t, char *buf, size_t size)
{
    struct tm tm;

    if (t == NULL || !ASN1_TIME_to_tm(t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "(invalid time)");
    return buf;
}

/* ------------------------------------------------- root CA key update */

/* When certificates are checked: the context's clock when injected, else
 * the trust store's -attime, else now; 0 with -no_check_time. */
static int check_time_at(const PKIXCMP_CTX *ctx, time_t *when)
{
    const X509_VERIFY_PARAM *vpm = ctx->trusted != NULL ? X509_STORE_get0_param(ctx->trusted) : NULL;
    unsigned long flags = vpm != NULL ? X509_VERIFY_PARAM_get_flags(vpm) : 0;

    if ((flags & X509_V_FLAG_NO_CHECK_TIME) != 0)
        return 0;
    *when = ctx->now == NULL && (flags & X509_V_FLAG_USE_CHECK_TIME) != 0
        ? X509_VERIFY_PARAM_get_time(vpm) : pxc_ctx_now(ctx);
    return 1;
}

/* An expired certificate of the update is an error; one that is not yet
 * valid is announced ahead of its use and only logged. */
static int check_validity(const PKIXCMP_CTX *ctx, const X509 *cert, const char *desc)
{
    char t[40];
    time_t when;

    if (!check_time_at(ctx, &when))
        return 1;
    if (X509_cmp_time(X509_get0_notAfter(cert), &when) < 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: %s expired at %s", desc,
                time_text(X509_get0_notAfter(cert), t, sizeof(t)));
        return 0;
    }
    if (X509_cmp_time(X509_get0_notBefore(cert), &when) > 0)
        pxc_log(ctx, PKIXCMP_LOG_WARNING, "rootCaKeyUpdate: %s is valid only from %s", desc,
                time_text(X509_get0_notBefore(cert), t, sizeof(t)));
    return 1;
}

/* newWithNew, "the new root CA certificate": a CA certificate, self-issued
 * and self-signed. */
static int check_new_root(const PKIXCMP_CTX *ctx, X509 *nwn)
{
    char s[256], i[256];

    if (X509_NAME_cmp(X509_get_subject_name(nwn), X509_get_issuer_name(nwn)) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: newWithNew is not self-issued: "
                "subject %s, issuer %s", pxc_dn_text(X509_get_subject_name(nwn), s, sizeof(s)),
                pxc_dn_text(X509_get_issuer_name(nwn), i, sizeof(i)));
        return 0;
    }
    if (X509_verify(nwn, X509_get0_pubkey(nwn)) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: newWithNew is not self-signed: its "
                "signature does not verify with its own public key");
        return 0;
    }
    if (X509_check_ca(nwn) == 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: newWithNew is not a CA certificate");
        return 0;
    }
    return check_validity(ctx, nwn, "newWithNew");
}

/*
 * A link certificate (RFC 9810 5.3.19.15, RootCaKeyUpdateContent):
 * newWithOld "containing the new public root CA key signed with the old
 * private root CA key", oldWithNew the reverse. cert must be issued by
 * signer (name and signature) and certify the subject and public key of
 * holder (NULL: not checked).
 */
static int check_link(const PKIXCMP_CTX *ctx, X509 *cert, const char *desc, X509 *signer,
                      const char *signer_desc, const X509 *holder, const char *holder_desc)
{
    char a[256], b[256];

    if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(signer)) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: the issuer of %s (%s) is not the "
                "subject of %s (%s)", desc, pxc_dn_text(X509_get_issuer_name(cert), a, sizeof(a)),
                signer_desc, pxc_dn_text(X509_get_subject_name(signer), b, sizeof(b)));
        return 0;
    }
    if (X509_verify(cert, X509_get0_pubkey(signer)) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: the signature of %s does not verify "
                "with the public key of %s", desc, signer_desc);
        return 0;
    }
    if (holder == NULL)
        return check_validity(ctx, cert, desc);
    if (X509_NAME_cmp(X509_get_subject_name(cert), X509_get_subject_name(holder)) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: the subject of %s (%s) is not that of "
                "%s (%s)", desc, pxc_dn_text(X509_get_subject_name(cert), a, sizeof(a)),
                holder_desc, pxc_dn_text(X509_get_subject_name(holder), b, sizeof(b)));
        return 0;
    }
    if (EVP_PKEY_eq(X509_get0_pubkey(cert), X509_get0_pubkey(holder)) != 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: %s does not certify the public key of %s",
                desc, holder_desc);
        return 0;
    }
    return check_validity(ctx, cert, desc);
}

/*
 * Without oldWithOld the current root comes from the trust store: the
 * certificate that signed newWithOld or, when there is no newWithOld,
 * newWithNew itself if the store has it already. NULL with an error if
 * there is none (caller frees).
 */
static X509 *anchor_from_store(const PKIXCMP_CTX *ctx, X509 *nwn, X509 *nwo)
{
    STACK_OF(X509) *all = ctx->trusted != NULL ? X509_STORE_get1_all_certs(ctx->trusted) : NULL;
    X509 *ret = NULL;
    int i;

    ERR_set_mark(); /* the candidates that do not verify leave errors */
    for (i = 0; i < sk_X509_num(all) && ret == NULL; i++) {
        X509 *c = sk_X509_value(all, i);

        if (nwo != NULL ? X509_NAME_cmp(X509_get_issuer_name(nwo), X509_get_subject_name(c)) == 0
                              && X509_verify(nwo, X509_get0_pubkey(c)) == 1
                        : X509_cmp(c, nwn) == 0)
            ret = X509_up_ref(c) ? c : NULL;
    }
    ERR_pop_to_mark();
    if (ret == NULL)
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate: newWithNew cannot be validated: no old "
                "root CA certificate given and %s", ctx->trusted == NULL ? "no trust store"
                : nwo == NULL ? "no newWithOld, and the trust store does not have newWithNew"
                : "no certificate of the trust store signed newWithOld");
    sk_X509_pop_free(all, X509_free);
    return ret;
}

/*
 * RFC 9483 4.3.2: the EE validates the new root CA certificate with its
 * current trust anchor (old): newWithNew must be self-signed, newWithOld
 * must be signed by the old root and carry newWithNew's name and key, and
 * oldWithNew (if sent) must be signed by the new root and carry the old
 * root's name and key. newWithOld may only be missing when newWithNew is
 * the current trust anchor itself.
 */
static int check_root_update(const PKIXCMP_CTX *ctx, X509 *old, const PKIXCMP_RootCaKeyUpdateContent *u)
{
    X509 *anchor = old;
    int ret = 0;

    if (!check_new_root(ctx, u->newWithNew)
        || (anchor == NULL && (anchor = anchor_from_store(ctx, u->newWithNew, u->newWithOld)) == NULL))
        goto out;
    if (u->newWithOld == NULL && X509_cmp(anchor, u->newWithNew) != 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "rootCaKeyUpdate without newWithOld: newWithNew cannot be "
                "validated with the old root CA certificate");
        goto out;
    }
    if (u->newWithOld != NULL
        && !check_link(ctx, u->newWithOld, "newWithOld", anchor, "the old root CA certificate",
                       u->newWithNew, "newWithNew"))
        goto out;
    /* with newWithNew itself as the anchor, the old root is not known */
    if (u->oldWithNew != NULL
        && !check_link(ctx, u->oldWithNew, "oldWithNew", u->newWithNew, "newWithNew",
                       X509_cmp(anchor, u->newWithNew) != 0 ? anchor : NULL,
                       "the old root CA certificate"))
        goto out;
    ret = 1;
out:
    if (anchor != old)
        X509_free(anchor);
    return ret;
}

/* *dst = an up-reference of cert (NULL stays NULL); dst may be NULL. */
static int give_cert(X509 **dst, X509 *cert)
{
    if (dst == NULL || cert == NULL)
        return 1;
    if (!X509_up_ref(cert))
        return 0;
    *dst = cert;
    return 1;
}

int pkixcmp_exec_get_root_ca_update(PKIXCMP_CTX *ctx, X509 *oldWithOld, X509 **newWithNew,
                                    X509 **newWithOld, X509 **oldWithNew)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_RootCaKeyUpdateContent);
    PKIXCMP_RootCaKeyUpdateContent *upd = NULL;
    int ret = 0;

    if (newWithOld != NULL)
        *newWithOld = NULL;
    if (oldWithNew != NULL)
        *oldWithNew = NULL;
    if (ctx == NULL || newWithNew == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "get_root_ca_update needs a context and newWithNew");
        return 0;
    }
    *newWithNew = NULL;
    /* RFC 9810 5.3.19.15: GenMsg {id-it 20}, RootCaCertValue | < absent >;
     * GenRep {id-it 18}, RootCaKeyUpdateValue | < absent > */
    if (!genm_typed(ctx, IT_ROOT_CA_CERT, ASN1_ITEM_rptr(X509), oldWithOld, IT_ROOT_CA_KEY_UPDATE,
                    (ASN1_VALUE **)&upd))
        goto out;
    if (upd == NULL) { /* no update available */
        ret = 1;
        goto out;
    }
    if (!check_root_update(ctx, oldWithOld, upd))
        goto out;
    if (!give_cert(newWithNew, upd->newWithNew) || !give_cert(newWithOld, upd->newWithOld)
        || !give_cert(oldWithNew, upd->oldWithNew)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "rootCaKeyUpdate certificates");
        goto out;
    }
    ret = 1;
out:
    if (!ret) {
        X509_free(*newWithNew);
        *newWithNew = NULL;
        if (newWithOld != NULL) {
            X509_free(*newWithOld);
            *newWithOld = NULL;
        }
    }
    ASN1_item_free((ASN1_VALUE *)upd, it);
    return ret;
}

/* -------------------------------------------- certificate request template */

/* One keySpec entry: id-regCtrl-algId or id-regCtrl-rsaKeyLen decoded as
 * its type; other controls are passed on unchecked. */
static int check_key_spec_entry(const PKIXCMP_AttributeTypeAndValue *atav, int idx)
{
    const PXC_TYPED_OID *row = pxc_attr_lookup(atav->type);
    ASN1_VALUE *v = NULL;
    char where[48];
    int ret = 0;

    if (row == NULL || row->item == NULL)
        return 1;
    snprintf(where, sizeof(where), "certReqTemplate keySpec #%d", idx + 1);
    if ((v = pxc_typed_value_decode(row, atav->value, where)) == NULL)
        goto out;
    if (ASN1_ITEM_ptr(row->item) == ASN1_ITEM_rptr(ASN1_INTEGER)
        && ASN1_INTEGER_get((const ASN1_INTEGER *)v) < 1) {
        /* RsaKeyLenCtrl ::= INTEGER (1..MAX) */
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "%s %s: %ld is not a key length", where, row->name,
                ASN1_INTEGER_get((const ASN1_INTEGER *)v));
        goto out;
    }
    if (ASN1_ITEM_ptr(row->item) == ASN1_ITEM_rptr(X509_ALGOR)) {
        const ASN1_OBJECT *alg;
        int ptype;

        X509_ALGOR_get0(&alg, &ptype, NULL, (const X509_ALGOR *)v);
        /* RFC 9810 5.3.19.16: with id-ecPublicKey "the parameters identify
         * the elliptic curve" */
        if (OBJ_obj2nid(alg) == NID_X9_62_id_ecPublicKey && ptype != V_ASN1_OBJECT) {
            PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "%s %s: id-ecPublicKey without a named curve", where,
                    row->name);
            goto out;
        }
    }
    ret = 1;
out:
    ASN1_item_free(v, ASN1_ITEM_ptr(row->item));
    return ret;
}

static int check_template(const PKIXCMP_CertReqTemplateContent *t)
{
    int i;

    /* PKIXCMP-2023: "The SubjectPublicKeyInfo field in the certTemplate
     * MUST NOT be used." */
    if (t->certTemplate->publicKey != NULL) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "certReqTemplate: the certTemplate has a publicKey; "
                "supported key types belong in keySpec");
        return 0;
    }
    /* Controls ::= SEQUENCE SIZE (1..MAX) OF AttributeTypeAndValue */
    if (t->keySpec != NULL && sk_PKIXCMP_AttributeTypeAndValue_num(t->keySpec) < 1) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "certReqTemplate: keySpec is an empty list");
        return 0;
    }
    for (i = 0; i < sk_PKIXCMP_AttributeTypeAndValue_num(t->keySpec); i++)
        if (!check_key_spec_entry(sk_PKIXCMP_AttributeTypeAndValue_value(t->keySpec, i), i))
            return 0;
    return 1;
}

/* The DER of value into *der and *len (value NULL: NULL and 0). */
static int to_der(const ASN1_VALUE *value, const ASN1_ITEM *it, unsigned char **der, size_t *len)
{
    int n;

    *der = NULL;
    *len = 0;
    if (value == NULL)
        return 1;
    if ((n = ASN1_item_i2d(value, der, it)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "%s", pxc_item_name(it));
        return 0;
    }
    *len = (size_t)n;
    return 1;
}

int pkixcmp_exec_get_cert_req_template(PKIXCMP_CTX *ctx, unsigned char **template_der,
                                       size_t *template_len, unsigned char **keyspec_der,
                                       size_t *keyspec_len)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent);
    PKIXCMP_CertReqTemplateContent *t = NULL;
    int ret = 0;

    if (keyspec_der != NULL)
        *keyspec_der = NULL;
    if (keyspec_len != NULL)
        *keyspec_len = 0;
    if (ctx == NULL || template_der == NULL || template_len == NULL
        || (keyspec_der == NULL) != (keyspec_len == NULL)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "get_cert_req_template needs a context, the template "
                "outputs, and both or none of the keySpec outputs");
        return 0;
    }
    *template_der = NULL;
    *template_len = 0;
    /* RFC 9810 5.3.19.16: GenMsg {id-it 19}, < absent >;
     * GenRep {id-it 19}, CertReqTemplateContent | < absent > */
    if (!genm_typed(ctx, IT_CERT_REQ_TEMPLATE, NULL, NULL, IT_CERT_REQ_TEMPLATE, (ASN1_VALUE **)&t))
        goto out;
    if (t == NULL) { /* no template available */
        ret = 1;
        goto out;
    }
    if (!check_template(t)
        || !to_der((ASN1_VALUE *)t->certTemplate, ASN1_ITEM_rptr(PKIXCMP_CertTemplate),
                   template_der, template_len)
        || (keyspec_der != NULL
            && !to_der((ASN1_VALUE *)t->keySpec, ASN1_ITEM_rptr(PKIXCMP_Controls), keyspec_der,
                       keyspec_len)))
        goto out;
    ret = 1;
out:
    if (!ret) {
        OPENSSL_free(*template_der);
        *template_der = NULL;
        *template_len = 0;
    }
    ASN1_item_free((ASN1_VALUE *)t, it);
    return ret;
}

/* --------------------------------------------------------- CRL update */

/* The distributionPoint of crl's issuingDistributionPoint extension: a
 * copy, NULL if there is none; *err if the extension is malformed. */
static DIST_POINT_NAME *crl_idp_name(const X509_CRL *crl, int *err)
{
    ISSUING_DIST_POINT *idp;
    DIST_POINT_NAME *ret = NULL;
    int crit;

    idp = X509_CRL_get_ext_d2i(crl, NID_issuing_distribution_point, &crit, NULL);
    if (idp == NULL && crit != -1) { /* -1: absent */
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "crlStatusList: the CRL's issuingDistributionPoint "
                "cannot be decoded");
        *err = 1;
    }
    if (idp != NULL && idp->distpoint != NULL
        && (ret = ASN1_item_dup(ASN1_ITEM_rptr(DIST_POINT_NAME), idp->distpoint)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "DistributionPointName");
        *err = 1;
    }
    ISSUING_DIST_POINT_free(idp);
    return ret;
}

/* The distributionPoint of the first crlDistributionPoints entry of cert
 * that has one: a copy, NULL if there is none; *err if the extension is
 * malformed. *dp: that entry (caller frees) when it names a cRLIssuer. */
static DIST_POINT_NAME *cert_dp_name(const X509 *cert, DIST_POINT **dp, int *err)
{
    CRL_DIST_POINTS *dps;
    DIST_POINT_NAME *ret = NULL;
    int i, crit;

    dps = X509_get_ext_d2i(cert, NID_crl_distribution_points, &crit, NULL);
    if (dps == NULL && crit != -1) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "crlStatusList: the certificate's "
                "crlDistributionPoints cannot be decoded");
        *err = 1;
    }
    for (i = 0; i < sk_DIST_POINT_num(dps); i++) {
        DIST_POINT *d = sk_DIST_POINT_value(dps, i);

        if (d->distpoint == NULL)
            continue;
        if ((ret = ASN1_item_dup(ASN1_ITEM_rptr(DIST_POINT_NAME), d->distpoint)) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "DistributionPointName");
            *err = 1;
        } else if (d->CRLissuer != NULL) {
            *dp = sk_DIST_POINT_delete(dps, i); /* kept for its cRLIssuer */
        }
        break;
    }
    CRL_DIST_POINTS_free(dps);
    return ret;
}

/* GeneralNames of one directoryName, name. */
static GENERAL_NAMES *dir_names(const X509_NAME *name)
{
    GENERAL_NAMES *gns = sk_GENERAL_NAME_new_null();
    GENERAL_NAME *gn = GENERAL_NAME_new();
    X509_NAME *n = X509_NAME_dup(name);

    if (gns == NULL || gn == NULL || n == NULL || !sk_GENERAL_NAME_push(gns, gn)) {
        GENERAL_NAMES_free(gns);
        GENERAL_NAME_free(gn);
        X509_NAME_free(n);
        return NULL;
    }
    GENERAL_NAME_set0_value(gn, GEN_DIRNAME, n);
    return gns;
}

/*
 * The CRLStatus for the CRL of crlcert or the successor of oldcrl (as
 * OpenSSL's client does): source the distribution point of oldcrl's
 * issuingDistributionPoint, else of crlcert's first crlDistributionPoints
 * entry, else the issuer name of oldcrl or crlcert; thisUpdate that of
 * oldcrl. *dp: the crlcert's DIST_POINT used when it names a cRLIssuer.
 */
static PKIXCMP_CRLStatus *crl_status(const X509 *crlcert, const X509_CRL *oldcrl, DIST_POINT **dp)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CRLStatus);
    PKIXCMP_CRLStatus *st = (PKIXCMP_CRLStatus *)ASN1_item_new(it);
    const X509_NAME *issuer = oldcrl != NULL ? X509_CRL_get_issuer(oldcrl)
                                             : X509_get_issuer_name(crlcert);
    DIST_POINT_NAME *dpn;
    int err = 0;

    *dp = NULL;
    if (st == NULL)
        goto oom;
    dpn = oldcrl != NULL ? crl_idp_name(oldcrl, &err) : NULL;
    if (dpn == NULL && !err && crlcert != NULL)
        dpn = cert_dp_name(crlcert, dp, &err);
    if (err)
        goto fail;
    if (dpn != NULL) {
        st->source->type = CRLSOURCE_DPN;
        st->source->value.dpn = dpn;
    } else {
        st->source->type = CRLSOURCE_ISSUER;
        if ((st->source->value.issuer = dir_names(issuer)) == NULL)
            goto oom;
    }
    if (oldcrl != NULL
        && (st->thisUpdate = ASN1_TIME_dup(X509_CRL_get0_lastUpdate(oldcrl))) == NULL)
        goto oom;
    return st;
oom:
    PXC_ERR(PKIXCMP_E_MALLOC, "CRLStatus");
fail:
    ASN1_item_free((ASN1_VALUE *)st, it);
    return NULL;
}

/* Whether crl has the issuer asked for: that of oldcrl or crlcert, or one
 * of the cRLIssuer names of the distribution point dp. */
static int crl_issuer_ok(const X509_CRL *crl, const X509 *crlcert, const X509_CRL *oldcrl,
                         const DIST_POINT *dp)
{
    const X509_NAME *iss = X509_CRL_get_issuer(crl);
    int i;

    if (dp == NULL)
        return X509_NAME_cmp(iss, oldcrl != NULL ? X509_CRL_get_issuer(oldcrl)
                                                 : X509_get_issuer_name(crlcert)) == 0;
    for (i = 0; i < sk_GENERAL_NAME_num(dp->CRLissuer); i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(dp->CRLissuer, i);

        if (gn->type == GEN_DIRNAME && X509_NAME_cmp(iss, gn->d.directoryName) == 0)
            return 1;
    }
    return 0;
}

/* The CRL of crls to return: the first one of the issuer asked for, which
 * must be newer than oldcrl. */
static X509_CRL *pick_crl(const PKIXCMP_CTX *ctx, STACK_OF(X509_CRL) *crls, const X509 *crlcert,
                          const X509_CRL *oldcrl, const DIST_POINT *dp)
{
    X509_CRL *crl = NULL;
    char a[256], t1[40], t2[40];
    int i;

    for (i = 0; i < sk_X509_CRL_num(crls) && crl == NULL; i++)
        if (crl_issuer_ok(sk_X509_CRL_value(crls, i), crlcert, oldcrl, dp))
            crl = sk_X509_CRL_value(crls, i);
    if (crl == NULL) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "crls: none of the %d CRLs is of the issuer asked for "
                "(the first one's issuer is %s)", sk_X509_CRL_num(crls),
                pxc_dn_text(X509_CRL_get_issuer(sk_X509_CRL_value(crls, 0)), a, sizeof(a)));
        return NULL;
    }
    if (sk_X509_CRL_num(crls) > 1)
        pxc_log(ctx, PKIXCMP_LOG_WARNING, "genp crls has %d CRLs; using the first one of the "
                "issuer asked for", sk_X509_CRL_num(crls));
    /* RFC 9810 5.3.19.17: "The server SHALL only provide those CRLs that
     * are more recent than the ones indicated by the client." */
    if (oldcrl != NULL
        && ASN1_TIME_compare(X509_CRL_get0_lastUpdate(crl), X509_CRL_get0_lastUpdate(oldcrl)) <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_RESPONSE, "crls: the CRL of thisUpdate %s is not more recent than "
                "ours of %s", time_text(X509_CRL_get0_lastUpdate(crl), t1, sizeof(t1)),
                time_text(X509_CRL_get0_lastUpdate(oldcrl), t2, sizeof(t2)));
        return NULL;
    }
    return crl;
}

int pkixcmp_exec_get_crl_update(PKIXCMP_CTX *ctx, const X509 *crlcert, const X509_CRL *oldcrl,
                                X509_CRL **crl)
{
    const ASN1_ITEM *list_it = ASN1_ITEM_rptr(PKIXCMP_CRLStatusList);
    const ASN1_ITEM *crls_it = ASN1_ITEM_rptr(PKIXCMP_CertificateLists);
    STACK_OF(PKIXCMP_CRLStatus) *list = NULL;
    PKIXCMP_CRLStatus *st = NULL;
    STACK_OF(X509_CRL) *crls = NULL;
    DIST_POINT *dp = NULL;
    X509_CRL *got;
    char a[256], b[256];
    int ret = 0;

    if (ctx == NULL || crl == NULL || (crlcert == NULL && oldcrl == NULL)) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "get_crl_update needs a context, crl, and the "
                "certificate whose CRL is wanted or the CRL to update");
        return 0;
    }
    *crl = NULL;
    if (crlcert != NULL && oldcrl != NULL
        && X509_NAME_cmp(X509_get_issuer_name(crlcert), X509_CRL_get_issuer(oldcrl)) != 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "the CRL's issuer %s is not the certificate's issuer %s",
                pxc_dn_text(X509_CRL_get_issuer(oldcrl), a, sizeof(a)),
                pxc_dn_text(X509_get_issuer_name(crlcert), b, sizeof(b)));
        return 0;
    }
    if ((st = crl_status(crlcert, oldcrl, &dp)) == NULL)
        goto out;
    if ((list = sk_PKIXCMP_CRLStatus_new_null()) == NULL || !sk_PKIXCMP_CRLStatus_push(list, st)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CRLStatusList");
        goto out;
    }
    st = NULL; /* transferred */
    /* RFC 9810 5.3.19.17: GenMsg {id-it 22}, SEQUENCE SIZE (1..MAX) OF
     * CRLStatus; GenRep {id-it 23}, SEQUENCE SIZE (1..MAX) OF
     * CertificateList | < absent > */
    if (!genm_typed(ctx, IT_CRL_STATUS_LIST, list_it, list, IT_CRLS, (ASN1_VALUE **)&crls))
        goto out;
    if (sk_X509_CRL_num(crls) <= 0) {
        if (crls != NULL) /* SIZE (1..MAX): tolerated as "none" */
            pxc_log(ctx, PKIXCMP_LOG_WARNING, "genp crls is an empty list");
        ret = 1;
        goto out;
    }
    if ((got = pick_crl(ctx, crls, crlcert, oldcrl, dp)) == NULL)
        goto out;
    if (!X509_CRL_up_ref(got)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CRL");
        goto out;
    }
    *crl = got;
    ret = 1;
out:
    DIST_POINT_free(dp);
    ASN1_item_free((ASN1_VALUE *)st, ASN1_ITEM_rptr(PKIXCMP_CRLStatus));
    ASN1_item_free((ASN1_VALUE *)list, list_it);
    ASN1_item_free((ASN1_VALUE *)crls, crls_it);
    return ret;
}
