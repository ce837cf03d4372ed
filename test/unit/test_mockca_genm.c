/*
 * test_mockca_genm.c - the mock CA's answers to general messages
 * (mockca.h, RFC 9810 5.3.19): caCerts, rootCaCert, certReqTemplate,
 * crlStatusList and signKeyPairTypes, each decoded as its type; unknown
 * types echoed; several requests in one genm; malformed request values.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "mockca_tu.h"
#include "tap.h"

#define NOW MT_NOW
#define DAY MT_DAY


#include "typed_oid.h"

/* A failure with code; clears the queue. */
static void fails_with(int failed, int code, const char *what)
{
    ok(failed, "%s is refused", what);
    is_int(pkixcmp_err_peek_last(), code, pkixcmp_err_name(code));
    ERR_clear_error();
}


/* --------------------------------------------------------------- genm */

typedef STACK_OF(PKIXCMP_InfoTypeAndValue) ITAVS;

static ASN1_TYPE *any_of(const ASN1_ITEM *it, const void *v)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    int len = ASN1_item_i2d((const ASN1_VALUE *)v, &der, it);
    ASN1_TYPE *t;

    p = der;
    t = len > 0 ? d2i_ASN1_TYPE(NULL, &p, len) : NULL;
    OPENSSL_free(der);
    return t;
}

/* Appends {oid, value (taken over; may be NULL)} to *in. */
static void add_itav(ITAVS **in, const char *oid, ASN1_TYPE *value)
{
    PKIXCMP_InfoTypeAndValue *itav =
        (PKIXCMP_InfoTypeAndValue *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));

    ASN1_OBJECT_free(itav->infoType);
    itav->infoType = OBJ_txt2obj(oid, 1);
    itav->infoValue = value;
    if (*in == NULL)
        *in = sk_PKIXCMP_InfoTypeAndValue_new_null();
    sk_PKIXCMP_InfoTypeAndValue_push(*in, itav);
}

static void itavs_free(ITAVS *s)
{
    ASN1_item_free((ASN1_VALUE *)s, ASN1_ITEM_rptr(PKIXCMP_GenRepContent));
}

/* The answer to a genm of one {oid, value}: a new stack, or NULL. */
static ITAVS *ask(PXC_MOCKCA *ca, const char *oid, ASN1_TYPE *value)
{
    ITAVS *in = NULL, *out = NULL;

    add_itav(&in, oid, value);
    if (!pxc_mockca_genm(ca, in, &out))
        out = NULL;
    itavs_free(in);
    return out;
}

/* 1 if the only answer in out has OID oid and a value present or not. */
static int one_answer(const ITAVS *out, const char *oid, int with_value)
{
    const PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(out, 0);
    char txt[64] = "";

    if (sk_PKIXCMP_InfoTypeAndValue_num(out) != 1)
        return 0;
    OBJ_obj2txt(txt, sizeof(txt), itav->infoType, 1);
    return strcmp(txt, oid) == 0 && (itav->infoValue != NULL) == with_value;
}

/* The value of the first answer decoded as its id-it type (caller frees
 * with ASN1_item_free(v, *it)), or NULL. */
static void *answer_value(const ITAVS *out, const ASN1_ITEM **it)
{
    const PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(out, 0);
    const PXC_TYPED_OID *row = itav != NULL ? pxc_itav_lookup(itav->infoType) : NULL;

    if (row == NULL || row->item == NULL || itav->infoValue == NULL)
        return NULL;
    *it = ASN1_ITEM_ptr(row->item);
    return pxc_typed_value_decode(row, itav->infoValue, "test");
}

#define IT(n) "1.3.6.1.5.5.7.4." #n

