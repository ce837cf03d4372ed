/*
 * test_enc_cert.c - encrypted certificates (the indirect POP, RFC 9810
 * 5.2.8.3.2) and central key generation (RFC 9483 4.1.6): enc_cert.h on its
 * own, and our client against the server core with the mock CA in one
 * process (test_mock.h), RSA (key transport) and EC (key agreement) keys,
 * MAC (password) and signature protection; every check with its failure.
 *
 * Until the request builder leaves the key out for -popo -1 by itself, the
 * transfer below does it (pxc_enc_ckg_request()) and protects the request
 * again, as the builder will.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "ctx_local.h"
#include "certreq.h"
#include "enc_cert.h"
#include "srv_backend.h"
#include "tap.h"
#include "testutil.h"
#include "test_mock.h"

#define OID_AKEY_PACKAGE "2.16.840.1.101.2.1.2.78.5"

/* ------------------------------------------------------------ helpers */

/* A certificate for key from interm, valid around the fake time, with the
 * keyUsage ku and the extendedKeyUsage eku (NULL: none), SKID and AKID. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *ku, const char *eku)
{
    static long serial = 1000;
    X509 *x = X509_new();
    X509_NAME *name = tm_name(cn);
    X509_EXTENSION *ext[4] = {NULL, NULL, NULL, NULL};
    X509V3_CTX v3;
    int i, ok = x != NULL && name != NULL && X509_set_version(x, X509_VERSION_3)
        && ASN1_INTEGER_set(X509_get_serialNumber(x), serial++)
        && X509_set_subject_name(x, name)
        && X509_set_issuer_name(x, X509_get_subject_name(tm_pki.interm))
        && X509_time_adj_ex(X509_getm_notBefore(x), 0, -3600, &tm_now)
        && X509_time_adj_ex(X509_getm_notAfter(x), 1, 0, &tm_now) && X509_set_pubkey(x, key);

    X509V3_set_ctx(&v3, tm_pki.interm, x, NULL, NULL, 0);
    ok = ok && (ext[0] = X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage, ku)) != NULL
        && (ext[1] = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_key_identifier, "hash")) != NULL
        && (ext[3] = X509V3_EXT_conf_nid(NULL, &v3, NID_authority_key_identifier, "keyid")) != NULL
        && (eku == NULL
            || (ext[2] = X509V3_EXT_conf_nid(NULL, &v3, NID_ext_key_usage, eku)) != NULL);
    for (i = 0; ok && i < 4; i++)
        ok = ext[i] == NULL || X509_add_ext(x, ext[i], -1);
    ok = ok && X509_sign(x, tm_pki.interm_key, EVP_sha256()) > 0;
    for (i = 0; i < 4; i++)
        X509_EXTENSION_free(ext[i]);
    X509_NAME_free(name);
    if (!ok) {
        X509_free(x);
        x = NULL;
    }
    return x;
}

/* cert without its AKID, signed again by interm. */
static X509 *without_akid(X509 *cert)
{
    int i = cert != NULL ? X509_get_ext_by_NID(cert, NID_authority_key_identifier, -1) : -1;

    if (i < 0)
        return cert;
    X509_EXTENSION_free(X509_delete_ext(cert, i));
    if (X509_sign(cert, tm_pki.interm_key, EVP_sha256()) <= 0) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* A CertifiedKeyPair with cert (up-referenced, may be NULL) and priv (taken over). */
static PKIXCMP_CertifiedKeyPair *ckp_new(X509 *cert, PKIXCMP_EncryptedKey *priv)
{
    PKIXCMP_CertifiedKeyPair *ckp =
        (PKIXCMP_CertifiedKeyPair *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertifiedKeyPair));

    if (ckp != NULL && cert != NULL && X509_up_ref(cert)) {
        ckp->certOrEncCert->type = PKIXCMP_CERTORENCCERT_CERTIFICATE;
        ckp->certOrEncCert->value.certificate = cert;
    }
    if (ckp != NULL)
        ckp->privateKey = priv;
    return ckp;
}

static void ckp_free(PKIXCMP_CertifiedKeyPair *ckp)
{
    ASN1_item_free((ASN1_VALUE *)ckp, ASN1_ITEM_rptr(PKIXCMP_CertifiedKeyPair));
}

static void ek_free(PKIXCMP_EncryptedKey *ek)
{
    ASN1_item_free((ASN1_VALUE *)ek, ASN1_ITEM_rptr(PKIXCMP_EncryptedKey));
}

/* 1 if priv is the private key of cert: a signature by priv verifies. */
static int is_key_of(EVP_PKEY *priv, const X509 *cert)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[1024];
    size_t siglen = sizeof(sig);
    int ok = md != NULL && priv != NULL
        && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, priv) > 0
        && EVP_DigestSign(md, sig, &siglen, (const unsigned char *)"abc", 3) > 0
        && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, X509_get0_pubkey(cert)) > 0
        && EVP_DigestVerify(md, sig, siglen, (const unsigned char *)"abc", 3) == 1;

    EVP_MD_CTX_free(md);
    return ok;
}

/* The link: the mock server; for ckg, requests become central key
 * generation requests (keep_pop: the POP stays, which is wrong); the last
 * certificate response is kept. */
struct link {
    struct tm_link tm;
    int ckg, keep_pop;
    PKIXCMP_MSG *rsp;
};

static int is_certreq(int t)
{
    return t == PKIXCMP_BODY_IR || t == PKIXCMP_BODY_CR || t == PKIXCMP_BODY_KUR
        || t == PKIXCMP_BODY_CCR;
}

