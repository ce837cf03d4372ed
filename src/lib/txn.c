/*
 * txn.c - the server's transaction table (see txn.h).
 *
 * A sorted array of entry pointers, ordered by transactionID (length, then
 * bytes): lookups are binary searches, inserting and removing move at most
 * max_entries pointers, and a full table is swept once for expired entries
 * before a new transaction is refused. Each entry keeps the client's
 * senderNonces of the transaction in a small array that grows up to
 * PXC_TXN_MAX_NONCES.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "txn.h"

#define TXN_FIRST_NONCES 4

/* A transactionID or nonce: a copy of at most PXC_TXN_MAX_OCTETS bytes. */
struct txn_octets {
    size_t len; /* 0: none */
    unsigned char data[PXC_TXN_MAX_OCTETS];
};

struct txn_entry {
    struct txn_octets tid;
    struct txn_octets reply; /* our last senderNonce; len 0 before one is set */
    time_t last;             /* time of the last accepted client message */
    size_t n_seen, cap_seen;
    struct txn_octets *seen; /* the client's senderNonces so far */
};

struct pxc_txn_table_st {
    pthread_mutex_t lock;
    size_t max, n;
    long ttl;
    struct txn_entry **by_tid; /* n entries, sorted by octets_cmp of tid */
};

/* ----------------------------------------------------------- octets */

/* Copies s into *o; raises code naming field if s is absent, empty or
 * longer than we keep. */
static int octets_from(const ASN1_OCTET_STRING *s, struct txn_octets *o, int code,
                       const char *field)
{
    int ret = 0;

    if (s == NULL || s->length <= 0 || s->length > PXC_TXN_MAX_OCTETS) {
        PXC_ERR(code, "%s %s (1 to %d bytes kept)", field,
                s == NULL ? "absent" : s->length <= 0 ? "empty" : "too long",
                PXC_TXN_MAX_OCTETS);
        goto out;
    }
    o->len = (size_t)s->length;
    memcpy(o->data, s->data, o->len);
    ret = 1;
out:
    return ret;
}

static int octets_cmp(const struct txn_octets *a, const struct txn_octets *b)
{
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return memcmp(a->data, b->data, a->len);
}

/* Hex of o for details (o is at most PXC_TXN_MAX_OCTETS bytes). */
static const char *octets_hex(const struct txn_octets *o, char buf[2 * PXC_TXN_MAX_OCTETS + 1])
{
    static const char digits[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < o->len; i++) {
        buf[2 * i] = digits[o->data[i] >> 4];
        buf[2 * i + 1] = digits[o->data[i] & 0x0f];
    }
    buf[2 * o->len] = '\0';
    return buf;
}

/* Hex of s for details: "(absent)", or its length if we keep no such
 * long values. */
static const char *asn1_hex(const ASN1_OCTET_STRING *s, char buf[2 * PXC_TXN_MAX_OCTETS + 1])
{
    struct txn_octets o;

    if (s == NULL) {
        snprintf(buf, 2 * PXC_TXN_MAX_OCTETS + 1, "(absent)");
    } else if (s->length < 0 || s->length > PXC_TXN_MAX_OCTETS) {
        snprintf(buf, 2 * PXC_TXN_MAX_OCTETS + 1, "(%d bytes)", s->length);
    } else {
        o.len = (size_t)s->length;
        memcpy(o.data, s->data, o.len);
        octets_hex(&o, buf);
    }
    return buf;
}

/* ---------------------------------------------------------- entries */

static void entry_free(struct txn_entry *e)
{
    if (e == NULL)
        return;
    free(e->seen);
    free(e);
}

/* Adds nonce to the nonces seen in e; 0 at the limit or out of memory. */
static int entry_add_nonce(struct txn_entry *e, const struct txn_octets *nonce)
{
    struct txn_octets *seen;
    size_t cap;
    int ret = 0;

    if (e->n_seen == PXC_TXN_MAX_NONCES) {
        PXC_ERR(PXC_TXN_E_TOO_MANY_MESSAGES, "transaction has had %d messages, the most accepted",
                PXC_TXN_MAX_NONCES);
        goto out;
    }
    if (e->n_seen == e->cap_seen) {
        cap = e->cap_seen == 0 ? TXN_FIRST_NONCES : 2 * e->cap_seen;
        if ((seen = realloc(e->seen, cap * sizeof(*seen))) == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "senderNonces of a transaction");
            goto out;
        }
        e->seen = seen;
        e->cap_seen = cap;
    }
    e->seen[e->n_seen++] = *nonce;
    ret = 1;
out:
    return ret;
}

static int entry_has_nonce(const struct txn_entry *e, const struct txn_octets *nonce)
{
    size_t i;
    int found = 0;

    for (i = 0; !found && i < e->n_seen; i++)
        found = octets_cmp(&e->seen[i], nonce) == 0;
    return found;
}

