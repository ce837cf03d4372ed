/*
 * test_client_genm.c - the typed general messages of the client
 * (client.h, RFC 9483 4.3) against the in-process server with the mock CA:
 * root CA key update, certificate request template, CRL update. Invalid
 * answers come from a transfer that edits the mock's genp and protects it
 * again with the server's credentials.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "asn1_types.h"
#include "tap.h"
#include "testutil.h"
#include "test_mock.h"

#define DAY 86400

/* ---------------------------------------------------------- harness */

/* The transfer of the tests: to the server, keeping a copy of the last
 * request; with an edit set, the genp is changed by it and protected
 * again by the server's context. */
struct xfer {
    struct tm_link link;
    PKIXCMP_MSG *last_req;
    void (*edit)(PKIXCMP_GenRepContent *genp, void *arg);
    void *edit_arg;
};

static PKIXCMP_MSG *xfer_cb(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct xfer *x = arg;
    PKIXCMP_MSG *rsp = tm_transfer(ctx, req, &x->link);

    pkixcmp_msg_free(x->last_req);
    x->last_req = pkixcmp_msg_dup(req);
    if (rsp != NULL && x->edit != NULL && pkixcmp_msg_get_body_type(rsp) == PKIXCMP_BODY_GENP) {
        x->edit(rsp->body->value.genp, x->edit_arg);
        if (!pkixcmp_msg_protect(pkixcmp_srv_ctx_get0_cmp_ctx(x->link.srv), rsp))
            tap_diag("cannot protect the edited genp");
    }
    return rsp;
}

/* 1 if the error queue has a pkixcmp error code whose detail contains
 * text (NULL: any); clears the queue. */
static int failed_with(int code, const char *text)
{
    const char *data;
    unsigned long e;
    int flags, found = 0;

    while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0)
        if (ERR_GET_REASON(e) == code
            && (text == NULL || ((flags & ERR_TXT_STRING) != 0 && strstr(data, text) != NULL)))
            found = 1;
    return found;
}

/* The value of id-it n (1.3.6.1.5.5.7.4.n) as an object (caller frees). */
static ASN1_OBJECT *id_it(int n)
{
    char txt[32];

    snprintf(txt, sizeof(txt), "1.3.6.1.5.5.7.4.%d", n);
    return OBJ_txt2obj(txt, 1);
}

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

/* An INTEGER as ANY. */
static ASN1_TYPE *int_value(long v)
{
    ASN1_INTEGER *i = ASN1_INTEGER_new();
    ASN1_TYPE *t = ASN1_TYPE_new();

    ASN1_INTEGER_set(i, v);
    ASN1_TYPE_set(t, V_ASN1_INTEGER, i);
    return t;
}

/* Edits: the genp's first value replaced by arg (an ASN1_TYPE, NULL: absent). */
static void set_value(PKIXCMP_GenRepContent *genp, void *arg)
{
    PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(genp, 0);

    ASN1_TYPE_free(itav->infoValue);
    itav->infoValue = arg != NULL ? ASN1_item_dup(ASN1_ITEM_rptr(ASN1_ANY), arg) : NULL;
}

/* the genp's first type set to id-it *arg (echoing the request) */
static void set_type(PKIXCMP_GenRepContent *genp, void *arg)
{
    PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(genp, 0);

    ASN1_OBJECT_free(itav->infoType);
    itav->infoType = id_it(*(int *)arg);
}

/* --------------------------------------------------------- certificates */

/* A certificate for the public key of key with subject and issuer CN=cn,
 * signed with signer, valid from nb for days; a CA certificate. */
static X509 *cert_of(EVP_PKEY *key, const char *cn, EVP_PKEY *signer, time_t nb, long days)
{
    X509 *x = X509_new();
    X509_NAME *n = tm_name(cn);
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints, "critical,CA:TRUE");
    int ok = x != NULL && n != NULL && bc != NULL && X509_set_version(x, X509_VERSION_3)
        && ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(nb & 0xffffff))
        && X509_set_subject_name(x, n) && X509_set_issuer_name(x, n)
        && X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb) != NULL
        && X509_time_adj_ex(X509_getm_notAfter(x), (int)days, 0, &nb) != NULL
        && X509_set_pubkey(x, key) && X509_add_ext(x, bc, -1)
        && X509_sign(x, signer, EVP_sha256()) > 0;

    X509_NAME_free(n);
    X509_EXTENSION_free(bc);
    if (!ok) {
        tap_diag("cannot make a certificate for CN=%s", cn);
        X509_free(x);
        return NULL;
    }
    return x;
}

