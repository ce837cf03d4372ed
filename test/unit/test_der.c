/* test_der.c - strict DER checks and schema mismatch location. */
#include <stdlib.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "der.h"
#include "tap.h"

/* ------------------------------------------------------------------ */
/* Test schemas for pxc_der_locate                                    */

/* TCHOICE ::= CHOICE { i [1] EXPLICIT INTEGER, b BOOLEAN } */
typedef struct {
    int type;
    union {
        ASN1_INTEGER *i;
        ASN1_BOOLEAN b;
    } value;
} TCHOICE;

ASN1_CHOICE(TCHOICE) = {
    ASN1_EXP(TCHOICE, value.i, ASN1_INTEGER, 1),
    ASN1_SIMPLE(TCHOICE, value.b, ASN1_BOOLEAN)
} static_ASN1_CHOICE_END(TCHOICE)

/* TBIG ::= CHOICE { c0 [0] IMPLICIT INTEGER, ..., c11 [11] IMPLICIT INTEGER } */
typedef struct {
    int type;
    union {
        ASN1_INTEGER *c0, *c1, *c2, *c3, *c4, *c5, *c6, *c7, *c8, *c9, *c10, *c11;
    } value;
} TBIG;

ASN1_CHOICE(TBIG) = {
    ASN1_IMP(TBIG, value.c0, ASN1_INTEGER, 0), ASN1_IMP(TBIG, value.c1, ASN1_INTEGER, 1),
    ASN1_IMP(TBIG, value.c2, ASN1_INTEGER, 2), ASN1_IMP(TBIG, value.c3, ASN1_INTEGER, 3),
    ASN1_IMP(TBIG, value.c4, ASN1_INTEGER, 4), ASN1_IMP(TBIG, value.c5, ASN1_INTEGER, 5),
    ASN1_IMP(TBIG, value.c6, ASN1_INTEGER, 6), ASN1_IMP(TBIG, value.c7, ASN1_INTEGER, 7),
    ASN1_IMP(TBIG, value.c8, ASN1_INTEGER, 8), ASN1_IMP(TBIG, value.c9, ASN1_INTEGER, 9),
    ASN1_IMP(TBIG, value.c10, ASN1_INTEGER, 10), ASN1_IMP(TBIG, value.c11, ASN1_INTEGER, 11)
} static_ASN1_CHOICE_END(TBIG)

/*
 * TSEQ ::= SEQUENCE { num INTEGER, opt [0] EXPLICIT OCTET STRING OPTIONAL,
 *                     ch TCHOICE, oids SEQUENCE OF OBJECT IDENTIFIER }
 */
typedef struct {
    ASN1_INTEGER *num;
    ASN1_OCTET_STRING *opt;
    TCHOICE *ch;
    STACK_OF(ASN1_OBJECT) *oids;
} TSEQ;

ASN1_SEQUENCE(TSEQ) = {
    ASN1_SIMPLE(TSEQ, num, ASN1_INTEGER),
    ASN1_EXP_OPT(TSEQ, opt, ASN1_OCTET_STRING, 0),
    ASN1_SIMPLE(TSEQ, ch, TCHOICE),
    ASN1_SEQUENCE_OF(TSEQ, oids, ASN1_OBJECT)
} static_ASN1_SEQUENCE_END(TSEQ)

/* TLIST ::= SEQUENCE OF AlgorithmIdentifier, as an item template */
ASN1_ITEM_TEMPLATE(TLIST) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, TLIST, X509_ALGOR)
static_ASN1_ITEM_TEMPLATE_END(TLIST)

/*
 * TOUTER ::= SEQUENCE { inner TSEQ, set [1] IMPLICIT SET OF INTEGER OPTIONAL,
 *                       time Time, list TLIST,
 *                       imp [2] IMPLICIT OCTET STRING OPTIONAL,
 *                       gn [3] EXPLICIT GeneralName OPTIONAL }
 */
typedef struct {
    TSEQ *inner;
    STACK_OF(ASN1_INTEGER) *set;
    ASN1_TIME *time;
    STACK_OF(X509_ALGOR) *list;
    ASN1_OCTET_STRING *imp;
    GENERAL_NAME *gn;
} TOUTER;

