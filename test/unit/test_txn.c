/*
 * test_txn.c - the server's transaction table (txn.c): begin, continue and
 * end; transactionID in use, replayed senderNonce, wrong recipNonce; expiry
 * with a clock passed in; the bounds; four threads at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "txn.h"
#include "tap.h"

/* Octet strings made by os(), freed at the end. */
static ASN1_OCTET_STRING *pool[512];
static size_t npool;

/* An octet string with the bytes of text (not the NUL). */
static ASN1_OCTET_STRING *os(const char *text)
{
    ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();

    if (s == NULL || !ASN1_OCTET_STRING_set(s, (const unsigned char *)text, (int)strlen(text))
        || npool == PXC_NELEM(pool)) {
        tap_diag("cannot make an octet string");
        ASN1_OCTET_STRING_free(s);
        return NULL;
    }
    pool[npool++] = s;
    return s;
}

static void pool_free(void)
{
    while (npool > 0)
        ASN1_OCTET_STRING_free(pool[--npool]);
}

/* 1 if the call failed (ret 0) with the given pkixcmp code; clears the queue. */
static int refused(int ret, int code)
{
    int got = pkixcmp_err_peek_last();

    if (ret != 0 || got != code)
        tap_diag("ret %d, want %s, got %s", ret, pkixcmp_err_name(code), pkixcmp_err_name(got));
    ERR_clear_error();
    return ret == 0 && got == code;
}

static void test_arguments(void)
{
    ok(pxc_txn_table_new(0, 60) == NULL && refused(0, PKIXCMP_E_INVALID_ARGUMENT),
       "no table of 0 entries");
    ok(pxc_txn_table_new(10, 0) == NULL && refused(0, PKIXCMP_E_INVALID_ARGUMENT),
       "no table with a lifetime of 0 s");
    ok(pxc_txn_table_new(PXC_TXN_MAX_ENTRIES + 1, 60) == NULL
       && refused(0, PKIXCMP_E_INVALID_ARGUMENT), "no table above PXC_TXN_MAX_ENTRIES");
    pxc_txn_table_free(NULL);
    ok(pxc_txn_count(NULL) == 0, "count of no table");
}

static void test_basic(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(10, 60);
    ASN1_OCTET_STRING *a = os("transaction A 0001"), *b = os("transaction B 0002");
    ASN1_OCTET_STRING *n1 = os("client nonce 0001"), *n2 = os("client nonce 0002");
    ASN1_OCTET_STRING *n3 = os("client nonce 0003"), *s1 = os("server nonce 0001");
    ASN1_OCTET_STRING *s2 = os("server nonce 0002");

    ok(t != NULL && pxc_txn_count(t) == 0, "new table is empty");
    ok(pxc_txn_begin(t, a, n1, 100) == 1 && pxc_txn_count(t) == 1, "ir begins A");
    ok(refused(pxc_txn_begin(t, a, n2, 101), PKIXCMP_E_TRANSACTIONID_IN_USE),
       "a second ir with A: transactionIdInUse");
    ok(pxc_txn_continue(t, a, n2, NULL, 102) == 1, "certConf in A before any reply nonce");
    ok(refused(pxc_txn_continue(t, a, n2, NULL, 103), PKIXCMP_E_NONCE_REPLAY),
       "the same senderNonce again: replay");
    ok(refused(pxc_txn_continue(t, a, n1, NULL, 103), PKIXCMP_E_NONCE_REPLAY),
       "the first message's senderNonce again: replay");
    ok(pxc_txn_set_reply_nonce(t, a, s1) == 1, "our reply's senderNonce remembered");
    ok(refused(pxc_txn_continue(t, a, n3, NULL, 104), PKIXCMP_E_WRONG_RECIPNONCE),
       "recipNonce missing");
    ok(refused(pxc_txn_continue(t, a, n3, s2, 104), PKIXCMP_E_WRONG_RECIPNONCE),
       "recipNonce not our last senderNonce");
    ok(refused(pxc_txn_continue(t, a, n3, n1, 104), PKIXCMP_E_WRONG_RECIPNONCE),
       "recipNonce = the client's own nonce");
    ok(pxc_txn_continue(t, a, n3, s1, 104) == 1, "refused messages left no trace: n3 accepted");
    ok(refused(pxc_txn_continue(t, b, n1, NULL, 105), PKIXCMP_E_WRONG_TRANSACTIONID),
       "certConf of an unknown transaction");
    ok(refused(pxc_txn_set_reply_nonce(t, b, s1), PKIXCMP_E_WRONG_TRANSACTIONID),
       "no reply nonce for an unknown transaction");
    ok(refused(pxc_txn_end(t, b), PKIXCMP_E_WRONG_TRANSACTIONID), "no end of an unknown one");
    ok(pxc_txn_begin(t, b, n1, 106) == 1 && pxc_txn_count(t) == 2,
       "B begins; nonces are per transaction");
    ok(pxc_txn_end(t, a) == 1 && pxc_txn_count(t) == 1, "A ends");
    ok(refused(pxc_txn_continue(t, a, n2, s1, 107), PKIXCMP_E_WRONG_TRANSACTIONID),
       "no message in an ended transaction");
    ok(pxc_txn_begin(t, a, n2, 108) == 1, "an ended transaction's ID may be used again");
    ok(pxc_txn_end(t, a) == 1 && pxc_txn_end(t, b) == 1 && pxc_txn_count(t) == 0, "all ended");
    pxc_txn_table_free(t);
}

