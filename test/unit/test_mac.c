/*
 * test_mac.c - MAC protection (mac.c): id-PasswordBasedMac and PBMAC1.
 *
 * The MAC is checked against independent computations (a plain digest loop
 * with the one-shot HMAC(), PKCS5_PBKDF2_HMAC()), against constants made
 * with the openssl command line, and against every MAC-protected fixture
 * `openssl cmp` made (secret "test1234"). Then our own protectionAlg values
 * round-trip, and each refusal gives its own error code.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <pkixcmp/msg.h>
#include "protect_local.h"
#include "tap.h"
#include "testutil.h"

#define UNKNOWN_NID (-2) /* stands for the OID 1.2.3.4.5 in the builders */
#define ABSENT (-1)      /* an optional field left out */

static const unsigned char salt16[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
};

static ASN1_OBJECT *obj(int nid)
{
    return nid == UNKNOWN_NID ? OBJ_txt2obj("1.2.3.4.5", 1) : OBJ_nid2obj(nid);
}

/* alg = nid with the DER of value (type it) as SEQUENCE parameters. */
static X509_ALGOR *alg_seq(int nid, void *value, const ASN1_ITEM *it)
{
    X509_ALGOR *alg = X509_ALGOR_new();
    ASN1_STRING *s = ASN1_item_pack(value, it, NULL);

    X509_ALGOR_set0(alg, obj(nid), V_ASN1_SEQUENCE, s);
    return alg;
}

/* alg = nid with raw parameters of type ptype (content der[0..len)). */
static X509_ALGOR *alg_raw(int nid, int ptype, const char *der, size_t len)
{
    X509_ALGOR *alg = X509_ALGOR_new();
    ASN1_STRING *s = ASN1_STRING_type_new(ptype);

    ASN1_STRING_set(s, der, (int)len);
    X509_ALGOR_set0(alg, obj(nid), ptype, s);
    return alg;
}

/* id-PasswordBasedMac {salt, owf (params absent), iter, mac (params absent)} */
static X509_ALGOR *pbm_alg(const unsigned char *salt, int saltlen, int owf, long iter, int mac)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
    PKIXCMP_PBMParameter *p = (PKIXCMP_PBMParameter *)ASN1_item_new(it);
    X509_ALGOR *alg;

    ASN1_OCTET_STRING_set(p->salt, salt, saltlen);
    X509_ALGOR_set0(p->owf, obj(owf), V_ASN1_UNDEF, NULL);
    ASN1_INTEGER_set(p->iterationCount, iter);
    X509_ALGOR_set0(p->mac, obj(mac), V_ASN1_UNDEF, NULL);
    alg = alg_seq(NID_id_PasswordBasedMAC, p, it);
    ASN1_item_free((ASN1_VALUE *)p, it);
    return alg;
}

/* PBMAC1 {kdf (taken over), mac (params NULL)} */
static X509_ALGOR *pbmac1_wrap(X509_ALGOR *kdf, int mac)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMAC1Params);
    PKIXCMP_PBMAC1Params *p1 = (PKIXCMP_PBMAC1Params *)ASN1_item_new(it);
    X509_ALGOR *alg;

    X509_ALGOR_free(p1->keyDerivationFunc);
    p1->keyDerivationFunc = kdf;
    X509_ALGOR_set0(p1->messageAuthScheme, obj(mac), V_ASN1_NULL, NULL);
    alg = alg_seq(NID_pbmac1, p1, it);
    ASN1_item_free((ASN1_VALUE *)p1, it);
    return alg;
}

/* PBMAC1 {kdf {salt, iter, keylen or ABSENT, prf or ABSENT}, mac}, NULL params */
static X509_ALGOR *pbmac1_alg(int kdf, const unsigned char *salt, int saltlen, long iter,
                              long keylen, int prf, int mac)
{
    const ASN1_ITEM *kit = ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params);
    PKIXCMP_PBKDF2Params *kp = (PKIXCMP_PBKDF2Params *)ASN1_item_new(kit);
    ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();
    X509_ALGOR *kalg;

    ASN1_OCTET_STRING_set(s, salt, saltlen);
    ASN1_TYPE_set(kp->salt, V_ASN1_OCTET_STRING, s);
    ASN1_INTEGER_set(kp->iterationCount, iter);
    if (keylen != ABSENT) {
        kp->keyLength = ASN1_INTEGER_new();
        ASN1_INTEGER_set(kp->keyLength, keylen);
    }
    if (prf != ABSENT) {
        kp->prf = X509_ALGOR_new();
        X509_ALGOR_set0(kp->prf, obj(prf), V_ASN1_NULL, NULL);
    }
    kalg = alg_seq(kdf, kp, kit);
    ASN1_item_free((ASN1_VALUE *)kp, kit);
    return pbmac1_wrap(kalg, mac);
}

/* pxc_mac_compute into a fixed buffer; returns the length, 0 on failure. */
static size_t compute(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg, const void *data,
                      size_t len, unsigned char out[EVP_MAX_MD_SIZE])
{
    unsigned char *mac = NULL;
    size_t maclen = 0;

    if (!pxc_mac_compute(ctx, alg, data, len, &mac, &maclen) || maclen > EVP_MAX_MD_SIZE) {
        OPENSSL_free(mac);
        return 0;
    }
    memcpy(out, mac, maclen);
    OPENSSL_free(mac);
    return maclen;
}

