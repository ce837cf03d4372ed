/*
 * test_mockca_reg.c - the mock CA's registry (mockca.h): serial numbers
 * unique over 1000 issues and from 4 threads, revocation with hold and
 * revival, the kur check and its defaults, fixed mode as openssl's mock
 * server (-rsp_cert, -ref_cert), and eviction from a full registry.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include "mockca_tu.h"
#include "tap.h"

#define NOW MT_NOW
#define DAY MT_DAY

static char why[256];

/* A failure with code and a why text; clears the queue. */
static void fails_with(int failed, int code, const char *what)
{
    ok(failed, "%s is refused", what);
    is_int(pkixcmp_err_peek_last(), code, pkixcmp_err_name(code));
    ERR_clear_error();
}


/* ------------------------------------------------------------ serials */

static int bn_cmp_p(const void *a, const void *b)
{
    return BN_cmp(*(BIGNUM *const *)a, *(BIGNUM *const *)b);
}

/* 1 if all n serials are positive, at most 128 bits and distinct. */
static int serials_ok(BIGNUM **bns, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (bns[i] == NULL || BN_is_negative(bns[i]) || BN_is_zero(bns[i]) || BN_num_bits(bns[i]) > 128)
            return 0;
    qsort(bns, n, sizeof(*bns), bn_cmp_p);
    for (i = 1; i < n; i++)
        if (BN_cmp(bns[i - 1], bns[i]) == 0)
            return 0;
    return 1;
}

/* Issues n certificates for key with ca into bns[0..n-1]; the number issued. */
static size_t issue_many(PXC_MOCKCA *ca, EVP_PKEY *key, BIGNUM **bns, size_t n)
{
    PKIXCMP_CertTemplate *t = mt_tmpl_new("many", key, NULL);
    char w[128];
    size_t i, done = 0;

    for (i = 0; i < n; i++) {
        X509 *x = pxc_mockca_issue(ca, t, NULL, NULL, NOW, w, sizeof(w));

        bns[i] = x != NULL ? ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL) : NULL;
        done += x != NULL;
        X509_free(x);
    }
    mt_tmpl_free(t);
    return done;
}

static void free_bns(BIGNUM **bns, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        BN_free(bns[i]);
}

static void test_serials(void)
{
    enum { N = 1000 };
    PXC_MOCKCA *ca = mt_fresh_ca("EC");
    EVP_PKEY *key = mt_new_key("EC");
    BIGNUM *bns[N];

    is_int(issue_many(ca, key, bns, N), N, "1000 certificates issued");
    ok(serials_ok(bns, N), "1000 serials: positive, at most 128 bits, all distinct");
    is_int(pxc_mockca_count(ca), N, "registry holds 1000");
    /* the check can fail */
    BN_copy(bns[1], bns[0]);
    ok(!serials_ok(bns, N), "a repeated serial would be noticed");
    free_bns(bns, N);
    EVP_PKEY_free(key);
    pxc_mockca_free(ca);
}

enum { THREADS = 4, PER_THREAD = 500 };

struct thread_arg {
    PXC_MOCKCA *ca;
    BIGNUM **bns;
    size_t done;
};

static void *issue_thread(void *p)
{
    struct thread_arg *a = p;
    EVP_PKEY *key = mt_new_key("EC");

    a->done = issue_many(a->ca, key, a->bns, PER_THREAD);
    EVP_PKEY_free(key);
    return NULL;
}

static void test_threads(void)
{
    PXC_MOCKCA *ca = mt_fresh_ca("EC");
    static BIGNUM *bns[THREADS * PER_THREAD];
    struct thread_arg args[THREADS];
    pthread_t tid[THREADS];
    size_t i, done = 0;
    int started = 1;

    for (i = 0; i < THREADS; i++) {
        args[i].ca = ca;
        args[i].bns = bns + i * PER_THREAD;
        args[i].done = 0;
        started &= pthread_create(&tid[i], NULL, issue_thread, &args[i]) == 0;
    }
    for (i = 0; i < THREADS; i++) {
        pthread_join(tid[i], NULL);
        done += args[i].done;
    }
    ok(started, "4 threads started");
    is_int(done, THREADS * PER_THREAD, "4 x 500 certificates issued concurrently");
    ok(serials_ok(bns, THREADS * PER_THREAD), "2000 serials from 4 threads all distinct");
    is_int(pxc_mockca_count(ca), THREADS * PER_THREAD, "registry holds 2000");
    free_bns(bns, THREADS * PER_THREAD);
    pxc_mockca_free(ca);
}

/* ----------------------------------------------------------- registry */

