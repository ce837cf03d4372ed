/*
 * der_tlv.h - DER identifier/length parsing and content rules shared by the
 * structural check (der_check.c) and the schema locator (der_locate.c).
 */
#ifndef PKIXCMP_DER_TLV_H
#define PKIXCMP_DER_TLV_H

#include <stddef.h>
#include "internal.h"

/* One parsed identifier + length header; offsets are into the whole input. */
struct tlv {
    size_t off;        /* first identifier octet */
    size_t coff;       /* first content octet */
    size_t clen;       /* content length */
    size_t end;        /* one past the last content octet */
    unsigned cls;      /* class bits as in the identifier: 0x00 0x40 0x80 0xC0 */
    int cons;          /* constructed bit */
    long num;          /* tag number */
};

/* Why a header could not be parsed; mapped to error codes by the callers. */
enum tlv_fail {
    TF_NONE,
    TF_TAG_TRUNC,      /* high-tag-number octets run past the end */
    TF_TAG_NONMIN,     /* leading 0x80 subsequent octet */
    TF_TAG_LOWFORM,    /* number < 31 in the high-tag-number form */
    TF_TAG_BIG,        /* tag number beyond 28 bits */
    TF_LEN_MISSING,    /* input ends before the length octets */
    TF_LEN_INDEF,      /* 0x80: BER indefinite length */
    TF_LEN_RESERVED,   /* 0xFF */
    TF_LEN_LONG,       /* more length octets than a size_t holds */
    TF_LEN_NONMIN,     /* leading zero octet or long form for < 128 */
    TF_CONTENT_TRUNC   /* content runs past the limit */
};

#define UNIV_SEQUENCE 16
#define UNIV_SET 17
#define HIGH_TAG 0x1F

/*
 * Universal tags that DER requires primitive: everything but the tags 0,
 * EXTERNAL (8), EMBEDDED PDV (11), reserved 15, SEQUENCE and SET.
 */
#define UNIV_PRIMITIVE_MASK (0x7FFFFFFFUL & ~((1UL << 0) | (1UL << 8) | (1UL << 11) \
                             | (1UL << 15) | (1UL << 16) | (1UL << 17)))

/* Writes "INTEGER", "[3]", "[APPLICATION 2]" ... for a class and number. */
void pxc_tag_text(char *buf, size_t n, unsigned cls, long num);

/* Writes the DER length octets of len at p, unless p is NULL; returns their
 * count (at most 1 + sizeof(size_t)). */
size_t pxc_der_put_len(unsigned char *p, size_t len);

/* Parses the TLV header at pos (< end); *over is set for TF_CONTENT_TRUNC. */
enum tlv_fail pxc_tlv_parse(const unsigned char *der, size_t pos, size_t end,
                            struct tlv *t, size_t *over);

/* Problems of BOOLEAN, INTEGER/ENUMERATED, NULL and BIT STRING contents, or
 * NULL; *certain tells whether OpenSSL's decoder rejects it too. */
const char *pxc_prim_problem_basic(const unsigned char *c, size_t n, long ut,
                                   int *certain);

/* What is wrong with the content c[0..n) of universal type ut, or NULL;
 * *certain as above. */
const char *pxc_prim_problem(const unsigned char *c, size_t n, long ut, int *certain);

#endif