static PKIXCMP_MSG *xfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg)
{
    struct link *l = arg;
    PKIXCMP_MSG *copy = NULL, *rsp;
    PKIXCMP_CertReqMsg *crm;
    PKIXCMP_ProofOfPossession *pop = NULL;
    int t = pkixcmp_msg_get_body_type(req);

    if (l->ckg && is_certreq(t) && (copy = pkixcmp_msg_dup(req)) != NULL) {
        crm = sk_PKIXCMP_CertReqMsg_value(copy->body->value.ir, 0);
        if (l->keep_pop && crm->popo != NULL)
            pop = (PKIXCMP_ProofOfPossession *)ASN1_item_dup(
                ASN1_ITEM_rptr(PKIXCMP_ProofOfPossession), crm->popo);
        if (!pxc_enc_ckg_request(crm))
            tap_diag("pxc_enc_ckg_request failed");
        crm->popo = pop;
        sk_X509_pop_free(copy->extraCerts, X509_free);
        copy->extraCerts = NULL;
        if ((req->protection != NULL && !pkixcmp_msg_protect(ctx, copy))
            || !pkixcmp_ctx_set1_sent_request(ctx, copy))
            tap_diag("cannot protect the central key generation request");
        req = copy;
    }
    rsp = tm_transfer(ctx, req, &l->tm);
    t = pkixcmp_msg_get_body_type(rsp);
    if (rsp != NULL && (t == PKIXCMP_BODY_IP || t == PKIXCMP_BODY_CP || t == PKIXCMP_BODY_CCP)) {
        pkixcmp_msg_free(l->rsp);
        l->rsp = pkixcmp_msg_dup(rsp);
    }
    pkixcmp_msg_free(copy);
    return rsp;
}

/* The CertifiedKeyPair of the last certificate response. */
static const PKIXCMP_CertifiedKeyPair *last_ckp(const struct link *l)
{
    const PKIXCMP_CertResponse *cr = l->rsp != NULL
        ? sk_PKIXCMP_CertResponse_value(l->rsp->body->value.ip->response, 0) : NULL;

    return cr != NULL ? cr->certifiedKeyPair : NULL;
}

static int link_init(struct link *l, PKIXCMP_MOCK **mock, int ckg)
{
    memset(l, 0, sizeof(*l));
    l->tm.srv = tm_srv_new(mock);
    l->ckg = ckg;
    return l->tm.srv != NULL;
}

static void link_free(struct link *l, PKIXCMP_MOCK *mock)
{
    pkixcmp_msg_free(l->rsp);
    tm_srv_free(l->tm.srv, mock);
}

/* A client of l: MAC-protected (cert NULL) or signed with cert/key. */
static PKIXCMP_CTX *client(struct link *l, X509 *cert, EVP_PKEY *key, EVP_PKEY *newkey,
                           const char *cn, long popo)
{
    PKIXCMP_CTX *ctx = cert != NULL ? tm_cli_sig(NULL, cert, key, newkey, cn)
                                    : tm_cli_mac(NULL, newkey, cn);

    if (ctx != NULL
        && (!pkixcmp_ctx_set_transfer_cb(ctx, xfer, l)
            || !pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_POPO_METHOD, popo))) {
        pkixcmp_ctx_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* 1 if the last response to ctx had the failInfo bit of error code. */
static int has_failinfo(const PKIXCMP_CTX *ctx, int code)
{
    return (pkixcmp_ctx_get_failinfo(ctx) & (1UL << pkixcmp_err_failinfo_bit(code))) != 0;
}

/* ------------------------------------------------------------ templates */

/* RFC 9483 4.1.6 */
static void test_ckg_template(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    EVP_PKEY *k384 = EVP_EC_gen("P-384"), *rsa = EVP_RSA_gen(2048), *gen = NULL;
    X509_NAME *name = tm_name("template");
    struct pxc_certreq_params p = {0};
    PKIXCMP_CertReqMsg *crm, *back = NULL;
    X509_ALGOR *alg = NULL;
    const ASN1_OBJECT *aobj = NULL;
    const void *pval = NULL;
    unsigned char *der = NULL;
    const unsigned char *q;
    int ptype = 0, n;
    char gname[64] = "";

    p.subject = name;
    p.pubkey = p.popkey = k384;
    p.popo = PXC_POPO_SIGNATURE;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && !pxc_enc_ckg_requested(crm) && !pxc_enc_pop_is_encrcert(crm),
       "a request with a key and a signature POP asks for no central key generation");
    ok(crm != NULL && pxc_enc_ckg_request(crm) && crm->popo == NULL && pxc_enc_ckg_requested(crm),
       "made a central key generation request: no POP, the key left out");
    ok(crm != NULL
       && X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, crm->certReq->certTemplate->publicKey)
       && (X509_ALGOR_get0(&aobj, &ptype, &pval, alg),
           OBJ_obj2nid(aobj) == NID_X9_62_id_ecPublicKey)
       && ptype == V_ASN1_OBJECT && OBJ_obj2nid(pval) == NID_secp384r1,
       "the template keeps the algorithm: id-ecPublicKey, P-384");
    n = crm != NULL
        ? ASN1_item_i2d((ASN1_VALUE *)crm, &der, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg)) : 0;
    q = der;
    back = n > 0 ? (PKIXCMP_CertReqMsg *)ASN1_item_d2i(NULL, &q, n,
                                                        ASN1_ITEM_rptr(PKIXCMP_CertReqMsg)) : NULL;
    ok(back != NULL && pxc_enc_ckg_requested(back), "on the wire it still asks for central keygen");
    gen = back != NULL ? pxc_enc_ckg_keygen(ctx, back) : NULL;
    ok(gen != NULL && EVP_PKEY_get_group_name(gen, gname, sizeof(gname), NULL)
       && strcmp(gname, "secp384r1") == 0, "the KGA generates a P-384 key for it");
    EVP_PKEY_free(gen);
    ok(back != NULL && X509_PUBKEY_set0_param(back->certReq->certTemplate->publicKey,
                                              OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_UNDEF,
                                              NULL, NULL, 0)
       && pxc_enc_ckg_keygen(ctx, back) == NULL && tm_last_error() == PKIXCMP_E_BAD_TEMPLATE,
       "an EC algorithm without named curve: PKIXCMP_E_BAD_TEMPLATE");
    ok(back != NULL && X509_PUBKEY_set0_param(back->certReq->certTemplate->publicKey,
                                              OBJ_nid2obj(NID_dsa), V_ASN1_UNDEF, NULL, NULL, 0)
       && pxc_enc_ckg_keygen(ctx, back) == NULL && tm_last_error() == PKIXCMP_E_BAD_TEMPLATE,
       "a DSA template: PKIXCMP_E_BAD_TEMPLATE");
    if (back != NULL) {
        X509_PUBKEY_free(back->certReq->certTemplate->publicKey);
        back->certReq->certTemplate->publicKey = NULL;
    }
    gen = back != NULL ? pxc_enc_ckg_keygen(ctx, back) : NULL;
    ok(back != NULL && pxc_enc_ckg_requested(back) && gen != NULL && EVP_PKEY_is_a(gen, "EC"),
       "no publicKey at all asks for central keygen too; the KGA chooses EC");
    EVP_PKEY_free(gen);

    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    p.pubkey = p.popkey = rsa;
    p.popo = PXC_POPO_KEYENC;
    crm = pxc_certreq_new(ctx, &p);
    ok(crm != NULL && pxc_enc_pop_is_encrcert(crm) && !pxc_enc_ckg_requested(crm),
       "keyEncipherment subsequentMessage encrCert: the certificate is to be encrypted");
    ok(crm != NULL && ASN1_INTEGER_set(crm->popo->value.keyEncipherment->value.subsequentMessage, 1)
       && !pxc_enc_pop_is_encrcert(crm), "subsequentMessage challengeResp is not encrCert");
    gen = crm != NULL && pxc_enc_ckg_request(crm) ? pxc_enc_ckg_keygen(ctx, crm) : NULL;
    ok(gen != NULL && EVP_PKEY_is_a(gen, "RSA") && EVP_PKEY_get_bits(gen) == 2048,
       "an rsaEncryption template gets an RSA-2048 key");

    EVP_PKEY_free(gen);
    OPENSSL_free(der);
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    ASN1_item_free((ASN1_VALUE *)back, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    X509_NAME_free(name);
    EVP_PKEY_free(k384);
    EVP_PKEY_free(rsa);
    pkixcmp_ctx_free(ctx);
}