static void test_revoke(void)
{
    PXC_MOCKCA *ca = mt_interm_ca();
    X509 *a = mt_issue_simple(ca, "revoke a", NULL), *b = mt_issue_simple(ca, "revoke b", NULL), *got;
    const X509_NAME *iss = X509_get_subject_name(mt_interm);
    const ASN1_INTEGER *sa = X509_get0_serialNumber(a), *sb = X509_get0_serialNumber(b);
    ASN1_INTEGER *unknown = ASN1_INTEGER_new();
    struct pxc_mockca_status st;

    ASN1_INTEGER_set(unknown, 12345);
    got = pxc_mockca_get1_cert(ca, iss, sa);
    ok(got != NULL && X509_cmp(got, a) == 0, "registry returns the issued certificate");
    X509_free(got);
    ok(pxc_mockca_revoke(ca, iss, sa, 1, NOW + 10), "revoking a known certificate");
    ok(pxc_mockca_get_status(ca, iss, sa, &st) && st.revoked && st.reason == 1
       && st.revoked_at == NOW + 10, "status: revoked, keyCompromise, at the time given");
    fails_with(!pxc_mockca_revoke(ca, iss, sa, 1, NOW), PKIXCMP_E_CERT_REVOKED, "revoking twice");
    fails_with(!pxc_mockca_revoke(ca, iss, unknown, 0, NOW), PKIXCMP_E_UNKNOWN_CERT,
               "revoking an unknown serial");
    fails_with(!pxc_mockca_revoke(ca, X509_get_subject_name(mt_root), sb, 0, NOW),
               PKIXCMP_E_UNKNOWN_CERT, "revoking with another issuer");
    fails_with(!pxc_mockca_revoke(ca, NULL, NULL, 0, NOW), PKIXCMP_E_UNKNOWN_CERT,
               "revoking without issuer and serial (issuing mode)");
    fails_with(!pxc_mockca_revoke(ca, iss, sb, 7, NOW), PKIXCMP_E_INVALID_ARGUMENT,
               "CRLReason 7");
    fails_with(!pxc_mockca_get_status(ca, iss, unknown, &st), PKIXCMP_E_UNKNOWN_CERT,
               "status of an unknown serial");
    got = pxc_mockca_get1_cert(ca, iss, unknown);
    fails_with(got == NULL, PKIXCMP_E_UNKNOWN_CERT, "fetching an unknown certificate");

    /* hold, revive, hold, revoke for good */
    ok(pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_CERTIFICATE_HOLD, NOW), "certificateHold");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, sb), PKIXCMP_E_CERT_REVOKED,
               "kur of a certificate on hold");
    fails_with(!pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_CERTIFICATE_HOLD, NOW),
               PKIXCMP_E_CERT_REVOKED, "certificateHold twice");
    ok(pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_REMOVE_FROM_CRL, NOW), "removeFromCRL revives");
    ok(pxc_mockca_get_status(ca, iss, sb, &st) && !st.revoked && st.reason == -1,
       "status after removeFromCRL: not revoked");
    ok(pxc_mockca_check_oldcert(ca, iss, sb), "kur of a revived certificate");
    fails_with(!pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_REMOVE_FROM_CRL, NOW),
               PKIXCMP_E_INVALID_ARGUMENT, "removeFromCRL of a certificate not on hold");
    ok(pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_CERTIFICATE_HOLD, NOW)
       && pxc_mockca_revoke(ca, iss, sb, 4, NOW + 5), "hold, then superseded");
    ok(pxc_mockca_get_status(ca, iss, sb, &st) && st.revoked && st.reason == 4 && st.revoked_at == NOW,
       "revoked for good; time of the first revocation kept");
    fails_with(!pxc_mockca_revoke(ca, iss, sb, PXC_MOCKCA_REASON_REMOVE_FROM_CRL, NOW),
               PKIXCMP_E_CERT_REVOKED, "removeFromCRL after a final revocation");
    ASN1_INTEGER_free(unknown);
    X509_free(a);
    X509_free(b);
    pxc_mockca_free(ca);
}

/* kur: the old certificate check and the defaults taken from it. */
static void test_kur(void)
{
    PXC_MOCKCA *ca = mt_interm_ca();
    X509 *old = mt_issue_simple(ca, "kur old", "DNS:old.example"), *x, *client = mt_load_cert("client_p256.crt");
    const X509_NAME *iss = X509_get_subject_name(mt_interm);
    EVP_PKEY *key = mt_new_key("EC");
    PKIXCMP_CertTemplate *t = mt_tmpl_new(NULL, key, NULL);

    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(old)), "kur: known old certificate");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(client)),
               PKIXCMP_E_UNKNOWN_CERT, "kur: a certificate the CA did not issue");
    ok(pxc_mockca_register_cert(ca, client, NOW), "registering a certificate issued before");
    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(client)), "kur: registered certificate");
    fails_with(!pxc_mockca_register_cert(ca, client, NOW), PKIXCMP_E_INVALID_ARGUMENT,
               "registering it twice");

    x = pxc_mockca_issue(ca, t, NULL, old, NOW, why, sizeof(why));
    ok(x != NULL && X509_NAME_cmp(X509_get_subject_name(x), X509_get_subject_name(old)) == 0
       && strcmp(mt_san_dns(x), "old.example") == 0,
       "kur without subject and SAN: both from the old certificate");
    ok(x != NULL && ASN1_INTEGER_cmp(X509_get0_serialNumber(x), X509_get0_serialNumber(old)) != 0,
       "kur: a new serial number");
    X509_free(x);
    t->subject = mt_name("kur new");
    x = pxc_mockca_issue(ca, t, NULL, old, NOW, why, sizeof(why));
    ok(x != NULL && mt_cn_is(X509_get_subject_name(x), "kur new") && strcmp(mt_san_dns(x), "old.example") == 0,
       "kur with a subject: the template's subject, the old SAN");
    X509_free(x);

    ok(pxc_mockca_revoke(ca, iss, X509_get0_serialNumber(old), 5, NOW), "old certificate revoked");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(old)),
               PKIXCMP_E_CERT_REVOKED, "kur of a revoked certificate");
    mt_tmpl_free(t);
    EVP_PKEY_free(key);
    X509_free(old);
    X509_free(client);
    pxc_mockca_free(ca);
}