/* The keys and certificates of a root CA key update: old root (k_old),
 * new root (k_new), the two link certificates, and a stranger's key. */
static struct roots {
    EVP_PKEY *k_old, *k_new, *k_other;
    X509 *old, *nwn, *nwo, *own;
} r;

static int roots_make(void)
{
    time_t now = tm_now - DAY;

    r.k_old = tm_newkey();
    r.k_new = tm_newkey();
    r.k_other = tm_newkey();
    r.old = cert_of(r.k_old, "root", r.k_old, now - 100 * DAY, 3650);
    r.nwn = cert_of(r.k_new, "root", r.k_new, now, 3650);
    r.nwo = cert_of(r.k_new, "root", r.k_old, now, 365);
    r.own = cert_of(r.k_old, "root", r.k_new, now - 100 * DAY, 3650);
    return r.old != NULL && r.nwn != NULL && r.nwo != NULL && r.own != NULL && r.k_other != NULL;
}

static void roots_free(void)
{
    EVP_PKEY_free(r.k_old);
    EVP_PKEY_free(r.k_new);
    EVP_PKEY_free(r.k_other);
    X509_free(r.old);
    X509_free(r.nwn);
    X509_free(r.nwo);
    X509_free(r.own);
}

/* The mock's rootCaCert answer. */
static int mock_roots(PKIXCMP_MOCK *m, X509 *nwn, X509 *nwo, X509 *own)
{
    return pkixcmp_mock_set1_rsp_newwithnew(m, nwn) && pkixcmp_mock_set1_rsp_newwithold(m, nwo)
        && pkixcmp_mock_set1_rsp_oldwithnew(m, own);
}

/* ------------------------------------------------- root CA key update */

/* One invalid update: ok if it fails with PKIXCMP_E_BAD_RESPONSE naming why. */
static void bad_update(PKIXCMP_CTX *ctx, PKIXCMP_MOCK *m, X509 *old, X509 *nwn, X509 *nwo,
                       X509 *own, const char *why, const char *what)
{
    X509 *a = NULL, *b = NULL, *c = NULL;

    ok(mock_roots(m, nwn, nwo, own), "mock answers with %s", what);
    ok(!pkixcmp_exec_get_root_ca_update(ctx, old, &a, &b, &c) && a == NULL && b == NULL && c == NULL
       && failed_with(PKIXCMP_E_BAD_RESPONSE, why), "%s: refused (\"%s\")", what, why);
    X509_free(a);
    X509_free(b);
    X509_free(c);
}

