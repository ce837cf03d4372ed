/*
 * mockca_issue.c - issuing certificates from a CRMF CertTemplate or a
 * PKCS#10 request (see mockca.h for the rules).
 *
 * Both entry points reduce their request to a struct issue_req (subject,
 * key, validity, extensions, old certificate) that issue_common() turns
 * into a signed certificate: fields, extensions, signature, registry.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include "cert_der.h"
#include "mockca_local.h"
#include "spki.h"

/* What one certificate is made of, from a template or a CSR. */
struct issue_req {
    const X509_NAME *subject;              /* NULL or empty: see pick_subject */
    EVP_PKEY *pubkey;
    const X509_PUBKEY *spki;               /* pubkey's DER, if at hand */
    EVP_PKEY *own;                         /* pubkey if it is ours to free */
    const ASN1_TIME *not_before, *not_after; /* NULL: the default */
    const STACK_OF(X509_EXTENSION) *exts;  /* may be NULL */
    const X509 *oldcert;                   /* kur; may be NULL */
    time_t now;
    char *why;
    size_t why_len;
};

/* What the extensions of a request asked for, for the checks after them. */
struct ext_state {
    int have_san, have_bc, ca_requested, key_cert_sign;
};

#define FAIL(r, code, ...) MOCKCA_FAIL((r)->why, (r)->why_len, (code), __VA_ARGS__)

/* ------------------------------------------------------------ validity */

/* The time_t of t, computed as now + (t - now) to need no timegm(). */
static int time_of(const ASN1_TIME *t, time_t now, time_t *out)
{
    ASN1_TIME *ref = ASN1_TIME_set(NULL, now);
    int day = 0, sec = 0, ret = 0;

    if (ref != NULL && ASN1_TIME_check(t) && ASN1_TIME_diff(&day, &sec, ref, t)) {
        *out = now + (time_t)day * 86400 + sec;
        ret = 1;
    }
    ASN1_TIME_free(ref);
    return ret;
}

/* Sets notBefore and notAfter of x from r, else now .. now + days. */
static int set_validity(const PXC_MOCKCA *ca, X509 *x, const struct issue_req *r)
{
    time_t nb = r->now, na = 0;
    ASN1_TIME *tnb = NULL, *tna = NULL;
    int ret = 0;

    if (r->not_before != NULL && !time_of(r->not_before, r->now, &nb)) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "template notBefore is not a valid time");
        goto out;
    }
    if (r->not_after != NULL && !time_of(r->not_after, r->now, &na)) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "template notAfter is not a valid time");
        goto out;
    }
    /* ASN1_TIME_adj() writes UTCTime up to 2049 and GeneralizedTime from
     * 2050 on, as RFC 5280 4.1.2.5 requires */
    tnb = ASN1_TIME_adj(NULL, nb, 0, 0);
    tna = r->not_after != NULL ? ASN1_TIME_adj(NULL, na, 0, 0) : ASN1_TIME_adj(NULL, nb, ca->days, 0);
    if (tnb == NULL || tna == NULL) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "validity cannot be represented");
        goto out;
    }
    if (ASN1_TIME_compare(tna, tnb) <= 0) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "notAfter is not later than notBefore");
        goto out;
    }
    if (!X509_set1_notBefore(x, tnb) || !X509_set1_notAfter(x, tna)) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot set the validity");
        goto out;
    }
    ret = 1;
out:
    ASN1_TIME_free(tnb);
    ASN1_TIME_free(tna);
    return ret;
}

/* ---------------------------------------------------------- extensions */

/* 1 if ext's value decodes as its type (unknown types are not checked). */
static int ext_decodes(X509_EXTENSION *ext)
{
    const X509V3_EXT_METHOD *m = X509V3_EXT_get(ext);
    void *v;

    if (m == NULL)
        return 1;
    if ((v = X509V3_EXT_d2i(ext)) == NULL)
        return 0;
    if (m->it != NULL)
        ASN1_item_free(v, ASN1_ITEM_ptr(m->it));
    else if (m->ext_free != NULL)
        m->ext_free(v);
    return 1;
}