static struct txn_entry *entry_new(const struct txn_octets *tid,
                                   const struct txn_octets *nonce, time_t now)
{
    struct txn_entry *e = calloc(1, sizeof(*e));

    if (e == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "transaction entry");
        goto out;
    }
    e->tid = *tid;
    e->last = now;
    if (!entry_add_nonce(e, nonce)) {
        entry_free(e);
        e = NULL;
    }
out:
    return e;
}

/* An entry expires ttl seconds after the last message accepted in it; a
 * clock that went backwards expires nothing. */
static int entry_expired(const PXC_TXN_TABLE *t, const struct txn_entry *e, time_t now)
{
    return difftime(now, e->last) > (double)t->ttl;
}

/* ------------------------------------------------------------ table */

/* 1 and *pos = its index if tid is in the table, else 0 and *pos = where
 * it would go. Call with the lock held. */
static int table_find(const PXC_TXN_TABLE *t, const struct txn_octets *tid, size_t *pos)
{
    size_t lo = 0, hi = t->n, mid;
    int c = 1;

    while (c != 0 && lo < hi) {
        mid = lo + (hi - lo) / 2;
        c = octets_cmp(&t->by_tid[mid]->tid, tid);
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else
            lo = mid;
    }
    *pos = lo;
    return c == 0;
}

static void table_remove_at(PXC_TXN_TABLE *t, size_t pos)
{
    entry_free(t->by_tid[pos]);
    memmove(&t->by_tid[pos], &t->by_tid[pos + 1], (t->n - pos - 1) * sizeof(*t->by_tid));
    t->n--;
}

/* Drops all expired entries, keeping the order of the others. */
static void table_evict_expired(PXC_TXN_TABLE *t, time_t now)
{
    size_t i, kept = 0;

    for (i = 0; i < t->n; i++) {
        if (entry_expired(t, t->by_tid[i], now))
            entry_free(t->by_tid[i]);
        else
            t->by_tid[kept++] = t->by_tid[i];
    }
    t->n = kept;
}

static int table_lock(PXC_TXN_TABLE *t)
{
    int ret = pthread_mutex_lock(&t->lock) == 0;

    if (!ret)
        PXC_ERR(PKIXCMP_E_INTERNAL, "transaction table lock");
    return ret;
}

static void table_unlock(PXC_TXN_TABLE *t)
{
    (void)pthread_mutex_unlock(&t->lock);
}

PXC_TXN_TABLE *pxc_txn_table_new(size_t max_entries, long ttl_seconds)
{
    PXC_TXN_TABLE *t = NULL;

    if (max_entries == 0 || max_entries > PXC_TXN_MAX_ENTRIES || ttl_seconds <= 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT,
                "transaction table of %zu entries (1 to %zu) with a lifetime of %ld s (> 0)",
                max_entries, PXC_TXN_MAX_ENTRIES, ttl_seconds);
        goto out;
    }
    if ((t = calloc(1, sizeof(*t))) == NULL
        || (t->by_tid = calloc(max_entries, sizeof(*t->by_tid))) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "transaction table of %zu entries", max_entries);
        goto err;
    }
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "transaction table lock");
        goto err;
    }
    t->max = max_entries;
    t->ttl = ttl_seconds;
    goto out;
err:
    if (t != NULL)
        free(t->by_tid);
    free(t);
    t = NULL;
out:
    return t;
}

void pxc_txn_table_free(PXC_TXN_TABLE *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->n; i++)
        entry_free(t->by_tid[i]);
    free(t->by_tid);
    (void)pthread_mutex_destroy(&t->lock);
    free(t);
}

/*
 * Puts the new entry e into the table (lock held); on success the table
 * owns e. RFC 9810 5.1.1: "A server receiving the first message of a
 * transaction ... that contains a transactionID that does not allow it to
 * meet the above constraints (typically because the transactionID is
 * already in use) MUST send back an ErrorMsgContent with a PKIFailureInfo
 * of transactionIdInUse." An expired transaction no longer holds its ID.
 */
static int table_put(PXC_TXN_TABLE *t, struct txn_entry *e, time_t now)
{
    char hex[2 * PXC_TXN_MAX_OCTETS + 1];
    size_t pos;
    int ret = 0;

    if (table_find(t, &e->tid, &pos)) {
        if (!entry_expired(t, t->by_tid[pos], now)) {
            PXC_ERR(PKIXCMP_E_TRANSACTIONID_IN_USE, "transactionID %s is in use",
                    octets_hex(&e->tid, hex));
            goto out;
        }
        entry_free(t->by_tid[pos]);
        t->by_tid[pos] = e;
        ret = 1;
        goto out;
    }
    if (t->n == t->max) {
        table_evict_expired(t, now);
        (void)table_find(t, &e->tid, &pos);
    }
    if (t->n == t->max) {
        PXC_ERR(PXC_TXN_E_TABLE_FULL, "all %zu transactions of the table are open", t->max);
        goto out;
    }
    memmove(&t->by_tid[pos + 1], &t->by_tid[pos], (t->n - pos) * sizeof(*t->by_tid));
    t->by_tid[pos] = e;
    t->n++;
    ret = 1;
out:
    return ret;
}