ASN1_SEQUENCE(TOUTER) = {
    ASN1_SIMPLE(TOUTER, inner, TSEQ),
    ASN1_IMP_SET_OF_OPT(TOUTER, set, ASN1_INTEGER, 1),
    ASN1_SIMPLE(TOUTER, time, ASN1_TIME),
    ASN1_SIMPLE(TOUTER, list, TLIST),
    ASN1_IMP_OPT(TOUTER, imp, ASN1_OCTET_STRING, 2),
    ASN1_EXP_OPT(TOUTER, gn, GENERAL_NAME, 3)
} static_ASN1_SEQUENCE_END(TOUTER)

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static unsigned char inbuf[4096];

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex text ("30 03 02 01 05") to bytes in inbuf; returns the length. */
static size_t hex(const char *s)
{
    size_t n = 0;
    int hi = -1, v;

    for (; *s != '\0'; s++) {
        if ((v = nibble(*s)) < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else if (n < sizeof(inbuf)) {
            inbuf[n++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

/* Number of errors on the queue, detail of the newest; clears the queue. */
static int take_errors(char *detail, size_t n)
{
    const char *data = NULL;
    int flags = 0, count = 0;

    detail[0] = '\0';
    if (ERR_peek_last_error_data(&data, &flags) != 0 && data != NULL
        && (flags & ERR_TXT_STRING) != 0)
        snprintf(detail, n, "%s", data);
    while (ERR_get_error() != 0)
        count++;
    return count;
}

/* Runs pxc_der_check on len bytes of inbuf and expects failure with code. */
static void check_fails(size_t len, size_t max_size, int max_depth, int code,
                        const char *detail, const char *what)
{
    char got[512];
    int r, code_got, count;

    ERR_clear_error();
    r = pxc_der_check(inbuf, len, max_size, max_depth, "PKIMessage");
    code_got = pkixcmp_err_peek_last();
    count = take_errors(got, sizeof(got));
    ok(r == 0, "%s: rejected", what);
    if (!ok(code_got == code && count == 1, "%s: one error, %s", what, pkixcmp_err_name(code)))
        tap_diag("got %s, %d errors", pkixcmp_err_name(code_got), count);
    if (!ok(strstr(got, detail) != NULL, "%s: detail names the offset", what))
        tap_diag("detail \"%s\", want \"%s\"", got, detail);
}

static void check_hex_fails(const char *in, int code, const char *detail, const char *what)
{
    check_fails(hex(in), 1 << 20, 32, code, detail, what);
}

static void check_passes(size_t len, int max_depth, const char *what)
{
    char got[512];
    int r;

    ERR_clear_error();
    r = pxc_der_check(inbuf, len, 1 << 20, max_depth, "PKIMessage");
    if (!ok(r == 1 && pkixcmp_err_peek_last() == PKIXCMP_E_NONE, "%s: accepted", what))
        tap_diag("error: %s", (take_errors(got, sizeof(got)), got));
    ERR_clear_error();
}

static void check_hex_passes(const char *in, const char *what)
{
    check_passes(hex(in), 32, what);
}

/*
 * Locates in der (which must pass pxc_der_check) against it; d2i < 0 skips
 * the cross-check with OpenSSL, else d2i says whether it must fail.
 */
static void locate_buf(const ASN1_ITEM *it, const unsigned char *der, size_t len, int d2i,
                       int want, size_t want_off, const char *want_path, const char *what)
{
    size_t off = 12345;
    char path[512];
    int r;

    ok(pxc_der_check(der, len, 1 << 20, 64, "test") == 1, "%s: input is DER", what);
    ERR_clear_error();
    if (d2i >= 0) {
        const unsigned char *p = der;
        ASN1_VALUE *v = ASN1_item_d2i(NULL, &p, (long)len, it);

        ERR_clear_error();
        ok((v == NULL) == d2i, "%s: OpenSSL %s it", what, d2i ? "rejects" : "accepts");
        ASN1_item_free(v, it);
    }
    memset(path, 'x', sizeof(path));
    r = pxc_der_locate(it, der, len, &off, path, sizeof(path));
    if (!ok(r == want, "%s: locate returns %d", what, want))
        tap_diag("got %d", r);
    if (!ok(off == want_off, "%s: offset %zu", what, want_off))
        tap_diag("got offset %zu", off);
    is_str(path, want_path, what);
    ok(ERR_peek_error() == 0, "%s: locate raises no error", what);
}

static void locate(const ASN1_ITEM *it, const char *in, int d2i, int want,
                   size_t want_off, const char *want_path, const char *what)
{
    size_t len = hex(in);

    locate_buf(it, inbuf, len, d2i, want, want_off, want_path, what);
}

/* ------------------------------------------------------------------ */
/* pxc_der_check                                                      */

static void test_check_size_and_framing(void)
{
    check_hex_passes("30 03 02 01 05", "small SEQUENCE");
    check_hex_passes("30 00", "empty SEQUENCE");
    check_hex_passes("05 00", "top-level NULL");
    check_fails(hex("30 03 02 01 05"), 4, 32, PKIXCMP_E_DER_TOO_LARGE,
                "PKIMessage: 5 bytes exceed the limit of 4", "too large");
    check_fails(hex("30 80 02 01 05 00 00"), 4, 32, PKIXCMP_E_DER_TOO_LARGE,
                "7 bytes exceed the limit of 4", "size is checked before anything else");
    check_fails(0, 100, 32, PKIXCMP_E_DER_TRUNCATED, "PKIMessage: empty input", "empty input");
    check_fails(hex("30 03 02 01 05"), 100, 0, PKIXCMP_E_INVALID_ARGUMENT, "depth limit",
                "depth limit 0");
    check_hex_fails("30 00 00", PKIXCMP_E_DER_TRAILING_DATA,
                    "PKIMessage: 1 trailing byte at offset 2", "one trailing byte");
    check_hex_fails("30 03 02 01 05 30 00 01", PKIXCMP_E_DER_TRAILING_DATA,
                    "3 trailing bytes at offset 5", "three trailing bytes");
    check_hex_fails("30 05 02 01", PKIXCMP_E_DER_TRUNCATED,
                    "PKIMessage: length at offset 0 runs 3 bytes past the end", "truncated");
    check_hex_fails("30 04 30 02 02 05", PKIXCMP_E_DER_TRUNCATED,
                    "length at offset 4 runs 5 bytes past the end of its enclosing element",
                    "past the enclosing element");
    check_hex_fails("30", PKIXCMP_E_DER_TRUNCATED, "length at offset 0 is cut off",
                    "no length octets");
    check_hex_fails("04 82 01", PKIXCMP_E_DER_TRUNCATED, "length at offset 0 is cut off",
                    "length octets cut off");
    /* long form lengths: 128 needs one octet, 256 two */
    memset(inbuf, 0, sizeof(inbuf));
    inbuf[0] = 0x04, inbuf[1] = 0x81, inbuf[2] = 0x80;
    check_passes(3 + 128, 32, "long form length 128");
    inbuf[0] = 0x04, inbuf[1] = 0x82, inbuf[2] = 0x01, inbuf[3] = 0x00;
    check_passes(4 + 256, 32, "long form length 256");
}

static void test_check_lengths(void)
{
    check_hex_fails("30 80 02 01 05 00 00", PKIXCMP_E_DER_INDEFINITE_LENGTH,
                    "PKIMessage: indefinite length at offset 0", "indefinite length");
    check_hex_fails("30 07 30 80 02 01 05 00 00", PKIXCMP_E_DER_INDEFINITE_LENGTH,
                    "indefinite length at offset 2", "nested indefinite length");
    check_hex_fails("04 ff 00", PKIXCMP_E_DER_BAD_LENGTH, "invalid length octets at offset 0",
                    "reserved length 0xFF");
    check_hex_fails("30 06 04 81 03 41 42 43", PKIXCMP_E_DER_BAD_LENGTH,
                    "length at offset 2 is not minimally encoded", "long form for < 128");
    check_hex_fails("04 82 00 03 41 42 43", PKIXCMP_E_DER_BAD_LENGTH,
                    "length at offset 0 is not minimally encoded", "leading zero length octet");
    check_hex_fails("04 89 01 00 00 00 00 00 00 00 00", PKIXCMP_E_DER_BAD_LENGTH,
                    "invalid length octets at offset 0", "9 length octets");
    check_hex_fails("04 88 7f ff ff ff ff ff ff ff 00", PKIXCMP_E_DER_TRUNCATED,
                    "length at offset 0 runs", "huge length");
    check_hex_fails("04 88 ff ff ff ff ff ff ff ff 00", PKIXCMP_E_DER_TRUNCATED,
                    "length at offset 0 runs", "maximal length");
}

static void test_check_tags(void)
{
    check_hex_passes("9f 1f 00", "high tag number 31");
    check_hex_passes("30 04 5f 81 00 00", "high tag number 128");
    check_hex_passes("bf ff ff ff 7f 00", "high tag number 2^28 - 1");
    check_hex_fails("9f 80 20 00", PKIXCMP_E_DER_BAD_TAG,
                    "tag number at offset 0 is not minimally encoded", "leading 0x80 in tag");
    check_hex_fails("30 03 9f 1e 00", PKIXCMP_E_DER_BAD_TAG,
                    "tag number at offset 2 is not minimally encoded", "high form for 30");
    check_hex_fails("9f", PKIXCMP_E_DER_BAD_TAG, "tag at offset 0 runs past the end",
                    "high tag without number");
    check_hex_fails("30 02 1f 81", PKIXCMP_E_DER_BAD_TAG, "tag at offset 2 runs past the end",
                    "high tag number past the enclosing end");
    check_hex_fails("9f 81 80 80 80 00 00", PKIXCMP_E_DER_BAD_TAG,
                    "tag number at offset 0 is too large", "tag number beyond 28 bits");
    check_hex_fails("24 03 04 01 41", PKIXCMP_E_DER_BAD_TAG,
                    "constructed OCTET STRING at offset 0 (BER, not DER)", "constructed string");
    check_hex_fails("30 05 23 03 03 01 00", PKIXCMP_E_DER_BAD_TAG,
                    "constructed BIT STRING at offset 2", "nested constructed BIT STRING");
    check_hex_fails("30 02 22 00", PKIXCMP_E_DER_BAD_TAG, "constructed INTEGER at offset 2",
                    "constructed INTEGER");
    check_hex_fails("2c 00", PKIXCMP_E_DER_BAD_TAG, "constructed UTF8String", "constructed UTF8");
    check_hex_fails("37 00", PKIXCMP_E_DER_BAD_TAG, "constructed UTCTime", "constructed time");
    check_hex_fails("10 00", PKIXCMP_E_DER_BAD_TAG, "primitive SEQUENCE at offset 0",
                    "primitive SEQUENCE");
    check_hex_fails("30 02 11 00", PKIXCMP_E_DER_BAD_TAG, "primitive SET at offset 2",
                    "primitive SET");
    check_hex_fails("30 02 00 00", PKIXCMP_E_DER_BAD_TAG, "end-of-contents octets at offset 2",
                    "EOC inside definite length");
    /* constructed context, application and private tags are entered */
    check_hex_fails("a0 03 24 01 00", PKIXCMP_E_DER_BAD_TAG, "OCTET STRING at offset 2",
                    "inside [0]");
    check_hex_fails("7f 81 00 03 24 01 00", PKIXCMP_E_DER_BAD_TAG, "OCTET STRING at offset 4",
                    "inside [APPLICATION 128]");
    check_hex_fails("e0 03 24 01 00", PKIXCMP_E_DER_BAD_TAG, "OCTET STRING at offset 2",
                    "inside [PRIVATE 0]");
    check_hex_passes("a0 03 84 01 00", "primitive [4] inside [0]");
}

/* n nested SEQUENCEs, built inside out at the end of inbuf; returns the start. */
static unsigned char *nest(size_t n, size_t *len)
{
    size_t pos = sizeof(inbuf), clen, i;

    for (i = 0; i < n; i++) {
        clen = sizeof(inbuf) - pos;
        if (clen >= 256) {
            inbuf[--pos] = (unsigned char)clen;
            inbuf[--pos] = (unsigned char)(clen >> 8);
            inbuf[--pos] = 0x82;
        } else if (clen >= 128) {
            inbuf[--pos] = (unsigned char)clen;
            inbuf[--pos] = 0x81;
        } else {
            inbuf[--pos] = (unsigned char)clen;
        }
        inbuf[--pos] = 0x30;
    }
    *len = sizeof(inbuf) - pos;
    return inbuf + pos;
}

static void check_nested(size_t levels, int max_depth, int code, const char *detail,
                         const char *what)
{
    size_t len;
    unsigned char *der = nest(levels, &len);
    char got[512];
    int r;

    ERR_clear_error();
    r = pxc_der_check(der, len, 1 << 20, max_depth, "PKIMessage");
    is_int(pkixcmp_err_peek_last(), code, what);
    take_errors(got, sizeof(got));
    ok(r == (code == PKIXCMP_E_NONE), "%s: result", what);
    if (!ok(strstr(got, detail) != NULL, "%s: detail", what))
        tap_diag("detail \"%s\", want \"%s\"", got, detail);
}

static void test_check_depth(void)
{
    check_passes(hex("30 04 30 02 05 00"), 3, "depth 3 within 3");
    check_fails(hex("30 04 30 02 05 00"), 1 << 20, 2, PKIXCMP_E_DER_TOO_DEEP,
                "nesting deeper than 2 at offset 4", "depth 3 over 2");
    check_passes(hex("30 00"), 1, "depth 1 within 1");
    check_fails(hex("30 02 05 00"), 1 << 20, 1, PKIXCMP_E_DER_TOO_DEEP,
                "nesting deeper than 1 at offset 2", "depth 2 over 1");
    check_nested(60, 60, PKIXCMP_E_NONE, "", "60 levels within 60");
    check_nested(60, 59, PKIXCMP_E_DER_TOO_DEEP, "nesting deeper than 59 at offset 118",
                 "60 levels over 59");
    check_nested(PXC_DER_MAX_DEPTH, 100000, PKIXCMP_E_NONE, "", "levels up to the cap");
    /* the cap applies whatever the caller asks for */
    check_nested(PXC_DER_MAX_DEPTH + 1, 100000, PKIXCMP_E_DER_TOO_DEEP,
                 "nesting deeper than 256 at offset", "one level over the cap");
    check_nested(1000, 100000, PKIXCMP_E_DER_TOO_DEEP, "nesting deeper than 256",
                 "1000 levels");
}

static void test_check_primitives(void)
{
    check_hex_passes("01 01 ff", "BOOLEAN TRUE");
    check_hex_passes("01 01 00", "BOOLEAN FALSE");
    check_hex_fails("01 01 01", PKIXCMP_E_ASN1_DECODE,
                    "BOOLEAN at offset 0 is neither 0x00 nor 0xFF", "BOOLEAN 0x01");
    check_hex_fails("30 04 01 02 00 00", PKIXCMP_E_ASN1_DECODE,
                    "BOOLEAN at offset 2 is not 1 byte long", "BOOLEAN of 2 bytes");
    check_hex_fails("01 00", PKIXCMP_E_ASN1_DECODE, "BOOLEAN at offset 0 is not 1 byte long",
                    "empty BOOLEAN");
    check_hex_passes("02 01 00", "INTEGER 0");
    check_hex_passes("02 02 00 80", "INTEGER 128");
    check_hex_passes("02 02 ff 7f", "INTEGER -129");
    check_hex_fails("30 04 05 00 02 01", PKIXCMP_E_DER_TRUNCATED,
                    "length at offset 4 runs 1 byte past the end of its enclosing element",
                    "cut INTEGER");
    check_hex_fails("02 00", PKIXCMP_E_ASN1_DECODE, "INTEGER at offset 0 is empty",
                    "empty INTEGER");
    check_hex_fails("30 04 02 02 00 05", PKIXCMP_E_ASN1_DECODE,
                    "PKIMessage: INTEGER at offset 2 is not minimally encoded", "INTEGER 00 05");
    check_hex_fails("02 02 ff 85", PKIXCMP_E_ASN1_DECODE,
                    "INTEGER at offset 0 is not minimally encoded", "INTEGER ff 85");
    check_hex_fails("0a 02 00 01", PKIXCMP_E_ASN1_DECODE,
                    "ENUMERATED at offset 0 is not minimally encoded", "ENUMERATED 00 01");
    check_hex_fails("05 01 00", PKIXCMP_E_ASN1_DECODE, "NULL at offset 0 is not empty",
                    "NULL with content");
    check_hex_passes("03 01 00", "empty BIT STRING");
    check_hex_passes("03 02 07 80", "BIT STRING 1 bit");
    check_hex_fails("03 00", PKIXCMP_E_ASN1_DECODE, "BIT STRING at offset 0 is empty",
                    "BIT STRING without unused-bits octet");
    check_hex_fails("03 02 08 00", PKIXCMP_E_ASN1_DECODE,
                    "BIT STRING at offset 0 has more than 7 unused bits", "8 unused bits");
    check_hex_fails("03 01 03", PKIXCMP_E_ASN1_DECODE,
                    "BIT STRING at offset 0 has unused bits but no content", "unused bits, no bits");
    check_hex_fails("30 04 03 02 01 01", PKIXCMP_E_ASN1_DECODE,
                    "BIT STRING at offset 2 has unused bits that are not zero", "unused bit set");
    /* content rules only apply to universal tags */
    check_hex_passes("81 01 01", "[1] IMPLICIT BOOLEAN is not checked without a schema");
}

/* ------------------------------------------------------------------ */
/* pxc_der_locate                                                     */

#define TSEQ_GOOD "30 10 02 01 05 a0 03 04 01 41 01 01 ff 30 03 06 01 2a"

static void test_locate_tseq(void)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(TSEQ);

    locate(it, TSEQ_GOOD, 0, 0, 0, "", "good TSEQ");
    locate(it, "30 0b 02 01 05 01 01 ff 30 03 06 01 2a", 0, 0, 0, "", "TSEQ without opt");
    locate(it, "30 0d 02 01 05 a1 03 02 01 07 30 03 06 01 2a", 0, 0, 0, "", "TSEQ choice [1]");
    locate(it, "31 00", 1, 1, 0, "TSEQ: expected SEQUENCE, found 0x31 (SET)", "outer tag");
    locate(it, "30 10 04 01 05 a0 03 04 01 41 01 01 ff 30 03 06 01 2a", 1, 1, 2,
           "TSEQ.num(INTEGER): expected INTEGER, found 0x04 (OCTET STRING)",
           "first field");
    locate(it, "30 10 02 01 05 a0 03 02 01 41 01 01 ff 30 03 06 01 2a", 1, 1, 7,
           "TSEQ.opt(OCTET STRING): expected OCTET STRING, found 0x02 (INTEGER)",
           "inside EXPLICIT [0]");
    locate(it, "30 0d 02 01 05 a0 00 01 01 ff 30 03 06 01 2a", 1, 1, 7,
           "TSEQ.opt(OCTET STRING): expected OCTET STRING inside the EXPLICIT tag, "
           "found nothing", "empty EXPLICIT [0]");
    locate(it, "30 13 02 01 05 a0 06 04 01 41 04 01 42 01 01 ff 30 03 06 01 2a", 1, 1, 10,
           "TSEQ.opt(OCTET STRING): unexpected second element in the EXPLICIT tag, "
           "found 0x04 (OCTET STRING)", "two elements in EXPLICIT [0]");
    locate(it, "30 0e 02 01 05 80 01 41 01 01 ff 30 03 06 01 2a", 1, 1, 5,
           "TSEQ.opt(OCTET STRING): expected constructed [0], found primitive 0x80 ([0])",
           "primitive EXPLICIT tag");
    locate(it, "30 0b 02 01 05 04 01 00 30 03 06 01 2a", 1, 1, 5,
           "TSEQ.ch(TCHOICE): expected [1] or BOOLEAN, found 0x04 (OCTET STRING)",
           "no CHOICE arm fits, optional field skipped");
    locate(it, "30 0d 02 01 05 a1 03 04 01 07 30 03 06 01 2a", 1, 1, 7,
           "TSEQ.ch(TCHOICE).i(INTEGER): expected INTEGER, found 0x04 (OCTET STRING)",
           "inside a CHOICE arm");
    locate(it, "30 10 02 01 05 a0 03 04 01 41 01 01 ff 30 03 02 01 2a", 1, 1, 15,
           "TSEQ.oids[0](OBJECT IDENTIFIER): expected OBJECT IDENTIFIER, found 0x02 (INTEGER)",
           "SEQUENCE OF element 0");
    locate(it, "30 13 02 01 05 a0 03 04 01 41 01 01 ff 30 06 06 01 2a 04 01 2a", 1, 1, 18,
           "TSEQ.oids[1](OBJECT IDENTIFIER): expected OBJECT IDENTIFIER, found 0x04 (OCTET STRING)",
           "SEQUENCE OF element 1");
    locate(it, "30 10 02 01 05 a0 03 04 01 41 01 01 ff 31 03 06 01 2a", 1, 1, 13,
           "TSEQ.oids: expected SEQUENCE, found 0x31 (SET)", "SEQUENCE OF outer tag");
    locate(it, "30 0b 02 01 05 a0 03 04 01 41 01 01 ff", 1, 1, 13,
           "TSEQ.oids: expected SEQUENCE, found end of SEQUENCE", "missing last field");
    locate(it, "30 00", 1, 1, 2,
           "TSEQ.num(INTEGER): expected INTEGER, found end of SEQUENCE", "empty TSEQ");
    locate(it, "30 12 02 01 05 a0 03 04 01 41 01 01 ff 30 03 06 01 2a 05 00", 1, 1, 18,
           "TSEQ: unexpected element, found 0x05 (NULL)", "element after the last field");
    locate(it, "30 10 02 01 05 a0 03 04 01 41 01 01 ff 30 03 06 01 80", 1, 0, 15,
           "TSEQ.oids[0](OBJECT IDENTIFIER): OBJECT IDENTIFIER at offset 15 is not a valid encoding",
           "bad OID content is reported as content");
}

/* TOUTER with everything present; offsets: inner 2, set 20, time 25, list 40, imp 49, gn 52 */
#define T_INNER "30 10 02 01 05 a0 03 04 01 41 01 01 ff 30 03 06 01 2a "
#define T_TIME "17 0d 32 35 30 31 30 31 30 30 30 30 30 30 5a "
#define T_LIST "30 07 30 05 06 03 2b 06 01 "

static void test_locate_touter(void)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(TOUTER);

    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME T_LIST "82 01 41 a3 04 82 02 68 69",
           0, 0, 0, "", "good TOUTER");
    locate(it, "30 2a " T_INNER T_TIME T_LIST, 0, 0, 0, "", "TOUTER without optional fields");
    locate(it, "30 38 30 10 02 01 05 a0 03 04 01 41 04 01 ff 30 03 06 01 2a "
           "a1 03 02 01 07 " T_TIME T_LIST "82 01 41 a3 04 82 02 68 69", 1, 1, 12,
           "TOUTER.inner(TSEQ).ch(TCHOICE): expected [1] or BOOLEAN, found 0x04 (OCTET STRING)",
           "CHOICE in nested SEQUENCE");
    locate(it, "30 38 " T_INNER "a1 03 04 01 07 " T_TIME T_LIST "82 01 41 a3 04 82 02 68 69",
           1, 1, 22,
           "TOUTER.set[0](INTEGER): expected INTEGER, found 0x04 (OCTET STRING)",
           "IMPLICIT SET OF element");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 04 0d 32 35 30 31 30 31 30 30 30 30 30 30 5a "
           T_LIST "82 01 41 a3 04 82 02 68 69", 1, 1, 25,
           "TOUTER.time(Time): expected UTCTime or GeneralizedTime, "
           "found 0x04 (OCTET STRING)", "multi-string");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME "30 07 31 05 06 03 2b 06 01 "
           "82 01 41 a3 04 82 02 68 69", 1, 1, 42,
           "TOUTER.list(TLIST)[0](AlgorithmIdentifier): expected SEQUENCE, found 0x31 (SET)",
           "element of an item template");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME "30 07 30 05 04 03 2b 06 01 "
           "82 01 41 a3 04 82 02 68 69", 1, 1, 44,
           "TOUTER.list(TLIST)[0](AlgorithmIdentifier).algorithm(OBJECT IDENTIFIER): "
           "expected OBJECT IDENTIFIER, found 0x04 (OCTET STRING)", "depth 4");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME T_LIST "82 01 41 a3 04 89 02 68 69",
           1, 1, 54,
           "TOUTER.gn(GeneralName): expected [0] or [1] or [2] or [3] or [4] or [5] or [6] "
           "or [7] or [8], found 0x89 ([9])", "CHOICE inside EXPLICIT [3]");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME T_LIST "82 01 41 a3 04 a4 02 04 00",
           1, 1, 56,
           "TOUTER.gn(GeneralName).directoryName(Name): expected SEQUENCE, "
           "found 0x04 (OCTET STRING)", "EXTERN item inside CHOICE inside EXPLICIT");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_TIME T_LIST "82 01 41 a4 04 82 02 68 69",
           1, 1, 52, "TOUTER: unexpected element, found 0xa4 ([4])", "unknown trailing field");
    locate(it, "30 38 " T_INNER "81 03 02 01 07 " T_TIME T_LIST "82 01 41 a3 04 82 02 68 69",
           0, 0, 20, "TOUTER.set: expected constructed [1], found primitive 0x81 ([1])",
           "primitive SET OF is only noted");
    locate(it, "30 38 " T_INNER "81 03 02 01 07 " T_TIME "30 07 31 05 06 03 2b 06 01 "
           "82 01 41 a3 04 82 02 68 69", 1, 1, 42,
           "TOUTER.list(TLIST)[0](AlgorithmIdentifier): expected SEQUENCE, found 0x31 (SET)",
           "a later tag mismatch wins over a note");
    locate(it, "30 38 " T_INNER "a1 03 02 01 07 " T_LIST T_TIME "82 01 41 a3 04 82 02 68 69",
           1, 1, 25,
           "TOUTER.time(Time): expected UTCTime or GeneralizedTime, found 0x30 (SEQUENCE)",
           "fields swapped");
}