/* Whether to copy ext (nid) of the request: 1 copy, 0 leave out, -1 refuse
 * (raised). Records in st what the later checks need. */
static int check_ext(const PXC_MOCKCA *ca, const struct issue_req *r, X509_EXTENSION *ext,
                     int nid, struct ext_state *st)
{
    BASIC_CONSTRAINTS *bc;
    ASN1_BIT_STRING *ku;
    int ca_req, sign;

    if (!ext_decodes(ext)) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "extension %s does not decode",
             nid != NID_undef ? OBJ_nid2sn(nid) : "(unknown)");
        return -1;
    }
    switch (nid) {
    case NID_subject_key_identifier:
    case NID_authority_key_identifier:
        return 0; /* the CA computes these */
    case NID_subject_alt_name:
        st->have_san = 1;
        return 1;
    case NID_basic_constraints:
        bc = X509V3_EXT_d2i(ext);
        ca_req = bc != NULL && bc->ca;
        BASIC_CONSTRAINTS_free(bc);
        if (!ca_req)
            return 0; /* ours is CA:FALSE, and critical */
        if (!ca->allow_ca) {
            FAIL(r, PKIXCMP_E_BAD_TEMPLATE,
                 "basicConstraints cA=TRUE requested; this CA issues end-entity certificates only");
            return -1;
        }
        st->have_bc = st->ca_requested = 1;
        return 1;
    case NID_key_usage:
        ku = X509V3_EXT_d2i(ext);
        sign = ku != NULL && (ASN1_BIT_STRING_get_bit(ku, 5) || ASN1_BIT_STRING_get_bit(ku, 6));
        st->key_cert_sign = ku != NULL && ASN1_BIT_STRING_get_bit(ku, 5);
        ASN1_BIT_STRING_free(ku);
        if (sign && !ca->allow_ca) {
            FAIL(r, PKIXCMP_E_BAD_TEMPLATE,
                 "keyUsage keyCertSign or cRLSign requested; this CA issues end-entity certificates only");
            return -1;
        }
        return 1;
    /* RFC 5280 4.2.1.10: "The name constraints extension, which MUST be
     * used only in a CA certificate"; policy mappings, constraints and
     * inhibitAnyPolicy only make sense in CA certificates too */
    case NID_name_constraints:
    case NID_policy_constraints:
    case NID_policy_mappings:
    case NID_inhibit_any_policy:
        if (!ca->allow_ca) {
            FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "extension %s is for CA certificates only",
                 OBJ_nid2sn(nid));
            return -1;
        }
        return 1;
    default:
        return 1;
    }
}

/* A key identifier of pk: RFC 7093 section 2 method 1, "the leftmost
 * 160-bits of the SHA-256 hash of the value of the BIT STRING
 * subjectPublicKey". */
ASN1_OCTET_STRING *pxc_mockca_key_id(const PXC_MOCKCA *ca, const X509_PUBKEY *pk)
{
    const unsigned char *bits;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    int len;
    EVP_MD *sha256 = EVP_MD_fetch(ca->libctx, "SHA256", ca->propq);
    ASN1_OCTET_STRING *ret = NULL;

    if (sha256 != NULL && X509_PUBKEY_get0_param(NULL, &bits, &len, NULL, pk)
        && EVP_Digest(bits, (size_t)len, md, &mdlen, sha256, NULL) && mdlen >= 20
        && (ret = ASN1_OCTET_STRING_new()) != NULL && !ASN1_OCTET_STRING_set(ret, md, 20)) {
        ASN1_OCTET_STRING_free(ret);
        ret = NULL;
    }
    EVP_MD_free(sha256);
    return ret;
}