static void test_genm_certs(PXC_MOCKCA *ca)
{
    const ASN1_ITEM *it = NULL;
    ITAVS *out = ask(ca, IT(17), NULL);
    STACK_OF(X509) *certs = answer_value(out, &it), *capubs = sk_X509_new_null();
    PKIXCMP_RootCaKeyUpdateContent *upd;
    X509 *client = mt_load_cert("client_p256.crt");

    ok(one_answer(out, IT(17), 1) && sk_X509_num(certs) == 2 && X509_cmp(sk_X509_value(certs, 0), mt_interm) == 0
       && X509_cmp(sk_X509_value(certs, 1), mt_root) == 0, "caCerts: the CA certificate and its chain");
    ASN1_item_free((ASN1_VALUE *)certs, it);
    itavs_free(out);
    sk_X509_push(capubs, mt_root);
    ok(pxc_mockca_set1_rsp_capubs(ca, capubs), "rsp_capubs set");
    out = ask(ca, IT(17), NULL);
    certs = answer_value(out, &it);
    ok(sk_X509_num(certs) == 1 && X509_cmp(sk_X509_value(certs, 0), mt_root) == 0, "caCerts: rsp_capubs");
    ok(pxc_mockca_get0_capubs(ca) != NULL, "caPubs for ip set too");
    ASN1_item_free((ASN1_VALUE *)certs, it);
    itavs_free(out);

    out = ask(ca, IT(20), NULL);
    ok(one_answer(out, IT(18), 0), "rootCaCert without newwithnew: rootCaKeyUpdate, absent value");
    itavs_free(out);
    ok(pxc_mockca_set1_newwithnew(ca, mt_root) && pxc_mockca_set1_newwithold(ca, mt_interm)
       && pxc_mockca_set1_oldwithnew(ca, client), "newwithnew, newwithold, oldwithnew set");
    out = ask(ca, IT(20), NULL);
    upd = answer_value(out, &it);
    ok(one_answer(out, IT(18), 1) && upd != NULL && X509_cmp(upd->newWithNew, mt_root) == 0
       && X509_cmp(upd->newWithOld, mt_interm) == 0 && X509_cmp(upd->oldWithNew, client) == 0,
       "rootCaCert: RootCaKeyUpdateContent with the three certificates");
    ASN1_item_free((ASN1_VALUE *)upd, it);
    itavs_free(out);
    out = ask(ca, IT(20), any_of(ASN1_ITEM_rptr(X509), mt_root));
    ok(one_answer(out, IT(18), 1), "rootCaCert naming our root: the update");
    itavs_free(out);
    out = ask(ca, IT(20), any_of(ASN1_ITEM_rptr(X509), client));
    ok(one_answer(out, IT(18), 0), "rootCaCert naming another root: absent value");
    itavs_free(out);
    out = ask(ca, IT(20), any_of(ASN1_ITEM_rptr(X509_NAME), X509_get_subject_name(mt_root)));
    fails_with(out == NULL, PKIXCMP_E_ITAV_VALUE, "rootCaCert with a value that is no certificate");
    sk_X509_free(capubs);
    X509_free(client);
}

static void test_genm_template(PXC_MOCKCA *ca)
{
    const ASN1_ITEM *it = NULL;
    ITAVS *out = ask(ca, IT(19), NULL);
    PKIXCMP_CertReqTemplateContent *t = answer_value(out, &it), *mine;
    const PXC_TYPED_OID *row;
    int i, algs = 0, lens = 0;

    ok(one_answer(out, IT(19), 1) && t != NULL && t->certTemplate->publicKey == NULL
       && X509_NAME_cmp(t->certTemplate->issuer, X509_get_subject_name(mt_interm)) == 0,
       "certReqTemplate: no publicKey (RFC 9810 5.3.19.16), issuer = the CA");
    for (i = 0; t != NULL && i < sk_PKIXCMP_AttributeTypeAndValue_num(t->keySpec); i++) {
        row = pxc_attr_lookup(sk_PKIXCMP_AttributeTypeAndValue_value(t->keySpec, i)->type);
        algs += row != NULL && strcmp(row->name, "id-regCtrl-algId") == 0;
        lens += row != NULL && strcmp(row->name, "id-regCtrl-rsaKeyLen") == 0;
    }
    ok(algs == 3 && lens == 2, "keySpec: 3 algIds, 2 rsaKeyLens");
    ASN1_item_free((ASN1_VALUE *)t, it);
    itavs_free(out);

    mine = (PKIXCMP_CertReqTemplateContent *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent));
    mine->certTemplate->subject = mt_name("from the template");
    ok(pxc_mockca_set1_certreq_template(ca, mine), "own certReqTemplate set");
    ASN1_item_free((ASN1_VALUE *)mine, ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent));
    out = ask(ca, IT(19), NULL);
    t = answer_value(out, &it);
    ok(t != NULL && mt_cn_is(t->certTemplate->subject, "from the template") && t->keySpec == NULL,
       "certReqTemplate: the configured one");
    ASN1_item_free((ASN1_VALUE *)t, it);
    itavs_free(out);
}