/* The last error is code, its detail contains text; clears the queue. */
static int err_is(int code, const char *text)
{
    const char *data = NULL;
    int flags = 0, got = pkixcmp_err_peek_last(), ret;

    ERR_peek_last_error_data(&data, &flags);
    ret = got == code && (text == NULL || (data != NULL && strstr(data, text) != NULL));
    if (!ret)
        tap_diag("got %s \"%s\", want %s \"%s\"", pkixcmp_err_name(got),
                 data != NULL ? data : "", pkixcmp_err_name(code), text != NULL ? text : "");
    ERR_clear_error();
    return ret;
}

/* PBM the long way (RFC 4211 section 4.4), with EVP_Digest and HMAC(). */
static size_t pbm_by_hand(const EVP_MD *owf, const EVP_MD *mac, const char *secret,
                          const unsigned char *salt, size_t saltlen, long iter,
                          const void *data, size_t len, unsigned char out[EVP_MAX_MD_SIZE])
{
    unsigned char buf[256], key[EVP_MAX_MD_SIZE];
    unsigned int keylen = 0, outlen = 0;
    size_t slen = strlen(secret);
    long i;

    memcpy(buf, secret, slen);
    memcpy(buf + slen, salt, saltlen);
    EVP_Digest(buf, slen + saltlen, key, &keylen, owf, NULL);
    for (i = 1; i < iter; i++)
        EVP_Digest(key, keylen, key, &keylen, owf, NULL);
    HMAC(mac, key, (int)keylen, data, len, out, &outlen);
    return outlen;
}

static void test_pbm_kat(PKIXCMP_CTX *ctx)
{
    static const struct {
        int owf, mac;
        const EVP_MD *(*owf_md)(void), *(*mac_md)(void);
        long iter;
    } cases[] = {
        {NID_sha256, NID_hmac_sha1, EVP_sha256, EVP_sha1, 500},     /* openssl cmp */
        {NID_sha256, NID_hmacWithSHA256, EVP_sha256, EVP_sha256, 2047}, /* Insta max */
        {NID_sha1, NID_hmacWithSHA1, EVP_sha1, EVP_sha1, 1},
        {NID_sha224, NID_hmacWithSHA384, EVP_sha224, EVP_sha384, 100},
        {NID_sha512, NID_hmacWithSHA512, EVP_sha512, EVP_sha512, 1000},
        {NID_sha384, NID_hmacWithSHA224, EVP_sha384, EVP_sha224, 7},
    };
    static const char data[] = "pkixcmp PBM test data";
    unsigned char got[EVP_MAX_MD_SIZE], want[EVP_MAX_MD_SIZE];
    size_t i, n, m;

    for (i = 0; i < PXC_NELEM(cases); i++) {
        X509_ALGOR *alg = pbm_alg(salt16, 16, cases[i].owf, cases[i].iter, cases[i].mac);

        n = compute(ctx, alg, data, strlen(data), got);
        m = pbm_by_hand(cases[i].owf_md(), cases[i].mac_md(), "test1234", salt16, 16,
                        cases[i].iter, data, strlen(data), want);
        ok(n == m && n > 0 && memcmp(got, want, n) == 0,
           "PBM %s/%s/%ld equals the digest loop + HMAC()", OBJ_nid2sn(cases[i].owf),
           OBJ_nid2sn(cases[i].mac), cases[i].iter);
        X509_ALGOR_free(alg);
    }
}

/*
 * Hard-coded PBM vector (owf sha256, 3 iterations, hmac-sha1, salt 00..0f):
 *   { printf test1234; printf '\x00\x01...\x0f'; } | openssl dgst -sha256 -binary >k1
 *   openssl dgst -sha256 -binary k1 >k2; openssl dgst -sha256 -binary k2 >k3
 *   printf 'pkixcmp PBM test data' >d; openssl mac -digest SHA1 \
 *       -macopt hexkey:$(xxd -p -c 64 k3) -in d HMAC
 * (k3 = 03c5cca19418894a6dddbec6e9973fcd9d7f79c270fc8cfa81bf28fd632bb73d)
 */
static void test_pbm_vector(PKIXCMP_CTX *ctx)
{
    static const unsigned char want[20] = {
        0x7D, 0x7C, 0x4D, 0xED, 0xF2, 0xB5, 0xDA, 0x2C, 0x18, 0x46,
        0xAB, 0x6A, 0xEC, 0x7E, 0x36, 0xBA, 0xFA, 0xBB, 0x06, 0xBE
    };
    static const char data[] = "pkixcmp PBM test data";
    X509_ALGOR *alg = pbm_alg(salt16, 16, NID_sha256, 3, NID_hmac_sha1);
    unsigned char got[EVP_MAX_MD_SIZE];
    size_t n = compute(ctx, alg, data, strlen(data), got);

    ok(n == 20 && memcmp(got, want, 20) == 0, "PBM equals the openssl dgst/mac vector");
    X509_ALGOR_free(alg);
}

/* PBMAC1 the long way: PKCS5_PBKDF2_HMAC, then HMAC(). */
static size_t pbmac1_by_hand(const EVP_MD *prf, const EVP_MD *mac, long iter, int keylen,
                             const void *data, size_t len, unsigned char out[EVP_MAX_MD_SIZE])
{
    unsigned char key[64];
    unsigned int outlen = 0;

    PKCS5_PBKDF2_HMAC("test1234", 8, salt16, 16, (int)iter, prf, keylen, key);
    HMAC(mac, key, keylen, data, len, out, &outlen);
    return outlen;
}

