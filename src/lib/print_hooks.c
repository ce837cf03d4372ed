/*
 * print_hooks.c - custom printers of the template printer (print.c) for the
 * types whose structure says less than a line of text would: names,
 * certificates, algorithms with their parameters, PKIStatus and
 * PKIFailureInfo by name, InfoTypeAndValue and controls by their OID's
 * type, EnvelopedData by what the CMS API sees in it, and PKIBody as
 * { type, content }.
 *
 * All input is a decoded attacker message: OpenSSL calls that may fail on
 * odd content run between ERR_set_mark() and ERR_pop_to_mark(), and a value
 * that cannot be shown as its type is shown as hex instead.
 */
#include <string.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "asn1_types.h"
#include "cert_der.h"
#include "envdata.h"
#include "hdr_build.h"
#include "print.h"
#include "spki.h"
#include "typed_oid.h"

/* Bits of a PKIFailureInfo beyond the named ones that are listed singly. */
#define FAILINFO_MAX_UNNAMED 16
/* Bytes of an undecodable EnvelopedData shown. */
#define ENVDATA_PREFIX 32

static int bio_put_hex(BIO *b, const unsigned char *data, size_t len)
{
    static const char digits[] = "0123456789ABCDEF";
    char pair[2];
    size_t i;
    int ret = 0;

    for (i = 0; i < len; i++) {
        pair[0] = digits[data[i] >> 4];
        pair[1] = digits[data[i] & 0x0F];
        if (BIO_write(b, pair, 2) != 2)
            goto out;
    }
    ret = 1;
out:
    return ret;
}

/* ----------------------------------------------------------- X509_NAME */

/* Appends an attribute value as UTF-8, with the separators of the one-line
 * form escaped, so that "O=a/CN=b" cannot pass for two attributes. */
static int put_name_value(BIO *b, const ASN1_STRING *v)
{
    unsigned char *utf8 = NULL;
    const unsigned char *data = v->data;
    int len, i, start = 0, ret = 0;

    ERR_set_mark();
    len = ASN1_STRING_to_UTF8(&utf8, v);
    ERR_pop_to_mark();
    if (len < 0) /* not a string type, or badly encoded: the raw bytes */
        len = v->length;
    else
        data = utf8;
    for (i = 0; i <= len; i++) {
        if (i < len && data[i] != '/' && data[i] != '+' && data[i] != '\\')
            continue;
        if (!pxc_bio_put_text(b, data + start, (size_t)(i - start))
            || (i < len && BIO_write(b, "\\", 1) != 1))
            goto out;
        start = i; /* the separator itself goes out with the next run */
    }
    ret = 1;
out:
    OPENSSL_free(utf8);
    return ret;
}

/* "/C=DE/O=x/CN=y", multi-valued RDNs joined with "+". */
static int put_name(BIO *b, const X509_NAME *n)
{
    const X509_NAME_ENTRY *ne;
    const ASN1_OBJECT *obj;
    char *key = NULL;
    int i, nid, set, prev = -1, ret = 0;

    for (i = 0; i < X509_NAME_entry_count(n); i++) {
        ne = X509_NAME_get_entry(n, i);
        obj = X509_NAME_ENTRY_get_object(ne);
        set = X509_NAME_ENTRY_set(ne);
        nid = OBJ_obj2nid(obj);
        key = nid != NID_undef ? OPENSSL_strdup(OBJ_nid2sn(nid)) : pxc_oid_text(obj, 0);
        if (key == NULL || BIO_puts(b, i > 0 && set == prev ? "+" : "/") != 1
            || !pxc_bio_put_text(b, (const unsigned char *)key, strlen(key))
            || BIO_write(b, "=", 1) != 1 || !put_name_value(b, X509_NAME_ENTRY_get_data(ne)))
            goto out;
        OPENSSL_free(key);
        key = NULL;
        prev = set;
    }
    ret = 1;
out:
    OPENSSL_free(key);
    return ret;
}

static int name_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                     const ASN1_ITEM *it)
{
    BIO *b = BIO_new(BIO_s_mem());
    int ret = b != NULL && put_name(b, (const X509_NAME *)val)
              && pxc_node_add_bio(parent, name, b) != NULL;

    (void)it;
    BIO_free(b);
    return ret;
}

/* -------------------------------------------------------- GENERAL_NAME */