/* A crlStatusList value of one CRLStatus: issuer name (NULL: a dpn) and
 * thisUpdate (0: absent). */
static ASN1_TYPE *crl_status_list(const X509_NAME *issuer, time_t this_update)
{
    PKIXCMP_CRLStatus *st = (PKIXCMP_CRLStatus *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CRLStatus));
    STACK_OF(PKIXCMP_CRLStatus) *list = sk_PKIXCMP_CRLStatus_new_null();
    GENERAL_NAME *gn;
    ASN1_TYPE *v;

    if (issuer != NULL) {
        gn = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(gn, GEN_DIRNAME, X509_NAME_dup(issuer));
        st->source->type = 1;
        st->source->value.issuer = GENERAL_NAMES_new();
        sk_GENERAL_NAME_push(st->source->value.issuer, gn);
    } else {
        st->source->type = 0;
        st->source->value.dpn = DIST_POINT_NAME_new();
        st->source->value.dpn->type = 0;
        st->source->value.dpn->name.fullname = GENERAL_NAMES_new();
        gn = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(gn, GEN_URI, ASN1_IA5STRING_new());
        ASN1_STRING_set(gn->d.uniformResourceIdentifier, "http://crl.example/ca.crl", -1);
        sk_GENERAL_NAME_push(st->source->value.dpn->name.fullname, gn);
    }
    if (this_update != 0)
        st->thisUpdate = ASN1_TIME_set(NULL, this_update);
    sk_PKIXCMP_CRLStatus_push(list, st);
    v = any_of(ASN1_ITEM_rptr(PKIXCMP_CRLStatusList), list);
    ASN1_item_free((ASN1_VALUE *)list, ASN1_ITEM_rptr(PKIXCMP_CRLStatusList));
    return v;
}

static void test_genm_crls(PXC_MOCKCA *ca)
{
    const X509_NAME *iss = X509_get_subject_name(mt_interm);
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_set(NULL, NOW - 3600);
    const ASN1_ITEM *it = NULL;
    STACK_OF(X509_CRL) *crls;
    ITAVS *out;

    X509_CRL_set_version(crl, X509_CRL_VERSION_2);
    X509_CRL_set_issuer_name(crl, (X509_NAME *)iss);
    X509_CRL_set1_lastUpdate(crl, t);
    X509_CRL_sign(crl, mt_interm_key, EVP_sha256());

    out = ask(ca, IT(22), crl_status_list(iss, NOW - 7200));
    ok(one_answer(out, IT(23), 0), "crlStatusList without rsp_crl: crls, absent value");
    itavs_free(out);
    ok(pxc_mockca_set1_rsp_crl(ca, crl), "rsp_crl set");
    out = ask(ca, IT(22), crl_status_list(iss, NOW - 7200));
    crls = answer_value(out, &it);
    ok(one_answer(out, IT(23), 1) && sk_X509_CRL_num(crls) == 1
       && X509_CRL_cmp(sk_X509_CRL_value(crls, 0), crl) == 0 && X509_CRL_verify(sk_X509_CRL_value(crls, 0), X509_get0_pubkey(mt_interm)) == 1,
       "crlStatusList with an older thisUpdate: the CRL");
    ASN1_item_free((ASN1_VALUE *)crls, it);
    itavs_free(out);
    out = ask(ca, IT(22), crl_status_list(iss, NOW - 3600));
    ok(one_answer(out, IT(23), 0), "thisUpdate of the same CRL: nothing newer (RFC 9810 5.3.19.17)");
    itavs_free(out);
    out = ask(ca, IT(22), crl_status_list(iss, 0));
    ok(one_answer(out, IT(23), 1), "no thisUpdate: the CRL");
    itavs_free(out);
    out = ask(ca, IT(22), crl_status_list(X509_get_subject_name(mt_root), 0));
    ok(one_answer(out, IT(23), 0), "another CRL issuer: absent value");
    itavs_free(out);
    out = ask(ca, IT(22), crl_status_list(NULL, 0));
    ok(one_answer(out, IT(23), 1), "a distribution point name: the CRL");
    itavs_free(out);
    out = ask(ca, IT(22), NULL);
    fails_with(out == NULL, PKIXCMP_E_ITAV_VALUE, "crlStatusList without a value");
    ASN1_TIME_free(t);
    X509_CRL_free(crl);
}