static void test_pbmac1_kat(PKIXCMP_CTX *ctx)
{
    static const struct {
        int prf, mac;
        const EVP_MD *(*prf_md)(void), *(*mac_md)(void);
        long iter, keylen;
    } cases[] = {
        {NID_hmacWithSHA256, NID_hmacWithSHA256, EVP_sha256, EVP_sha256, 500, 32},
        {ABSENT, NID_hmacWithSHA1, EVP_sha1, EVP_sha1, 10, 20}, /* DEFAULT prf */
        {NID_hmacWithSHA1, NID_hmacWithSHA256, EVP_sha1, EVP_sha256, 10, 32},
        {NID_hmacWithSHA512, NID_hmacWithSHA512, EVP_sha512, EVP_sha512, 2, 64},
        {NID_hmacWithSHA384, NID_hmacWithSHA224, EVP_sha384, EVP_sha224, 1, 16},
    };
    static const char data[] = "pkixcmp PBMAC1 test data";
    unsigned char got[EVP_MAX_MD_SIZE], want[EVP_MAX_MD_SIZE];
    size_t i, n, m;

    for (i = 0; i < PXC_NELEM(cases); i++) {
        X509_ALGOR *alg = pbmac1_alg(NID_id_pbkdf2, salt16, 16, cases[i].iter,
                                     cases[i].keylen, cases[i].prf, cases[i].mac);

        n = compute(ctx, alg, data, strlen(data), got);
        m = pbmac1_by_hand(cases[i].prf_md(), cases[i].mac_md(), cases[i].iter,
                           (int)cases[i].keylen, data, strlen(data), want);
        ok(n == m && n > 0 && memcmp(got, want, n) == 0,
           "PBMAC1 prf %s/%s/%ld/keyLength %ld equals PKCS5_PBKDF2_HMAC + HMAC()",
           cases[i].prf == ABSENT ? "(default)" : OBJ_nid2sn(cases[i].prf),
           OBJ_nid2sn(cases[i].mac), cases[i].iter, cases[i].keylen);
        X509_ALGOR_free(alg);
    }
}

/*
 * Hard-coded PBMAC1 vector (PBKDF2-HMAC-SHA256, salt 00..0f, 1000
 * iterations, keyLength 32, HMAC-SHA256), made with
 *   openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:test1234 \
 *       -kdfopt hexsalt:000102030405060708090a0b0c0d0e0f -kdfopt iter:1000 PBKDF2
 *   (= 6A4F068A21B490986763E50DBB9DCE483D838D19D39422FA2F53163975E4244E)
 *   printf 'pkixcmp PBMAC1 test data' >d
 *   openssl mac -digest SHA256 -macopt hexkey:6A4F...244E -in d HMAC
 */
static void test_pbmac1_vector(PKIXCMP_CTX *ctx)
{
    static const unsigned char want[32] = {
        0x8C, 0xA8, 0xC6, 0xE2, 0xE3, 0x94, 0x91, 0xBC, 0xE0, 0x6A, 0x5D, 0xE4, 0xA2, 0xAF,
        0xC3, 0x91, 0x5A, 0x9C, 0x85, 0x6D, 0xD9, 0xB4, 0x93, 0x12, 0x0D, 0x18, 0x11, 0x36,
        0x34, 0xE5, 0x08, 0x68
    };
    static const char data[] = "pkixcmp PBMAC1 test data";
    X509_ALGOR *alg = pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1000, 32, NID_hmacWithSHA256,
                                 NID_hmacWithSHA256);
    unsigned char got[EVP_MAX_MD_SIZE];
    size_t n = compute(ctx, alg, data, strlen(data), got);

    ok(n == 32 && memcmp(got, want, 32) == 0, "PBMAC1 equals the openssl kdf/mac vector");
    X509_ALGOR_free(alg);
}

/* 1 if the MAC of msg under ctx's secret equals msg's protection. */
static int fixture_mac_matches(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *msg)
{
    unsigned char *pp = NULL, *mac = NULL;
    size_t maclen = 0;
    int n = pxc_protected_part_der(msg, &pp), ret = 0;

    if (n > 0 && pxc_mac_compute(ctx, msg->header->protectionAlg, pp, (size_t)n, &mac, &maclen))
        ret = msg->protection != NULL && (int)maclen == ASN1_STRING_length(msg->protection)
            && CRYPTO_memcmp(mac, ASN1_STRING_get0_data(msg->protection), maclen) == 0;
    OPENSSL_free(pp);
    OPENSSL_free(mac);
    return ret;
}

/* Checks one fixture if it is MAC-protected; returns 1 if it was. */
static int test_fixture(PKIXCMP_CTX *ctx, const char *dir, const char *name)
{
    char *path = tu_data_path(dir, name);
    size_t len = 0;
    unsigned char *der = path != NULL ? tu_read_file(path, &len) : NULL;
    PKIXCMP_MSG *msg = der != NULL ? pkixcmp_msg_decode(der, len, 0) : NULL;
    int ret = 0;

    if (msg == NULL || !pxc_mac_is_mac_alg(msg->header->protectionAlg))
        goto out;
    ret = 1;
    pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8);
    ok(fixture_mac_matches(ctx, msg), "%s/%s: our MAC equals its protection", dir, name);
    pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"wrong", 5);
    ok(!fixture_mac_matches(ctx, msg), "%s/%s: with secret \"wrong\" it differs", dir, name);
out:
    ERR_clear_error();
    pkixcmp_msg_free(msg);
    free(der);
    free(path);
    return ret;
}