static void test_locate_openssl_items(void)
{
    const ASN1_ITEM *alg = ASN1_ITEM_rptr(X509_ALGOR);

    locate(alg, "30 07 06 03 2b 06 01 05 00", 0, 0, 0, "", "good X509_ALGOR");
    locate(alg, "30 03 02 01 01", 1, 1, 2,
           "AlgorithmIdentifier.algorithm(OBJECT IDENTIFIER): expected OBJECT IDENTIFIER, found 0x02 (INTEGER)",
           "X509_ALGOR algorithm");
    locate(alg, "30 00", 1, 1, 2,
           "AlgorithmIdentifier.algorithm(OBJECT IDENTIFIER): expected OBJECT IDENTIFIER, "
           "found end of SEQUENCE", "empty X509_ALGOR");
    locate(alg, "30 07 06 01 2a 05 00 05 00", 1, 1, 7,
           "AlgorithmIdentifier: unexpected element, found 0x05 (NULL)", "X509_ALGOR extra element");
    locate(alg, "30 08 06 01 2a a0 03 02 01 01", 0, 0, 0, "", "ANY takes any tag");
    locate(alg, "30 06 06 01 2a 1e 01 41", 1, 0, 5,
           "AlgorithmIdentifier.parameter(ANY): BMPString at offset 5 has an odd length",
           "content of ANY by its universal tag");
}