static int gn_ia5(BIO *b, const GENERAL_NAME *gn)
{
    return pxc_bio_put_text(b, gn->d.ia5->data, (size_t)gn->d.ia5->length);
}

static int gn_dirname(BIO *b, const GENERAL_NAME *gn)
{
    return put_name(b, gn->d.directoryName);
}

static int gn_ip(BIO *b, const GENERAL_NAME *gn)
{
    const unsigned char *a = gn->d.ip->data;
    int i, ret = 0;

    if (gn->d.ip->length == 4) {
        ret = BIO_printf(b, "%d.%d.%d.%d", a[0], a[1], a[2], a[3]) > 0;
        goto out;
    }
    /* not an address (in a name constraint it would be address + mask) */
    if (gn->d.ip->length != 16) {
        ret = bio_put_hex(b, a, (size_t)gn->d.ip->length);
        goto out;
    }
    /* IPv6 as eight groups, uncompressed */
    for (i = 0; i < 16; i += 2)
        if (BIO_printf(b, "%s%X", i > 0 ? ":" : "", (unsigned)(a[i] << 8 | a[i + 1])) <= 0)
            goto out;
    ret = 1;
out:
    return ret;
}

static int gn_rid(BIO *b, const GENERAL_NAME *gn)
{
    char *text = pxc_oid_text(gn->d.registeredID, 1);
    int ret = text != NULL && pxc_bio_put_text(b, (const unsigned char *)text, strlen(text));

    OPENSSL_free(text);
    return ret;
}

/* Forms without a text representation: the DER of the whole GeneralName. */
static int gn_der(BIO *b, const GENERAL_NAME *gn)
{
    unsigned char *der = NULL;
    int len, ret;

    ERR_set_mark();
    len = i2d_GENERAL_NAME((GENERAL_NAME *)gn, &der);
    ERR_pop_to_mark();
    ret = len > 0 && bio_put_hex(b, der, (size_t)len);
    OPENSSL_free(der);
    return ret;
}

typedef int gn_writer(BIO *b, const GENERAL_NAME *gn);

static const struct {
    int type;
    const char *prefix;
    gn_writer *write;
} gn_forms[] = {
    {GEN_OTHERNAME, "othername:", gn_der},
    {GEN_EMAIL, "email:", gn_ia5},
    {GEN_DNS, "DNS:", gn_ia5},
    {GEN_X400, "X400Name:", gn_der},
    {GEN_DIRNAME, "DirName:", gn_dirname},
    {GEN_EDIPARTY, "EdiPartyName:", gn_der},
    {GEN_URI, "URI:", gn_ia5},
    {GEN_IPADD, "IP:", gn_ip},
    {GEN_RID, "RID:", gn_rid},
};

static int general_name_hook(PXC_NODE *parent, const char *name,
                             const ASN1_VALUE *val, const ASN1_ITEM *it)
{
    const GENERAL_NAME *gn = (const GENERAL_NAME *)val;
    BIO *b = BIO_new(BIO_s_mem());
    size_t i;
    int ret = 0;

    (void)it;
    if (b == NULL)
        goto out;
    for (i = 0; i < PXC_NELEM(gn_forms); i++)
        if (gn_forms[i].type == gn->type)
            break;
    if (i == PXC_NELEM(gn_forms)) {
        ret = pxc_node_add_stringf(parent, name, "type %d", gn->type) != NULL;
        goto out;
    }
    if (BIO_puts(b, gn_forms[i].prefix) <= 0 || !gn_forms[i].write(b, gn))
        goto out;
    ret = pxc_node_add_bio(parent, name, b) != NULL;
out:
    BIO_free(b);
    return ret;
}

/* ------------------------------------------------- typed values by OID */

/* nsn algorithms arc 1.2.840.113533.7.66, pkcs-5, pkcs-1 */
#define NSN_ALG(n) (const unsigned char[]){0x2A, 0x86, 0x48, 0x86, 0xF6, 0x7D, 0x07, 0x42, n}, 9
#define PKCS5(n) (const unsigned char[]){0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, n}, 9
#define PKCS1(n) (const unsigned char[]){0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, n}, 9