static void test_root_update(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct xfer x = {{tm_srv_new(&mock), 0, {0}}, NULL, NULL, NULL};
    PKIXCMP_CTX *ctx = tm_cli_mac(NULL, NULL, NULL);
    X509 *nwn = NULL, *nwo = NULL, *own = NULL, *expired = NULL, *not_self = NULL;
    X509 *wrong_nwo = NULL, *wrong_key = NULL, *wrong_own = NULL, *stranger = NULL;
    X509_STORE *store = X509_STORE_new();
    ASN1_TYPE *junk = int_value(5);
    int echo = 20;

    if (!ok(ctx != NULL && x.link.srv != NULL && roots_make()
            && pkixcmp_ctx_set_transfer_cb(ctx, xfer_cb, &x), "root update: set up"))
        goto out;

    ok(pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, &nwo, &own) && nwn == NULL && nwo == NULL
       && own == NULL, "no update at the CA: success, all outputs NULL");

    ok(mock_roots(mock, r.nwn, r.nwo, r.own), "mock answers with the update");
    ok(pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, &nwo, &own) && X509_cmp(nwn, r.nwn) == 0
       && X509_cmp(nwo, r.nwo) == 0 && X509_cmp(own, r.own) == 0,
       "RFC 9483 4.3.2: the update validated with oldWithOld: all three certificates");
    X509_free(nwn);
    X509_free(nwo);
    X509_free(own);
    nwn = nwo = own = NULL;
    ok(pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, NULL, NULL) && X509_cmp(nwn, r.nwn) == 0,
       "newWithOld and oldWithNew outputs may be NULL");
    X509_free(nwn);
    nwn = NULL;

    /* the mock has no update for a root of another name */
    stranger = cert_of(r.k_other, "another root", r.k_other, tm_now - DAY, 10);
    ok(pkixcmp_exec_get_root_ca_update(ctx, stranger, &nwn, &nwo, &own) && nwn == NULL,
       "another root CA: no update (absent value)");

    /* without oldWithOld: the trust store */
    ok(!pkixcmp_exec_get_root_ca_update(ctx, NULL, &nwn, &nwo, &own) && nwn == NULL
       && failed_with(PKIXCMP_E_BAD_RESPONSE, "no certificate of the trust store signed newWithOld"),
       "no oldWithOld, trust store without the old root: refused");
    ok(X509_STORE_add_cert(store, tm_pki.root) && X509_STORE_add_cert(store, r.old)
       && pkixcmp_ctx_set1_trusted(ctx, store), "trust store with the old root");
    ok(pkixcmp_exec_get_root_ca_update(ctx, NULL, &nwn, &nwo, &own) && X509_cmp(nwn, r.nwn) == 0
       && X509_cmp(own, r.own) == 0, "no oldWithOld: validated with the trust store");
    X509_free(nwn);
    X509_free(nwo);
    X509_free(own);
    nwn = nwo = own = NULL;

    /* invalid answers */
    expired = cert_of(r.k_new, "root", r.k_new, tm_now - 400 * DAY, 10);
    not_self = cert_of(r.k_new, "root", r.k_old, tm_now - DAY, 3650);
    wrong_nwo = cert_of(r.k_new, "root", r.k_other, tm_now - DAY, 365);
    wrong_key = cert_of(r.k_other, "root", r.k_old, tm_now - DAY, 365);
    wrong_own = cert_of(r.k_old, "root", r.k_other, tm_now - DAY, 365);
    bad_update(ctx, mock, r.old, not_self, r.nwo, NULL, "newWithNew is not self-signed",
               "a newWithNew signed by the old key");
    bad_update(ctx, mock, r.old, expired, NULL, NULL, "newWithNew expired",
               "an expired newWithNew");
    X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store), X509_V_FLAG_NO_CHECK_TIME);
    ok(mock_roots(mock, expired, r.nwo, NULL)
       && pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, NULL, NULL) && X509_cmp(nwn, expired) == 0,
       "an expired newWithNew with -no_check_time in the trust store: accepted");
    X509_VERIFY_PARAM_clear_flags(X509_STORE_get0_param(store), X509_V_FLAG_NO_CHECK_TIME);
    X509_free(nwn);
    nwn = NULL;
    bad_update(ctx, mock, r.old, r.nwn, wrong_nwo, NULL,
               "signature of newWithOld does not verify with the public key of the old root",
               "a newWithOld not signed by the old root");
    bad_update(ctx, mock, r.old, r.nwn, wrong_key, NULL,
               "newWithOld does not certify the public key of newWithNew",
               "a newWithOld for another key");
    bad_update(ctx, mock, r.old, r.nwn, NULL, NULL, "without newWithOld",
               "no newWithOld to link newWithNew to the old root");
    bad_update(ctx, mock, r.old, r.nwn, r.nwo, wrong_own,
               "signature of oldWithNew does not verify with the public key of newWithNew",
               "an oldWithNew not signed by newWithNew");
    bad_update(ctx, mock, r.old, r.nwn, r.nwo, r.nwn,
               "oldWithNew does not certify the public key of the old root",
               "an oldWithNew for the new key");
    ok(mock_roots(mock, r.old, NULL, NULL)
       && pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, &nwo, &own) && X509_cmp(nwn, r.old) == 0,
       "newWithNew = the current root: no newWithOld needed");
    X509_free(nwn);
    nwn = NULL;

    /* genp that is not a rootCaKeyUpdate */
    ok(mock_roots(mock, r.nwn, r.nwo, r.own), "mock answers with the update again");
    x.edit = set_type;
    x.edit_arg = &echo;
    ok(!pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, &nwo, &own) && nwn == NULL
       && failed_with(PKIXCMP_E_BAD_RESPONSE, "the request echoed"),
       "a server echoing id-it-rootCaCert: refused, saying it echoes");
    x.edit = set_value;
    x.edit_arg = junk;
    ok(!pkixcmp_exec_get_root_ca_update(ctx, r.old, &nwn, &nwo, &own) && nwn == NULL
       && failed_with(PKIXCMP_E_ITAV_VALUE, "RootCaKeyUpdateContent"),
       "a rootCaKeyUpdate value that is no RootCaKeyUpdateContent: refused");
    x.edit = NULL;
out:
    ERR_clear_error();
    ASN1_TYPE_free(junk);
    X509_STORE_free(store);
    X509_free(expired);
    X509_free(not_self);
    X509_free(wrong_nwo);
    X509_free(wrong_key);
    X509_free(wrong_own);
    X509_free(stranger);
    roots_free();
    pkixcmp_msg_free(x.last_req);
    pkixcmp_ctx_free(ctx);
    tm_srv_free(x.link.srv, mock);
}

