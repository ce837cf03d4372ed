/*
 * msg.c - PKIMessage decoding (strict DER), encoding and basic accessors.
 *
 * Decoding runs in four steps, each with an error that names the ASN.1 type
 * and the byte offset: (1) the structural DER check (lengths, tags, trailing
 * bytes, size and depth limits: der.c); (2) OpenSSL's template decoder, and
 * on failure the template-guided locator (der.c) to say where the content
 * stopped matching the schema; (3) re-encoding, which must give back the
 * input bytes (catches every other non-DER form); (4) the typed values of
 * InfoTypeAndValue, controls and regInfo (typed_oid.c).
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include "asn1_types.h"
#include "der.h"
#include "typed_oid.h"
#include "internal.h"

/* Deep enough for any real message (nested + certificates), small enough to
 * bound the stack use of OpenSSL's recursive decoder. */
#define MSG_MAX_DEPTH 48
/* nested PKIMessages inside nested: a bound for the typed-value walk */
#define MSG_MAX_NESTING 8

static const char *const body_names[] = {
    "ir", "ip", "cr", "cp", "p10cr", "popdecc", "popdecr", "kur", "kup",
    "krr", "krp", "rr", "rp", "ccr", "ccp", "ckuann", "cann", "rann",
    "crlann", "pkiconf", "nested", "genm", "genp", "error", "certConf",
    "pollReq", "pollRep",
};

const char *pkixcmp_body_type_name(int type)
{
    if (type < 0 || (size_t)type >= PXC_NELEM(body_names))
        return NULL;
    return body_names[type];
}

/* Checks the typed value of each (OID, value) pair of a list. */
static int check_typed_list(const STACK_OF(PKIXCMP_InfoTypeAndValue) *itavs,
                            const char *where)
{
    char at[96];
    int i;

    for (i = 0; i < sk_PKIXCMP_InfoTypeAndValue_num(itavs); i++) {
        const PKIXCMP_InfoTypeAndValue *itav = sk_PKIXCMP_InfoTypeAndValue_value(itavs, i);
        const PXC_TYPED_OID *row = pxc_itav_lookup(itav->infoType);
        ASN1_VALUE *v;

        if (row == NULL || row->item == NULL || itav->infoValue == NULL)
            continue; /* unknown OIDs and absent values are kept as they are */
        BIO_snprintf(at, sizeof(at), "%s[%d]", where, i);
        v = pxc_typed_value_decode(row, itav->infoValue, at);
        if (v == NULL)
            return 0;
        ASN1_item_free(v, ASN1_ITEM_ptr(row->item));
    }
    return 1;
}

static int check_attrs(const STACK_OF(PKIXCMP_AttributeTypeAndValue) *attrs,
                       const char *where, int req)
{
    char at[96];
    int i;

    for (i = 0; i < sk_PKIXCMP_AttributeTypeAndValue_num(attrs); i++) {
        const PKIXCMP_AttributeTypeAndValue *a = sk_PKIXCMP_AttributeTypeAndValue_value(attrs, i);
        const PXC_TYPED_OID *row = pxc_attr_lookup(a->type);
        ASN1_VALUE *v;

        if (row == NULL || row->item == NULL)
            continue;
        BIO_snprintf(at, sizeof(at), "body certReqMsg[%d].%s[%d]", req, where, i);
        v = pxc_typed_value_decode(row, a->value, at);
        if (v == NULL)
            return 0;
        ASN1_item_free(v, ASN1_ITEM_ptr(row->item));
    }
    return 1;
}

static int check_reqs(const PKIXCMP_CertReqMessages *reqs)
{
    int i;

    for (i = 0; i < sk_PKIXCMP_CertReqMsg_num(reqs); i++) {
        const PKIXCMP_CertReqMsg *m = sk_PKIXCMP_CertReqMsg_value(reqs, i);

        if (!check_attrs(m->certReq->controls, "controls", i)
            || !check_attrs(m->regInfo, "regInfo", i))
            return 0;
    }
    return 1;
}

static int check_typed_values(const PKIXCMP_MSG *msg, int depth)
{
    const PKIXCMP_PKIBody *b = msg->body;
    int i;

    if (depth > MSG_MAX_NESTING) {
        PXC_ERR(PKIXCMP_E_DER_TOO_DEEP, "PKIMessage: nested messages deeper than %d",
                MSG_MAX_NESTING);
        return 0;
    }
    if (!check_typed_list(msg->header->generalInfo, "header generalInfo"))
        return 0;
    switch (b->type) {
    case PKIXCMP_BODY_GENM:
    case PKIXCMP_BODY_GENP:
        return check_typed_list(b->value.genm, b->type == PKIXCMP_BODY_GENM ? "genm" : "genp");
    case PKIXCMP_BODY_IR:
    case PKIXCMP_BODY_CR:
    case PKIXCMP_BODY_KUR:
    case PKIXCMP_BODY_KRR:
    case PKIXCMP_BODY_CCR:
        return check_reqs(b->value.ir);
    case PKIXCMP_BODY_NESTED:
        for (i = 0; i < sk_PKIXCMP_PKIMessage_num(b->value.nested); i++)
            if (!check_typed_values(sk_PKIXCMP_PKIMessage_value(b->value.nested, i), depth + 1))
                return 0;
        return 1;
    default:
        return 1;
    }
}

