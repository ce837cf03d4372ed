/*
 * der_tlv.c - parsing DER identifier and length octets, and the content
 * rules of the primitive types that DER fixes (BOOLEAN, INTEGER, NULL, BIT
 * STRING, OID, string types).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/x509.h>
#include "der.h"
#include "der_tlv.h"

/* Names of universal tags 0..30 for messages; NULL where none is used. */
static const char *const univ_names[31] = {
    "end-of-contents", "BOOLEAN", "INTEGER", "BIT STRING", "OCTET STRING",
    "NULL", "OBJECT IDENTIFIER", "ObjectDescriptor", "EXTERNAL", "REAL",
    "ENUMERATED", "EMBEDDED PDV", "UTF8String", "RELATIVE-OID", "TIME", NULL,
    "SEQUENCE", "SET", "NumericString", "PrintableString", "T61String",
    "VideotexString", "IA5String", "UTCTime", "GeneralizedTime",
    "GraphicString", "VisibleString", "GeneralString", "UniversalString",
    "CHARACTER STRING", "BMPString"
};

/* Writes "INTEGER", "[3]", "[APPLICATION 2]" ... for a class and number. */
void pxc_tag_text(char *buf, size_t n, unsigned cls, long num)
{
    if (cls == 0x00 && num >= 0 && num <= 30 && univ_names[num] != NULL)
        snprintf(buf, n, "%s", univ_names[num]);
    else if (cls == 0x00)
        snprintf(buf, n, "[UNIVERSAL %ld]", num);
    else if (cls == 0x40)
        snprintf(buf, n, "[APPLICATION %ld]", num);
    else if (cls == 0x80)
        snprintf(buf, n, "[%ld]", num);
    else
        snprintf(buf, n, "[PRIVATE %ld]", num);
}

/* Parses the identifier octets at pos; returns the position after them. */
static enum tlv_fail parse_tag(const unsigned char *der, size_t *pos, size_t end,
                               struct tlv *t)
{
    size_t p = *pos;
    unsigned char c;
    long num = 0;
    int n = 0;

    t->off = p;
    t->cls = der[p] & 0xC0u;
    t->cons = (der[p] & 0x20) != 0;
    t->num = der[p] & HIGH_TAG;
    p++;
    if (t->num == HIGH_TAG) {
        if (p < end && der[p] == 0x80)
            return TF_TAG_NONMIN;
        do {
            if (p == end)
                return TF_TAG_TRUNC;
            /* 4 octets give 28 bits: the number always fits an int */
            if (++n > 4)
                return TF_TAG_BIG;
            c = der[p++];
            num = (num << 7) | (c & 0x7F);
        } while ((c & 0x80) != 0);
        if (num < HIGH_TAG)
            return TF_TAG_LOWFORM;
        t->num = num;
    }
    *pos = p;
    return TF_NONE;
}

/* Parses the length octets at pos and bounds the content by end. */
static enum tlv_fail parse_len(const unsigned char *der, size_t pos, size_t end,
                               struct tlv *t, size_t *over)
{
    size_t clen = 0, n, i;
    unsigned char b;

    if (pos == end)
        return TF_LEN_MISSING;
    b = der[pos++];
    if (b == 0x80)
        return TF_LEN_INDEF;
    if (b == 0xFF)
        return TF_LEN_RESERVED;
    if (b < 0x80) {
        clen = b;
    } else {
        n = b & 0x7Fu;
        if (n > sizeof(size_t))
            return TF_LEN_LONG;
        if (end - pos < n)
            return TF_LEN_MISSING;
        if (der[pos] == 0)
            return TF_LEN_NONMIN;
        for (i = 0; i < n; i++)
            clen = (clen << 8) | der[pos++];
        if (clen < 0x80)
            return TF_LEN_NONMIN;
    }
    t->coff = pos;
    t->clen = clen;
    if (clen > end - pos) {
        *over = clen - (end - pos);
        return TF_CONTENT_TRUNC;
    }
    t->end = pos + clen;
    return TF_NONE;
}

/* Parses the TLV header at pos (< end); *over is set for TF_CONTENT_TRUNC. */
enum tlv_fail pxc_tlv_parse(const unsigned char *der, size_t pos, size_t end,
                               struct tlv *t, size_t *over)
{
    enum tlv_fail f = parse_tag(der, &pos, end, t);

    if (f == TF_NONE)
        f = parse_len(der, pos, end, t, over);
    return f;
}