/* Fixed mode (openssl cmp -rsp_cert, -ref_cert). */
static void test_fixed(void)
{
    PXC_MOCKCA *ca = pxc_mockca_new(NULL, NULL);
    X509 *p256 = mt_load_cert("client_p256.crt"), *rsa = mt_load_cert("client_rsa.crt"), *x;
    const X509_NAME *iss = X509_get_issuer_name(p256);

    ok(pxc_mockca_set1_rsp_cert(ca, p256), "rsp_cert set");
    x = pxc_mockca_issue(ca, NULL, NULL, NULL, NOW, why, sizeof(why));
    ok(x != NULL && X509_cmp(x, p256) == 0, "issue returns rsp_cert (up-referenced)");
    X509_free(x);
    is_int(pxc_mockca_count(ca), 0, "nothing registered in fixed mode");
    ok(pxc_mockca_revoke(ca, iss, X509_get0_serialNumber(p256), 1, NOW)
       && pxc_mockca_revoke(ca, iss, X509_get0_serialNumber(p256), 1, NOW),
       "rr of rsp_cert accepted, again and again (openssl's mock keeps no state)");
    ok(pxc_mockca_revoke(ca, NULL, NULL, -1, NOW), "rr without issuer and serial accepted");
    fails_with(!pxc_mockca_revoke(ca, iss, X509_get0_serialNumber(rsa), 1, NOW),
               PKIXCMP_E_UNKNOWN_CERT, "fixed mode: rr of another certificate");
    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(p256)), "kur of rsp_cert accepted");
    ok(pxc_mockca_set1_ref_cert(ca, rsa), "ref_cert set");
    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(rsa))
       && pxc_mockca_revoke(ca, iss, X509_get0_serialNumber(rsa), 1, NOW),
       "kur and rr of ref_cert accepted");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(p256)),
               PKIXCMP_E_UNKNOWN_CERT, "with ref_cert, rsp_cert is no longer the reference");
    ok(pxc_mockca_set1_rsp_cert(ca, NULL), "fixed mode ended");
    x = pxc_mockca_issue(ca, NULL, NULL, NULL, NOW, why, sizeof(why));
    fails_with(x == NULL, PKIXCMP_E_BAD_TEMPLATE, "issuing mode: no template");
    X509_free(p256);
    X509_free(rsa);
    pxc_mockca_free(ca);
}

static void test_eviction(void)
{
    PXC_MOCKCA *ca = mt_fresh_ca("EC");
    const X509_NAME *iss = X509_get_subject_name(pxc_mockca_get0_cacert(ca));
    X509 *x[5];
    size_t i;

    ok(pxc_mockca_set_max_entries(ca, 3), "registry of 3");
    for (i = 0; i < 5; i++)
        x[i] = mt_issue_simple(ca, "evict", NULL);
    ok(x[4] != NULL, "5 issued");
    is_int(pxc_mockca_count(ca), 3, "registry holds the newest 3");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(x[0])),
               PKIXCMP_E_UNKNOWN_CERT, "the oldest is evicted");
    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(x[2]))
       && pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(x[4])), "the newest 3 known");
    ok(pxc_mockca_set_max_entries(ca, 1), "registry shrunk to 1");
    is_int(pxc_mockca_count(ca), 1, "registry holds 1");
    ok(pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(x[4])), "the newest kept");
    fails_with(!pxc_mockca_check_oldcert(ca, iss, X509_get0_serialNumber(x[3])),
               PKIXCMP_E_UNKNOWN_CERT, "the others evicted");
    for (i = 0; i < 5; i++)
        X509_free(x[i]);
    pxc_mockca_free(ca);
}

int main(void)
{
    if (!ok(mt_pki_load(), "test PKI loaded"))
        return tap_done();
    test_serials();
    test_threads();
    test_revoke();
    test_kur();
    test_fixed();
    test_eviction();
    mt_pki_free();
    return tap_done();
}