/* The genm ITAVs the application configured survive a typed genm. */
static void test_configured_itavs_kept(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct xfer x = {{tm_srv_new(&mock), 0, {0}}, NULL, NULL, NULL};
    PKIXCMP_CTX *ctx = tm_cli_mac(NULL, NULL, NULL);
    ASN1_OBJECT *mine = OBJ_txt2obj("1.2.3.4.5", 1);
    const PKIXCMP_MSG *genp;
    X509 *nwn = NULL;

    if (!ok(ctx != NULL && mine != NULL && pkixcmp_ctx_set_transfer_cb(ctx, xfer_cb, &x)
            && pkixcmp_ctx_add_genm_itav(ctx, mine, NULL, 0), "an ITAV of our own configured"))
        goto out;
    ok(pkixcmp_exec_get_root_ca_update(ctx, NULL, &nwn, NULL, NULL) && nwn == NULL,
       "a typed genm in between");
    ok(sk_PKIXCMP_InfoTypeAndValue_num(x.last_req->body->value.genm) == 1,
       "the typed genm carried only its own ITAV");
    ok(pkixcmp_exec_genm(ctx) && (genp = pkixcmp_ctx_get0_last_response(ctx)) != NULL
       && sk_PKIXCMP_InfoTypeAndValue_num(genp->body->value.genp) == 1
       && OBJ_cmp(sk_PKIXCMP_InfoTypeAndValue_value(genp->body->value.genp, 0)->infoType, mine) == 0,
       "the next plain genm still sends (and the mock echoes) our ITAV");
    ok(pkixcmp_ctx_clear_genm_itavs(ctx) && pkixcmp_exec_genm(ctx)
       && sk_PKIXCMP_InfoTypeAndValue_num(x.last_req->body->value.genm) == 0,
       "pkixcmp_ctx_clear_genm_itavs: an empty genm");
out:
    ERR_clear_error();
    ASN1_OBJECT_free(mine);
    pkixcmp_msg_free(x.last_req);
    pkixcmp_ctx_free(ctx);
    tm_srv_free(x.link.srv, mock);
}

/* ------------------------------------------------ certReqTemplate */

/* A CertReqTemplateContent with the subject CN=cn, publicKey of key (NULL:
 * none) and a keySpec of one control {id-regCtrl n, value} (n 0: none). */
static ASN1_TYPE *template_value(const char *cn, EVP_PKEY *key, int n, ASN1_TYPE *value)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_CertReqTemplateContent);
    PKIXCMP_CertReqTemplateContent *t = (PKIXCMP_CertReqTemplateContent *)ASN1_item_new(it);
    PKIXCMP_AttributeTypeAndValue *atav;
    char oid[32];
    ASN1_TYPE *ret = NULL;

    t->certTemplate->subject = tm_name(cn);
    if (key != NULL)
        X509_PUBKEY_set(&t->certTemplate->publicKey, key);
    if (n >= 0) {
        t->keySpec = sk_PKIXCMP_AttributeTypeAndValue_new_null();
    }
    if (n > 0) {
        atav = (PKIXCMP_AttributeTypeAndValue *)ASN1_item_new(
            ASN1_ITEM_rptr(PKIXCMP_AttributeTypeAndValue));
        snprintf(oid, sizeof(oid), "1.3.6.1.5.5.7.5.1.%d", n);
        ASN1_OBJECT_free(atav->type);
        atav->type = OBJ_txt2obj(oid, 1);
        ASN1_TYPE_free(atav->value);
        atav->value = value;
        value = NULL;
        sk_PKIXCMP_AttributeTypeAndValue_push(t->keySpec, atav);
    }
    ret = any_of(it, t);
    ASN1_TYPE_free(value);
    ASN1_item_free((ASN1_VALUE *)t, it);
    return ret;
}

static ASN1_TYPE *alg_value(int nid, int ptype, void *param)
{
    X509_ALGOR *a = X509_ALGOR_new();
    ASN1_TYPE *t;

    X509_ALGOR_set0(a, OBJ_nid2obj(nid), ptype, param);
    t = any_of(ASN1_ITEM_rptr(X509_ALGOR), a);
    X509_ALGOR_free(a);
    return t;
}

