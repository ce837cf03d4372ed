/*
 * mockca_genm.c - the mock CA's answers to general messages (RFC 9810
 * 5.3.19, RFC 9483 4.3): one handler per id-it it knows, the rest echoed
 * as openssl's mock server does (see mockca.h).
 */
#include <stdio.h>
#include <string.h>
#include <openssl/objects.h>
#include "mockca_local.h"
#include "typed_oid.h"

/* CRLSource arms: their index in the template (asn1_cmp.c) */
#define CRLSOURCE_DPN 0
#define CRLSOURCE_ISSUER 1

/* id-it numbers of the answers (RFC 9810 5.3.19) */
#define IT_SIGN_KEY_PAIR_TYPES 2
#define IT_CA_CERTS 17
#define IT_ROOT_CA_KEY_UPDATE 18
#define IT_CERT_REQ_TEMPLATE 19
#define IT_CRLS 23

typedef STACK_OF(PKIXCMP_InfoTypeAndValue) ITAVS;

/* value as an ANY (caller frees), NULL with PKIXCMP_E_ASN1_ENCODE. */
static ASN1_TYPE *to_any(const ASN1_ITEM *it, const void *value)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    ASN1_TYPE *ret = NULL;
    int len = ASN1_item_i2d((const ASN1_VALUE *)value, &der, it);

    p = der;
    if (len <= 0 || (ret = d2i_ASN1_TYPE(NULL, &p, len)) == NULL)
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "genp: %s cannot be encoded", pxc_item_name(it));
    OPENSSL_free(der);
    return ret;
}

/* The OID arc.N (prefix "1.3.6.1.5.5.7.4" for id-it) as a new object. */
static ASN1_OBJECT *oid_arc(const char *prefix, int n)
{
    char txt[48];

    snprintf(txt, sizeof(txt), "%s.%d", prefix, n);
    return OBJ_txt2obj(txt, 1);
}

/* Appends {id-it n, value of type it} to out; value NULL: absent. */
static int push_itav(ITAVS *out, int id_it, const ASN1_ITEM *it, const void *value)
{
    const ASN1_ITEM *itav_it = ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue);
    PKIXCMP_InfoTypeAndValue *itav = (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(itav_it);
    ASN1_OBJECT *oid = oid_arc("1.3.6.1.5.5.7.4", id_it);
    int ret = 0;

    if (itav == NULL || oid == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp InfoTypeAndValue");
        goto out;
    }
    ASN1_OBJECT_free(itav->infoType);
    itav->infoType = oid;
    oid = NULL; /* transferred */
    if (value != NULL && (itav->infoValue = to_any(it, value)) == NULL)
        goto out;
    if (!sk_PKIXCMP_InfoTypeAndValue_push(out, itav)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp content");
        goto out;
    }
    itav = NULL; /* transferred */
    ret = 1;
out:
    ASN1_OBJECT_free(oid);
    ASN1_item_free((ASN1_VALUE *)itav, itav_it);
    return ret;
}

/* ------------------------------------------------------------ caCerts */

/* RFC 9810 5.3.19.14: GenRep {id-it 17}, SEQUENCE SIZE (1..MAX) OF
 * CMPCertificate | < absent > */
static int answer_ca_certs(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req, ITAVS *out)
{
    STACK_OF(X509) *certs = ca->rsp_capubs != NULL ? ca->rsp_capubs : ca->ca_certs;

    (void)req;
    return push_itav(out, IT_CA_CERTS, ASN1_ITEM_rptr(PKIXCMP_CMPCertificates),
                     sk_X509_num(certs) > 0 ? certs : NULL);
}

/* --------------------------------------------------------- rootCaCert */

/* RFC 9810 5.3.19.15: GenMsg {id-it 20}, RootCaCertValue | < absent >;
 * GenRep {id-it 18}, RootCaKeyUpdateValue | < absent > */