/* Every *_mac.der in test/data and every MAC-protected test/data/v3 file. */
static void test_fixtures(PKIXCMP_CTX *ctx)
{
    static const char *const dirs[] = {"test/data", "test/data/v3"};
    struct dirent *e;
    size_t i, n, checked = 0, pbmac1 = 0;

    for (i = 0; i < PXC_NELEM(dirs); i++) {
        char *path = tu_data_path(dirs[i], "");
        DIR *d = path != NULL ? opendir(path) : NULL;

        while (d != NULL && (e = readdir(d)) != NULL) {
            n = strlen(e->d_name);
            if (n < 4 || strcmp(e->d_name + n - 4, ".der") != 0
                || (i == 0 && (n < 8 || strcmp(e->d_name + n - 8, "_mac.der") != 0)))
                continue;
            if (test_fixture(ctx, dirs[i], e->d_name)) {
                checked++;
                pbmac1 += strcmp(e->d_name, "pbmac1.der") == 0;
            }
        }
        if (d != NULL)
            closedir(d);
        free(path);
    }
    ok(checked >= 40, "%zu MAC-protected fixtures checked", checked);
    ok(pbmac1 == 1, "v3/pbmac1.der (PBMAC1) among them");
}

/* The DER of alg in a new buffer; its length in *len. */
static unsigned char *alg_der(const X509_ALGOR *alg, int *len)
{
    unsigned char *der = NULL;

    *len = i2d_X509_ALGOR(alg, &der);
    return der;
}

/* The protectionAlg of a fixture, re-encoded (OpenSSL's own encoding). */
static unsigned char *fixture_alg_der(const char *name, int *len)
{
    char *path = tu_data_path("test/data", name);
    size_t n = 0;
    unsigned char *der = tu_read_file(path, &n), *ret = NULL;
    PKIXCMP_MSG *msg = der != NULL ? pkixcmp_msg_decode(der, n, 0) : NULL;

    *len = 0;
    if (msg != NULL)
        ret = alg_der(msg->header->protectionAlg, len);
    pkixcmp_msg_free(msg);
    free(der);
    free(path);
    return ret;
}

/*
 * Our default protectionAlg is byte for byte what `openssl cmp` writes
 * (ir_mac.der) but for the 16 salt bytes at offset 17: id-PasswordBasedMac
 * {salt, sha256 (no params), 500, hmac-sha1 (no params)}.
 */
static void test_new_pbm(PKIXCMP_CTX *ctx)
{
    static const char data[] = "data";
    X509_ALGOR *a = pxc_mac_new_alg(ctx), *b = pxc_mac_new_alg(ctx);
    int alen = 0, blen = 0, flen = 0;
    unsigned char *ad = a != NULL ? alg_der(a, &alen) : NULL;
    unsigned char *bd = b != NULL ? alg_der(b, &blen) : NULL;
    unsigned char *fd = fixture_alg_der("ir_mac.der", &flen);
    unsigned char m1[EVP_MAX_MD_SIZE], m2[EVP_MAX_MD_SIZE];
    size_t n1 = a != NULL ? compute(ctx, a, data, 4, m1) : 0;
    size_t n2 = a != NULL ? compute(ctx, a, data, 4, m2) : 0;

    ok(ad != NULL && alen == 62 && fd != NULL && flen == 62, "PBM protectionAlg is 62 bytes");
    ok(ad != NULL && fd != NULL && alen == flen && memcmp(ad, fd, 17) == 0
       && memcmp(ad + 33, fd + 33, 29) == 0, "and equals openssl cmp's outside the salt");
    ok(bd != NULL && alen == blen && memcmp(ad + 17, bd + 17, 16) != 0,
       "two protectionAlgs get different random salts");
    ok(n1 == 20 && n1 == n2 && memcmp(m1, m2, n1) == 0, "PBM MAC twice gives the same 20 bytes");
    ok(pxc_mac_is_mac_alg(a), "pxc_mac_is_mac_alg(new PBM alg)");
    OPENSSL_free(ad);
    OPENSSL_free(bd);
    OPENSSL_free(fd);
    X509_ALGOR_free(a);
    X509_ALGOR_free(b);
}

/* Decodes the PBMParameter of a new alg for digest/mac and checks it. */
static void check_new_pbm(PKIXCMP_CTX *ctx, const char *digest, const char *mac,
                          int owf_nid, int mac_nid)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
    X509_ALGOR *alg;
    PKIXCMP_PBMParameter *p = NULL;
    const ASN1_OBJECT *o1 = NULL, *o2 = NULL;
    const void *pval = NULL;
    int ptype = 0, t1 = 0, t2 = 0;
    unsigned char m1[EVP_MAX_MD_SIZE], m2[EVP_MAX_MD_SIZE];
    size_t n1 = 0, n2 = 0;

    pkixcmp_ctx_set1_digest(ctx, digest);
    pkixcmp_ctx_set1_mac(ctx, mac);
    if ((alg = pxc_mac_new_alg(ctx)) != NULL) {
        X509_ALGOR_get0(NULL, &ptype, &pval, alg);
        p = ptype == V_ASN1_SEQUENCE ? ASN1_item_unpack(pval, it) : NULL;
        n1 = compute(ctx, alg, "x", 1, m1);
        n2 = compute(ctx, alg, "x", 1, m2);
    }
    if (p != NULL) {
        X509_ALGOR_get0(&o1, &t1, NULL, p->owf);
        X509_ALGOR_get0(&o2, &t2, NULL, p->mac);
    }
    ok(p != NULL && OBJ_obj2nid(o1) == owf_nid && t1 == V_ASN1_UNDEF
       && OBJ_obj2nid(o2) == mac_nid && t2 == V_ASN1_UNDEF
       && ASN1_STRING_length(p->salt) == pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PBM_SALT_LEN)
       && ASN1_INTEGER_get(p->iterationCount)
          == pkixcmp_ctx_get_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS),
       "PBM -digest %s -mac %s: owf %s, mac %s, params absent", digest, mac,
       OBJ_nid2sn(owf_nid), OBJ_nid2sn(mac_nid));
    ok(n1 > 0 && n1 == n2 && memcmp(m1, m2, n1) == 0, "and the MAC twice is the same");
    ASN1_item_free((ASN1_VALUE *)p, it);
    X509_ALGOR_free(alg);
}

