/*
 * test_msg.c - every fixture decodes, re-encodes byte-identically and
 * prints; every fixture truncated at every length, with a trailing byte and
 * with single-bit flips (see test_good for which bytes) fails cleanly or (for flips that still form a valid
 * message) re-encodes to exactly the flipped bytes.
 *
 * Fixtures: test/data/ *.der (made by `openssl cmp`), test/data/v3/ *.der
 * (hand-built v3 structures) and test/data/v3/bad/ *.der (malformed).
 */
#include <dirent.h>
#include <stdlib.h>
#include <openssl/err.h>
#include "internal.h"
#include "tap.h"
#include "testutil.h"

/* Decodes der; if it decodes, it must re-encode to exactly der. */
static int decodes_exactly(const unsigned char *der, size_t len)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_decode(der, len, 0);
    unsigned char *enc = NULL;
    int n, same;

    if (msg == NULL)
        return -1;
    n = pkixcmp_msg_encode(msg, &enc);
    same = n >= 0 && (size_t)n == len && memcmp(enc, der, len) == 0;
    OPENSSL_free(enc);
    pkixcmp_msg_free(msg);
    return same;
}

static int prints(const unsigned char *der, size_t len, int style)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_decode(der, len, 0);
    BIO *mem = BIO_new(BIO_s_mem());
    char *p;
    int ok = msg != NULL && mem != NULL && pkixcmp_msg_print(mem, msg, style)
        && BIO_get_mem_data(mem, &p) > 20;

    BIO_free(mem);
    pkixcmp_msg_free(msg);
    return ok;
}

static void test_good(const char *path, const unsigned char *der, size_t len)
{
    unsigned char *buf = malloc(len + 1);
    size_t i;
    int bad_trunc = 0, bad_flip = 0, flip_decoded = 0;

    ok(decodes_exactly(der, len) == 1, "%s decodes and re-encodes byte-identically", path);
    ok(prints(der, len, PKIXCMP_PRINT_TEXT), "%s prints as text", path);
    ok(prints(der, len, PKIXCMP_PRINT_JSON), "%s prints as JSON", path);
    for (i = 0; i < len; i++) {
        memcpy(buf, der, i); /* a separate buffer of exactly i bytes for ASan */
        if (decodes_exactly(buf, i) != -1)
            bad_trunc++;
        ERR_clear_error();
    }
    ok(bad_trunc == 0, "%s: all %zu truncations refused", path, len);
    memcpy(buf, der, len);
    buf[len] = 0;
    ok(decodes_exactly(buf, len + 1) == -1
       && pkixcmp_err_peek_last() == PKIXCMP_E_DER_TRAILING_DATA,
       "%s: a trailing byte is refused as trailing data", path);
    for (i = 0; i < len; i++) {
        int r;

        /*
         * Every byte of the first 384 (header, body start, protection
         * parameters) and every 11th after: the rest is mostly certificates,
         * whose decoding in OpenSSL 3.0 is slow; the fuzzer covers them.
         */
        if (i >= 384 && i % 11 != 0)
            continue;
        memcpy(buf, der, len);
        buf[i] ^= (unsigned char)(1u << (i % 8));
        r = decodes_exactly(buf, len);
        if (r == 0)
            bad_flip++;
        ERR_clear_error();
        flip_decoded += r == 1;
    }
    ok(bad_flip == 0, "%s: bit flips fail cleanly or re-encode exactly (%d decoded)",
       path, flip_decoded);
    ERR_clear_error();
    free(buf);
}

/* The error each malformed fixture must give (see test/data/v3/bad/README.md). */
static const struct {
    const char *file;
    int code;
} bad_expect[] = {
    {"indefinite_header.der", PKIXCMP_E_DER_INDEFINITE_LENGTH},
    {"trailing_byte.der", PKIXCMP_E_DER_TRAILING_DATA},
    {"nonminimal_length.der", PKIXCMP_E_DER_BAD_LENGTH},
    {"body_tag27.der", PKIXCMP_E_DER_BAD_TAG},
    {"pvno_octetstring.der", PKIXCMP_E_DER_BAD_TAG},
    {"truncated.der", PKIXCMP_E_DER_TRUNCATED},
    {"integer_leading_zero.der", PKIXCMP_E_ASN1_DECODE},
    {"constructed_octetstring.der", PKIXCMP_E_DER_BAD_TAG},
    {"bitstring_padding.der", PKIXCMP_E_ASN1_DECODE},
    {"boolean_not_ff.der", PKIXCMP_E_ITAV_VALUE},
};

static void test_bad(const char *path, const unsigned char *der, size_t len)
{
    const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    int code, want = -1;
    size_t i;

    for (i = 0; i < PXC_NELEM(bad_expect); i++)
        if (strcmp(bad_expect[i].file, base) == 0)
            want = bad_expect[i].code;
    ok(want != -1, "%s has an expected error in the table", base);
    ERR_clear_error();
    ok(decodes_exactly(der, len) == -1, "%s is refused", base);
    code = pkixcmp_err_peek_last();
    ok(code == want, "%s: refused with %s (want %s)", base, pkixcmp_err_name(code),
       pkixcmp_err_name(want));
    ERR_clear_error();
}

static int for_each_der(const char *dir, void (*fn)(const char *, const unsigned char *, size_t))
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024];
    int count = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name), len = 0;
        unsigned char *der;

        if (n < 5 || strcmp(e->d_name + n - 4, ".der") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        der = tu_read_file(path, &len);
        if (!ok(der != NULL, "read %s", path))
            continue;
        fn(path, der, len);
        free(der);
        count++;
    }
    closedir(d);
    return count;
}

int main(void)
{
    const char *top = getenv("top_srcdir");
    char dir[1024];
    int n;

    if (top == NULL)
        top = ".";
    snprintf(dir, sizeof(dir), "%s/test/data", top);
    n = for_each_der(dir, test_good);
    ok(n >= 32, "found %d openssl cmp fixtures", n);
    snprintf(dir, sizeof(dir), "%s/test/data/v3", top);
    n = for_each_der(dir, test_good);
    ok(n >= 20, "found %d hand-built v3 fixtures", n);
    snprintf(dir, sizeof(dir), "%s/test/data/v3/bad", top);
    n = for_each_der(dir, test_bad);
    ok(n == (int)PXC_NELEM(bad_expect), "found %d malformed fixtures", n);
    return tap_done();
}