/* One invalid template answer: ok if refused with code and text. */
static void bad_template(PKIXCMP_CTX *ctx, struct xfer *x, ASN1_TYPE *value, int code,
                         const char *why, const char *what)
{
    unsigned char *t = NULL, *k = NULL;
    size_t tl = 0, kl = 0;

    x->edit = set_value;
    x->edit_arg = value;
    ok(value != NULL && !pkixcmp_exec_get_cert_req_template(ctx, &t, &tl, &k, &kl) && t == NULL
       && tl == 0 && k == NULL && kl == 0 && failed_with(code, why), "%s: refused (\"%s\")", what,
       why);
    x->edit = NULL;
    ASN1_TYPE_free(value);
    OPENSSL_free(t);
    OPENSSL_free(k);
}

static void test_template(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct xfer x = {{tm_srv_new(&mock), 0, {0}}, NULL, NULL, NULL};
    PKIXCMP_CTX *ctx = tm_cli_sig(NULL, tm_pki.client, tm_pki.client_key, NULL, NULL);
    PKIXCMP_CTX *mac = tm_cli_mac(NULL, NULL, NULL);
    unsigned char *t = NULL, *k = NULL;
    const unsigned char *p;
    size_t tl = 0, kl = 0;
    PKIXCMP_CertTemplate *tmpl = NULL;
    PKIXCMP_Controls *spec = NULL;
    ASN1_TYPE *v;

    if (!ok(ctx != NULL && mac != NULL && pkixcmp_ctx_set_transfer_cb(ctx, xfer_cb, &x)
            && pkixcmp_ctx_set_transfer_cb(mac, xfer_cb, &x), "template: set up"))
        goto out;
    ok(pkixcmp_exec_get_cert_req_template(ctx, &t, &tl, &k, &kl) && t != NULL && k != NULL,
       "signed genm certReqTemplate: template and keySpec");
    p = t;
    tmpl = (PKIXCMP_CertTemplate *)ASN1_item_d2i(NULL, &p, (long)tl,
                                                 ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
    ok(tmpl != NULL && p == t + tl && tmpl->issuer != NULL
       && X509_NAME_cmp(tmpl->issuer, X509_get_subject_name(tm_pki.interm)) == 0
       && tmpl->publicKey == NULL, "template DER: a CertTemplate naming the CA as issuer");
    p = k;
    spec = (PKIXCMP_Controls *)ASN1_item_d2i(NULL, &p, (long)kl, ASN1_ITEM_rptr(PKIXCMP_Controls));
    ok(spec != NULL && p == k + kl && sk_PKIXCMP_AttributeTypeAndValue_num(spec) == 5,
       "keySpec DER: the mock's 5 controls");
    OPENSSL_free(t);
    OPENSSL_free(k);
    t = k = NULL;
    ok(pkixcmp_exec_get_cert_req_template(mac, &t, &tl, NULL, NULL) && t != NULL && tl > 0,
       "MAC-protected, keySpec not wanted");
    OPENSSL_free(t);
    t = NULL;
    ok(!pkixcmp_exec_get_cert_req_template(mac, &t, &tl, &k, NULL)
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, NULL), "keySpec pointer without length: refused");

    x.edit = set_value;
    x.edit_arg = NULL;
    ok(pkixcmp_exec_get_cert_req_template(mac, &t, &tl, &k, &kl) && t == NULL && tl == 0
       && k == NULL && kl == 0, "absent value: no template, success");
    v = template_value("x", NULL, -1, NULL);
    x.edit_arg = v;
    ok(pkixcmp_exec_get_cert_req_template(mac, &t, &tl, &k, &kl) && t != NULL && k == NULL
       && kl == 0, "a template without keySpec: keySpec NULL");
    ASN1_TYPE_free(v);
    OPENSSL_free(t);
    t = NULL;
    x.edit = NULL;

    bad_template(mac, &x, template_value("x", tm_pki.client_key, -1, NULL),
                 PKIXCMP_E_BAD_RESPONSE, "has a publicKey", "a template with a publicKey");
    bad_template(mac, &x, template_value("x", NULL, 0, NULL), PKIXCMP_E_BAD_RESPONSE,
                 "keySpec is an empty list", "an empty keySpec");
    bad_template(mac, &x, template_value("x", NULL, 12, int_value(0)), PKIXCMP_E_BAD_RESPONSE,
                 "0 is not a key length", "rsaKeyLen 0");
    bad_template(mac, &x, template_value("x", NULL, 12, alg_value(NID_rsaEncryption, V_ASN1_NULL,
                                                                  NULL)),
                 PKIXCMP_E_ITAV_VALUE, "id-regCtrl-rsaKeyLen", "rsaKeyLen that is no INTEGER");
    bad_template(mac, &x, template_value("x", NULL, 11, alg_value(NID_X9_62_id_ecPublicKey,
                                                                  V_ASN1_UNDEF, NULL)),
                 PKIXCMP_E_BAD_RESPONSE, "without a named curve", "id-ecPublicKey without curve");
    v = template_value("x", NULL, 11, alg_value(NID_X9_62_id_ecPublicKey, V_ASN1_OBJECT,
                                                OBJ_nid2obj(NID_secp384r1)));
    x.edit = set_value;
    x.edit_arg = v;
    ok(pkixcmp_exec_get_cert_req_template(mac, &t, &tl, &k, &kl) && k != NULL,
       "id-ecPublicKey with a named curve: accepted");
    x.edit = NULL;
    ASN1_TYPE_free(v);
out:
    ERR_clear_error();
    OPENSSL_free(t);
    OPENSSL_free(k);
    ASN1_item_free((ASN1_VALUE *)tmpl, ASN1_ITEM_rptr(PKIXCMP_CertTemplate));
    ASN1_item_free((ASN1_VALUE *)spec, ASN1_ITEM_rptr(PKIXCMP_Controls));
    pkixcmp_msg_free(x.last_req);
    pkixcmp_ctx_free(ctx);
    pkixcmp_ctx_free(mac);
    tm_srv_free(x.link.srv, mock);
}