/*
 * PBMAC1 with SHA-256: PBMAC1 {PBKDF2 {salt 16, 500, keyLength 32,
 * hmacWithSHA256 NULL}, hmacWithSHA256 NULL}; the salt at offset 32.
 */
static const unsigned char pbmac1_sha256_der[83] = {
    0x30, 0x51, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0E,
    0x30, 0x44, 0x30, 0x34, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C,
    0x30, 0x27, 0x04, 0x10,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* salt */
    0x02, 0x02, 0x01, 0xF4, 0x02, 0x01, 0x20,
    0x30, 0x0C, 0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09, 0x05, 0x00,
    0x30, 0x0C, 0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09, 0x05, 0x00
};

/* Decodes the PBMAC1 params of a new alg for digest and checks them. */
static void check_new_pbmac1(PKIXCMP_CTX *ctx, const char *digest, int hmac_nid, long keylen)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMAC1Params);
    const ASN1_ITEM *kit = ASN1_ITEM_rptr(PKIXCMP_PBKDF2Params);
    X509_ALGOR *alg;
    PKIXCMP_PBMAC1Params *p1 = NULL;
    PKIXCMP_PBKDF2Params *kp = NULL;
    const ASN1_OBJECT *o = NULL;
    const void *pval = NULL;
    int ptype = 0, t = 0, prf_ok;
    unsigned char m1[EVP_MAX_MD_SIZE], m2[EVP_MAX_MD_SIZE];
    size_t n1 = 0, n2 = 0;

    pkixcmp_ctx_set1_digest(ctx, digest);
    if ((alg = pxc_mac_new_alg(ctx)) != NULL) {
        X509_ALGOR_get0(NULL, &ptype, &pval, alg);
        p1 = ptype == V_ASN1_SEQUENCE ? ASN1_item_unpack(pval, it) : NULL;
        n1 = compute(ctx, alg, "x", 1, m1);
        n2 = compute(ctx, alg, "x", 1, m2);
    }
    if (p1 != NULL) {
        X509_ALGOR_get0(NULL, &ptype, &pval, p1->keyDerivationFunc);
        kp = ptype == V_ASN1_SEQUENCE ? ASN1_item_unpack(pval, kit) : NULL;
        X509_ALGOR_get0(&o, &t, NULL, p1->messageAuthScheme);
    }
    /* the prf is left out exactly when it is the DEFAULT hmacWithSHA1 */
    prf_ok = kp != NULL && (hmac_nid == NID_hmacWithSHA1 ? kp->prf == NULL
                            : kp->prf != NULL && X509_ALGOR_cmp(kp->prf, p1->messageAuthScheme) == 0);
    ok(kp != NULL && OBJ_obj2nid(o) == hmac_nid && t == V_ASN1_NULL && prf_ok
       && kp->salt->type == V_ASN1_OCTET_STRING && kp->keyLength != NULL
       && ASN1_INTEGER_get(kp->keyLength) == keylen,
       "PBMAC1 -digest %s: %s (NULL), keyLength %ld, prf %s", digest, OBJ_nid2sn(hmac_nid),
       keylen, hmac_nid == NID_hmacWithSHA1 ? "absent (DEFAULT)" : "the same");
    ok(n1 == (size_t)keylen && n1 == n2 && memcmp(m1, m2, n1) == 0,
       "and the MAC twice is the same %ld bytes", keylen);
    ASN1_item_free((ASN1_VALUE *)kp, kit);
    ASN1_item_free((ASN1_VALUE *)p1, it);
    X509_ALGOR_free(alg);
}

static void test_new_pbmac1(PKIXCMP_CTX *ctx)
{
    X509_ALGOR *alg;
    unsigned char *der = NULL;
    int len = 0;

    ok(pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAC_TYPE, 1), "MAC type 1 = PBMAC1");
    alg = pxc_mac_new_alg(ctx);
    der = alg != NULL ? alg_der(alg, &len) : NULL;
    ok(der != NULL && len == 83 && memcmp(der, pbmac1_sha256_der, 32) == 0
       && memcmp(der + 48, pbmac1_sha256_der + 48, 35) == 0,
       "PBMAC1 protectionAlg with SHA256 has the expected DER");
    ok(pxc_mac_is_mac_alg(alg), "pxc_mac_is_mac_alg(new PBMAC1 alg)");
    OPENSSL_free(der);
    X509_ALGOR_free(alg);
    check_new_pbmac1(ctx, "SHA256", NID_hmacWithSHA256, 32);
    check_new_pbmac1(ctx, "SHA1", NID_hmacWithSHA1, 20);
    check_new_pbmac1(ctx, "SHA2-224", NID_hmacWithSHA224, 28);
    check_new_pbmac1(ctx, "sha384", NID_hmacWithSHA384, 48);
    check_new_pbmac1(ctx, "SHA512", NID_hmacWithSHA512, 64);
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAC_TYPE, 0);
    pkixcmp_ctx_set1_digest(ctx, "SHA256");
}

