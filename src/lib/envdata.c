/*
 * envdata.c - EnvelopedData DER <-> CMS_ContentInfo.
 *
 * OpenSSL 3.0 exports no item for a bare EnvelopedData, only for ContentInfo
 * ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }. So the bare
 * DER is wrapped into (or cut out of) a ContentInfo of type
 * id-envelopedData (1.2.840.113549.1.7.3) here, byte for byte.
 */
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include "der_tlv.h"
#include "envdata.h"

/* DER of OBJECT IDENTIFIER 1.2.840.113549.1.7.3 */
static const unsigned char oid_enveloped[] = {
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03,
};

CMS_ContentInfo *pxc_envdata_to_cms(const ASN1_STRING *env)
{
    const unsigned char *data = ASN1_STRING_get0_data(env), *p;
    size_t elen = (size_t)ASN1_STRING_length(env), clen, total;
    unsigned char tag0[6], *buf = NULL, *w;
    size_t tag0len;
    CMS_ContentInfo *cms = NULL;

    if (elen < 2 || elen > 0x7fffff00) {
        PXC_ERR(PKIXCMP_E_CMS, "EnvelopedData: %zu bytes is no EnvelopedData", elen);
        goto out;
    }
    /* ContentInfo ::= 30 L { 06 09 <id-envelopedData>, A0 L { 30 ... } } */
    tag0[0] = 0xA0;
    tag0len = 1 + pxc_der_put_len(tag0 + 1, elen);
    clen = sizeof(oid_enveloped) + tag0len + elen;
    total = 6 + clen;
    if ((buf = OPENSSL_malloc(total)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "EnvelopedData: %zu bytes", total);
        goto out;
    }
    w = buf;
    *w++ = 0x30;
    w += pxc_der_put_len(w, clen);
    memcpy(w, oid_enveloped, sizeof(oid_enveloped));
    w += sizeof(oid_enveloped);
    memcpy(w, tag0, tag0len);
    w += tag0len;
    memcpy(w, data, elen);
    w[0] = 0x30; /* the stored first octet may be an IMPLICIT tag */
    w += elen;
    p = buf;
    cms = d2i_CMS_ContentInfo(NULL, &p, (long)(w - buf));
    if (cms == NULL || p != w || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_enveloped) {
        CMS_ContentInfo_free(cms);
        cms = NULL;
        PXC_ERR(PKIXCMP_E_CMS, "EnvelopedData: not a valid EnvelopedData for OpenSSL's CMS");
    }
out:
    OPENSSL_free(buf);
    return cms;
}

/* Skips one DER header at *p (within end); returns the content length. */
static int skip_header(const unsigned char **p, const unsigned char *end, long *len)
{
    int tag, xclass;
    long plen = (long)(end - *p);

    if ((ASN1_get_object(p, len, &tag, &xclass, plen) & 0x80) != 0)
        return 0;
    return *len <= (long)(end - *p);
}

ASN1_STRING *pxc_envdata_from_cms(const CMS_ContentInfo *cms, unsigned char tag_octet)
{
    unsigned char *der = NULL;
    const unsigned char *p, *end, *env;
    long len;
    int n;
    ASN1_STRING *ret = NULL;

    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_enveloped) {
        PXC_ERR(PKIXCMP_E_CMS, "CMS content is not EnvelopedData");
        goto out;
    }
    n = i2d_CMS_ContentInfo((CMS_ContentInfo *)cms, &der);
    if (n <= 0) {
        PXC_ERR(PKIXCMP_E_CMS, "EnvelopedData: CMS encoding failed");
        goto out;
    }
    p = der;
    end = der + n;
    /* ContentInfo SEQUENCE, then the OID, then [0], then EnvelopedData */
    if (!skip_header(&p, end, &len) || !skip_header(&p, end, &len))
        goto bad;
    p += len;
    if (!skip_header(&p, end, &len))
        goto bad;
    env = p;
    if (!skip_header(&p, end, &len))
        goto bad;
    p += len;
    ret = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
    if (ret == NULL || !ASN1_STRING_set(ret, env, (int)(p - env))) {
        ASN1_STRING_free(ret);
        ret = NULL;
        PXC_ERR(PKIXCMP_E_MALLOC, "EnvelopedData copy");
        goto out;
    }
    ret->data[0] = tag_octet;
    goto out;
bad:
    PXC_ERR(PKIXCMP_E_CMS, "EnvelopedData: unexpected CMS encoding");
out:
    OPENSSL_free(der);
    return ret;
}