static int answer_root_ca_cert(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req, ITAVS *out)
{
    const PXC_TYPED_OID *row = pxc_itav_lookup(req->infoType);
    PKIXCMP_RootCaKeyUpdateContent upd;
    X509 *old = NULL;
    int ret = 0;

    if (req->infoValue != NULL
        && (old = (X509 *)pxc_typed_value_decode(row, req->infoValue, "genm")) == NULL)
        goto out;
    /* no update for a root CA with another name than ours */
    if (ca->newwithnew == NULL
        || (old != NULL && X509_NAME_cmp(X509_get_subject_name(old),
                                         X509_get_subject_name(ca->newwithnew)) != 0)) {
        ret = push_itav(out, IT_ROOT_CA_KEY_UPDATE, NULL, NULL);
        goto out;
    }
    upd.newWithNew = ca->newwithnew;
    upd.newWithOld = ca->newwithold;
    upd.oldWithNew = ca->oldwithnew;
    ret = push_itav(out, IT_ROOT_CA_KEY_UPDATE, ASN1_ITEM_rptr(PKIXCMP_RootCaKeyUpdateContent),
                    &upd);
out:
    X509_free(old);
    return ret;
}

/* ---------------------------------------------------- certReqTemplate */

/* Appends the control {id-regCtrl n, value of type it} to controls. */
static int push_control(PKIXCMP_Controls *controls, int n, const ASN1_ITEM *it, const void *value)
{
    const ASN1_ITEM *atav_it = ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue);
    PKIXCMP_AttributeTypeAndValue *atav = (PKIXCMP_AttributeTypeAndValue *)ASN1_item_new(atav_it);
    int ret = 0;

    if (atav == NULL)
        goto out;
    ASN1_OBJECT_free(atav->type);
    ASN1_TYPE_free(atav->value);
    atav->value = NULL;
    if ((atav->type = oid_arc("1.3.6.1.5.5.7.5.1", n)) == NULL
        || (atav->value = to_any(it, value)) == NULL
        || !sk_PKIXCMP_AttributeTypeAndValue_push(controls, atav))
        goto out;
    atav = NULL; /* transferred */
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)atav, atav_it);
    return ret;
}

/* id-regCtrl-algId (11) of algorithm nid with a named curve (NID_undef:
 * parameters absent). */
static int push_alg_id(PKIXCMP_Controls *controls, int nid, int curve)
{
    X509_ALGOR *alg = X509_ALGOR_new();
    int ret = alg != NULL
              && X509_ALGOR_set0(alg, OBJ_nid2obj(nid),
                                 curve != NID_undef ? V_ASN1_OBJECT : V_ASN1_UNDEF,
                                 curve != NID_undef ? OBJ_nid2obj(curve) : NULL)
              && push_control(controls, 11, ASN1_ITEM_rptr(X509_ALGOR), alg);

    X509_ALGOR_free(alg);
    return ret;
}

/* id-regCtrl-rsaKeyLen (12) */
static int push_rsa_key_len(PKIXCMP_Controls *controls, long bits)
{
    ASN1_INTEGER *n = ASN1_INTEGER_new();
    int ret = n != NULL && ASN1_INTEGER_set(n, bits)
              && push_control(controls, 12, ASN1_ITEM_rptr(ASN1_INTEGER), n);

    ASN1_INTEGER_free(n);
    return ret;
}

/*
 * RFC 9810 5.3.19.16: "The publicKey field in the certTemplate MUST NOT be
 * used. In case the PKI management entity wishes to specify supported
 * public-key algorithms, the keySpec field MUST be used. One
 * AttributeTypeAndValue per supported algorithm or RSA key length MUST be
 * used." With id-ecPublicKey, "the parameters identify the elliptic curve".
 */
static PKIXCMP_CertReqTemplateContent *default_template(const PXC_MOCKCA *ca)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent);
    PKIXCMP_CertReqTemplateContent *t = (PKIXCMP_CertReqTemplateContent *)ASN1_item_new(it);

    if (t == NULL || (t->keySpec = sk_PKIXCMP_AttributeTypeAndValue_new_null()) == NULL
        || (ca->cacert != NULL
            && (t->certTemplate->issuer = X509_NAME_dup(X509_get_subject_name(ca->cacert))) == NULL)
        || !push_alg_id(t->keySpec, NID_X9_62_id_ecPublicKey, NID_X9_62_prime256v1)
        || !push_alg_id(t->keySpec, NID_X9_62_id_ecPublicKey, NID_secp384r1)
        || !push_alg_id(t->keySpec, NID_ED25519, NID_undef)
        || !push_rsa_key_len(t->keySpec, 2048) || !push_rsa_key_len(t->keySpec, 3072)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certReqTemplate");
        ASN1_item_free((ASN1_VALUE *)t, it);
        return NULL;
    }
    return t;
}

