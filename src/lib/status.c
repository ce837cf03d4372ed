/*
 * status.c - PKIStatusInfo: building one, reading it, and its names.
 *
 * RFC 9810 section 5.2.3:
 *   PKIStatusInfo ::= SEQUENCE { status PKIStatus,
 *       statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }
 */
#include <stdint.h>
#include <string.h>
#include <openssl/asn1.h>
#include "hdr_build.h"

static const char *const status_names[] = {
    "accepted", "grantedWithMods", "rejection", "waiting",
    "revocationWarning", "revocationNotification", "keyUpdateWarning",
};

static const char *const failinfo_names[] = {
    "badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId",
    "badDataFormat", "wrongAuthority", "incorrectData", "missingTimeStamp",
    "badPOP", "certRevoked", "certConfirmed", "wrongIntegrity",
    "badRecipientNonce", "timeNotAvailable", "unacceptedPolicy",
    "unacceptedExtension", "addInfoNotAvailable", "badSenderNonce",
    "badCertTemplate", "signerNotTrusted", "transactionIdInUse",
    "unsupportedVersion", "notAuthorized", "systemUnavail", "systemFailure",
    "duplicateCertReq",
};

const char *pxc_status_name(long status)
{
    if (status < 0 || (size_t)status >= PXC_NELEM(status_names))
        return NULL;
    return status_names[status];
}

const char *pxc_failinfo_name(int bit)
{
    if (bit < 0 || (size_t)bit >= PXC_NELEM(failinfo_names))
        return NULL;
    return failinfo_names[bit];
}

int pxc_failinfo_bit_by_name(const char *name)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(failinfo_names); i++)
        if (strcmp(failinfo_names[i], name) == 0)
            return (int)i;
    return -1;
}

PKIXCMP_PKIStatusInfo *pxc_statusinfo_new(int status, unsigned long failinfo,
                                          const char *text)
{
    PKIXCMP_PKIStatusInfo *si = NULL, *ret = NULL;
    ASN1_UTF8STRING *s = NULL;
    int bit;

    if ((si = (PKIXCMP_PKIStatusInfo *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo))) == NULL
        || !ASN1_INTEGER_set(si->status, status))
        goto fail;
    if (failinfo != 0) {
        if ((si->failInfo = ASN1_BIT_STRING_new()) == NULL)
            goto fail;
        for (bit = 0; bit < (int)PXC_NELEM(failinfo_names); bit++)
            if ((failinfo & (1UL << bit)) != 0 && !ASN1_BIT_STRING_set_bit(si->failInfo, bit, 1))
                goto fail;
    }
    if (text != NULL) {
        if ((si->statusString = sk_ASN1_UTF8STRING_new_null()) == NULL
            || (s = ASN1_UTF8STRING_new()) == NULL
            || !ASN1_STRING_set(s, text, (int)strlen(text))
            || !sk_ASN1_UTF8STRING_push(si->statusString, s))
            goto fail;
        s = NULL; /* transferred */
    }
    ret = si;
    si = NULL;
    goto out;
fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "building a PKIStatusInfo");
out:
    ASN1_UTF8STRING_free(s);
    ASN1_item_free((ASN1_VALUE *)si, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    return ret;
}

int pxc_statusinfo_status(const PKIXCMP_PKIStatusInfo *si)
{
    int64_t v;

    if (si == NULL || si->status == NULL || !ASN1_INTEGER_get_int64(&v, si->status))
        return -1;
    if (v < 0 || (size_t)v >= PXC_NELEM(status_names))
        return -1;
    return (int)v;
}

unsigned long pxc_statusinfo_failinfo(const PKIXCMP_PKIStatusInfo *si)
{
    unsigned long mask = 0;
    int bit;

    if (si == NULL || si->failInfo == NULL)
        return 0;
    for (bit = 0; bit < (int)PXC_NELEM(failinfo_names); bit++)
        if (ASN1_BIT_STRING_get_bit(si->failInfo, bit))
            mask |= 1UL << bit;
    return mask;
}

/* Appends printf-style text to buf at *pos, truncating quietly. */
static void append(char *buf, size_t size, size_t *pos, const char *s, size_t n)
{
    if (*pos + 1 >= size)
        return;
    if (n > size - 1 - *pos)
        n = size - 1 - *pos;
    memcpy(buf + *pos, s, n);
    *pos += n;
    buf[*pos] = '\0';
}

const char *pxc_statusinfo_text(const PKIXCMP_PKIStatusInfo *si, char *buf, size_t size)
{
    size_t pos = 0;
    int status = pxc_statusinfo_status(si), bit, first = 1, i;
    unsigned long fi = pxc_statusinfo_failinfo(si);
    const char *name;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    name = status >= 0 ? status_names[status] : "(invalid status)";
    append(buf, size, &pos, name, strlen(name));
    for (bit = 0; bit < (int)PXC_NELEM(failinfo_names); bit++) {
        if ((fi & (1UL << bit)) == 0)
            continue;
        if (first)
            append(buf, size, &pos, "; failInfo: ", 12);
        else
            append(buf, size, &pos, ", ", 2);
        first = 0;
        append(buf, size, &pos, failinfo_names[bit], strlen(failinfo_names[bit]));
    }
    for (i = 0; si != NULL && si->statusString != NULL
                && i < sk_ASN1_UTF8STRING_num(si->statusString); i++) {
        const ASN1_UTF8STRING *s = sk_ASN1_UTF8STRING_value(si->statusString, i);

        append(buf, size, &pos, i == 0 ? "; text: \"" : " \"", i == 0 ? 9 : 2);
        append(buf, size, &pos, (const char *)s->data, (size_t)s->length);
        append(buf, size, &pos, "\"", 1);
    }
    return buf;
}