static void test_new_names(PKIXCMP_CTX *ctx)
{
    check_new_pbm(ctx, "SHA256", "HMAC-SHA256", NID_sha256, NID_hmacWithSHA256);
    check_new_pbm(ctx, "SHA1", "hmac-sha1", NID_sha1, NID_hmac_sha1);
    check_new_pbm(ctx, "SHA512", "hmacWithSHA1", NID_sha512, NID_hmacWithSHA1);
    check_new_pbm(ctx, "SHA224", "hmacwithsha384", NID_sha224, NID_hmacWithSHA384);
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS, 2047);
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_SALT_LEN, 8);
    check_new_pbm(ctx, "SHA256", "HMAC-SHA1", NID_sha256, NID_hmac_sha1); /* Insta */
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_ITERATIONS, 500);
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_PBM_SALT_LEN, 16);

    pkixcmp_ctx_set1_mac(ctx, "HMAC-MD5");
    ok(pxc_mac_new_alg(ctx) == NULL && err_is(PKIXCMP_E_UNKNOWN_NAME, "HMAC-MD5"),
       "-mac HMAC-MD5: PKIXCMP_E_UNKNOWN_NAME");
    pkixcmp_ctx_set1_mac(ctx, "HMAC-SHA1");
    pkixcmp_ctx_set1_digest(ctx, "MD5");
    ok(pxc_mac_new_alg(ctx) == NULL && err_is(PKIXCMP_E_UNKNOWN_NAME, "\"MD5\""),
       "-digest MD5: PKIXCMP_E_UNKNOWN_NAME");
    pkixcmp_ctx_set1_digest(ctx, "no-such-digest");
    ok(pxc_mac_new_alg(ctx) == NULL && err_is(PKIXCMP_E_UNKNOWN_NAME, "no-such-digest"),
       "-digest no-such-digest: PKIXCMP_E_UNKNOWN_NAME");
    pkixcmp_ctx_set1_digest(ctx, "SHA256");
}

/* pxc_mac_compute on alg fails with code and text in the detail. */
static int refused(const PKIXCMP_CTX *ctx, X509_ALGOR *alg, int code, const char *text)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    int ret = compute(ctx, alg, "x", 1, out) == 0 && err_is(code, text);

    X509_ALGOR_free(alg);
    return ret;
}

static void test_limits(PKIXCMP_CTX *ctx)
{
    unsigned char salt65[65] = {0};

    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAX_ITERATIONS, 1000);
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 2000, NID_hmac_sha1),
               PKIXCMP_E_ITERATION_COUNT_TOO_HIGH,
               "PBMParameter iterationCount 2000 exceeds the limit of 1000"),
       "PBM 2000 iterations over a limit of 1000: ITERATION_COUNT_TOO_HIGH");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 2000, 32, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_ITERATION_COUNT_TOO_HIGH,
               "PBKDF2-params iterationCount 2000 exceeds the limit of 1000"),
       "PBMAC1 2000 iterations over a limit of 1000: ITERATION_COUNT_TOO_HIGH");
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAX_ITERATIONS, 100000);
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 1000000000L, NID_hmac_sha1),
               PKIXCMP_E_ITERATION_COUNT_TOO_HIGH, "exceeds the limit of 100000"),
       "PBM 10^9 iterations refused at once by the default limit");
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 0, NID_hmac_sha1),
               PKIXCMP_E_BAD_PROTECTION_PARAMS, "iterationCount 0"),
       "PBM 0 iterations: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, -5, NID_hmac_sha1),
               PKIXCMP_E_BAD_PROTECTION_PARAMS, "iterationCount -5"),
       "PBM -5 iterations: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 0, 32, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "iterationCount 0"), "PBMAC1 0 iterations: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbm_alg(salt65, 65, NID_sha256, 1, NID_hmac_sha1), PKIXCMP_E_SALT_TOO_LONG,
               "PBMParameter salt of 65 bytes exceeds the limit of 64 bytes"),
       "PBM salt of 65 bytes: SALT_TOO_LONG");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt65, 65, 1, 32, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_SALT_TOO_LONG,
               "PBKDF2-params salt of 65 bytes"), "PBMAC1 salt of 65 bytes: SALT_TOO_LONG");
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAX_SALT_LEN, 8);
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 1, NID_hmac_sha1), PKIXCMP_E_SALT_TOO_LONG,
               "exceeds the limit of 8 bytes"), "PBM salt of 16 bytes over a limit of 8");
    pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MAX_SALT_LEN, 64);
}

/* PBM with an iterationCount of hex digits (sign "-" allowed), beyond long. */
static X509_ALGOR *pbm_alg_bigcount(const char *hex)
{
    const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
    PKIXCMP_PBMParameter *p = (PKIXCMP_PBMParameter *)ASN1_item_new(it);
    BIGNUM *bn = NULL;
    X509_ALGOR *alg;

    BN_hex2bn(&bn, hex);
    ASN1_OCTET_STRING_set(p->salt, salt16, 16);
    X509_ALGOR_set0(p->owf, OBJ_nid2obj(NID_sha256), V_ASN1_UNDEF, NULL);
    ASN1_INTEGER_free(p->iterationCount);
    p->iterationCount = BN_to_ASN1_INTEGER(bn, NULL);
    X509_ALGOR_set0(p->mac, OBJ_nid2obj(NID_hmac_sha1), V_ASN1_UNDEF, NULL);
    alg = alg_seq(NID_id_PasswordBasedMAC, p, it);
    ASN1_item_free((ASN1_VALUE *)p, it);
    BN_free(bn);
    return alg;
}