static int answer_certreq_template(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req,
                                   ITAVS *out)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent);
    PKIXCMP_CertReqTemplateContent *dflt = NULL;
    int ret = 0;

    (void)req;
    if (ca->certreq_template == NULL && (dflt = default_template(ca)) == NULL)
        goto out;
    ret = push_itav(out, IT_CERT_REQ_TEMPLATE, it,
                    dflt != NULL ? dflt : ca->certreq_template);
out:
    ASN1_item_free((ASN1_VALUE *)dflt, it);
    return ret;
}

/* ------------------------------------------------------ crlStatusList */

/* 1 if status names crl: a distribution point (which this mock does not
 * keep, so any), or issuer names with a directoryName equal to its issuer;
 * and crl is newer than status's thisUpdate. */
static int status_wants(const PKIXCMP_CRLStatus *status, const X509_CRL *crl)
{
    int i, named = 0;

    if (status->source->type == CRLSOURCE_DPN) {
        named = 1;
    } else if (status->source->type == CRLSOURCE_ISSUER) {
        for (i = 0; i < sk_GENERAL_NAME_num(status->source->value.issuer); i++) {
            const GENERAL_NAME *gn = sk_GENERAL_NAME_value(status->source->value.issuer, i);

            if (gn->type == GEN_DIRNAME
                && X509_NAME_cmp(gn->d.directoryName, X509_CRL_get_issuer(crl)) == 0)
                named = 1;
        }
    }
    /* RFC 9810 5.3.19.17: "The server SHALL only provide those CRLs that
     * are more recent than the ones indicated by the client." */
    return named && (status->thisUpdate == NULL
                     || ASN1_TIME_compare(status->thisUpdate, X509_CRL_get0_lastUpdate(crl)) < 0);
}

/* GenMsg {id-it 22}, SEQUENCE SIZE (1..MAX) OF CRLStatus;
 * GenRep {id-it 23}, SEQUENCE SIZE (1..MAX) OF CertificateList | < absent > */
static int answer_crl_status_list(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req,
                                  ITAVS *out)
{
    const PXC_TYPED_OID *row = pxc_itav_lookup(req->infoType);
    const ASN1_ITEM *list_it = ASN1_ITEM_ptr(row->item);
    STACK_OF(PKIXCMP_CRLStatus) *list = NULL;
    STACK_OF(X509_CRL) *crls = NULL;
    int i, wanted = 0, ret = 0;

    if (req->infoValue == NULL) {
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "genm %s without a value", row->name);
        goto out;
    }
    if ((list = (STACK_OF(PKIXCMP_CRLStatus) *)pxc_typed_value_decode(row, req->infoValue,
                                                                      "genm")) == NULL)
        goto out;
    for (i = 0; ca->rsp_crl != NULL && i < sk_PKIXCMP_CRLStatus_num(list); i++)
        wanted |= status_wants(sk_PKIXCMP_CRLStatus_value(list, i), ca->rsp_crl);
    if (wanted && ((crls = sk_X509_CRL_new_null()) == NULL
                   || !sk_X509_CRL_push(crls, ca->rsp_crl))) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp crls");
        goto out;
    }
    ret = push_itav(out, IT_CRLS, ASN1_ITEM_rptr(PKIXCMP_CertificateLists), crls);
out:
    sk_X509_CRL_free(crls); /* the CRL is borrowed */
    ASN1_item_free((ASN1_VALUE *)list, list_it);
    return ret;
}

/* ---------------------------------------------------- signKeyPairTypes */

/*
 * RFC 9810 5.3.19.2: "the list of signature algorithm whose subject public
 * key values the CA is willing to certify" ... "In case several elliptic
 * curves are supported, several id-ecPublicKey elements as defined in
 * [RFC5480] need to be given, one per named curve."
 */