/* basicConstraints CA:FALSE (unless a CA was asked for), SKID and AKID. */
static int add_ca_exts(const PXC_MOCKCA *ca, X509 *x, const struct issue_req *r,
                       const struct ext_state *st)
{
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
    ASN1_OCTET_STRING *skid = pxc_mockca_key_id(ca, X509_get_X509_PUBKEY(x));
    int ret = 0;

    if (bc == NULL || akid == NULL || skid == NULL)
        goto fail;
    /* RFC 5280 4.2.1.1: "The keyIdentifier field of the
     * authorityKeyIdentifier extension MUST be included in all certificates
     * generated by conforming CAs to facilitate certification path
     * construction." (ca_keyid: the CA's SKID, see pxc_mockca_set1_ca) */
    if ((akid->keyid = ASN1_OCTET_STRING_dup(ca->ca_keyid)) == NULL)
        goto fail;
    bc->ca = 0;
    if ((!st->have_bc && !X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT))
        || !X509_add1_ext_i2d(x, NID_subject_key_identifier, skid, 0, X509V3_ADD_DEFAULT)
        || !X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT))
        goto fail;
    ret = 1;
    goto out;
fail:
    FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot add basicConstraints, SKID and AKID");
out:
    BASIC_CONSTRAINTS_free(bc);
    AUTHORITY_KEYID_free(akid);
    ASN1_OCTET_STRING_free(skid);
    return ret;
}

/* Copies the request's extensions to x as check_ext() allows, the old
 * certificate's SAN if the request has none, then the CA's own. */
static int add_extensions(const PXC_MOCKCA *ca, X509 *x, const struct issue_req *r,
                          struct ext_state *st)
{
    int i, j, n = sk_X509_EXTENSION_num(r->exts), idx, nid, copy;

    memset(st, 0, sizeof(*st));
    for (i = 0; i < n; i++) {
        X509_EXTENSION *ext = sk_X509_EXTENSION_value(r->exts, i);
        const ASN1_OBJECT *obj = X509_EXTENSION_get_object(ext);

        /* RFC 5280 4.2: "A certificate MUST NOT include more than one
         * instance of a particular extension." */
        for (j = 0; j < i; j++) {
            if (OBJ_cmp(obj, X509_EXTENSION_get_object(sk_X509_EXTENSION_value(r->exts, j))) == 0) {
                FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "extension %s requested twice",
                     OBJ_nid2sn(OBJ_obj2nid(obj)));
                return 0;
            }
        }
        nid = OBJ_obj2nid(obj);
        if ((copy = check_ext(ca, r, ext, nid, st)) < 0)
            return 0;
        if (copy && !X509_add_ext(x, ext, -1)) {
            FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot copy extension %s", OBJ_nid2sn(nid));
            return 0;
        }
    }
    /* RFC 5280 4.2.1.3: "If the keyCertSign bit is asserted, then the cA
     * bit in the basic constraints extension MUST also be asserted." */
    if (st->key_cert_sign && !st->ca_requested) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "keyUsage keyCertSign without basicConstraints cA=TRUE");
        return 0;
    }
    if (!st->have_san && r->oldcert != NULL
        && (idx = X509_get_ext_by_NID(r->oldcert, NID_subject_alt_name, -1)) >= 0) {
        if (!X509_add_ext(x, X509_get_ext(r->oldcert, idx), -1)) {
            FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot copy the old certificate's SAN");
            return 0;
        }
        st->have_san = 1;
    }
    return add_ca_exts(ca, x, r, st);
}

/* ------------------------------------------------------------- subject */

/* The request's subject; if it has none (or an empty one), oldcert's. */
static const X509_NAME *pick_subject(const struct issue_req *r)
{
    if ((r->subject == NULL || X509_NAME_entry_count(r->subject) == 0) && r->oldcert != NULL)
        return X509_get_subject_name(r->oldcert);
    return r->subject;
}

/* With an empty subject, checks for the SAN and marks it critical. */
static int check_empty_subject(X509 *x, const struct issue_req *r, const struct ext_state *st)
{
    int idx;

    if (X509_NAME_entry_count(X509_get_subject_name(x)) > 0)
        return 1;
    /* RFC 5280 4.2.1.6: "If the subject field contains an empty sequence,
     * then the issuing CA MUST include a subjectAltName extension that is
     * marked as critical." */
    if (!st->have_san || (idx = X509_get_ext_by_NID(x, NID_subject_alt_name, -1)) < 0) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "no subject and no subjectAltName");
        return 0;
    }
    if (!X509_EXTENSION_set_critical(X509_get_ext(x, idx), 1)) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot mark the subjectAltName critical");
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------- signing */