static void test_locate_general_name(void)
{
    const ASN1_ITEM *gn = ASN1_ITEM_rptr(GENERAL_NAME);

    locate(gn, "82 02 68 69", 0, 0, 0, "", "good dNSName");
    locate(gn, "30 00", 1, 1, 0,
           "GeneralName: expected [0] or [1] or [2] or [3] or [4] or [5] or [6] or [7] or [8], "
           "found 0x30 (SEQUENCE)", "no GeneralName arm");
    locate(gn, "a4 02 04 00", 1, 1, 2,
           "GeneralName.directoryName(Name): expected SEQUENCE, found 0x04 (OCTET STRING)",
           "directoryName content");
    locate(gn, "a1 00", 0, 0, 0,
           "GeneralName.rfc822Name(IA5String): expected primitive [1], "
           "found constructed 0xa1 ([1])", "constructed IMPLICIT string is only noted");
    locate(gn, "a8 03 06 01 2a", 1, 1, 0,
           "GeneralName.registeredID(OBJECT IDENTIFIER): expected primitive [8], "
           "found constructed 0xa8 ([8])", "constructed IMPLICIT OID");
    locate(gn, "83 00", 1, 1, 0,
           "GeneralName.x400Address(SEQUENCE): expected constructed [3], "
           "found primitive 0x83 ([3])", "primitive IMPLICIT raw SEQUENCE");
    locate(gn, "a0 05 06 01 2a 80 00", 1, 1, 5,
           "GeneralName.otherName(OtherName).value(ANY): expected constructed [0], "
           "found primitive 0x80 ([0])", "IMPLICIT SEQUENCE then EXPLICIT ANY");
    locate(gn, "a0 03 02 01 2a", 1, 1, 2,
           "GeneralName.otherName(OtherName).type_id(OBJECT IDENTIFIER): "
           "expected OBJECT IDENTIFIER, found 0x02 (INTEGER)", "inside IMPLICIT SEQUENCE");
    locate(gn, "80 00", 1, 1, 0,
           "GeneralName.otherName(OtherName): expected constructed [0], "
           "found primitive 0x80 ([0])", "primitive IMPLICIT SEQUENCE");
    locate(gn, "88 02 80 01", 1, 0, 0,
           "GeneralName.registeredID(OBJECT IDENTIFIER): OBJECT IDENTIFIER at offset 0 "
           "is not a valid encoding", "IMPLICIT OID content");
    locate(gn, "87 00", 0, 0, 0, "", "empty iPAddress decodes");
    locate(gn, "a4 04 30 02 30 00", 1, 1, 4,
           "GeneralName.directoryName(Name)[0](RelativeDistinguishedName): "
           "expected SET, found 0x30 (SEQUENCE)", "X509_NAME is walked: RDN");
    locate(gn, "a4 0b 30 09 31 07 30 05 02 01 01 0c 00", 1, 1, 8,
           "GeneralName.directoryName(Name)[0](RelativeDistinguishedName)"
           "[0](AttributeTypeAndValue).object(OBJECT IDENTIFIER): expected OBJECT IDENTIFIER, "
           "found 0x02 (INTEGER)", "X509_NAME is walked: attribute type");
    locate(ASN1_ITEM_rptr(X509_PUBKEY), "30 0a 30 05 06 03 2b 06 01 04 01 00", 1, 1, 9,
           "SubjectPublicKeyInfo.subjectPublicKey(BIT STRING): expected BIT STRING, "
           "found 0x04 (OCTET STRING)", "X509_PUBKEY is walked");
}