/* ------------------------------------------------ encrypted certificates */

/* RFC 9810 5.2.8.3.2 and 8.2, without a server in between */
static void test_encrcert_direct(void)
{
    PKIXCMP_CTX *srv = pkixcmp_ctx_new(NULL, NULL);
    EVP_PKEY *rsa = EVP_RSA_gen(2048), *rsa2 = EVP_RSA_gen(2048);
    EVP_PKEY *ec = EVP_EC_gen("P-256"), *ec2 = EVP_EC_gen("P-256");
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    X509 *crsa = make_cert(rsa, "encrcert rsa", "keyEncipherment", NULL);
    X509 *cec = make_cert(ec, "encrcert ec", "keyAgreement", NULL);
    X509 *ced = make_cert(ed, "encrcert ed", "digitalSignature", NULL), *got = NULL;
    PKIXCMP_CTX *own = tm_cli_mac(NULL, rsa, NULL), *other = tm_cli_mac(NULL, rsa2, NULL);
    PKIXCMP_CTX *own_ec = tm_cli_mac(NULL, ec, NULL), *other_ec = tm_cli_mac(NULL, ec2, NULL);
    PKIXCMP_CTX *nokey = tm_cli_mac(NULL, NULL, NULL);
    PKIXCMP_CertifiedKeyPair *plain = ckp_new(crsa, NULL), *enc = ckp_new(NULL, NULL);
    PKIXCMP_EncryptedKey *ek = pxc_enc_cert_new(srv, crsa), *junk = NULL;
    CMS_ContentInfo *cms = NULL;

    ok(ek != NULL && ek->type == PKIXCMP_ENCRYPTEDKEY_ENVELOPEDDATA
       && ek->value.envelopedData->data[0] == 0xA0,
       "the certificate encrypted: EncryptedKey envelopedData [0]");
    if (enc != NULL && ek != NULL) {
        ASN1_item_free((ASN1_VALUE *)enc->certOrEncCert, ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
        enc->certOrEncCert = (PKIXCMP_CertOrEncCert *)ASN1_item_new(
            ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
        enc->certOrEncCert->type = PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT;
        enc->certOrEncCert->value.encryptedCert = ek; /* transferred */
    }
    ok(pxc_enc_get1_cert(own, enc, &got) == 1 && X509_cmp(got, crsa) == 0,
       "RSA (key transport): decrypted with our key, the certificate");
    X509_free(got);
    ok(pxc_enc_get1_cert(other, enc, &got) == -1 && got == NULL
       && tm_last_error() == PKIXCMP_E_CMS, "another RSA key cannot decrypt it: PKIXCMP_E_CMS");
    ok(pxc_enc_get1_cert(nokey, enc, &got) == -1 && tm_last_error() == PKIXCMP_E_MISSING_PARAMETER,
       "without any key: PKIXCMP_E_MISSING_PARAMETER");

    ek = pxc_enc_cert_new(srv, cec);
    ek_free(enc->certOrEncCert->value.encryptedCert);
    enc->certOrEncCert->value.encryptedCert = ek;
    ok(ek != NULL && pxc_enc_get1_cert(own_ec, enc, &got) == 1 && X509_cmp(got, cec) == 0,
       "EC (key agreement): decrypted with our key, the certificate");
    X509_free(got);
    ok(pxc_enc_get1_cert(other_ec, enc, &got) == -1 && tm_last_error() == PKIXCMP_E_CMS,
       "another EC key cannot decrypt it: PKIXCMP_E_CMS");
    ok(pxc_enc_cert_new(srv, ced) == NULL && tm_last_error() == PKIXCMP_E_CMS,
       "an Ed25519 key cannot be encrypted for: PKIXCMP_E_CMS");

    /* RFC 9810 8.2: only a certificate may come out */
    cms = pxc_enc_envelope_new(srv);
    junk = cms != NULL && pxc_enc_add_recipient(cms, cec, 0)
        ? pxc_enc_finish(cms, NULL, (const unsigned char *)"\x30\x03\x02\x01\x05", 5) : NULL;
    CMS_ContentInfo_free(cms);
    ek_free(enc->certOrEncCert->value.encryptedCert);
    enc->certOrEncCert->value.encryptedCert = junk;
    ok(junk != NULL && pxc_enc_get1_cert(own_ec, enc, &got) == -1
       && tm_last_error() == PKIXCMP_E_CMS, "decrypted content that is no certificate: refused");
    cms = pxc_enc_envelope_new(srv);
    junk = cms != NULL && pxc_enc_add_recipient(cms, cec, 0)
        ? pxc_enc_finish(cms, OBJ_nid2obj(NID_pkcs7_signed), (const unsigned char *)"\x30\x00", 2)
        : NULL;
    CMS_ContentInfo_free(cms);
    ek_free(enc->certOrEncCert->value.encryptedCert);
    enc->certOrEncCert->value.encryptedCert = junk;
    ok(junk != NULL && pxc_enc_get1_cert(own_ec, enc, &got) == -1
       && tm_last_error() == PKIXCMP_E_CMS,
       "content type id-signedData instead of id-data: refused");
    if (junk != NULL) {
        ASN1_STRING_free(junk->value.envelopedData);
        junk->type = PKIXCMP_ENCRYPTEDKEY_ENCRYPTEDVALUE;
        junk->value.encryptedValue = (PKIXCMP_EncryptedValue *)ASN1_item_new(
            ASN1_ITEM_rptr(PKIXCMP_EncryptedValue));
    }
    ok(pxc_enc_get1_cert(own_ec, enc, &got) == -1 && tm_last_error() == PKIXCMP_E_CMS,
       "the deprecated encryptedValue: refused");
    ok(pxc_enc_get1_cert(own, plain, &got) == 1 && got == crsa,
       "a plain certificate is taken as it is");
    X509_free(got);

    ckp_free(plain);
    ckp_free(enc);
    pkixcmp_ctx_free(own);
    pkixcmp_ctx_free(other);
    pkixcmp_ctx_free(own_ec);
    pkixcmp_ctx_free(other_ec);
    pkixcmp_ctx_free(nokey);
    pkixcmp_ctx_free(srv);
    X509_free(crsa);
    X509_free(cec);
    X509_free(ced);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(rsa2);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ec2);
    EVP_PKEY_free(ed);
}

/* The indirect POP through the mock: ir with -popo 2 (RSA) and 3 (EC). */
static void test_encrcert_mock(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct link l;
    int up = link_init(&l, &mock, 0);
    EVP_PKEY *rsa = EVP_RSA_gen(2048), *ec = tm_newkey(), *ec2 = tm_newkey();
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    PKIXCMP_CTX *c1 = client(&l, NULL, NULL, rsa, "encrcert rsa", PXC_POPO_KEYENC);
    PKIXCMP_CTX *c2 = client(&l, tm_pki.client, tm_pki.client_key, ec, "encrcert ec",
                             PXC_POPO_KEYAGREE);
    PKIXCMP_CTX *c3 = client(&l, NULL, NULL, ec2, "encrcert implicit", PXC_POPO_KEYAGREE);
    PKIXCMP_CTX *c4 = client(&l, NULL, NULL, ec2, "plain implicit", PXC_POPO_SIGNATURE);
    PKIXCMP_CTX *c5 = client(&l, NULL, NULL, ed, "encrcert ed25519", PXC_POPO_KEYENC);
    const PKIXCMP_CertifiedKeyPair *ckp;

    ok(up && pkixcmp_exec_ir(c1), "ir, MAC, RSA key, POP keyEncipherment encrCert: enrolled");
    ckp = last_ckp(&l);
    ok(ckp != NULL && ckp->certOrEncCert->type == PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT,
       "the ip carried the certificate encrypted");
    ok(tm_issued(pkixcmp_ctx_get0_newcert(c1), "encrcert rsa", rsa),
       "the decrypted certificate: interm issued it for our RSA key");
    ok(l.tm.n == 2 && l.tm.types[1] == PKIXCMP_BODY_CERTCONF,
       "certConf sent: its certHash is the proof of possession");
    l.tm.n = 0;
    /* RFC 9810 7: "cmp2021 SHOULD only be used if cmp2021 syntax is needed
     * for the request being sent or for the expected response" */
    ok(up && pkixcmp_ctx_set_option(c2, PKIXCMP_OPT_PVNO, 3) && pkixcmp_exec_ir(c2),
       "ir, pvno 3, signed, EC key, POP keyAgreement encrCert: enrolled");
    ckp = last_ckp(&l);
    ok(ckp != NULL && ckp->certOrEncCert->type == PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT
       && tm_issued(pkixcmp_ctx_get0_newcert(c2), "encrcert ec", ec),
       "encrypted for the EC key (key agreement) and decrypted");
    ok(l.rsp != NULL && ASN1_INTEGER_get(l.rsp->header->pvno) == 3, "the ip came with pvno 3");

    /* implicit confirmation granted: not for an encrypted certificate */
    ok(up && pkixcmp_srv_ctx_set_option(l.tm.srv, PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM, 1)
       && pkixcmp_ctx_set_option(c3, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1)
       && pkixcmp_ctx_set_option(c4, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1),
       "implicitConfirm asked and granted");
    l.tm.n = 0;
    ok(pkixcmp_exec_ir(c4) && l.tm.n == 1,
       "a plain certificate: implicitly confirmed, no certConf");
    l.tm.n = 0;
    ok(pkixcmp_exec_ir(c3) && l.tm.n == 2 && l.tm.types[1] == PKIXCMP_BODY_CERTCONF,
       "an encrypted certificate: certConf all the same (RFC 9810 5.2.8.3.2)");

    ok(up && !pkixcmp_exec_ir(c5)
       && has_failinfo(c5, PKIXCMP_E_BAD_POP),
       "an Ed25519 key with encrCert: refused with badPOP (cannot encrypt for it)");
    tm_last_error();
    is_int(up ? pkixcmp_mock_count(mock) : 0, 4, "four certificates issued, none for Ed25519");
    is_int(up ? pxc_srv_ctx_open_txns(l.tm.srv) : 1, 0, "no transaction left open");

    pkixcmp_ctx_free(c1);
    pkixcmp_ctx_free(c2);
    pkixcmp_ctx_free(c3);
    pkixcmp_ctx_free(c4);
    pkixcmp_ctx_free(c5);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(ec);
    EVP_PKEY_free(ec2);
    EVP_PKEY_free(ed);
    link_free(&l, mock);
}

/* ------------------------------------------------ central key generation */

/* The key the client took: the context's new key. */
static EVP_PKEY *newkey_of(const PKIXCMP_CTX *ctx)
{
    return ctx->cl.newkey;
}

/* The privateKey of the last response, as RFC 9483 4.1.6 wants it: content
 * type id-signedData, SignedData of id-ct-KP-aKeyPackage, one SignerInfo
 * named by subjectKeyIdentifier, signed by signer. */
static int package_as_required(const struct link *l, const X509 *signer)
{
    const PKIXCMP_CertifiedKeyPair *ckp = last_ckp(l);
    ASN1_OCTET_STRING *secret = ASN1_OCTET_STRING_new();
    unsigned char *sd = NULL, *ci = NULL, *w;
    const unsigned char *q;
    size_t sdlen = 0;
    CMS_ContentInfo *cms = NULL;
    STACK_OF(X509) *signers = NULL;
    ASN1_OCTET_STRING *keyid = NULL;
    char oid[64] = "";
    int len, total, ok = 0;

    if (ckp == NULL || secret == NULL
        || !ASN1_OCTET_STRING_set(secret, (unsigned char *)"test1234", 8)
        || !pxc_enc_open(ckp->privateKey, NULL, secret, NID_pkcs7_signed, "test", &sd, &sdlen))
        goto out;
    /* ContentInfo { id-signedData, [0] SignedData } */
    len = 11 + ASN1_object_size(1, (int)sdlen, 0);
    total = ASN1_object_size(1, len, V_ASN1_SEQUENCE);
    if ((ci = OPENSSL_malloc((size_t)total)) == NULL)
        goto out;
    w = ci;
    ASN1_put_object(&w, 1, len, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL);
    memcpy(w, "\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02", 11);
    w += 11;
    ASN1_put_object(&w, 1, (int)sdlen, 0, V_ASN1_CONTEXT_SPECIFIC);
    memcpy(w, sd, sdlen);
    q = ci;
    ok = (cms = d2i_CMS_ContentInfo(NULL, &q, total)) != NULL
        && OBJ_obj2txt(oid, sizeof(oid), CMS_get0_eContentType(cms), 1) > 0
        && strcmp(oid, OID_AKEY_PACKAGE) == 0
        && sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) == 1
        && CMS_SignerInfo_get0_signer_id(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
                                         &keyid, NULL, NULL)
        && keyid != NULL
        && CMS_verify(cms, NULL, NULL, NULL, NULL, CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) > 0
        && (signers = CMS_get0_signers(cms)) != NULL
        && X509_cmp(sk_X509_value(signers, 0), signer) == 0;
out:
    sk_X509_free(signers);
    CMS_ContentInfo_free(cms);
    OPENSSL_free(ci);
    OPENSSL_clear_free(sd, sdlen);
    ASN1_OCTET_STRING_free(secret);
    return ok;
}