/* The digest the CA signs with (NULL: none), in buf if the key type
 * mandates one. */
static const char *sign_digest(const PXC_MOCKCA *ca, char *buf, size_t n)
{
    const char *mdname = ca->digest != NULL ? ca->digest : "SHA256";

    buf[0] = '\0';
    /* 2: the key type has a mandatory digest, "UNDEF" for none (EdDSA) */
    if (EVP_PKEY_get_default_digest_name(ca->cakey, buf, n) == 2)
        mdname = strcmp(buf, "UNDEF") == 0 ? NULL : buf;
    return mdname;
}

void pxc_mockca_prepare_signer(PXC_MOCKCA *ca)
{
    EVP_MD_CTX *tmpl = NULL, *probe = NULL;
    char buf[80];

    EVP_MD_CTX_free(ca->sign_tmpl);
    ca->sign_tmpl = NULL;
    if (ca->cakey == NULL)
        return;
    /* a key whose provider cannot copy a signing context is initialised
     * for each certificate, as before: no template, no error */
    ERR_set_mark();
    if ((tmpl = EVP_MD_CTX_new()) != NULL && (probe = EVP_MD_CTX_new()) != NULL
        && EVP_DigestSignInit_ex(tmpl, NULL, sign_digest(ca, buf, sizeof(buf)), ca->libctx,
                                 ca->propq, ca->cakey, NULL) > 0
        && EVP_MD_CTX_copy_ex(probe, tmpl)) {
        ca->sign_tmpl = tmpl;
        tmpl = NULL; /* transferred */
    }
    ERR_pop_to_mark();
    EVP_MD_CTX_free(probe);
    EVP_MD_CTX_free(tmpl);
}

/*
 * Signs x with the CA key: from a copy of the context initialised once
 * (pxc_mockca_prepare_signer; copies only read it, so threads share it),
 * which saves the provider and digest lookups of an initialisation per
 * certificate, else initialised here.
 */
static int sign_cert(const PXC_MOCKCA *ca, X509 *x, const struct issue_req *r)
{
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    char buf[80];
    const char *mdname = sign_digest(ca, buf, sizeof(buf));
    int ret = 0;

    if (mctx == NULL
        || (ca->sign_tmpl != NULL ? !EVP_MD_CTX_copy_ex(mctx, ca->sign_tmpl)
                                  : EVP_DigestSignInit_ex(mctx, NULL, mdname, ca->libctx,
                                                          ca->propq, ca->cakey, NULL) <= 0)
        || X509_sign_ctx(x, mctx) <= 0) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "signing with the CA key (%s, digest %s) failed",
             EVP_PKEY_get0_type_name(ca->cakey), mdname != NULL ? mdname : "none");
        goto out;
    }
    ret = 1;
out:
    EVP_MD_CTX_free(mctx);
    return ret;
}

/* ------------------------------------------------------------ issuance */

static X509 *issue_common(PXC_MOCKCA *ca, const struct issue_req *r)
{
    X509 *x = NULL, *ret = NULL;
    ASN1_INTEGER *serial = NULL;
    const X509_NAME *subject = pick_subject(r);
    struct ext_state st;

    if (ca->cacert == NULL || ca->cakey == NULL) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "no CA certificate and key configured");
        goto out;
    }
    if ((x = X509_new_ex(ca->libctx, ca->propq)) == NULL
        || (serial = pxc_mockca_new_serial(ca)) == NULL
        || !X509_set_version(x, X509_VERSION_3) || !X509_set_serialNumber(x, serial)
        || !X509_set_issuer_name(x, X509_get_subject_name(ca->cacert))
        || (subject != NULL && !X509_set_subject_name(x, subject))
        /* X509_set_pubkey() encodes and decodes the key (about 170 us
         * each with OpenSSL 3.0): the DER we have is copied instead */
        || !(r->spki != NULL ? pxc_spki_set_cert(x, r->spki) : X509_set_pubkey(x, r->pubkey))) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot fill in the certificate");
        goto out;
    }
    if (!set_validity(ca, x, r) || !add_extensions(ca, x, r, &st)
        || !check_empty_subject(x, r, &st) || !sign_cert(ca, x, r))
        goto out;
    /* finished: the registry and the answer copy this DER */
    if (!pxc_cert_keep_der(x)) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot encode the new certificate");
        goto out;
    }
    if (!pxc_mockca_reg_add(ca, x, r->now)) {
        pxc_mockca_why(r->why, r->why_len, "cannot record the certificate");
        goto out;
    }
    ret = x;
    x = NULL; /* transferred */
