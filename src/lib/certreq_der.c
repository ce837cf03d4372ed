/*
 * certreq_der.c - a CertRequest as it was received: where it lies in the
 * DER of a PKIMessage, and PXC_RAW_DER, an ASN.1 item that encodes as the
 * bytes it holds, so that ASN1_item_verify_ex() (which knows every
 * signature algorithm's parameters) checks a POP signature over those
 * bytes instead of over certReq encoded again.
 */
#include <limits.h>
#include <string.h>
#include "certreq.h"
#include "der_tlv.h"

/* Only encodes; with an IMPLICIT tag (tag != -1) it refuses. */
static int raw_i2d(const ASN1_VALUE **pval, unsigned char **out, const ASN1_ITEM *it, int tag,
                   int aclass)
{
    const struct pxc_raw_der *r = (const struct pxc_raw_der *)*pval;

    (void)it, (void)aclass;
    if (r == NULL || tag != -1 || r->len > INT_MAX)
        return -1;
    if (out != NULL && *out != NULL) {
        memcpy(*out, r->der, r->len);
        *out += r->len;
    }
    return (int)r->len;
}

static const ASN1_EXTERN_FUNCS raw_funcs = {
    NULL, NULL, NULL, NULL, NULL, raw_i2d, NULL, NULL, NULL,
};

IMPLEMENT_EXTERN_ASN1(PXC_RAW_DER, V_ASN1_SEQUENCE, raw_funcs)

/* The element after prev (or the first in the content of parent if prev
 * is NULL) into *t; 0 if there is none. */
static int next_tlv(const unsigned char *der, const struct tlv *parent, const struct tlv *prev,
                    struct tlv *t)
{
    size_t pos = prev != NULL ? prev->end : parent->coff, over = 0;

    return pos < parent->end && pxc_tlv_parse(der, pos, parent->end, t, &over) == TF_NONE;
}

/* 1 if body tag number n is one whose content is CertReqMessages. */
static int is_certreq_body(long n)
{
    return n == PKIXCMP_BODY_IR || n == PKIXCMP_BODY_CR || n == PKIXCMP_BODY_KUR
        || n == PKIXCMP_BODY_KRR || n == PKIXCMP_BODY_CCR;
}

int pxc_certreq_locate_der(const unsigned char *der, size_t len, const unsigned char **out,
                           size_t *outlen)
{
    struct tlv msg, hdr, body, reqs, crm, req;
    size_t over = 0;

    *out = NULL;
    *outlen = 0;
    /* PKIMessage ::= SEQUENCE { header, body [n] EXPLICIT CertReqMessages,
     * ... }; CertReqMessages ::= SEQUENCE OF CertReqMsg; CertReqMsg ::=
     * SEQUENCE { certReq CertRequest, ... } */
    if (len == 0 || pxc_tlv_parse(der, 0, len, &msg, &over) != TF_NONE || !msg.cons
        || !next_tlv(der, &msg, NULL, &hdr) || !next_tlv(der, &msg, &hdr, &body)
        || body.cls != 0x80 || !body.cons || !is_certreq_body(body.num)
        || !next_tlv(der, &body, NULL, &reqs)
        || !next_tlv(der, &reqs, NULL, &crm) || !next_tlv(der, &crm, NULL, &req)
        || req.cls != 0 || req.num != UNIV_SEQUENCE)
        return 0;
    *out = der + req.off;
    *outlen = req.end - req.off;
    return 1;
}