/* First occurrence of needle in hay, or NULL. */
static unsigned char *find_bytes(unsigned char *hay, size_t n, const unsigned char *needle,
                                 size_t m)
{
    size_t i;

    for (i = 0; m > 0 && i + m <= n; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* A self-signed EC certificate in DER; *len its length. */
static unsigned char *make_cert(size_t *len)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_NAME *name = X509_NAME_new();
    unsigned char *der = NULL;
    int n = -1;

    if (key != NULL && x != NULL && name != NULL
        && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                      (const unsigned char *)"test", -1, -1, 0)
        && X509_set_subject_name(x, name) && X509_set_issuer_name(x, name)
        && ASN1_INTEGER_set(X509_get_serialNumber(x), 1)
        && X509_gmtime_adj(X509_getm_notBefore(x), 0)
        && X509_gmtime_adj(X509_getm_notAfter(x), 3600)
        && X509_set_pubkey(x, key) && X509_sign(x, key, EVP_sha256()) > 0)
        n = i2d_X509(x, &der);
    *len = n > 0 ? (size_t)n : 0;
    X509_NAME_free(name);
    X509_free(x);
    EVP_PKEY_free(key);
    return der;
}

/* Changes the tag at at (inside der) to tag and locates the change in X509. */
static void cert_case(unsigned char *der, size_t len, unsigned char *at, unsigned char tag,
                      const char *want_path, const char *what)
{
    unsigned char saved = *at;

    *at = tag;
    locate_buf(ASN1_ITEM_rptr(X509), der, len, 1, 1, (size_t)(at - der), want_path, what);
    *at = saved;
}