static void test_bad_values(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(4, 60);
    char longer[PXC_TXN_MAX_OCTETS + 2];
    ASN1_OCTET_STRING *a = os("transaction A 0001"), *n1 = os("client nonce 0001");
    ASN1_OCTET_STRING *empty = os(""), *too_long;

    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    too_long = os(longer);
    ok(refused(pxc_txn_begin(t, NULL, n1, 0), PKIXCMP_E_WRONG_TRANSACTIONID), "no transactionID");
    ok(refused(pxc_txn_begin(t, empty, n1, 0), PKIXCMP_E_WRONG_TRANSACTIONID),
       "empty transactionID");
    ok(refused(pxc_txn_begin(t, too_long, n1, 0), PKIXCMP_E_WRONG_TRANSACTIONID),
       "transactionID longer than PXC_TXN_MAX_OCTETS");
    ok(refused(pxc_txn_begin(t, a, NULL, 0), PKIXCMP_E_MISSING_SENDERNONCE), "no senderNonce");
    ok(refused(pxc_txn_begin(t, a, too_long, 0), PKIXCMP_E_MISSING_SENDERNONCE),
       "senderNonce longer than PXC_TXN_MAX_OCTETS");
    ok(pxc_txn_count(t) == 0, "nothing was added");
    ok(pxc_txn_begin(t, a, n1, 0) == 1, "A begins");
    ok(refused(pxc_txn_continue(t, a, empty, NULL, 1), PKIXCMP_E_MISSING_SENDERNONCE),
       "certConf with an empty senderNonce");
    ok(refused(pxc_txn_set_reply_nonce(t, a, NULL), PKIXCMP_E_MISSING_SENDERNONCE),
       "no reply nonce");
    pxc_txn_table_free(t); /* with an open transaction: freed too */
}