out:
    X509_free(x);
    ASN1_INTEGER_free(serial);
    return ret;
}

/* Fixed mode: the configured certificate, up-referenced (certificates are
 * not changed once issued; a copy would decode its key again, about a
 * seventh of a request's cost with OpenSSL 3.0). */
static X509 *fixed_cert(const PXC_MOCKCA *ca, const struct issue_req *r)
{
    if (!X509_up_ref(ca->rsp_cert)) {
        FAIL(r, PKIXCMP_E_CA_FAILURE, "cannot take the fixed certificate");
        return NULL;
    }
    return ca->rsp_cert;
}

/* The template fields a CA assigns itself, refused when present. */
static int check_template_fields(const PKIXCMP_CertTemplate *t, const struct issue_req *r)
{
    const char *field = NULL;

    /* RFC 4211 5: serialNumber and signingAlg "MUST be omitted" (the CA
     * assigns them), as must issuerUID and subjectUID (deprecated);
     * version, if supplied, MUST be v3 (2). */
    if (t->serialNumber != NULL)
        field = "serialNumber";
    else if (t->signingAlg != NULL)
        field = "signingAlg";
    else if (t->issuerUID != NULL)
        field = "issuerUID";
    else if (t->subjectUID != NULL)
        field = "subjectUID";
    if (field != NULL) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "template has a %s, which the CA assigns", field);
        return 0;
    }
    if (t->version != NULL && ASN1_INTEGER_get(t->version) != X509_VERSION_3) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "template version %ld is not v3 (2)",
             ASN1_INTEGER_get(t->version));
        return 0;
    }
    /* OptionalValidity: "at least one MUST be present" */
    if (t->validity != NULL && t->validity->notBefore == NULL && t->validity->notAfter == NULL) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "template validity has neither notBefore nor notAfter");
        return 0;
    }
    return 1;
}

/* The key to certify: pubkey and/or the template's, which must agree;
 * sets r->spki and r->own as they apply. */
static EVP_PKEY *pick_key(const PXC_MOCKCA *ca, const PKIXCMP_CertTemplate *t, EVP_PKEY *pubkey,
                          EVP_PKEY *decoded, struct issue_req *r)
{
    EVP_PKEY *tkey = NULL;

    if (t->publicKey != NULL && decoded != NULL) {
        if (!EVP_PKEY_up_ref(decoded)) {
            FAIL(r, PKIXCMP_E_MALLOC, "the template's public key");
            return NULL;
        }
        tkey = decoded;
    } else if (t->publicKey != NULL) {
        /* a key that does not decode (an empty one asks for central key
         * generation) is left to the caller when it passes pubkey */
        ERR_set_mark();
        tkey = pxc_spki_get1_pkey(t->publicKey, ca->libctx, ca->propq);
        ERR_pop_to_mark();
    }
    if (pubkey == NULL && tkey == NULL) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "no public key to certify%s",
             t->publicKey != NULL ? " (the template's does not decode)" : "");
        return NULL;
    }
    if (pubkey != NULL && tkey != NULL && EVP_PKEY_eq(pubkey, tkey) != 1) {
        FAIL(r, PKIXCMP_E_BAD_TEMPLATE, "the template's public key is not the key to certify");
        EVP_PKEY_free(tkey);
        return NULL;
    }
    if (tkey != NULL)
        r->spki = t->publicKey;
    if (pubkey != NULL) {
        EVP_PKEY_free(tkey);
        return pubkey;
    }
    return r->own = tkey;
}