/* ------------------------------------------------------- CRL update */

/* A CRL of interm with thisUpdate at; with an issuingDistributionPoint
 * of uri when not NULL. */
static X509_CRL *crl_at(time_t at, const char *idp_uri)
{
    X509_CRL *crl = X509_CRL_new();
    ASN1_TIME *t = ASN1_TIME_set(NULL, at);
    X509_EXTENSION *ext = NULL;
    char conf[128];
    int ok;

    if (idp_uri != NULL) {
        snprintf(conf, sizeof(conf), "fullname:URI:%s", idp_uri);
        ext = X509V3_EXT_conf_nid(NULL, NULL, NID_issuing_distribution_point, conf);
    }
    ok = crl != NULL && t != NULL && X509_CRL_set_version(crl, X509_CRL_VERSION_2)
        && X509_CRL_set_issuer_name(crl, X509_get_subject_name(tm_pki.interm))
        && X509_CRL_set1_lastUpdate(crl, t) && (idp_uri == NULL || ext != NULL)
        && (ext == NULL || X509_CRL_add_ext(crl, ext, -1))
        && X509_CRL_sign(crl, tm_pki.interm_key, EVP_sha256()) > 0;
    ASN1_TIME_free(t);
    X509_EXTENSION_free(ext);
    if (!ok) {
        X509_CRL_free(crl);
        return NULL;
    }
    return crl;
}

/* 1 if a and b have the same DER. */
static int crl_eq(X509_CRL *a, X509_CRL *b)
{
    unsigned char *da = NULL, *db = NULL;
    int la = a != NULL ? i2d_X509_CRL(a, &da) : -1, lb = i2d_X509_CRL(b, &db);
    int eq = la > 0 && la == lb && memcmp(da, db, (size_t)la) == 0;

    OPENSSL_free(da);
    OPENSSL_free(db);
    return eq;
}

/* A certificate issued by interm with a crlDistributionPoints URI. */
static X509 *cert_with_dp(const char *uri)
{
    X509 *x = X509_new();
    X509_NAME *n = tm_name("with DP");
    X509_EXTENSION *ext;
    char conf[128];
    time_t nb = tm_now - DAY;
    int ok;

    snprintf(conf, sizeof(conf), "URI:%s", uri);
    ext = X509V3_EXT_conf_nid(NULL, NULL, NID_crl_distribution_points, conf);
    ok = x != NULL && n != NULL && ext != NULL && X509_set_version(x, X509_VERSION_3)
        && X509_set_subject_name(x, n)
        && X509_set_issuer_name(x, X509_get_subject_name(tm_pki.interm))
        && X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &nb) != NULL
        && X509_time_adj_ex(X509_getm_notAfter(x), 30, 0, &nb) != NULL
        && X509_set_pubkey(x, tm_pki.client_key) && X509_add_ext(x, ext, -1)
        && X509_sign(x, tm_pki.interm_key, EVP_sha256()) > 0;
    X509_NAME_free(n);
    X509_EXTENSION_free(ext);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/* The CRLStatus of the last request (caller frees), NULL if it is none. */