/* Tags changed deep inside a real certificate. */
static void test_locate_cert(void)
{
    unsigned char *der, *pk = NULL, *tm = NULL, *at;
    const unsigned char *p;
    int pklen = 0, tmlen = 0;
    size_t len;
    X509 *x;

    der = make_cert(&len);
    p = der;
    x = der != NULL ? d2i_X509(NULL, &p, (long)len) : NULL;
    if (!ok(x != NULL, "made a certificate"))
        goto out;
    pklen = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &pk);
    tmlen = i2d_ASN1_TIME(X509_get0_notBefore(x), &tm);
    locate_buf(ASN1_ITEM_rptr(X509), der, len, 0, 0, 0, "", "good certificate");
    at = find_bytes(der, len, pk, (size_t)pklen);
    /* SubjectPublicKeyInfo: 30 len, AlgorithmIdentifier 30 len ..., BIT STRING */
    if (ok(at != NULL && pklen < 128 && pk[3] < 128, "found the public key"))
        cert_case(der, len, at + 2 + 2 + pk[3], 0x04,
                  "Certificate.cert_info(TBSCertificate).key(SubjectPublicKeyInfo).subjectPublicKey"
                  "(BIT STRING): expected BIT STRING, found 0x04 (OCTET STRING)",
                  "certificate public key");
    at = find_bytes(der, len, tm, (size_t)tmlen);
    if (ok(at != NULL, "found notBefore"))
        cert_case(der, len, at, 0x04,
                  "Certificate.cert_info(TBSCertificate).validity(Validity).notBefore(Time): "
                  "expected UTCTime or GeneralizedTime, found 0x04 (OCTET STRING)",
                  "certificate notBefore");
    /* the issuer's CN value "test": its tag is two bytes before */
    at = find_bytes(der, len, (const unsigned char *)"test", 4);
    if (ok(at != NULL, "found the issuer CN"))
        cert_case(der, len, at - 2, 0x02,
                  "Certificate.cert_info(TBSCertificate).issuer(Name)[0]"
                  "(RelativeDistinguishedName)[0](AttributeTypeAndValue).value(DirectoryString): "
                  "expected BIT STRING or UTF8String or SEQUENCE or NumericString or "
                  "PrintableString or T61String or IA5String or UniversalString or BMPString "
                  "or another universal type, found 0x02 (INTEGER)", "certificate issuer CN");