/* AlgorithmIdentifier parameters decoded by the algorithm's OID. */
static const PXC_TYPED_OID param_table[] = {
    {NSN_ALG(13), "id-PasswordBasedMac", ASN1_ITEM_ref(PKIXCMP_PBMParameter), NULL},
    {NSN_ALG(30), "id-DHBasedMac", ASN1_ITEM_ref(PKIXCMP_DHBMParameter), NULL},
    {NSN_ALG(16), "id-KemBasedMac", ASN1_ITEM_ref(PKIXCMP_KemBMParameter), NULL},
    {PKCS5(14), "id-PBMAC1", ASN1_ITEM_ref(PKIXCMP_PBMAC1Params), NULL},
    {PKCS5(12), "id-PBKDF2", ASN1_ITEM_ref(PKIXCMP_PBKDF2Params), NULL},
    {PKCS1(10), "id-RSASSA-PSS", ASN1_ITEM_ref(RSA_PSS_PARAMS), NULL},
    {PKCS1(7), "id-RSAES-OAEP", ASN1_ITEM_ref(RSA_OAEP_PARAMS), NULL},
    {PKCS1(8), "id-mgf1", ASN1_ITEM_ref(X509_ALGOR), NULL},
};

static const PXC_TYPED_OID *param_lookup(const ASN1_OBJECT *oid)
{
    const unsigned char *data = OBJ_get0_data(oid);
    size_t len = OBJ_length(oid), i;

    for (i = 0; i < PXC_NELEM(param_table); i++)
        if (param_table[i].oidlen == len && memcmp(param_table[i].oid, data, len) == 0)
            return &param_table[i];
    return NULL;
}

/*
 * Adds value as the row's type. If there is no row or type, or the value is
 * not of its type, adds it as it came: raw, the hex of its DER; else as an
 * ANY (primitive types by type).
 */
static int print_typed_value(PXC_NODE *parent, const char *name, const PXC_TYPED_OID *row,
                             const ASN1_TYPE *value, int raw)
{
    const ASN1_ITEM *it = NULL;
    ASN1_VALUE *v = NULL;
    int ret;

    if (row != NULL && row->item != NULL) {
        it = ASN1_ITEM_ptr(row->item);
        ERR_set_mark();
        v = pxc_typed_value_decode(row, value, "print");
        ERR_pop_to_mark(); /* a failure is shown by the hex below */
    }
    if (v == NULL)
        return raw ? pxc_print_der(parent, name, (const ASN1_VALUE *)value,
                                   ASN1_ITEM_rptr(ASN1_ANY))
                   : pxc_print_any(parent, name, value);
    ret = row->print != NULL ? row->print(parent, name, v, it)
                             : pxc_print_item(parent, name, v, it);
    ASN1_item_free(v, it);
    return ret;
}

/* InfoTypeAndValue / AttributeTypeAndValue: { type, value } */
static int typed_pair(PXC_NODE *parent, const char *name, const char *type_name,
                      const char *value_name, const ASN1_OBJECT *type,
                      const ASN1_TYPE *value, const PXC_TYPED_OID *row)
{
    PXC_NODE *obj = pxc_node_add_object(parent, name);

    if (obj == NULL || !pxc_print_oid(obj, type_name, type))
        return 0;
    if (value == NULL) /* e.g. a genm asking for caCerts */
        return 1;
    return print_typed_value(obj, value_name, row, value, 1);
}

static int itav_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                     const ASN1_ITEM *it)
{
    const PKIXCMP_InfoTypeAndValue *itav = (const PKIXCMP_InfoTypeAndValue *)val;

    (void)it;
    return typed_pair(parent, name, "infoType", "infoValue", itav->infoType,
                      itav->infoValue, pxc_itav_lookup(itav->infoType));
}

static int atav_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                     const ASN1_ITEM *it)
{
    const PKIXCMP_AttributeTypeAndValue *atav = (const PKIXCMP_AttributeTypeAndValue *)val;

    (void)it;
    return typed_pair(parent, name, "type", "value", atav->type, atav->value,
                      pxc_attr_lookup(atav->type));
}

/* AlgorithmIdentifier: just the name without parameters (or NULL ones),
 * else { algorithm, parameters } with the parameters decoded if known. */
static int algor_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                      const ASN1_ITEM *it)
{
    const X509_ALGOR *alg = (const X509_ALGOR *)val;
    const ASN1_OBJECT *obj = NULL;
    const void *pval = NULL;
    PXC_NODE *o;
    int ptype = V_ASN1_UNDEF, ret;

    (void)it;
    X509_ALGOR_get0(&obj, &ptype, &pval, alg);
    if (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL)
        ret = pxc_print_oid(parent, name, obj);
    else
        ret = (o = pxc_node_add_object(parent, name)) != NULL
              && pxc_print_oid(o, "algorithm", obj)
              && print_typed_value(o, "parameters", param_lookup(obj), alg->parameter, 0);
    return ret;
}