X509 *pxc_mockca_issue(PXC_MOCKCA *ca, const PKIXCMP_CertTemplate *tmpl,
                       EVP_PKEY *pubkey, const X509 *oldcert, time_t now,
                       char *why, size_t why_len)
{
    return pxc_mockca_issue_key(ca, tmpl, pubkey, NULL, oldcert, now, why, why_len);
}

X509 *pxc_mockca_issue_key(PXC_MOCKCA *ca, const PKIXCMP_CertTemplate *tmpl, EVP_PKEY *pubkey,
                           EVP_PKEY *tmpl_key, const X509 *oldcert, time_t now, char *why,
                           size_t why_len)
{
    struct issue_req r;
    X509 *x;

    memset(&r, 0, sizeof(r));
    r.now = now;
    r.why = why;
    r.why_len = why_len;
    pxc_mockca_why(why, why_len, "%s", "");
    if (ca->rsp_cert != NULL)
        return fixed_cert(ca, &r);
    if (tmpl == NULL) {
        FAIL(&r, PKIXCMP_E_BAD_TEMPLATE, "no certificate template");
        return NULL;
    }
    if (!check_template_fields(tmpl, &r) || (r.pubkey = pick_key(ca, tmpl, pubkey, tmpl_key, &r)) == NULL)
        return NULL;
    r.subject = tmpl->subject;
    r.exts = tmpl->extensions;
    r.oldcert = oldcert;
    if (tmpl->validity != NULL) {
        r.not_before = tmpl->validity->notBefore;
        r.not_after = tmpl->validity->notAfter;
    }
    x = issue_common(ca, &r);
    EVP_PKEY_free(r.own);
    return x;
}

X509 *pxc_mockca_issue_csr(PXC_MOCKCA *ca, const X509_REQ *csr, time_t now,
                           char *why, size_t why_len)
{
    /* OpenSSL 3.0 takes these X509_REQ arguments as non-const but does not
     * modify them */
    X509_REQ *req = (X509_REQ *)csr;
    STACK_OF(X509_EXTENSION) *exts = NULL;
    struct issue_req r;
    X509 *ret = NULL;

    memset(&r, 0, sizeof(r));
    r.now = now;
    r.why = why;
    r.why_len = why_len;
    pxc_mockca_why(why, why_len, "%s", "");
    if (csr == NULL) {
        FAIL(&r, PKIXCMP_E_BAD_TEMPLATE, "no PKCS#10 request");
        goto out;
    }
    r.spki = X509_REQ_get_X509_PUBKEY(req);
    if ((r.pubkey = X509_REQ_get0_pubkey(req)) == NULL) {
        FAIL(&r, PKIXCMP_E_BAD_TEMPLATE, "the PKCS#10 request's public key does not decode");
        goto out;
    }
    /* The self-signature of a PKCS#10 request is its proof of possession
     * (RFC 9810 5.3.3, RFC 2986 3). */
    if (X509_REQ_verify_ex(req, r.pubkey, ca->libctx, ca->propq) <= 0) {
        FAIL(&r, PKIXCMP_E_BAD_POP, "the PKCS#10 request's signature does not verify");
        goto out;
    }
    if (ca->rsp_cert != NULL) {
        ret = fixed_cert(ca, &r);
        goto out;
    }
    /* X509_REQ_get_extensions() may leave errors when there are none */
    ERR_set_mark();
    exts = X509_REQ_get_extensions(req);
    ERR_pop_to_mark();
    if (exts == NULL && X509_REQ_get_attr_by_NID(req, NID_ext_req, -1) >= 0) {
        FAIL(&r, PKIXCMP_E_BAD_TEMPLATE, "the PKCS#10 extensionRequest does not decode");
        goto out;
    }
    r.subject = X509_REQ_get_subject_name(req);
    r.exts = exts;
    ret = issue_common(ca, &r);
out:
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return ret;
}