static void test_big_counts(PKIXCMP_CTX *ctx)
{
    ok(refused(ctx, pbm_alg_bigcount("10000000000000000"), PKIXCMP_E_ITERATION_COUNT_TOO_HIGH,
               "iterationCount above 2^63-1 exceeds the limit of 100000"),
       "PBM 2^64 iterations: ITERATION_COUNT_TOO_HIGH");
    ok(refused(ctx, pbm_alg_bigcount("-10000000000000000"), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "iterationCount below -2^63: expected at least 1"),
       "PBM -2^64 iterations: BAD_PROTECTION_PARAMS");
}

static void test_unknown(PKIXCMP_CTX *ctx)
{
    ok(refused(ctx, pbm_alg(salt16, 16, UNKNOWN_NID, 1, NID_hmac_sha1),
               PKIXCMP_E_UNKNOWN_ALGORITHM, "PBMParameter owf 1.2.3.4.5"),
       "PBM owf 1.2.3.4.5: UNKNOWN_ALGORITHM naming the OID");
    ok(refused(ctx, pbm_alg(salt16, 16, NID_md5, 1, NID_hmac_sha1),
               PKIXCMP_E_UNKNOWN_ALGORITHM, "1.2.840.113549.2.5"), "PBM owf md5: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 1, UNKNOWN_NID),
               PKIXCMP_E_UNKNOWN_ALGORITHM, "PBMParameter mac 1.2.3.4.5"),
       "PBM mac 1.2.3.4.5: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 1, NID_sha256),
               PKIXCMP_E_UNKNOWN_ALGORITHM, "PBMParameter mac"), "PBM mac sha256: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbmac1_alg(UNKNOWN_NID, salt16, 16, 1, 32, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_UNKNOWN_ALGORITHM,
               "keyDerivationFunc 1.2.3.4.5"), "PBMAC1 KDF 1.2.3.4.5: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, 32, UNKNOWN_NID,
                               NID_hmacWithSHA256), PKIXCMP_E_UNKNOWN_ALGORITHM,
               "PBKDF2-params prf 1.2.3.4.5"), "PBMAC1 prf 1.2.3.4.5: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, 32, NID_hmacWithSHA256,
                               UNKNOWN_NID), PKIXCMP_E_UNKNOWN_ALGORITHM,
               "messageAuthScheme 1.2.3.4.5"), "PBMAC1 MAC 1.2.3.4.5: UNKNOWN_ALGORITHM");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, 32, NID_hmacWithSHA256,
                               NID_hmac_sha1), PKIXCMP_E_UNKNOWN_ALGORITHM, "messageAuthScheme"),
       "PBMAC1 MAC hmac-sha1 (not a PBMAC1-MACs member): UNKNOWN_ALGORITHM");
    ok(refused(ctx, alg_raw(NID_sha256WithRSAEncryption, V_ASN1_SEQUENCE, "\x30\x00", 2),
               PKIXCMP_E_UNKNOWN_ALGORITHM, "protectionAlg sha256WithRSAEncryption"),
       "a signature OID: UNKNOWN_ALGORITHM");
    ok(!pxc_mac_is_mac_alg(NULL), "pxc_mac_is_mac_alg(NULL) is 0");
    {
        X509_ALGOR *a = alg_raw(NID_sha256WithRSAEncryption, V_ASN1_SEQUENCE, "\x30\x00", 2);
        X509_ALGOR *b = alg_raw(NID_id_DHBasedMac, V_ASN1_SEQUENCE, "\x30\x00", 2);

        ok(!pxc_mac_is_mac_alg(a) && !pxc_mac_is_mac_alg(b),
           "pxc_mac_is_mac_alg(sha256WithRSAEncryption, id-DHBasedMac) is 0");
        X509_ALGOR_free(a);
        X509_ALGOR_free(b);
    }
}

enum { AS_IS, TRAILING_BYTE, LONG_FORM };

/* alg with its (short-form SEQUENCE) parameters re-encoded as mode says. */
static X509_ALGOR *reencode(const X509_ALGOR *alg, int mode)
{
    const ASN1_OBJECT *o = NULL;
    const void *pval = NULL;
    const unsigned char *der;
    unsigned char buf[512];
    size_t n, len;
    int ptype = 0;

    X509_ALGOR_get0(&o, &ptype, &pval, alg);
    der = ASN1_STRING_get0_data(pval);
    len = (size_t)ASN1_STRING_length(pval);
    n = len;
    memcpy(buf, der, len);
    if (mode == TRAILING_BYTE) {
        buf[n++] = 0x00;
    } else if (mode == LONG_FORM) { /* 30 LL ... -> 30 81 LL ... */
        buf[0] = 0x30;
        buf[1] = 0x81;
        memcpy(buf + 2, der + 1, len - 1);
        n = len + 1;
    }
    return alg_raw(OBJ_obj2nid(o), V_ASN1_SEQUENCE, (const char *)buf, n);
}