/* RFC 9483 4.1.6.3: MAC-protected, the private key comes with the secret (PWRI) */
static void test_ckg_mac(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct link l;
    int up = link_init(&l, &mock, 1);
    EVP_PKEY *hint = tm_newkey(), *rsa_hint = EVP_RSA_gen(2048), *fixed = tm_newkey();
    PKIXCMP_CTX *c1 = client(&l, NULL, NULL, hint, "ckg mac", PXC_POPO_NONE);
    PKIXCMP_CTX *c2 = client(&l, NULL, NULL, rsa_hint, "ckg mac rsa", PXC_POPO_NONE);
    PKIXCMP_CTX *c3 = client(&l, NULL, NULL, hint, "ckg rsp_key", PXC_POPO_NONE);
    X509_STORE *store = tu_store("root.crt");
    const PKIXCMP_CertifiedKeyPair *ckp;
    X509 *cert;

    ok(up && pkixcmp_ctx_set1_out_trusted(c1, store) && pkixcmp_exec_ir(c1),
       "ir, MAC, central key generation: enrolled");
    cert = pkixcmp_ctx_get0_newcert(c1);
    ckp = last_ckp(&l);
    ok(ckp != NULL && ckp->privateKey != NULL
       && ckp->privateKey->type == PKIXCMP_ENCRYPTEDKEY_ENVELOPEDDATA,
       "the ip carried the private key (privateKey envelopedData)");
    ok(tm_issued(cert, "ckg mac", newkey_of(c1)) && is_key_of(newkey_of(c1), cert),
       "interm issued the certificate for the key we got, and it is its private key");
    ok(EVP_PKEY_eq(newkey_of(c1), hint) != 1 && EVP_PKEY_is_a(newkey_of(c1), "EC"),
       "a new EC key, not the one that named the algorithm");
    ok(package_as_required(&l, tm_pki.interm),
       "SignedData of an AsymmetricKeyPackage, signer by SKID: the issuing CA");
    ok(l.tm.n == 2 && l.tm.types[1] == PKIXCMP_BODY_CERTCONF, "then certConf");
    ok(up && pkixcmp_exec_ir(c2) && EVP_PKEY_is_a(newkey_of(c2), "RSA")
       && is_key_of(newkey_of(c2), pkixcmp_ctx_get0_newcert(c2)),
       "an RSA template: an RSA key comes back for the certificate");
    ok(up && pkixcmp_mock_set1_rsp_key(mock, fixed) && pkixcmp_exec_ir(c3)
       && EVP_PKEY_eq(newkey_of(c3), fixed) == 1
       && tm_issued(pkixcmp_ctx_get0_newcert(c3), "ckg rsp_key", fixed),
       "with -rsp_key, that key comes back, certified");
    ok(up && pkixcmp_mock_set1_rsp_key(mock, NULL), "rsp_key cleared");

    X509_STORE_free(store);
    pkixcmp_ctx_free(c1);
    pkixcmp_ctx_free(c2);
    pkixcmp_ctx_free(c3);
    EVP_PKEY_free(hint);
    EVP_PKEY_free(rsa_hint);
    EVP_PKEY_free(fixed);
    link_free(&l, mock);
}