static void test_genm_other(PXC_MOCKCA *ca)
{
    const ASN1_ITEM *it = NULL;
    ITAVS *out = ask(ca, IT(2), NULL), *in = NULL;
    STACK_OF(X509_ALGOR) *algs = answer_value(out, &it);
    ASN1_INTEGER *n = ASN1_INTEGER_new();
    unsigned char *a = NULL, *b = NULL;
    int i, la, lb, p256 = 0;

    for (i = 0; i < sk_X509_ALGOR_num(algs); i++) {
        const ASN1_OBJECT *obj;
        const void *pval;
        int ptype;

        X509_ALGOR_get0(&obj, &ptype, &pval, sk_X509_ALGOR_value(algs, i));
        p256 += OBJ_obj2nid(obj) == NID_X9_62_id_ecPublicKey && ptype == V_ASN1_OBJECT
                && OBJ_obj2nid(pval) == NID_X9_62_prime256v1;
    }
    ok(one_answer(out, IT(2), 1) && sk_X509_ALGOR_num(algs) == 7 && p256 == 1,
       "signKeyPairTypes: 7 key types, one of them id-ecPublicKey P-256");
    ASN1_item_free((ASN1_VALUE *)algs, it);
    itavs_free(out);

    ASN1_INTEGER_set(n, 42);
    add_itav(&in, "1.2.3.4.5", any_of(ASN1_ITEM_rptr(ASN1_INTEGER), n));
    ok(pxc_mockca_genm(ca, in, &out), "genm of an unknown OID");
    la = ASN1_item_i2d((ASN1_VALUE *)in, &a, ASN1_ITEM_rptr(PKIXCMP_GenMsgContent));
    lb = ASN1_item_i2d((ASN1_VALUE *)out, &b, ASN1_ITEM_rptr(PKIXCMP_GenRepContent));
    ok(la > 0 && la == lb && memcmp(a, b, (size_t)la) == 0, "unknown OID: echoed with its value");
    itavs_free(out);
    add_itav(&in, IT(17), NULL);
    add_itav(&in, IT(4), NULL);
    ok(pxc_mockca_genm(ca, in, &out) && sk_PKIXCMP_InfoTypeAndValue_num(out) == 3,
       "three requests, three answers");
    ok(out != NULL && OBJ_cmp(sk_PKIXCMP_InfoTypeAndValue_value(out, 1)->infoType,
                              sk_PKIXCMP_InfoTypeAndValue_value(in, 1)->infoType) == 0
       && sk_PKIXCMP_InfoTypeAndValue_value(out, 2)->infoValue == NULL,
       "in order; preferredSymmAlg (not answered) echoed");
    itavs_free(out);
    itavs_free(in);
    in = sk_PKIXCMP_InfoTypeAndValue_new_null();
    ok(pxc_mockca_genm(ca, in, &out) && sk_PKIXCMP_InfoTypeAndValue_num(out) == 0,
       "an empty genm: an empty answer");
    itavs_free(out);
    itavs_free(in);
    OPENSSL_free(a);
    OPENSSL_free(b);
    ASN1_INTEGER_free(n);
}

static void test_genm(void)
{
    PXC_MOCKCA *ca = mt_interm_ca();

    test_genm_certs(ca);
    test_genm_template(ca);
    test_genm_crls(ca);
    test_genm_other(ca);
    pxc_mockca_free(ca);
}

int main(void)
{
    if (!ok(mt_pki_load(), "test PKI loaded"))
        return tap_done();
    test_genm();
    mt_pki_free();
    return tap_done();
}