static void test_malformed(PKIXCMP_CTX *ctx)
{
    X509_ALGOR *good = pbm_alg(salt16, 16, NID_sha256, 1, NID_hmac_sha1), *a;
    unsigned long first;

    a = X509_ALGOR_new();
    X509_ALGOR_set0(a, OBJ_nid2obj(NID_id_PasswordBasedMAC), V_ASN1_UNDEF, NULL);
    ok(refused(ctx, a, PKIXCMP_E_BAD_PROTECTION_PARAMS, "expected a SEQUENCE, found no parameters"),
       "PBM without parameters: BAD_PROTECTION_PARAMS");
    a = X509_ALGOR_new();
    X509_ALGOR_set0(a, OBJ_nid2obj(NID_pbmac1), V_ASN1_NULL, NULL);
    ok(refused(ctx, a, PKIXCMP_E_BAD_PROTECTION_PARAMS, "expected a SEQUENCE, found NULL"),
       "PBMAC1 with NULL parameters: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, alg_raw(NID_id_PasswordBasedMAC, V_ASN1_OCTET_STRING, "abc", 3),
               PKIXCMP_E_BAD_PROTECTION_PARAMS, "found OCTET STRING"),
       "PBM with OCTET STRING parameters: BAD_PROTECTION_PARAMS");
    a = alg_raw(NID_id_PasswordBasedMAC, V_ASN1_SEQUENCE, "\x30\x03\x04\x01\x00", 5);
    ERR_clear_error();
    compute(ctx, a, "x", 1, (unsigned char[EVP_MAX_MD_SIZE]){0});
    first = ERR_peek_error();
    ok(ERR_GET_LIB(first) == ERR_LIB_ASN1, "OpenSSL's decoding error stays below ours");
    ok(refused(ctx, a, PKIXCMP_E_BAD_PROTECTION_PARAMS, "do not decode as one PBMParameter"),
       "PBMParameter with only a salt: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, reencode(good, TRAILING_BYTE), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "do not decode"), "PBMParameter followed by a stray byte: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, reencode(good, LONG_FORM), PKIXCMP_E_BAD_PROTECTION_PARAMS, "not DER"),
       "PBMParameter with a long-form length: BAD_PROTECTION_PARAMS");
    a = reencode(good, AS_IS); /* the control case: the same bytes, raw */
    ok(compute(ctx, a, "x", 1, (unsigned char[EVP_MAX_MD_SIZE]){0}) == 20,
       "the same PBMParameter bytes unchanged are accepted");
    X509_ALGOR_free(a);
    X509_ALGOR_free(good);
    ok(refused(ctx, pbmac1_wrap(alg_raw(NID_id_pbkdf2, V_ASN1_SEQUENCE, "\x30\x00", 2),
                                NID_hmacWithSHA256), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "PBKDF2-params"), "empty PBKDF2-params: BAD_PROTECTION_PARAMS");
}

static void test_malformed_pbkdf2(PKIXCMP_CTX *ctx)
{
    /* PBKDF2-params {salt otherSource {1.2.3.4}, 10, 32} */
    static const char other[] = "\x30\x0D\x30\x05\x06\x03\x2A\x03\x04\x02\x01\x0A\x02\x01\x20";

    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, ABSENT, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "keyLength missing"), "PBKDF2-params without keyLength: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, 65, NID_hmacWithSHA512,
                               NID_hmacWithSHA512), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "keyLength out of range: expected 1..64"), "keyLength 65: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbmac1_alg(NID_id_pbkdf2, salt16, 16, 1, 0, NID_hmacWithSHA256,
                               NID_hmacWithSHA256), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "keyLength out of range"), "keyLength 0: BAD_PROTECTION_PARAMS");
    ok(refused(ctx, pbmac1_wrap(alg_raw(NID_id_pbkdf2, V_ASN1_SEQUENCE, other, sizeof(other) - 1),
                                NID_hmacWithSHA256), PKIXCMP_E_BAD_PROTECTION_PARAMS,
               "expected specified"), "PBKDF2 salt otherSource: BAD_PROTECTION_PARAMS");
    {
        const ASN1_ITEM *it = ASN1_ITEM_rptr(PKIXCMP_PBMParameter);
        PKIXCMP_PBMParameter *p = (PKIXCMP_PBMParameter *)ASN1_item_new(it);
        ASN1_INTEGER *junk = ASN1_INTEGER_new();

        ASN1_OCTET_STRING_set(p->salt, salt16, 16);
        ASN1_INTEGER_set(junk, 7);
        X509_ALGOR_set0(p->owf, OBJ_nid2obj(NID_sha256), V_ASN1_INTEGER, junk);
        ASN1_INTEGER_set(p->iterationCount, 1);
        X509_ALGOR_set0(p->mac, OBJ_nid2obj(NID_hmac_sha1), V_ASN1_NULL, NULL);
        ok(refused(ctx, alg_seq(NID_id_PasswordBasedMAC, p, it), PKIXCMP_E_BAD_PROTECTION_PARAMS,
                   "expected parameters absent or NULL, found INTEGER"),
           "PBM owf sha256 with INTEGER parameters: BAD_PROTECTION_PARAMS");
        ASN1_item_free((ASN1_VALUE *)p, it);
    }
}

static void test_no_secret(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    ok(refused(ctx, pbm_alg(salt16, 16, NID_sha256, 1, NID_hmac_sha1), PKIXCMP_E_NO_CREDENTIALS,
               "secret"), "no secret: PKIXCMP_E_NO_CREDENTIALS");
    pkixcmp_ctx_free(ctx);
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);

    if (!ok(ctx != NULL && pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)"test1234", 8),
            "context with secret test1234"))
        return tap_done();
    test_pbm_kat(ctx);
    test_pbm_vector(ctx);
    test_pbmac1_kat(ctx);
    test_pbmac1_vector(ctx);
    test_new_pbm(ctx);
    test_new_names(ctx);
    test_new_pbmac1(ctx);
    test_limits(ctx);
    test_big_counts(ctx);
    test_unknown(ctx);
    test_malformed(ctx);
    test_malformed_pbkdf2(ctx);
    test_no_secret();
    test_fixtures(ctx);
    pkixcmp_ctx_free(ctx);
    return tap_done();
}