/* RFC 9483 4.1.6.1 and 4.1.6.2: signature-protected, the private key is
 * encrypted for the protection certificate */
static void test_ckg_sig(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct link l;
    int up = link_init(&l, &mock, 1);
    X509 *crsa = tu_cert("client_rsa.crt");
    EVP_PKEY *krsa = tu_key("client_rsa.key"), *kec = tm_newkey(), *hint = tm_newkey();
    X509 *cec = make_cert(kec, "kari client", "critical,digitalSignature,keyAgreement", NULL);
    PKIXCMP_CTX *c1 = client(&l, crsa, krsa, hint, "ckg ktri", PXC_POPO_NONE);
    PKIXCMP_CTX *c2 = client(&l, cec, kec, hint, "ckg kari", PXC_POPO_NONE);
    PKIXCMP_CTX *c3 = client(&l, tm_pki.client, tm_pki.client_key, hint, "ckg no ku",
                             PXC_POPO_NONE);

    ok(up && pkixcmp_exec_ir(c1)
       && tm_issued(pkixcmp_ctx_get0_newcert(c1), "ckg ktri", newkey_of(c1))
       && is_key_of(newkey_of(c1), pkixcmp_ctx_get0_newcert(c1)),
       "signed with an RSA keyEncipherment certificate: the key came by key transport");
    ok(up && pkixcmp_exec_ir(c2)
       && tm_issued(pkixcmp_ctx_get0_newcert(c2), "ckg kari", newkey_of(c2))
       && is_key_of(newkey_of(c2), pkixcmp_ctx_get0_newcert(c2)),
       "signed with an EC keyAgreement certificate: the key came by key agreement");
    ok(up && !pkixcmp_exec_ir(c3)
       && has_failinfo(c3, PKIXCMP_E_NOT_AUTHORIZED),
       "an EC certificate without keyAgreement: refused with notAuthorized");
    tm_last_error();
    ok(newkey_of(c3) == hint, "and the client keeps its key");
    is_int(up ? pkixcmp_mock_count(mock) : 0, 2, "nothing was issued for it");

    X509_free(crsa);
    X509_free(cec);
    EVP_PKEY_free(krsa);
    EVP_PKEY_free(kec);
    EVP_PKEY_free(hint);
    pkixcmp_ctx_free(c1);
    pkixcmp_ctx_free(c2);
    pkixcmp_ctx_free(c3);
    link_free(&l, mock);
}