/* ------------------------------------------------- PKIStatus, failInfo */

static int status_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                       const ASN1_ITEM *it)
{
    const ASN1_INTEGER *status = (const ASN1_INTEGER *)val;
    long long v;

    (void)it;
    if (pxc_integer_value(status, &v) && pxc_status_name((long)v) != NULL)
        return pxc_node_add_string(parent, name, pxc_status_name((long)v)) != NULL;
    return pxc_print_integer(parent, name, status);
}

/* An array of the names of the bits set. Bits past the named ones are
 * listed as "bit N", at most FAILINFO_MAX_UNNAMED of them: a long BIT
 * STRING of ones must not become millions of nodes. */
static int failinfo_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                         const ASN1_ITEM *it)
{
    const ASN1_BIT_STRING *bits = (const ASN1_BIT_STRING *)val;
    PXC_NODE *arr = pxc_node_add_array(parent, name), *added;
    long long n, unnamed = 0;
    int ret = 0;

    (void)it;
    if (arr == NULL)
        goto out;
    for (n = 0; n < (long long)bits->length * 8; n++) {
        if (n % 8 == 0 && bits->data[n / 8] == 0) { /* a zero byte at once */
            n += 7;
            continue;
        }
        if (!ASN1_BIT_STRING_get_bit(bits, (int)n))
            continue;
        if (pxc_failinfo_name((int)n) != NULL)
            added = pxc_node_add_string(arr, NULL, pxc_failinfo_name((int)n));
        else if (unnamed++ < FAILINFO_MAX_UNNAMED)
            added = pxc_node_add_stringf(arr, NULL, "bit %lld", n);
        else
            continue; /* counted only */
        if (added == NULL)
            goto out;
    }
    if (unnamed > FAILINFO_MAX_UNNAMED
        && pxc_node_add_stringf(arr, NULL, "(%lld more bits)",
                                unnamed - FAILINFO_MAX_UNNAMED) == NULL)
        goto out;
    ret = 1;
out:
    return ret;
}

/* --------------------------------------------- keys, extensions, certs */

/* SubjectPublicKeyInfo: { algorithm, bits, curve } as far as OpenSSL knows
 * the key; unknown keys show their algorithm parameters instead. */
static int pubkey_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                       const ASN1_ITEM *it)
{
    const X509_PUBKEY *pub = (const X509_PUBKEY *)val;
    ASN1_OBJECT *alg = NULL;
    X509_ALGOR *pa = NULL;
    EVP_PKEY *pkey;
    char curve[80];
    size_t clen = 0;
    PXC_NODE *o;
    int ret = 0, bits = 0, has_curve = 0, known;

    (void)it;
    if ((o = pxc_node_add_object(parent, name)) == NULL
        || !X509_PUBKEY_get0_param(&alg, NULL, NULL, &pa, pub)
        || !pxc_print_oid(o, "algorithm", alg))
        goto out;
    ERR_set_mark();
    if ((pkey = pxc_spki_get1_pkey(pub, NULL, NULL)) != NULL) {
        bits = EVP_PKEY_get_bits(pkey);
        has_curve = EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                                   curve, sizeof(curve), &clen);
    }
    ERR_pop_to_mark();
    known = pkey != NULL;
    EVP_PKEY_free(pkey);
    if ((bits > 0 && pxc_node_add_int(o, "bits", bits) == NULL)
        || (has_curve && pxc_node_add_string(o, "curve", curve) == NULL))
        goto out;
    if (!known && pa != NULL && pa->parameter != NULL
        && !pxc_print_any(o, "parameters", pa->parameter))
        goto out;
    ret = 1;
out:
    return ret;
}

/* Multi-line extension texts (CRL distribution points ...) on one line. */
static int put_one_line(BIO *b, const char *text, size_t len)
{
    size_t i = 0, start;
    int ret = 0;

    while (i < len) {
        for (start = i; i < len && text[i] != '\n' && text[i] != '\r'; i++)
            continue;
        if (i > start && !pxc_bio_put_text(b, (const unsigned char *)text + start, i - start))
            goto out;
        /* a line break and the next line's indent become ", " */
        while (i < len && (text[i] == '\n' || text[i] == '\r' || text[i] == ' '))
            i++;
        if (i < len && BIO_puts(b, ", ") != 2)
            goto out;
    }
    ret = 1;
out:
    return ret;
}