static void test_expiry(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(10, 60);
    ASN1_OCTET_STRING *c = os("transaction C 0001"), *d = os("transaction D 0001");
    ASN1_OCTET_STRING *n1 = os("client nonce 0001"), *n2 = os("client nonce 0002");
    ASN1_OCTET_STRING *n3 = os("client nonce 0003");

    ok(pxc_txn_begin(t, c, n1, 1000) == 1, "C begins at 1000");
    ok(pxc_txn_continue(t, c, n2, NULL, 1060) == 1, "C continues at 1060 (60 s: still open)");
    ok(refused(pxc_txn_continue(t, c, n3, NULL, 1121), PKIXCMP_E_WRONG_TRANSACTIONID),
       "61 s after its last message C has expired");
    ok(pxc_txn_count(t) == 0, "the expired entry went");
    ok(pxc_txn_begin(t, d, n1, 2000) == 1, "D begins at 2000");
    ok(refused(pxc_txn_continue(t, d, n1, NULL, 2050), PKIXCMP_E_NONCE_REPLAY),
       "a replay at 2050");
    ok(refused(pxc_txn_continue(t, d, n2, NULL, 2061), PKIXCMP_E_WRONG_TRANSACTIONID),
       "a refused message does not keep D open");
    ok(pxc_txn_begin(t, d, n1, 3000) == 1, "D begins at 3000");
    ok(refused(pxc_txn_begin(t, d, n2, 3060), PKIXCMP_E_TRANSACTIONID_IN_USE),
       "D in use 60 s later");
    ok(pxc_txn_begin(t, d, n2, 3061) == 1 && pxc_txn_count(t) == 1,
       "an expired D gives up its ID");
    ok(pxc_txn_continue(t, d, n1, NULL, 3062) == 1, "the new D has its own nonces");
    ok(pxc_txn_continue(t, d, n2, NULL, 2000) == 0 && refused(0, PKIXCMP_E_NONCE_REPLAY),
       "a clock that went back expires nothing");
    pxc_txn_table_free(t);
}

static void test_bounds(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(3, 60);
    ASN1_OCTET_STRING *n1 = os("client nonce 0001"), *tid[4];
    char text[40];
    int i, added = 0;

    for (i = 0; i < 4; i++) {
        snprintf(text, sizeof(text), "transaction E %04d", i);
        tid[i] = os(text);
    }
    for (i = 0; i < 3; i++)
        added += pxc_txn_begin(t, tid[i], n1, 0);
    ok(added == 3 && pxc_txn_count(t) == 3, "three transactions fill the table");
    ok(pxc_txn_continue(t, tid[1], os("client nonce 0002"), NULL, 30) == 1,
       "E1 is active at 30");
    ok(refused(pxc_txn_begin(t, tid[3], n1, 60), PXC_TXN_E_TABLE_FULL),
       "a fourth is refused while none has expired");
    ok(pxc_txn_begin(t, tid[3], n1, 61) == 1 && pxc_txn_count(t) == 2,
       "at 61 the expired E0 and E2 make room");
    ok(pxc_txn_continue(t, tid[1], os("client nonce 0003"), NULL, 62) == 1,
       "E1 survived the sweep");
    for (i = 2; i <= PXC_TXN_MAX_NONCES; i++) {
        snprintf(text, sizeof(text), "nonce of E3 %04d", i);
        added = pxc_txn_continue(t, tid[3], os(text), NULL, 62);
        if (!added)
            break;
    }
    ok(added == 1 && i > PXC_TXN_MAX_NONCES, "E3 takes %d messages", PXC_TXN_MAX_NONCES);
    ok(refused(pxc_txn_continue(t, tid[3], os("one nonce too many"), NULL, 63),
               PXC_TXN_E_TOO_MANY_MESSAGES), "and refuses the next");
    pxc_txn_table_free(t);
    pool_free();
}

/* Many IDs of different lengths, in and out of order: the sorted array
 * finds each one. */
