/*
 * typed_oid.c - OID -> value type tables for InfoTypeAndValue (RFC 9810
 * section 5.3.19, id-it 1..24) and CRMF controls/regInfo (RFC 4211 section
 * 6 and 7, RFC 9810 section 5.2.9 for id-regCtrl 7, 11, 12).
 *
 * OIDs are matched on their content octets, so OIDs that OpenSSL 3.0 does not
 * know (id-it 20..24, id-regCtrl 7/11/12) need no OBJ_create() and the
 * library leaves OpenSSL's global object table alone.
 */
#include <string.h>
#include <openssl/objects.h>
#include "asn1_types.h"
#include "typed_oid.h"

/* id-it = 1.3.6.1.5.5.7.4: 2B 06 01 05 05 07 04 */
#define ID_IT(n) (const unsigned char[]){0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x04, n}, 8
/* id-regCtrl = 1.3.6.1.5.5.7.5.1, id-regInfo = 1.3.6.1.5.5.7.5.2 */
#define ID_REGCTRL(n) (const unsigned char[]){0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x05, 0x01, n}, 9
#define ID_REGINFO(n) (const unsigned char[]){0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x05, 0x02, n}, 9

static const PXC_TYPED_OID itav_table[] = {
    {ID_IT(1), "id-it-caProtEncCert", ASN1_ITEM_ref(X509), NULL},
    {ID_IT(2), "id-it-signKeyPairTypes", ASN1_ITEM_ref(PKIXCMP_AlgorithmIdentifiers), NULL},
    {ID_IT(3), "id-it-encKeyPairTypes", ASN1_ITEM_ref(PKIXCMP_AlgorithmIdentifiers), NULL},
    {ID_IT(4), "id-it-preferredSymmAlg", ASN1_ITEM_ref(X509_ALGOR), NULL},
    {ID_IT(5), "id-it-caKeyUpdateInfo", ASN1_ITEM_ref(PKIXCMP_CAKeyUpdAnnContent), NULL},
    {ID_IT(6), "id-it-currentCRL", ASN1_ITEM_ref(X509_CRL), NULL},
    {ID_IT(7), "id-it-unsupportedOIDs", ASN1_ITEM_ref(PKIXCMP_ObjectIdentifiers), NULL},
    /* 8 and 9 are in OpenSSL's object table only; no RFC defines a value */
    {ID_IT(8), "id-it-subscriptionRequest", NULL, NULL},
    {ID_IT(9), "id-it-subscriptionResponse", NULL, NULL},
    {ID_IT(10), "id-it-keyPairParamReq", ASN1_ITEM_ref(ASN1_OBJECT), NULL},
    {ID_IT(11), "id-it-keyPairParamRep", ASN1_ITEM_ref(X509_ALGOR), NULL},
    {ID_IT(12), "id-it-revPassphrase", ASN1_ITEM_ref(PKIXCMP_EncryptedKey), NULL},
    {ID_IT(13), "id-it-implicitConfirm", ASN1_ITEM_ref(ASN1_NULL), NULL},
    {ID_IT(14), "id-it-confirmWaitTime", ASN1_ITEM_ref(ASN1_GENERALIZEDTIME), NULL},
    {ID_IT(15), "id-it-origPKIMessage", ASN1_ITEM_ref(PKIXCMP_PKIMessages), NULL},
    {ID_IT(16), "id-it-suppLangTags", ASN1_ITEM_ref(PKIXCMP_UTF8Strings), NULL},
    {ID_IT(17), "id-it-caCerts", ASN1_ITEM_ref(PKIXCMP_CMPCertificates), NULL},
    {ID_IT(18), "id-it-rootCaKeyUpdate", ASN1_ITEM_ref(PKIXCMP_RootCaKeyUpdateContent), NULL},
    {ID_IT(19), "id-it-certReqTemplate", ASN1_ITEM_ref(PKIXCMP_CertReqTemplateContent), NULL},
    {ID_IT(20), "id-it-rootCaCert", ASN1_ITEM_ref(X509), NULL},
    {ID_IT(21), "id-it-certProfile", ASN1_ITEM_ref(PKIXCMP_UTF8Strings), NULL},
    {ID_IT(22), "id-it-crlStatusList", ASN1_ITEM_ref(PKIXCMP_CRLStatusList), NULL},
    {ID_IT(23), "id-it-crls", ASN1_ITEM_ref(PKIXCMP_CertificateLists), NULL},
    {ID_IT(24), "id-it-KemCiphertextInfo", ASN1_ITEM_ref(PKIXCMP_KemCiphertextInfo), NULL},
};