/* Step 2 failed: say where, keeping OpenSSL's own reason below ours. */
static void report_decode_failure(const unsigned char *der, size_t len)
{
    char path[512];
    size_t off = 0;

    if (pxc_der_locate(ASN1_ITEM_rptr(PKIXCMP_PKIMessage), der, len, &off, path, sizeof(path)))
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s (at offset %zu)", path, off);
    else if (path[0] != '\0')
        PXC_ERR(PKIXCMP_E_ASN1_DECODE, "%s (at offset %zu)", path, off);
    else
        PXC_ERR(PKIXCMP_E_ASN1_DECODE, "PKIMessage: content does not match the type");
}

/* Step 3: the decoded message must encode to exactly the input. */
static int check_canonical(const PKIXCMP_MSG *msg, const unsigned char *der, size_t len)
{
    unsigned char *enc = NULL;
    int n = ASN1_item_i2d((const ASN1_VALUE *)msg, &enc, ASN1_ITEM_rptr(PKIXCMP_PKIMessage));
    size_t i;
    int ret = 0;

    if (n < 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "PKIMessage: decoded message does not encode again");
        goto out;
    }
    for (i = 0; i < len && i < (size_t)n && enc[i] == der[i]; i++)
        continue;
    if (i != len || (size_t)n != len) {
        PXC_ERR(PKIXCMP_E_DER_NOT_CANONICAL,
                "PKIMessage: not the DER encoding (first difference at offset %zu)", i);
        goto out;
    }
    ret = 1;
out:
    OPENSSL_free(enc);
    return ret;
}

PKIXCMP_MSG *pkixcmp_msg_decode(const unsigned char *der, size_t len, size_t max_size)
{
    PKIXCMP_MSG *msg = NULL, *ret = NULL;
    const unsigned char *p = der;

    if (der == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "PKIMessage: no input");
        goto out;
    }
    if (max_size == 0)
        max_size = PKIXCMP_DEFAULT_MAX_MSG_SIZE;
    if (!pxc_der_check(der, len, max_size, MSG_MAX_DEPTH, "PKIMessage"))
        goto out;
    msg = (PKIXCMP_MSG *)ASN1_item_d2i(NULL, &p, (long)len, ASN1_ITEM_rptr(PKIXCMP_PKIMessage));
    if (msg == NULL) {
        report_decode_failure(der, len);
        goto out;
    }
    if (p != der + len) {
        PXC_ERR(PKIXCMP_E_DER_TRAILING_DATA, "PKIMessage: %zu trailing bytes at offset %zu",
                len - (size_t)(p - der), (size_t)(p - der));
        goto out;
    }
    if (!check_canonical(msg, der, len) || !check_typed_values(msg, 0))
        goto out;
    ret = msg;
    msg = NULL; /* transferred */
out:
    pkixcmp_msg_free(msg);
    return ret;
}

int pkixcmp_msg_encode(const PKIXCMP_MSG *msg, unsigned char **out)
{
    int n;

    *out = NULL;
    n = ASN1_item_i2d((const ASN1_VALUE *)msg, out, ASN1_ITEM_rptr(PKIXCMP_PKIMessage));
    if (n <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "PKIMessage: cannot be encoded");
        return -1;
    }
    return n;
}

int pkixcmp_msg_write(BIO *out, const PKIXCMP_MSG *msg)
{
    unsigned char *der = NULL;
    int n = pkixcmp_msg_encode(msg, &der), ret = 0;

    if (n < 0)
        goto out;
    if (BIO_write(out, der, n) != n) {
        PXC_ERR(PKIXCMP_E_IO, "writing %d bytes of PKIMessage failed", n);
        goto out;
    }
    ret = 1;
out:
    OPENSSL_free(der);
    return ret;
}

void pkixcmp_msg_free(PKIXCMP_MSG *msg)
{
    ASN1_item_free((ASN1_VALUE *)msg, ASN1_ITEM_rptr(PKIXCMP_PKIMessage));
}

PKIXCMP_MSG *pkixcmp_msg_dup(const PKIXCMP_MSG *msg)
{
    PKIXCMP_MSG *dup = ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_PKIMessage), msg);

    if (dup == NULL)
        PXC_ERR(PKIXCMP_E_MALLOC, "PKIMessage: copy failed");
    return dup;
}

int pkixcmp_msg_get_body_type(const PKIXCMP_MSG *msg)
{
    if (msg == NULL || msg->body == NULL)
        return -1;
    return msg->body->type;
}

long pkixcmp_msg_get_pvno(const PKIXCMP_MSG *msg)
{
    long v;

    if (msg == NULL || msg->header == NULL || msg->header->pvno == NULL)
        return -1;
    v = ASN1_INTEGER_get(msg->header->pvno);
    return v < 0 ? -1 : v;
}