/* Extension: { name, critical, value } with the value as OpenSSL prints it,
 * or its hex if OpenSSL cannot. */
static int extension_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                          const ASN1_ITEM *it)
{
    X509_EXTENSION *ext = (X509_EXTENSION *)val;
    const ASN1_OCTET_STRING *data = X509_EXTENSION_get_data(ext);
    BIO *raw = BIO_new(BIO_s_mem()), *line = BIO_new(BIO_s_mem());
    PXC_NODE *o;
    char *text = NULL;
    long len = 0;
    int ret = 0, printed;

    (void)it;
    if (raw == NULL || line == NULL || (o = pxc_node_add_object(parent, name)) == NULL
        || !pxc_print_oid(o, "name", X509_EXTENSION_get_object(ext))
        || pxc_node_add_bool(o, "critical", X509_EXTENSION_get_critical(ext) > 0) == NULL)
        goto out;
    ERR_set_mark();
    printed = X509V3_EXT_print(raw, ext, X509V3_EXT_DEFAULT, 0) > 0;
    ERR_pop_to_mark();
    if (printed)
        len = BIO_get_mem_data(raw, &text);
    if (!printed || len <= 0) {
        ret = pxc_node_add_hex(o, "value", data->data, (size_t)data->length) != NULL;
        goto out;
    }
    ret = put_one_line(line, text, (size_t)len) && pxc_node_add_bio(o, "value", line) != NULL;
out:
    BIO_free(raw);
    BIO_free(line);
    return ret;
}

/* The names of extensions, for certificates and CSRs (compact). */
static int extension_names(PXC_NODE *parent, const char *name,
                           const STACK_OF(X509_EXTENSION) *exts)
{
    PXC_NODE *arr = NULL;
    char *text;
    int i, added, ret = 0;

    /* no extensions: no member */
    if (sk_X509_EXTENSION_num(exts) > 0 && (arr = pxc_node_add_array(parent, name)) == NULL)
        goto out;
    for (i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        text = pxc_oid_text(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(exts, i)), 0);
        added = text != NULL && pxc_node_add_string(arr, NULL, text) != NULL;
        OPENSSL_free(text);
        if (!added)
            goto out;
    }
    ret = 1;
out:
    return ret;
}

static int add_name(PXC_NODE *parent, const char *name, const X509_NAME *n)
{
    return name_hook(parent, name, (const ASN1_VALUE *)n, ASN1_ITEM_rptr(X509_NAME));
}

static int add_algor(PXC_NODE *parent, const char *name, const X509_ALGOR *alg)
{
    return alg == NULL || algor_hook(parent, name, (const ASN1_VALUE *)alg,
                                     ASN1_ITEM_rptr(X509_ALGOR));
}

static int add_pubkey(PXC_NODE *parent, const char *name, const X509_PUBKEY *pub)
{
    return pub == NULL || pubkey_hook(parent, name, (const ASN1_VALUE *)pub,
                                      ASN1_ITEM_rptr(X509_PUBKEY));
}

/* Certificate: the fields one looks for, not the whole structure. */
static int cert_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                     const ASN1_ITEM *it)
{
    const X509 *x = (const X509 *)val;
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    PXC_NODE *o;

    (void)it;
    X509_get0_signature(&sig, &alg, x);
    return (o = pxc_node_add_object(parent, name)) != NULL
           && add_name(o, "subject", X509_get_subject_name(x))
           && add_name(o, "issuer", X509_get_issuer_name(x))
           && pxc_print_integer(o, "serialNumber", X509_get0_serialNumber(x))
           && pxc_print_time(o, "notBefore", X509_get0_notBefore(x))
           && pxc_print_time(o, "notAfter", X509_get0_notAfter(x))
           && add_pubkey(o, "publicKey", X509_get_X509_PUBKEY(x))
           && add_algor(o, "signatureAlgorithm", alg)
           && extension_names(o, "extensions", X509_get0_extensions(x));
}

