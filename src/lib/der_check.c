/*
 * der_check.c - strict DER validation before d2i.
 *
 * OpenSSL's template decoder accepts BER (indefinite and non-minimal
 * lengths, constructed strings); pxc_der_check() rejects anything that is
 * not DER before decoding, naming the type and the byte offset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/x509.h>
#include "der.h"
#include "der_tlv.h"

/* ---------------------------------------------------------------------- */
/* pxc_der_check                                                          */

/* Raises the error for a header that pxc_tlv_parse() rejected. */
static void check_raise_parse(const char *type, enum tlv_fail f, size_t off,
                              size_t over, int nested)
{
    switch (f) {
    case TF_TAG_TRUNC:
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: tag at offset %zu runs past the end", type, off);
        break;
    case TF_TAG_NONMIN:
    case TF_TAG_LOWFORM:
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: tag number at offset %zu is not minimally encoded",
                type, off);
        break;
    case TF_TAG_BIG:
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: tag number at offset %zu is too large", type, off);
        break;
    case TF_LEN_MISSING:
        PXC_ERR(PKIXCMP_E_DER_TRUNCATED, "%s: length at offset %zu is cut off", type, off);
        break;
    case TF_LEN_INDEF:
        PXC_ERR(PKIXCMP_E_DER_INDEFINITE_LENGTH, "%s: indefinite length at offset %zu", type, off);
        break;
    case TF_LEN_RESERVED:
    case TF_LEN_LONG:
        PXC_ERR(PKIXCMP_E_DER_BAD_LENGTH, "%s: invalid length octets at offset %zu", type, off);
        break;
    case TF_LEN_NONMIN:
        PXC_ERR(PKIXCMP_E_DER_BAD_LENGTH, "%s: length at offset %zu is not minimally encoded",
                type, off);
        break;
    case TF_CONTENT_TRUNC:
        PXC_ERR(PKIXCMP_E_DER_TRUNCATED, "%s: length at offset %zu runs %zu byte%s past the end%s",
                type, off, over, over == 1 ? "" : "s", nested ? " of its enclosing element" : "");
        break;
    case TF_NONE:
        break;
    }
}

/* The DER rules for one element that need no schema; 1 if it passes. */
static int check_element(const char *type, const unsigned char *der, const struct tlv *t)
{
    char name[40];
    const char *why;
    int certain, ret = 0;

    if (t->cls != 0x00) {
        ret = 1;                /* no rules for tags without a schema */
        goto out;
    }
    pxc_tag_text(name, sizeof(name), t->cls, t->num);
    if (t->num == 0) {
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: end-of-contents octets at offset %zu", type, t->off);
        goto out;
    }
    if (t->num <= 30 && t->cons && ((UNIV_PRIMITIVE_MASK >> t->num) & 1) != 0) {
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: constructed %s at offset %zu (BER, not DER)",
                type, name, t->off);
        goto out;
    }
    if ((t->num == UNIV_SEQUENCE || t->num == UNIV_SET) && !t->cons) {
        PXC_ERR(PKIXCMP_E_DER_BAD_TAG, "%s: primitive %s at offset %zu", type, name, t->off);
        goto out;
    }
    why = t->cons ? NULL : pxc_prim_problem_basic(der + t->coff, t->clen, t->num, &certain);
    if (why != NULL) {
        PXC_ERR(PKIXCMP_E_ASN1_DECODE, "%s: %s at offset %zu %s", type, name, t->off, why);
        goto out;
    }
    ret = 1;
out:
    return ret;
}

/*
 * Walks all elements in document order without recursion: ends[] holds the
 * end offsets of the constructed elements enclosing the current position.
 */
static int check_walk(const char *type, const unsigned char *der, size_t len, int max_depth)
{
    size_t ends[PXC_DER_MAX_DEPTH];
    size_t pos = 0, over = 0, limit;
    int top = 0, ret = 0;
    enum tlv_fail f;
    struct tlv t;

    do {
        limit = top > 0 ? ends[top - 1] : len;
        f = pxc_tlv_parse(der, pos, limit, &t, &over);
        if (f != TF_NONE) {
            check_raise_parse(type, f, pos, over, top > 0);
            goto out;
        }
        if (top == 0 && t.end < len) {
            PXC_ERR(PKIXCMP_E_DER_TRAILING_DATA, "%s: %zu trailing byte%s at offset %zu",
                    type, len - t.end, len - t.end == 1 ? "" : "s", t.end);
            goto out;
        }
        if (top + 1 > max_depth) {
            PXC_ERR(PKIXCMP_E_DER_TOO_DEEP, "%s: nesting deeper than %d at offset %zu",
                    type, max_depth, t.off);
            goto out;
        }
        if (!check_element(type, der, &t))
            goto out;
        pos = t.cons ? t.coff : t.end;
        if (t.cons && t.clen > 0)
            ends[top++] = t.end;
        while (top > 0 && pos == ends[top - 1])
            top--;
    } while (top > 0);
    ret = 1;
out:
    return ret;
}

int pxc_der_check(const unsigned char *der, size_t len, size_t max_size,
                  int max_depth, const char *type_name)
{
    const char *type = type_name != NULL ? type_name : "DER";
    int ret = 0;

    if (len > max_size) {
        PXC_ERR(PKIXCMP_E_DER_TOO_LARGE, "%s: %zu bytes exceed the limit of %zu",
                type, len, max_size);
        goto out;
    }
    if (len == 0) {
        PXC_ERR(PKIXCMP_E_DER_TRUNCATED, "%s: empty input", type);
        goto out;
    }
    if (der == NULL || max_depth < 1) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%s: no input or depth limit below 1", type);
        goto out;
    }
    if (max_depth > PXC_DER_MAX_DEPTH)
        max_depth = PXC_DER_MAX_DEPTH;
    ret = check_walk(type, der, len, max_depth);
out:
    return ret;
}

