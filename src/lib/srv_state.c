/*
 * srv_state.c - what the server remembers of an open transaction between
 * two of its messages (the certificate awaiting certConf, the request being
 * polled for), keyed by transactionID.
 *
 * The transaction table (txn.c) checks transactionIDs and nonces; this
 * store keeps the rest, with the same bound and expiry. A handler takes a
 * state out while it works on a message and puts it back if the
 * transaction stays open, so two messages of one transaction are never
 * handled at once. Sorted array of entries, binary search, one mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "srv_local.h"

struct state_entry {
    size_t len;
    unsigned char tid[PXC_TXN_MAX_OCTETS];
    time_t put;                  /* when the state was stored */
    struct pxc_srv_txn *st;
};

struct pxc_srv_states_st {
    pthread_mutex_t lock;
    size_t max, n;
    long ttl;
    struct state_entry *by_tid;  /* n entries sorted by (len, tid) */
};

struct pxc_srv_txn *pxc_srv_txn_new(int first_type, long cert_req_id)
{
    struct pxc_srv_txn *st = calloc(1, sizeof(*st));

    if (st == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "transaction state");
        return NULL;
    }
    st->first_type = first_type;
    st->cert_req_id = cert_req_id;
    return st;
}

void pxc_srv_be_data_free(const PXC_SRV_BACKEND *be, void *be_arg, void *data)
{
    if (data != NULL && PXC_SRV_BE_HAS(be, txn_free))
        be->txn_free(be_arg, data);
}

void pxc_srv_txn_free(struct pxc_srv_txn *st)
{
    if (st == NULL)
        return;
    pxc_srv_be_data_free(st->be, st->be_arg, st->be_data);
    X509_free(st->cert);
    X509_free(st->signer);
    pkixcmp_msg_free(st->first);
    free(st);
}

PXC_SRV_STATES *pxc_srv_states_new(size_t max_entries, long ttl)
{
    PXC_SRV_STATES *s = NULL;

    if (max_entries == 0 || max_entries > PXC_TXN_MAX_ENTRIES || ttl <= 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "state store of %zu entries, lifetime %ld s",
                max_entries, ttl);
        return NULL;
    }
    if ((s = calloc(1, sizeof(*s))) == NULL
        || (s->by_tid = calloc(max_entries, sizeof(*s->by_tid))) == NULL
        || pthread_mutex_init(&s->lock, NULL) != 0) {
        if (s != NULL)
            free(s->by_tid);
        free(s);
        PXC_ERR(PKIXCMP_E_MALLOC, "state store of %zu entries", max_entries);
        return NULL;
    }
    s->max = max_entries;
    s->ttl = ttl;
    return s;
}

void pxc_srv_states_free(PXC_SRV_STATES *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; i < s->n; i++)
        pxc_srv_txn_free(s->by_tid[i].st);
    free(s->by_tid);
    (void)pthread_mutex_destroy(&s->lock);
    free(s);
}

static int key_cmp(const struct state_entry *e, const ASN1_OCTET_STRING *tid)
{
    if (e->len != (size_t)tid->length)
        return e->len < (size_t)tid->length ? -1 : 1;
    return memcmp(e->tid, tid->data, e->len);
}

/* 1 and *pos its index if tid is stored, else 0 and *pos where it goes. */
static int find(const PXC_SRV_STATES *s, const ASN1_OCTET_STRING *tid, size_t *pos)
{
    size_t lo = 0, hi = s->n, mid;
    int c;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = key_cmp(&s->by_tid[mid], tid);
        if (c == 0) {
            *pos = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return 0;
}

/* The same rule as txn.c: expired ttl seconds after the last message. */
static int expired(const PXC_SRV_STATES *s, const struct state_entry *e, time_t now)
{
    return difftime(now, e->put) > (double)s->ttl;
}

static void remove_at(PXC_SRV_STATES *s, size_t pos)
{
    memmove(&s->by_tid[pos], &s->by_tid[pos + 1], (s->n - pos - 1) * sizeof(*s->by_tid));
    s->n--;
}

static void evict_expired(PXC_SRV_STATES *s, time_t now)
{
    size_t i, kept = 0;

    for (i = 0; i < s->n; i++) {
        if (expired(s, &s->by_tid[i], now))
            pxc_srv_txn_free(s->by_tid[i].st);
        else
            s->by_tid[kept++] = s->by_tid[i];
    }
    s->n = kept;
}

static int tid_ok(const ASN1_OCTET_STRING *tid)
{
    if (tid != NULL && tid->length > 0 && tid->length <= PXC_TXN_MAX_OCTETS)
        return 1;
    PXC_ERR(PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID absent, empty or over %d bytes",
            PXC_TXN_MAX_OCTETS);
    return 0;
}

int pxc_srv_states_put(PXC_SRV_STATES *s, const ASN1_OCTET_STRING *tid, struct pxc_srv_txn *st,
                       time_t now)
{
    size_t pos;
    int ret = 0;

    if (!tid_ok(tid))
        return 0;
    if (pthread_mutex_lock(&s->lock) != 0) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "state store lock");
        return 0;
    }
    if (find(s, tid, &pos)) {
        pxc_srv_txn_free(s->by_tid[pos].st);
    } else {
        if (s->n == s->max) {
            evict_expired(s, now);
            (void)find(s, tid, &pos);
        }
        if (s->n == s->max) {
            PXC_ERR(PKIXCMP_E_SERVER_BUSY, "%zu transactions open, the most kept", s->max);
            goto out;
        }
        memmove(&s->by_tid[pos + 1], &s->by_tid[pos], (s->n - pos) * sizeof(*s->by_tid));
        s->n++;
        s->by_tid[pos].len = (size_t)tid->length;
        memcpy(s->by_tid[pos].tid, tid->data, (size_t)tid->length);
    }
    s->by_tid[pos].put = now;
    s->by_tid[pos].st = st;
    ret = 1;
out:
    (void)pthread_mutex_unlock(&s->lock);
    return ret;
}

struct pxc_srv_txn *pxc_srv_states_take(PXC_SRV_STATES *s, const ASN1_OCTET_STRING *tid,
                                        time_t now)
{
    struct pxc_srv_txn *st = NULL;
    size_t pos;

    if (tid == NULL || tid->length <= 0 || tid->length > PXC_TXN_MAX_OCTETS)
        return NULL;
    if (pthread_mutex_lock(&s->lock) != 0)
        return NULL;
    if (find(s, tid, &pos)) {
        st = s->by_tid[pos].st;
        if (expired(s, &s->by_tid[pos], now)) {
            pxc_srv_txn_free(st);
            st = NULL;
        }
        remove_at(s, pos);
    }
    (void)pthread_mutex_unlock(&s->lock);
    return st;
}

size_t pxc_srv_states_count(PXC_SRV_STATES *s)
{
    size_t n = 0;

    if (s != NULL && pthread_mutex_lock(&s->lock) == 0) {
        n = s->n;
        (void)pthread_mutex_unlock(&s->lock);
    }
    return n;
}