static int crl_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                    const ASN1_ITEM *it)
{
    X509_CRL *crl = (X509_CRL *)val;
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
    int revoked = sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl));
    PXC_NODE *o;

    (void)it;
    X509_CRL_get0_signature(crl, &sig, &alg);
    return (o = pxc_node_add_object(parent, name)) != NULL
           && add_name(o, "issuer", X509_CRL_get_issuer(crl))
           && pxc_print_time(o, "lastUpdate", X509_CRL_get0_lastUpdate(crl))
           && (next == NULL || pxc_print_time(o, "nextUpdate", next))
           && pxc_node_add_int(o, "revoked", revoked > 0 ? revoked : 0) != NULL
           && add_algor(o, "signatureAlgorithm", alg);
}

/* PKCS#10 request (p10cr) */
static int req_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                    const ASN1_ITEM *it)
{
    X509_REQ *req = (X509_REQ *)val;
    STACK_OF(X509_EXTENSION) *exts;
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *alg = NULL;
    PXC_NODE *o;
    int ret;

    (void)it;
    X509_REQ_get0_signature(req, &sig, &alg);
    ERR_set_mark();
    exts = X509_REQ_get_extensions(req); /* decodes the attribute: may fail */
    ERR_pop_to_mark();
    ret = (o = pxc_node_add_object(parent, name)) != NULL
          && add_name(o, "subject", X509_REQ_get_subject_name(req))
          && add_pubkey(o, "publicKey", X509_REQ_get_X509_PUBKEY(req))
          && add_algor(o, "signatureAlgorithm", alg)
          && extension_names(o, "extensions", exts);
    sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
    return ret;
}

/* -------------------------------------------------------- EnvelopedData */

/* Reads the TLV header at *p (of *left bytes) and steps into its content. */
static int tlv_enter(const unsigned char **p, long *left, long *len, int *tag, int *cls)
{
    const unsigned char *q = *p;
    int r = ASN1_get_object(&q, len, tag, cls, *left);

    if ((r & 0x80) != 0 || r == 0x21) /* error, or indefinite length */
        return 0;
    *left -= (long)(q - *p);
    *p = q;
    return 1;
}

/*
 * contentEncryptionAlgorithm, which the CMS API of OpenSSL 3.0 has no getter
 * for, from the DER (whose own tag may be IMPLICIT): EnvelopedData ::=
 * SEQUENCE { version, originatorInfo [0] OPTIONAL, recipientInfos SET,
 * encryptedContentInfo SEQUENCE { contentType, contentEncryptionAlgorithm,
 * ... }, ... }: in the first universal SEQUENCE inside.
 */
static X509_ALGOR *envdata_cipher(const unsigned char *p, long left)
{
    X509_ALGOR *ret = NULL;
    long len;
    int tag, cls, i, found = 0;

    if (!tlv_enter(&p, &left, &len, &tag, &cls))
        goto out;
    left = len;
    for (i = 0; i < 4 && !found; i++) {
        if (!tlv_enter(&p, &left, &len, &tag, &cls))
            goto out;
        found = cls == V_ASN1_UNIVERSAL && tag == V_ASN1_SEQUENCE;
        if (!found) {
            p += len;
            left -= len;
        }
    }
    left = len;
    if (!found || !tlv_enter(&p, &left, &len, &tag, &cls)) /* contentType */
        goto out;
    p += len;
    left -= len;
    ret = d2i_X509_ALGOR(NULL, &p, left);
out:
    return ret;
}

/* RecipientInfo CHOICE arms, by CMS_RecipientInfo_type() (CMS_RECIPINFO_*) */
static const char *const recipient_kinds[] = {"ktri", "kari", "kekri", "pwri", "ori"};

static int envdata_details(PXC_NODE *obj, CMS_ContentInfo *cms, const X509_ALGOR *alg)
{
    STACK_OF(CMS_RecipientInfo) *ris = CMS_get0_RecipientInfos(cms);
    PXC_NODE *arr, *added;
    int i, kind, n = sk_CMS_RecipientInfo_num(ris), ret = 0;

    if (pxc_node_add_int(obj, "recipientInfos", n > 0 ? n : 0) == NULL
        || (arr = pxc_node_add_array(obj, "recipientTypes")) == NULL)
        goto out;
    for (i = 0; i < n; i++) {
        kind = CMS_RecipientInfo_type(sk_CMS_RecipientInfo_value(ris, i));
        if (kind >= 0 && (size_t)kind < PXC_NELEM(recipient_kinds))
            added = pxc_node_add_string(arr, NULL, recipient_kinds[kind]);
        else
            added = pxc_node_add_int(arr, NULL, kind);
        if (added == NULL)
            goto out;
    }
    ret = pxc_print_oid(obj, "contentType", CMS_get0_eContentType(cms))
          && add_algor(obj, "contentEncryptionAlgorithm", alg);
out:
    return ret;
}