/* True if UTF-8 text is well formed: shortest form, no surrogates, <= 10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0, k, more;
    unsigned long cp;

    while (i < n) {
        unsigned char c = s[i++];

        if (c < 0x80)
            continue;
        /* the lead byte gives the length; C0, C1 and F5.. are never valid */
        if (c < 0xC2 || c > 0xF4)
            return 0;
        more = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        cp = c & (0x3Fu >> more);
        if (n - i < more)
            return 0;
        for (k = 0; k < more; k++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i++] & 0x3Fu);
        }
        if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000)
            || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    return 1;
}

/*
 * True if big-endian UCS-2 (width 2) or UCS-4 (width 4) text has neither
 * surrogates nor code points above 10FFFF; n is a multiple of width.
 */
static int ucs_valid(const unsigned char *s, size_t n, size_t width)
{
    unsigned long cp;
    size_t i, k;

    for (i = 0; i < n; i += width) {
        for (cp = 0, k = 0; k < width; k++)
            cp = (cp << 8) | s[i + k];
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
    }
    return 1;
}

/* Problems of BOOLEAN, INTEGER/ENUMERATED, NULL and BIT STRING contents. */
const char *pxc_prim_problem_basic(const unsigned char *c, size_t n, long ut,
                                      int *certain)
{
    *certain = 1;
    switch (ut) {
    case V_ASN1_BOOLEAN:
        if (n != 1)
            return "is not 1 byte long";
        *certain = 0;       /* OpenSSL takes any non-zero octet as TRUE */
        return c[0] != 0x00 && c[0] != 0xFF ? "is neither 0x00 nor 0xFF" : NULL;
    case V_ASN1_INTEGER:
    case V_ASN1_ENUMERATED:
        if (n == 0)
            return "is empty";
        if (n > 1 && ((c[0] == 0x00 && c[1] < 0x80) || (c[0] == 0xFF && c[1] >= 0x80)))
            return "is not minimally encoded";
        return NULL;
    case V_ASN1_NULL:
        return n != 0 ? "is not empty" : NULL;
    case V_ASN1_BIT_STRING:
        if (n == 0)
            return "is empty";
        if (c[0] > 7)
            return "has more than 7 unused bits";
        *certain = 0;       /* OpenSSL masks unused bits off silently */
        if (n == 1 && c[0] != 0)
            return "has unused bits but no content";
        return (c[n - 1] & ((1u << c[0]) - 1)) != 0 ? "has unused bits that are not zero"
                                                    : NULL;
    default:
        return NULL;
    }
}

/*
 * What is wrong with the content c[0..n) of universal type ut, or NULL.
 * *certain tells whether OpenSSL's decoder rejects it too, or only DER does.
 */
const char *pxc_prim_problem(const unsigned char *c, size_t n, long ut, int *certain)
{
    size_t i;

    *certain = 1;
    switch (ut) {
    case V_ASN1_OBJECT:
        /* each subidentifier minimal, the last one complete */
        if (n == 0 || (c[n - 1] & 0x80) != 0)
            return "is not a valid encoding";
        for (i = 0; i < n; i++)
            if (c[i] == 0x80 && (i == 0 || (c[i - 1] & 0x80) == 0))
                return "is not a valid encoding";
        return NULL;
    case V_ASN1_BMPSTRING:
        if (n % 2 != 0)
            return "has an odd length";
        *certain = 0;       /* only converting it to UTF-8 fails, as for names */
        return ucs_valid(c, n, 2) ? NULL : "has an invalid character";
    case V_ASN1_UNIVERSALSTRING:
        if (n % 4 != 0)
            return "has a length that is not a multiple of 4";
        *certain = 0;
        return ucs_valid(c, n, 4) ? NULL : "has an invalid character";
    case V_ASN1_UTF8STRING:
        *certain = 0;
        return utf8_valid(c, n) ? NULL : "is not valid UTF-8";
    default:
        return pxc_prim_problem_basic(c, n, ut, certain);
    }
}


size_t pxc_der_put_len(unsigned char *p, size_t len)
{
    size_t n = 0, i, v;

    if (len < 0x80) {
        if (p != NULL)
            p[0] = (unsigned char)len;
        return 1;
    }
    for (v = len; v != 0; v >>= 8)
        n++;
    if (p != NULL) {
        p[0] = (unsigned char)(0x80 | n);
        for (i = 0; i < n; i++)
            p[1 + i] = (unsigned char)(len >> (8 * (n - 1 - i)));
    }
    return n + 1;
}