static const PXC_TYPED_OID attr_table[] = {
    {ID_REGCTRL(1), "id-regCtrl-regToken", ASN1_ITEM_ref(ASN1_UTF8STRING), NULL},
    {ID_REGCTRL(2), "id-regCtrl-authenticator", ASN1_ITEM_ref(ASN1_UTF8STRING), NULL},
    {ID_REGCTRL(3), "id-regCtrl-pkiPublicationInfo", ASN1_ITEM_ref(PKIXCMP_PKIPublicationInfo), NULL},
    {ID_REGCTRL(4), "id-regCtrl-pkiArchiveOptions", ASN1_ITEM_ref(PKIXCMP_PKIArchiveOptions), NULL},
    {ID_REGCTRL(5), "id-regCtrl-oldCertID", ASN1_ITEM_ref(PKIXCMP_CertId), NULL},
    {ID_REGCTRL(6), "id-regCtrl-protocolEncrKey", ASN1_ITEM_ref(X509_PUBKEY), NULL},
    {ID_REGCTRL(7), "id-regCtrl-altCertTemplate", ASN1_ITEM_ref(PKIXCMP_AttributeTypeAndValue), NULL},
    {ID_REGCTRL(11), "id-regCtrl-algId", ASN1_ITEM_ref(X509_ALGOR), NULL},
    {ID_REGCTRL(12), "id-regCtrl-rsaKeyLen", ASN1_ITEM_ref(ASN1_INTEGER), NULL},
    {ID_REGINFO(1), "id-regInfo-utf8Pairs", ASN1_ITEM_ref(ASN1_UTF8STRING), NULL},
    {ID_REGINFO(2), "id-regInfo-certReq", ASN1_ITEM_ref(PKIXCMP_CertRequest), NULL},
};

static const PXC_TYPED_OID *lookup(const PXC_TYPED_OID *table, size_t n,
                                   const ASN1_OBJECT *oid)
{
    const unsigned char *data;
    size_t len, i;

    if (oid == NULL)
        return NULL;
    data = OBJ_get0_data(oid);
    len = OBJ_length(oid);
    for (i = 0; i < n; i++)
        if (table[i].oidlen == len && memcmp(table[i].oid, data, len) == 0)
            return &table[i];
    return NULL;
}

const PXC_TYPED_OID *pxc_itav_lookup(const ASN1_OBJECT *oid)
{
    return lookup(itav_table, PXC_NELEM(itav_table), oid);
}

const PXC_TYPED_OID *pxc_attr_lookup(const ASN1_OBJECT *oid)
{
    return lookup(attr_table, PXC_NELEM(attr_table), oid);
}

const PXC_TYPED_OID *pxc_itav_by_name(const char *name)
{
    size_t i;

    if (strncmp(name, "id-it-", 6) == 0)
        name += 6;
    for (i = 0; i < PXC_NELEM(itav_table); i++)
        if (strcmp(itav_table[i].name + 6, name) == 0)
            return &itav_table[i];
    return NULL;
}

ASN1_VALUE *pxc_typed_value_decode(const PXC_TYPED_OID *row,
                                   const ASN1_TYPE *value, const char *where)
{
    const ASN1_ITEM *it = ASN1_ITEM_ptr(row->item);
    unsigned char *der = NULL, *reenc = NULL;
    const unsigned char *p;
    ASN1_VALUE *ret = NULL, *v = NULL;
    int len, relen;

    len = i2d_ASN1_TYPE((ASN1_TYPE *)value, &der);
    if (len <= 0) {
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "%s %s: value cannot be encoded", where, row->name);
        goto out;
    }
    p = der;
    v = ASN1_item_d2i(NULL, &p, len, it);
    if (v == NULL || p != der + len) {
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "%s %s: value is not a %s", where, row->name, pxc_item_name(it));
        goto out;
    }
    /* DER: the typed value must encode back to the same bytes */
    relen = ASN1_item_i2d(v, &reenc, it);
    if (relen != len || memcmp(reenc, der, (size_t)len) != 0) {
        PXC_ERR(PKIXCMP_E_ITAV_VALUE, "%s %s: value is not DER-encoded", where, row->name);
        goto out;
    }
    ret = v;
    v = NULL; /* transferred */
out:
    ASN1_item_free(v, it);
    OPENSSL_free(der);
    OPENSSL_free(reenc);
    return ret;
}