static const struct {
    int nid, param_type, curve; /* param_type V_ASN1_UNDEF: absent */
} key_types[] = {
    {NID_rsaEncryption, V_ASN1_NULL, NID_undef},
    {NID_rsassaPss, V_ASN1_UNDEF, NID_undef},
    {NID_X9_62_id_ecPublicKey, V_ASN1_OBJECT, NID_X9_62_prime256v1},
    {NID_X9_62_id_ecPublicKey, V_ASN1_OBJECT, NID_secp384r1},
    {NID_X9_62_id_ecPublicKey, V_ASN1_OBJECT, NID_secp521r1},
    {NID_ED25519, V_ASN1_UNDEF, NID_undef},
    {NID_ED448, V_ASN1_UNDEF, NID_undef},
};

static int answer_sign_key_pair_types(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req,
                                      ITAVS *out)
{
    STACK_OF(X509_ALGOR) *algs = sk_X509_ALGOR_new_null();
    X509_ALGOR *alg = NULL;
    size_t i;
    int ret = 0;

    (void)ca;
    (void)req;
    if (algs == NULL)
        goto oom;
    for (i = 0; i < PXC_NELEM(key_types); i++) {
        void *param = key_types[i].curve != NID_undef ? OBJ_nid2obj(key_types[i].curve) : NULL;

        if ((alg = X509_ALGOR_new()) == NULL
            || !X509_ALGOR_set0(alg, OBJ_nid2obj(key_types[i].nid), key_types[i].param_type, param)
            || !sk_X509_ALGOR_push(algs, alg))
            goto oom;
        alg = NULL; /* transferred */
    }
    ret = push_itav(out, IT_SIGN_KEY_PAIR_TYPES, ASN1_ITEM_rptr(PKIXCMP_AlgorithmIdentifiers), algs);
    goto out;
oom:
    PXC_ERR(PKIXCMP_E_MALLOC, "signKeyPairTypes");
out:
    X509_ALGOR_free(alg);
    sk_X509_ALGOR_pop_free(algs, X509_ALGOR_free);
    return ret;
}

/* ------------------------------------------------------------- dispatch */

typedef int genm_handler(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req, ITAVS *out);

static const struct {
    const char *name; /* as in typed_oid.c */
    genm_handler *answer;
} handlers[] = {
    {"id-it-signKeyPairTypes", answer_sign_key_pair_types},
    {"id-it-caCerts", answer_ca_certs},
    {"id-it-certReqTemplate", answer_certreq_template},
    {"id-it-rootCaCert", answer_root_ca_cert},
    {"id-it-crlStatusList", answer_crl_status_list},
};

/* Any other request: echoed, as openssl's mock server does. */
static int answer_echo(PXC_MOCKCA *ca, const PKIXCMP_InfoTypeAndValue *req, ITAVS *out)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue);
    PKIXCMP_InfoTypeAndValue *copy = ASN1_item_dup(it, req);

    (void)ca;
    if (copy == NULL || !sk_PKIXCMP_InfoTypeAndValue_push(out, copy)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp content");
        ASN1_item_free((ASN1_VALUE *)copy, it);
        return 0;
    }
    return 1;
}

static genm_handler *handler_of(const ASN1_OBJECT *info_type)
{
    const PXC_TYPED_OID *row = pxc_itav_lookup(info_type);
    size_t i;

    for (i = 0; row != NULL && i < PXC_NELEM(handlers); i++)
        if (strcmp(row->name, handlers[i].name) == 0)
            return handlers[i].answer;
    return answer_echo;
}

int pxc_mockca_genm(PXC_MOCKCA *ca, const STACK_OF(PKIXCMP_InfoTypeAndValue) *in,
                    STACK_OF(PKIXCMP_InfoTypeAndValue) **out)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_GenRepContent);
    ITAVS *res = sk_PKIXCMP_InfoTypeAndValue_new_null();
    int i, ret = 0;

    *out = NULL;
    if (res == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "genp content");
        goto out;
    }
    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(in); i++) {
        const PKIXCMP_InfoTypeAndValue *req = sk_PKIXCMP_InfoTypeAndValue_value(in, i);

        if (!handler_of(req->infoType)(ca, req, res))
            goto out;
    }
    *out = res;
    res = NULL; /* transferred */
    ret = 1;
out:
    ASN1_item_free((ASN1_VALUE *)res, it);
    return ret;
}