out:
    X509_free(x);
    OPENSSL_free(pk);
    OPENSSL_free(tm);
    OPENSSL_free(der);
}

static void test_locate_strings(void)
{
    const ASN1_ITEM *ds = ASN1_ITEM_rptr(DIRECTORYSTRING);
    size_t len, off = 1;
    char path[64];

    locate(ds, "0c 02 68 69", 0, 0, 0, "", "good DirectoryString");
    locate(ds, "04 00", 1, 1, 0,
           "DIRECTORYSTRING: expected UTF8String or PrintableString or T61String or "
           "UniversalString or BMPString, found 0x04 (OCTET STRING)", "multi-string tag");
    locate(ds, "0c 02 c0 80", -1, 0, 0,
           "DIRECTORYSTRING: UTF8String at offset 0 is not valid UTF-8", "overlong UTF-8");
    locate(ds, "0c 03 ed a0 80", -1, 0, 0,
           "DIRECTORYSTRING: UTF8String at offset 0 is not valid UTF-8", "UTF-8 surrogate");
    locate(ds, "0c 04 f0 9f 98 80", 0, 0, 0, "", "4-byte UTF-8");
    locate(ds, "1e 04 00 41 d8 00", -1, 0, 0,
           "DIRECTORYSTRING: BMPString at offset 0 has an invalid character", "BMP surrogate");
    locate(ds, "1c 08 00 00 00 41 00 11 00 00", -1, 0, 0,
           "DIRECTORYSTRING: UniversalString at offset 0 has an invalid character",
           "UniversalString beyond 10FFFF");
    locate(ds, "1c 04 00 01 f6 00", 0, 0, 0, "", "UniversalString U+1F600");
    locate(ds, "1c 03 00 00 41", 1, 0, 0,
           "DIRECTORYSTRING: UniversalString at offset 0 has a length that is not a multiple of 4",
           "UniversalString length");
    locate(ASN1_ITEM_rptr(TBIG), "8b 01 05", 0, 0, 0, "", "last of 12 arms");
    locate(ASN1_ITEM_rptr(TBIG), "8c 01 05", 1, 1, 0,
           "TBIG: expected [0] or [1] or [2] or [3] or [4] or [5] or [6] or [7] or [8] "
           "or [9] or ..., found 0x8c ([12])", "long expected list is elided");
    len = hex("8c 01 05");
    ok(pxc_der_locate(ASN1_ITEM_rptr(TBIG), inbuf, len, &off, path, sizeof(path)) == 1,
       "short path buffer: mismatch");
    ok(strlen(path) == sizeof(path) - 1 && strncmp(path, "TBIG: expected [0]", 18) == 0,
       "path is cut to the buffer");
    is_int(off, 0, "offset with a short path buffer");
    len = hex("30 00");
    ok(pxc_der_locate(ASN1_ITEM_rptr(ASN1_PRINTABLE), inbuf, len, &off, NULL, 0) == 0,
       "B_ASN1_SEQUENCE in a multi-string accepts a SEQUENCE, NULL path is fine");
}