static void test_many(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(300, 60);
    ASN1_OCTET_STRING *tid, *n1 = os("client nonce 0001"), *n2 = os("client nonce 0002");
    char text[40];
    int i, j, good = 0;

    for (i = 0; i < 200; i++) {
        j = (i * 37) % 200; /* 37 and 200 are coprime: each j once */
        snprintf(text, sizeof(text), "%.*s%d", j % 5, "#####", j);
        tid = ASN1_OCTET_STRING_new();
        if (tid != NULL && ASN1_OCTET_STRING_set(tid, (const unsigned char *)text, (int)strlen(text)))
            good += pxc_txn_begin(t, tid, n1, 0);
        ASN1_OCTET_STRING_free(tid);
    }
    ok(good == 200 && pxc_txn_count(t) == 200, "200 transactions begin");
    for (good = 0, i = 0; i < 200; i++) {
        snprintf(text, sizeof(text), "%.*s%d", i % 5, "#####", i);
        tid = ASN1_OCTET_STRING_new();
        if (tid != NULL && ASN1_OCTET_STRING_set(tid, (const unsigned char *)text, (int)strlen(text)))
            good += pxc_txn_continue(t, tid, n2, NULL, 1) && pxc_txn_end(t, tid);
        ASN1_OCTET_STRING_free(tid);
    }
    ok(good == 200 && pxc_txn_count(t) == 0, "each is found, continues and ends");
    pxc_txn_table_free(t);
    pool_free();
}

/* ---------------------------------------------------------- threads */

#define THREADS 4
#define ROUNDS 300

struct worker {
    PXC_TXN_TABLE *t;
    int id, failures;
};

/* "kind thread/round" as an octet string (caller frees). */
static ASN1_OCTET_STRING *round_os(const char *kind, int thread, int round)
{
    char text[64];
    ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();

    snprintf(text, sizeof(text), "%s %d/%d", kind, thread, round);
    if (s != NULL && !ASN1_OCTET_STRING_set(s, (const unsigned char *)text, (int)strlen(text))) {
        ASN1_OCTET_STRING_free(s);
        s = NULL;
    }
    return s;
}

/* One transaction of ir, ip, certConf (and a replay of it), pkiConf. */
static int one_round(PXC_TXN_TABLE *t, int id, int round)
{
    ASN1_OCTET_STRING *tid = round_os("transaction of thread", id, round);
    ASN1_OCTET_STRING *n1 = round_os("first client nonce", id, round);
    ASN1_OCTET_STRING *n2 = round_os("second client nonce", id, round);
    ASN1_OCTET_STRING *s1 = round_os("server nonce", id, round);
    int ret = tid != NULL && n1 != NULL && n2 != NULL && s1 != NULL
        && pxc_txn_begin(t, tid, n1, round) && pxc_txn_set_reply_nonce(t, tid, s1)
        && pxc_txn_continue(t, tid, n2, s1, round)
        && !pxc_txn_continue(t, tid, n2, s1, round)
        && pkixcmp_err_peek_last() == PKIXCMP_E_NONCE_REPLAY
        && pxc_txn_end(t, tid);

    ERR_clear_error();
    ASN1_OCTET_STRING_free(tid);
    ASN1_OCTET_STRING_free(n1);
    ASN1_OCTET_STRING_free(n2);
    ASN1_OCTET_STRING_free(s1);
    return ret;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    int round;

    for (round = 0; round < ROUNDS; round++)
        w->failures += !one_round(w->t, w->id, round);
    OPENSSL_thread_stop();
    return NULL;
}

static void test_threads(void)
{
    PXC_TXN_TABLE *t = pxc_txn_table_new(THREADS, 60);
    struct worker w[THREADS];
    pthread_t th[THREADS];
    int i, started = 0, failures = 0;

    for (i = 0; i < THREADS; i++) {
        w[i].t = t;
        w[i].id = i;
        w[i].failures = 0;
        started += pthread_create(&th[i], NULL, work, &w[i]) == 0;
    }
    for (i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        failures += w[i].failures;
    }
    ok(started == THREADS && failures == 0,
       "%d threads x %d transactions on a table of %d entries", THREADS, ROUNDS, THREADS);
    ok(pxc_txn_count(t) == 0, "all ended");
    pxc_txn_table_free(t);
}

int main(void)
{
    test_arguments();
    test_basic();
    test_bad_values();
    test_expiry();
    test_bounds();
    test_many();
    test_threads();
    pool_free();
    return tap_done();
}