/* EnvelopedData (kept as its DER): { bytes, recipientInfos, recipientTypes,
 * contentType, contentEncryptionAlgorithm }, or { bytes, prefix } if the
 * CMS API cannot parse it (nothing is decrypted). */
static int envdata_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                        const ASN1_ITEM *it)
{
    const ASN1_STRING *env = (const ASN1_STRING *)val;
    CMS_ContentInfo *cms = NULL;
    X509_ALGOR *alg = NULL;
    PXC_NODE *obj;
    int ret = 0;

    (void)it;
    if ((obj = pxc_node_add_object(parent, name)) == NULL
        || pxc_node_add_int(obj, "bytes", env->length) == NULL)
        goto out;
    ERR_set_mark();
    if ((cms = pxc_envdata_to_cms(env)) != NULL)
        alg = envdata_cipher(env->data, env->length);
    ERR_pop_to_mark();
    if (cms == NULL || alg == NULL) {
        ret = pxc_node_add_hex(obj, "prefix", env->data,
                               env->length > ENVDATA_PREFIX ? ENVDATA_PREFIX
                                                            : (size_t)env->length) != NULL;
        goto out;
    }
    ret = envdata_details(obj, cms, alg);
out:
    CMS_ContentInfo_free(cms);
    X509_ALGOR_free(alg);
    return ret;
}

/* ------------------------------------------------------------- PKIBody */

/* { type: the arm's name ("ir"), content: the arm } rather than the
 * generic { ir: ... }, so that readers find the type at a fixed place. */
static int body_hook(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                     const ASN1_ITEM *it)
{
    const ASN1_VALUE *const *slot = NULL;
    const ASN1_TEMPLATE *tt = pxc_choice_arm(val, it, &slot);
    PXC_NODE *obj = pxc_node_add_object(parent, name);
    char arm[64];
    int ret = 0;

    if (obj == NULL)
        goto out;
    if (tt == NULL) { /* only a body built by code can have no arm */
        ret = pxc_node_add_null(obj, "type") != NULL;
        goto out;
    }
    ret = pxc_node_add_string(obj, "type", pxc_field_name(tt, arm, sizeof(arm))) != NULL
          && pxc_print_template(obj, "content", slot, tt);
out:
    return ret;
}

/* ---------------------------------------------------------------- table */

static const struct {
    ASN1_ITEM_EXP *item;
    pxc_print_hook *print;
} hooks[] = {
    {ASN1_ITEM_ref(PKIXCMP_PKIBody), body_hook},
    {ASN1_ITEM_ref(PKIXCMP_PKIStatus), status_hook},
    {ASN1_ITEM_ref(PKIXCMP_PKIFailureInfo), failinfo_hook},
    {ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue), itav_hook},
    {ASN1_ITEM_ref(PKIXCMP_AttributeTypeAndValue), atav_hook},
    {ASN1_ITEM_ref(ASN1_SEQUENCE), envdata_hook}, /* only EnvelopedData uses it */
    {ASN1_ITEM_ref(X509), cert_hook},
    {ASN1_ITEM_ref(PXC_CERT), cert_hook},
    {ASN1_ITEM_ref(X509_CRL), crl_hook},
    {ASN1_ITEM_ref(X509_REQ), req_hook},
    {ASN1_ITEM_ref(X509_PUBKEY), pubkey_hook},
    {ASN1_ITEM_ref(PXC_PUBKEY), pubkey_hook},
    {ASN1_ITEM_ref(X509_EXTENSION), extension_hook},
    {ASN1_ITEM_ref(X509_NAME), name_hook},
    {ASN1_ITEM_ref(GENERAL_NAME), general_name_hook},
    {ASN1_ITEM_ref(X509_ALGOR), algor_hook},
};

pxc_print_hook *pxc_print_hook_find(const ASN1_ITEM *it)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(hooks); i++)
        if (ASN1_ITEM_ptr(hooks[i].item) == it)
            return hooks[i].print;
    return NULL;
}