static void test_locate_robustness(void)
{
    size_t off = 7;
    char path[64];

    ok(pxc_der_locate(ASN1_ITEM_rptr(TSEQ), inbuf, 0, &off, path, sizeof(path)) == 0
       && off == 0 && path[0] == '\0', "empty input: nothing found");
    ok(pxc_der_locate(NULL, inbuf, 1, &off, path, sizeof(path)) == 0, "NULL item");
    /* not DER at all: a malformed header is reported, nothing is read beyond */
    hex("30 05 02 01");
    ok(pxc_der_locate(ASN1_ITEM_rptr(TSEQ), inbuf, 4, &off, path, sizeof(path)) == 1
       && off == 0, "truncated input is a mismatch at its start");
    hex("30 80 02 01 05 00 00");
    ok(pxc_der_locate(ASN1_ITEM_rptr(TSEQ), inbuf, 7, &off, path, sizeof(path)) == 1
       && off == 0, "indefinite length is a mismatch");
}

int main(void)
{
    test_check_size_and_framing();
    test_check_lengths();
    test_check_tags();
    test_check_depth();
    test_check_primitives();
    test_locate_tseq();
    test_locate_touter();
    test_locate_openssl_items();
    test_locate_general_name();
    test_locate_strings();
    test_locate_cert();
    test_locate_robustness();
    return tap_done();
}