int pxc_txn_begin(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                  const ASN1_OCTET_STRING *sender_nonce, time_t now)
{
    struct txn_octets key, nonce;
    struct txn_entry *e = NULL;
    int ret = 0;

    if (!octets_from(tid, &key, PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID")
        || !octets_from(sender_nonce, &nonce, PKIXCMP_E_MISSING_SENDERNONCE, "senderNonce")
        || (e = entry_new(&key, &nonce, now)) == NULL || !table_lock(t))
        goto out;
    if (table_put(t, e, now)) {
        e = NULL; /* transferred */
        ret = 1;
    }
    table_unlock(t);
out:
    entry_free(e);
    return ret;
}

/*
 * RFC 9810 5.1.1: "the recipNonce is copied from the senderNonce field of
 * the previous message in the transaction": ours, once we have replied.
 */
static int check_recip_nonce(const struct txn_entry *e, const ASN1_OCTET_STRING *recip)
{
    char got[2 * PXC_TXN_MAX_OCTETS + 1], want[2 * PXC_TXN_MAX_OCTETS + 1];
    int ret = e->reply.len == 0
        || (recip != NULL && (size_t)recip->length == e->reply.len
            && memcmp(recip->data, e->reply.data, e->reply.len) == 0);

    if (!ret)
        PXC_ERR(PKIXCMP_E_WRONG_RECIPNONCE, "recipNonce %s, expected our senderNonce %s",
                asn1_hex(recip, got), octets_hex(&e->reply, want));
    return ret;
}

/* The checks of pxc_txn_continue() with the lock held. */
static int table_continue(PXC_TXN_TABLE *t, const struct txn_octets *key,
                          const struct txn_octets *nonce,
                          const ASN1_OCTET_STRING *recip, time_t now)
{
    char hex[2 * PXC_TXN_MAX_OCTETS + 1], nhex[2 * PXC_TXN_MAX_OCTETS + 1];
    struct txn_entry *e;
    size_t pos;
    int ret = 0, found = table_find(t, key, &pos);

    if (found && entry_expired(t, t->by_tid[pos], now)) {
        table_remove_at(t, pos);
        found = 0;
    }
    if (!found) {
        PXC_ERR(PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID %s: no such open transaction",
                octets_hex(key, hex));
        goto out;
    }
    e = t->by_tid[pos];
    if (!check_recip_nonce(e, recip))
        goto out;
    /* the senderNonce is there to "protect the PKIMessage against replay
     * attacks" (RFC 9810 5.1.1): one seen before is a replay */
    if (entry_has_nonce(e, nonce)) {
        PXC_ERR(PKIXCMP_E_NONCE_REPLAY, "senderNonce %s was seen before in transaction %s",
                octets_hex(nonce, nhex), octets_hex(key, hex));
        goto out;
    }
    if (!entry_add_nonce(e, nonce))
        goto out;
    e->last = now;
    ret = 1;
out:
    return ret;
}

int pxc_txn_continue(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                     const ASN1_OCTET_STRING *sender_nonce,
                     const ASN1_OCTET_STRING *recip_nonce, time_t now)
{
    struct txn_octets key, nonce;
    int ret = 0;

    if (!octets_from(tid, &key, PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID")
        || !octets_from(sender_nonce, &nonce, PKIXCMP_E_MISSING_SENDERNONCE, "senderNonce")
        || !table_lock(t))
        goto out;
    ret = table_continue(t, &key, &nonce, recip_nonce, now);
    table_unlock(t);
out:
    return ret;
}

int pxc_txn_set_reply_nonce(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                            const ASN1_OCTET_STRING *our_nonce)
{
    char hex[2 * PXC_TXN_MAX_OCTETS + 1];
    struct txn_octets key, nonce;
    size_t pos;
    int ret = 0;

    if (!octets_from(tid, &key, PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID")
        || !octets_from(our_nonce, &nonce, PKIXCMP_E_MISSING_SENDERNONCE, "our senderNonce")
        || !table_lock(t))
        goto out;
    if (table_find(t, &key, &pos)) {
        t->by_tid[pos]->reply = nonce;
        ret = 1;
    } else {
        PXC_ERR(PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID %s: no such open transaction",
                octets_hex(&key, hex));
    }
    table_unlock(t);
out:
    return ret;
}

int pxc_txn_end(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid)
{
    char hex[2 * PXC_TXN_MAX_OCTETS + 1];
    struct txn_octets key;
    size_t pos;
    int ret = 0;

    if (!octets_from(tid, &key, PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID")
        || !table_lock(t))
        goto out;
    if (table_find(t, &key, &pos)) {
        table_remove_at(t, pos);
        ret = 1;
    } else {
        PXC_ERR(PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID %s: no such open transaction",
                octets_hex(&key, hex));
    }
    table_unlock(t);
out:
    return ret;
}

size_t pxc_txn_count(PXC_TXN_TABLE *t)
{
    size_t n = 0;

    if (t != NULL && table_lock(t)) {
        n = t->n;
        table_unlock(t);
    }
    return n;
}
