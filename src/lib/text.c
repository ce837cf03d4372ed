/*
 * text.c - short one-line forms of values for error details, so that every
 * message names octet strings and names the same way.
 */
#include <stdio.h>
#include <openssl/x509.h>
#include "internal.h"

/* Octets shown before the rest is elided with "...". */
#define TEXT_HEX_SHOWN 32

const char *pxc_hex_text(const ASN1_OCTET_STRING *s, char *buf, size_t size)
{
    static const char digits[] = "0123456789ABCDEF";
    char hex[2 * TEXT_HEX_SHOWN + 1];
    int i, shown;

    if (s == NULL) {
        snprintf(buf, size, "(absent)");
        return buf;
    }
    shown = s->length < TEXT_HEX_SHOWN ? s->length : TEXT_HEX_SHOWN;
    for (i = 0; i < shown; i++) {
        hex[2 * i] = digits[s->data[i] >> 4];
        hex[2 * i + 1] = digits[s->data[i] & 0x0f];
    }
    hex[2 * shown] = '\0';
    snprintf(buf, size, "%s%s (%d bytes)", hex, shown < s->length ? "..." : "", s->length);
    return buf;
}

const char *pxc_dn_text(const X509_NAME *name, char *buf, size_t size)
{
    if (name == NULL || X509_NAME_entry_count(name) == 0 || size > INT32_MAX
        || X509_NAME_oneline(name, buf, (int)size) == NULL)
        snprintf(buf, size, "NULL-DN");
    return buf;
}