/* What the server refuses, and the fixed mode of the mock. */
static void test_ckg_server(void)
{
    PKIXCMP_MOCK *mock = NULL;
    struct link l;
    int up = link_init(&l, &mock, 1);
    EVP_PKEY *hint = tm_newkey();
    X509 *crsa = tu_cert("client_rsa.crt");
    EVP_PKEY *krsa = tu_key("client_rsa.key");
    PKIXCMP_CTX *c1 = client(&l, NULL, NULL, hint, "ckg with pop", PXC_POPO_SIGNATURE);
    PKIXCMP_CTX *c2 = client(&l, NULL, NULL, hint, "ckg ccr", PXC_POPO_NONE);
    PKIXCMP_CTX *c3 = client(&l, NULL, NULL, hint, "ckg unprotected", PXC_POPO_NONE);
    PKIXCMP_CTX *c4 = client(&l, NULL, NULL, hint, "ckg fixed", PXC_POPO_NONE);
    size_t issued;

    l.keep_pop = 1;
    ok(up && !pkixcmp_exec_ir(c1)
       && has_failinfo(c1, PKIXCMP_E_BAD_POP),
       "no key in the template, but a POP: badPOP");
    tm_last_error();
    l.keep_pop = 0;
    ok(up && !pkixcmp_exec_ccr(c2)
       && has_failinfo(c2, PKIXCMP_E_BAD_TEMPLATE),
       "ccr without key (RFC 9810 5.3.12: no private key in a ccp): badCertTemplate");
    tm_last_error();
    ok(up && pkixcmp_srv_ctx_set_option(l.tm.srv, PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED, 1)
       && pkixcmp_ctx_set_option(c3, PKIXCMP_OPT_UNPROTECTED_SEND, 1) && !pkixcmp_exec_ir(c3)
       && has_failinfo(c3, PKIXCMP_E_NOT_AUTHORIZED),
       "an unprotected request gets no private key: notAuthorized");
    tm_last_error();
    issued = up ? pkixcmp_mock_count(mock) : 0;
    is_int(issued, 0, "nothing issued for the refused requests");

    /* fixed mode: -rsp_cert with -rsp_key; signed by the server itself */
    ok(up && pkixcmp_mock_set1_rsp_cert(mock, crsa) && pkixcmp_mock_set1_rsp_key(mock, hint)
       && !pkixcmp_exec_ir(c4)
       && has_failinfo(c4, PKIXCMP_E_CA_FAILURE),
       "fixed mode, -rsp_cert not for -rsp_key: systemFailure");
    tm_last_error();
    ok(up && pkixcmp_mock_set1_rsp_key(mock, krsa) && !pkixcmp_exec_ir(c4)
       && tm_last_error() == PKIXCMP_E_CERT_REJECTED,
       "fixed mode, signed by the server (an RA, no id-kp-cmKGA): our client rejects the key");
    ok(up && pkixcmp_ctx_set1_srvcert(c4, tm_pki.server) && pkixcmp_exec_ir(c4)
       && EVP_PKEY_eq(newkey_of(c4), krsa) == 1
       && X509_cmp(pkixcmp_ctx_get0_newcert(c4), crsa) == 0,
       "... but accepts it from the pinned server certificate (local configuration, RFC 9810 4.5)");
    ok(up && pkixcmp_mock_count(mock) == issued, "fixed mode issues nothing");

    X509_free(crsa);
    EVP_PKEY_free(krsa);
    EVP_PKEY_free(hint);
    pkixcmp_ctx_free(c1);
    pkixcmp_ctx_free(c2);
    pkixcmp_ctx_free(c3);
    pkixcmp_ctx_free(c4);
    link_free(&l, mock);
}