static PKIXCMP_CRLStatusList *sent_status(const struct xfer *x)
{
    const PKIXCMP_InfoTypeAndValue *itav;
    unsigned char *der = NULL;
    const unsigned char *p;
    PKIXCMP_CRLStatusList *list = NULL;
    int len;

    if (x->last_req == NULL || sk_PKIXCMP_InfoTypeAndValue_num(x->last_req->body->value.genm) != 1)
        return NULL;
    itav = sk_PKIXCMP_InfoTypeAndValue_value(x->last_req->body->value.genm, 0);
    if (itav->infoValue == NULL || (len = i2d_ASN1_TYPE(itav->infoValue, &der)) <= 0)
        return NULL;
    p = der;
    list = (PKIXCMP_CRLStatusList *)ASN1_item_d2i(NULL, &p, len,
                                                  ASN1_ITEM_rptr(PKIXCMP_CRLStatusList));
    OPENSSL_free(der);
    return list;
}

/* 1 if the last request's one CRLStatus has source arm `type` (0 dpn, 1
 * issuer) and a thisUpdate iff this_update. */
static int sent_source(const struct xfer *x, int type, int this_update)
{
    PKIXCMP_CRLStatusList *list = sent_status(x);
    const PKIXCMP_CRLStatus *st = sk_PKIXCMP_CRLStatus_value(list, 0);
    int ok = sk_PKIXCMP_CRLStatus_num(list) == 1 && st->source->type == type
        && (st->thisUpdate != NULL) == this_update;

    if (ok && type == 1) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(st->source->value.issuer, 0);

        ok = sk_GENERAL_NAME_num(st->source->value.issuer) == 1 && gn->type == GEN_DIRNAME
            && X509_NAME_cmp(gn->d.directoryName, X509_get_subject_name(tm_pki.interm)) == 0;
    }
    ASN1_item_free((ASN1_VALUE *)list, ASN1_ITEM_rptr(PKIXCMP_CRLStatusList));
    return ok;
}

/* Edit: the crls value replaced by the one CRL arg (NULL: an empty list). */
static void set_crls(PKIXCMP_GenRepContent *genp, void *arg)
{
    STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
    ASN1_TYPE *v;

    if (arg != NULL)
        sk_X509_CRL_push(crls, arg);
    v = any_of(ASN1_ITEM_rptr(PKIXCMP_CertificateLists), crls);
    set_value(genp, v);
    ASN1_TYPE_free(v);
    sk_X509_CRL_free(crls);
}

