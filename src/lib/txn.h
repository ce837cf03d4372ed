/*
 * txn.h - the server's table of open transactions, keyed by transactionID,
 * for the checks RFC 9810 5.1.1 asks of a server: no second transaction
 * with a transactionID in use, every later message in a known transaction,
 * no replayed senderNonce, recipNonce = our last senderNonce.
 *
 * Thread-safe (one mutex per table). Memory is bounded: at most
 * max_entries transactions, each with at most PXC_TXN_MAX_NONCES nonces of
 * at most PXC_TXN_MAX_OCTETS bytes (under 5 KB per transaction). The clock is passed in, so expiry is
 * tested without sleeping. Every failure raises a pkixcmp error (PXC_ERR)
 * whose code maps to the failInfo to answer with (pkixcmp_err_failinfo_bit).
 */
#ifndef PKIXCMP_TXN_H
#define PKIXCMP_TXN_H

#include <stddef.h>
#include <time.h>
#include "internal.h"

/* Longest transactionID or nonce kept; RFC 9810 recommends 16 bytes. */
#define PXC_TXN_MAX_OCTETS 64
/* senderNonces remembered per transaction: a transaction with more
 * messages is refused (a normal one has 2 to a few polls). */
#define PXC_TXN_MAX_NONCES 64
/* Largest max_entries accepted by pxc_txn_table_new(). */
#define PXC_TXN_MAX_ENTRIES ((size_t)1 << 20)

/* Errors of the two limits: a full table (answered with systemUnavail) and
 * a transaction with too many messages (answered with badRequest). */
#define PXC_TXN_E_TABLE_FULL PKIXCMP_E_SERVER_BUSY
#define PXC_TXN_E_TOO_MANY_MESSAGES PKIXCMP_E_TRANSACTION_TOO_LONG

typedef struct pxc_txn_table_st PXC_TXN_TABLE;

/*
 * A new empty table for at most max_entries (1..PXC_TXN_MAX_ENTRIES) open
 * transactions, each expiring ttl_seconds (> 0) after its last message.
 * NULL on bad arguments or out of memory.
 */
PXC_TXN_TABLE *pxc_txn_table_new(size_t max_entries, long ttl_seconds) PXC_MUST_CHECK;

/* Frees the table and all its transactions; NULL is a no-op. */
void pxc_txn_table_free(PXC_TXN_TABLE *t);

/*
 * Opens a transaction for the first message of one (ir, cr, kur, p10cr,
 * ccr, rr, genm) and remembers its senderNonce. Refuses a transactionID
 * in use by an unexpired transaction (PKIXCMP_E_TRANSACTIONID_IN_USE), an
 * absent or oversized transactionID or nonce (_WRONG_TRANSACTIONID,
 * _MISSING_SENDERNONCE) and, when all max_entries transactions are open
 * and none has expired, any new one (PXC_TXN_E_TABLE_FULL).
 */
int pxc_txn_begin(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                  const ASN1_OCTET_STRING *sender_nonce, time_t now) PXC_MUST_CHECK;

/*
 * Accepts a later message of an open transaction (certConf, pollReq,
 * error): refuses an unknown or expired transactionID
 * (PKIXCMP_E_WRONG_TRANSACTIONID), a recipNonce other than the senderNonce
 * set with pxc_txn_set_reply_nonce() (_WRONG_RECIPNONCE; not checked before
 * one is set), a senderNonce seen before in the transaction
 * (_NONCE_REPLAY) and the message after PXC_TXN_MAX_NONCES
 * (PXC_TXN_E_TOO_MANY_MESSAGES). On success the nonce is remembered and
 * the expiry restarts; a refused message changes nothing.
 */
int pxc_txn_continue(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                     const ASN1_OCTET_STRING *sender_nonce,
                     const ASN1_OCTET_STRING *recip_nonce, time_t now) PXC_MUST_CHECK;

/*
 * Remembers our_nonce, the senderNonce of our reply, which the client's
 * next message must carry as recipNonce. PKIXCMP_E_WRONG_TRANSACTIONID if
 * the transaction is not open, _MISSING_SENDERNONCE for a bad nonce.
 */
int pxc_txn_set_reply_nonce(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid,
                            const ASN1_OCTET_STRING *our_nonce) PXC_MUST_CHECK;

/* Closes a transaction (after pkiConf, an error, or the last reply of a
 * single-pair one). PKIXCMP_E_WRONG_TRANSACTIONID if it is not open. */
int pxc_txn_end(PXC_TXN_TABLE *t, const ASN1_OCTET_STRING *tid) PXC_MUST_CHECK;

/* The number of transactions in the table, expired ones not yet removed
 * included (they go when the table is full or their ID comes back). */
size_t pxc_txn_count(PXC_TXN_TABLE *t);

#endif