/* The client's checks of a private key, without a server in between. */
static void test_ckg_client(void)
{
    PKIXCMP_CTX *srv = pkixcmp_ctx_new(NULL, NULL);
    ASN1_OCTET_STRING *secret = ASN1_OCTET_STRING_new(), *wrong = ASN1_OCTET_STRING_new();
    EVP_PKEY *key = tm_newkey(), *other = tm_newkey(), *kga_key = tm_newkey();
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    X509 *cert = make_cert(key, "ckg client", "digitalSignature", NULL);
    X509 *cother = make_cert(other, "ckg other", "digitalSignature", NULL);
    X509 *kga = make_cert(kga_key, "kga", "digitalSignature", "cmKGA");
    X509 *ced = make_cert(ed, "ckg ed", "keyAgreement", NULL);
    X509 *noakid = without_akid(make_cert(key, "ckg noakid", "digitalSignature", NULL));
    EVP_PKEY *fake_key = EVP_RSA_gen(2048); /* as interm's: the names and algorithms fit */
    X509 *fake_ca = make_cert(fake_key, "pkixcmp test intermediate CA",
                              "digitalSignature,keyCertSign", NULL);
    struct pxc_enc_signer by_fake_ca = {fake_ca, fake_key, NULL};
    X509 *untrusted = tu_cert("bad_untrusted.crt");
    EVP_PKEY *untrusted_key = tu_key("bad_untrusted.key");
    struct pxc_enc_signer by_ca = {tm_pki.interm, tm_pki.interm_key, NULL};
    struct pxc_enc_signer by_kga = {kga, kga_key, NULL};
    struct pxc_enc_signer by_ra = {tm_pki.server, tm_pki.server_key, NULL};
    struct pxc_enc_signer by_stranger = {untrusted, untrusted_key, NULL};
    struct pxc_enc_signer none = {NULL, NULL, NULL};
    PKIXCMP_CTX *cl = tm_cli_mac(NULL, NULL, NULL), *notrust = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_EncryptedKey *ek;
    PKIXCMP_CertifiedKeyPair *ckp;
    EVP_PKEY *got;
    char why[200];

    ok(secret != NULL && wrong != NULL
       && ASN1_OCTET_STRING_set(secret, (unsigned char *)"test1234", 8)
       && ASN1_OCTET_STRING_set(wrong, (unsigned char *)"test1235", 8)
       && pkixcmp_ctx_set1_secret(notrust, (const unsigned char *)"test1234", 8),
       "secrets set up");
    ek = pxc_enc_newkey_new(srv, key, &by_ca, secret, NULL);
    got = ek != NULL ? pxc_enc_newkey_open(cl, ek, cert) : NULL;
    ok(got != NULL && EVP_PKEY_eq(got, key) == 1 && is_key_of(got, cert),
       "signed by the CA, with the secret: the private key comes out");
    EVP_PKEY_free(got);
    ok(ek != NULL && pxc_enc_newkey_open(notrust, ek, cert) == NULL
       && tm_last_error() == PKIXCMP_E_UNTRUSTED_SIGNER,
       "without trust anchors the signer cannot be validated: PKIXCMP_E_UNTRUSTED_SIGNER");
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_ca, wrong, NULL);
    ok(ek != NULL && pxc_enc_newkey_open(cl, ek, cert) == NULL && tm_last_error() == PKIXCMP_E_CMS,
       "encrypted with another secret: PKIXCMP_E_CMS");
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_ca, secret, NULL);
    got = ek != NULL ? pxc_enc_newkey_open(cl, ek, noakid) : NULL;
    ok(got != NULL, "signed by the CA, for a certificate without AKID: taken");
    EVP_PKEY_free(got);
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_fake_ca, secret, NULL);
    ok(ek != NULL && pxc_enc_newkey_open(cl, ek, noakid) == NULL
       && tm_last_error() == PKIXCMP_E_NOT_AUTHORIZED,
       "signed with the CA's name but another key (did not issue it): PKIXCMP_E_NOT_AUTHORIZED");
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_kga, secret, NULL);
    got = ek != NULL ? pxc_enc_newkey_open(cl, ek, cert) : NULL;
    ok(got != NULL && EVP_PKEY_eq(got, key) == 1,
       "signed by a certificate with id-kp-cmKGA: taken");
    EVP_PKEY_free(got);
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_ra, secret, NULL);
    ok(ek != NULL && pxc_enc_newkey_open(cl, ek, cert) == NULL
       && tm_last_error() == PKIXCMP_E_NOT_AUTHORIZED,
       "signed by an RA certificate without id-kp-cmKGA: PKIXCMP_E_NOT_AUTHORIZED");
    ek_free(ek);
    ek = pxc_enc_newkey_new(srv, key, &by_stranger, secret, NULL);
    ok(ek != NULL && pxc_enc_newkey_open(cl, ek, cert) == NULL
       && tm_last_error() == PKIXCMP_E_UNTRUSTED_SIGNER,
       "signed by a certificate of another PKI: PKIXCMP_E_UNTRUSTED_SIGNER");
    ek_free(ek);
    ok(pxc_enc_newkey_new(srv, key, &none, secret, NULL) == NULL
       && tm_last_error() == PKIXCMP_E_MISSING_PARAMETER,
       "no KGA to sign: PKIXCMP_E_MISSING_PARAMETER");
    ok(pxc_enc_newkey_new(srv, key, &by_ca, NULL, NULL) == NULL
       && tm_last_error() == PKIXCMP_E_NOT_AUTHORIZED,
       "neither secret nor recipient: PKIXCMP_E_NOT_AUTHORIZED");
    ok(pxc_enc_newkey_new(srv, key, &by_ca, NULL, ced) == NULL
       && tm_last_error() == PKIXCMP_E_NOT_AUTHORIZED,
       "an Ed25519 recipient: PKIXCMP_E_NOT_AUTHORIZED");

    /* pxc_enc_take_newkey: asked (-popo -1) or not, and for which certificate */
    ek = pxc_enc_newkey_new(srv, key, &by_ca, secret, NULL);
    ckp = ckp_new(cother, ek);
    ok(ckp != NULL && pkixcmp_ctx_set_option(cl, PKIXCMP_OPT_POPO_METHOD, PXC_POPO_NONE)
       && !pxc_enc_take_newkey(cl, ckp, cother, why, sizeof(why))
       && tm_last_error() == PKIXCMP_E_BAD_RESPONSE && newkey_of(cl) == NULL,
       "a private key that is not the certificate's: rejected (%s)", why);
    ok(pkixcmp_ctx_set_option(cl, PKIXCMP_OPT_POPO_METHOD, PXC_POPO_SIGNATURE)
       && !pxc_enc_take_newkey(cl, ckp, cert, why, sizeof(why))
       && tm_last_error() == PKIXCMP_E_BAD_RESPONSE,
       "a private key not asked for: rejected (%s)", why);
    ok(pkixcmp_ctx_set_option(cl, PKIXCMP_OPT_POPO_METHOD, PXC_POPO_NONE)
       && pxc_enc_take_newkey(cl, ckp, cert, why, sizeof(why))
       && EVP_PKEY_eq(newkey_of(cl), key) == 1,
       "asked for, for the certificate: the context's new key");
    ckp_free(ckp);
    ckp = ckp_new(cother, NULL);
    ok(!pxc_enc_take_newkey(cl, ckp, cother, why, sizeof(why))
       && tm_last_error() == PKIXCMP_E_BAD_RESPONSE, "asked for, none came: rejected (%s)", why);
    ok(pkixcmp_ctx_set1_newkey(cl, other) && pxc_enc_take_newkey(cl, ckp, cother, why, sizeof(why)),
       "none came, but the certificate is for our own key: taken");
    ckp_free(ckp);

    pkixcmp_ctx_free(srv);
    pkixcmp_ctx_free(cl);
    pkixcmp_ctx_free(notrust);
    ASN1_OCTET_STRING_free(secret);
    ASN1_OCTET_STRING_free(wrong);
    X509_free(cert);
    X509_free(cother);
    X509_free(kga);
    X509_free(ced);
    X509_free(untrusted);
    EVP_PKEY_free(untrusted_key);
    X509_free(noakid);
    X509_free(fake_ca);
    EVP_PKEY_free(fake_key);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    EVP_PKEY_free(kga_key);
    EVP_PKEY_free(ed);
}

int main(void)
{
    if (!ok(tm_init(), "test PKI loaded"))
        return tap_done();
    test_ckg_template();
    test_encrcert_direct();
    test_encrcert_mock();
    test_ckg_mac();
    test_ckg_sig();
    test_ckg_server();
    test_ckg_client();
    tm_cleanup();
    return tap_done();
}