static void test_crl_update(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct xfer x = {{tm_srv_new(&mock), 0, {0}}, NULL, NULL, NULL};
    PKIXCMP_CTX *ctx = tm_cli_mac(NULL, NULL, NULL);
    X509_CRL *crl = crl_at(tm_now - 3600, NULL), *older = crl_at(tm_now - 7200, NULL);
    X509_CRL *older_idp = crl_at(tm_now - 7200, "http://crl.example/interm.crl");
    X509_CRL *got = NULL, *foreign = NULL;
    X509 *dp_cert = cert_with_dp("http://crl.example/interm.crl");
    int n;

    if (!ok(ctx != NULL && crl != NULL && older != NULL && older_idp != NULL && dp_cert != NULL
            && pkixcmp_ctx_set_transfer_cb(ctx, xfer_cb, &x), "CRL update: set up"))
        goto out;
    ok(pkixcmp_exec_get_crl_update(ctx, tm_pki.client, NULL, &got) && got == NULL,
       "no CRL at the CA: success, no CRL");
    ok(pkixcmp_mock_set1_rsp_crl(mock, crl), "mock answers with a CRL");
    ok(pkixcmp_exec_get_crl_update(ctx, tm_pki.client, NULL, &got) && crl_eq(got, crl),
       "crlcert without DP: the CRL");
    ok(sent_source(&x, 1, 0), "... asked for by issuer name, without thisUpdate");
    X509_CRL_free(got);
    got = NULL;
    ok(pkixcmp_exec_get_crl_update(ctx, NULL, older, &got) && crl_eq(got, crl),
       "oldcrl older: the newer CRL");
    ok(sent_source(&x, 1, 1), "... asked for by issuer name, with oldcrl's thisUpdate");
    X509_CRL_free(got);
    got = NULL;
    ok(pkixcmp_exec_get_crl_update(ctx, NULL, crl, &got) && got == NULL,
       "oldcrl as new as the CA's: no update");
    ok(pkixcmp_exec_get_crl_update(ctx, dp_cert, NULL, &got) && crl_eq(got, crl)
       && sent_source(&x, 0, 0), "crlcert with crlDistributionPoints: asked for by dpn");
    X509_CRL_free(got);
    got = NULL;
    ok(pkixcmp_exec_get_crl_update(ctx, tm_pki.client, older_idp, &got)
       && crl_eq(got, crl) && sent_source(&x, 0, 1),
       "oldcrl with issuingDistributionPoint (and crlcert): asked for by dpn, with thisUpdate");
    X509_CRL_free(got);
    got = NULL;

    n = x.link.n;
    ok(!pkixcmp_exec_get_crl_update(ctx, tm_pki.interm, older, &got) && got == NULL
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, "is not the certificate's issuer")
       && x.link.n == n, "crlcert and oldcrl of different issuers: refused, nothing sent");
    ok(!pkixcmp_exec_get_crl_update(ctx, NULL, NULL, &got)
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, NULL), "neither crlcert nor oldcrl: refused");

    /* invalid answers */
    x.edit = set_crls;
    x.edit_arg = older;
    ok(!pkixcmp_exec_get_crl_update(ctx, NULL, crl, &got) && got == NULL
       && failed_with(PKIXCMP_E_BAD_RESPONSE, "not more recent"),
       "RFC 9810 5.3.19.17: a CRL not newer than ours is refused");
    foreign = X509_CRL_dup(crl);
    ok(foreign != NULL && X509_CRL_set_issuer_name(foreign, X509_get_subject_name(tm_pki.root))
       && X509_CRL_sign(foreign, tm_pki.interm_key, EVP_sha256()) > 0, "a CRL of the root");
    x.edit_arg = foreign;
    ok(!pkixcmp_exec_get_crl_update(ctx, tm_pki.client, NULL, &got) && got == NULL
       && failed_with(PKIXCMP_E_BAD_RESPONSE, "issuer asked for"),
       "a CRL of another issuer is refused");
    x.edit_arg = NULL;
    ok(pkixcmp_exec_get_crl_update(ctx, tm_pki.client, NULL, &got) && got == NULL,
       "an empty crls list (SIZE (1..MAX)): tolerated as no CRL");
    x.edit = set_value;
    ok(pkixcmp_exec_get_crl_update(ctx, tm_pki.client, NULL, &got) && got == NULL,
       "crls without a value: no CRL");
    x.edit = NULL;
out:
    ERR_clear_error();
    X509_CRL_free(crl);
    X509_CRL_free(older);
    X509_CRL_free(older_idp);
    X509_CRL_free(foreign);
    X509_CRL_free(got);
    X509_free(dp_cert);
    pkixcmp_msg_free(x.last_req);
    pkixcmp_ctx_free(ctx);
    tm_srv_free(x.link.srv, mock);
}

/* A failing transaction: the server's error message comes through. */
static void test_error_answer(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct xfer x = {{tm_srv_new(&mock), 0, {0}}, NULL, NULL, NULL};
    PKIXCMP_CTX *ctx = tm_cli_mac(NULL, NULL, NULL);
    unsigned char *t = NULL;
    size_t tl = 0;
    X509 *nwn = NULL;

    if (!ok(ctx != NULL && pkixcmp_ctx_set_transfer_cb(ctx, xfer_cb, &x)
            && pkixcmp_mock_set_option(mock, PKIXCMP_MOCK_OPT_SEND_ERROR, 1), "error: set up"))
        goto out;
    ok(!pkixcmp_exec_get_cert_req_template(ctx, &t, &tl, NULL, NULL) && t == NULL
       && failed_with(PKIXCMP_E_RECEIVED_ERROR, NULL), "certReqTemplate: the error message");
    ok(!pkixcmp_exec_get_root_ca_update(ctx, NULL, &nwn, NULL, NULL) && nwn == NULL
       && failed_with(PKIXCMP_E_RECEIVED_ERROR, NULL), "rootCaCert: the error message");
    ok(!pkixcmp_exec_get_root_ca_update(ctx, NULL, NULL, NULL, NULL)
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, NULL), "rootCaCert without newWithNew: refused");
out:
    ERR_clear_error();
    pkixcmp_msg_free(x.last_req);
    pkixcmp_ctx_free(ctx);
    tm_srv_free(x.link.srv, mock);
}

int main(void)
{
    if (!ok(tm_init(), "test PKI loaded"))
        return tap_done();
    test_root_update();
    test_configured_itavs_kept();
    test_template();
    test_crl_update();
    test_error_answer();
    tm_cleanup();
    return tap_done();
}
