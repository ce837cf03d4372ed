/*
 * mockca_reg.c - the mock CA's registry of issued certificates, its serial
 * numbers, revocation and the kur check (see mockca.h).
 *
 * A chained hash table on the serial number (MOCKCA_BUCKETS buckets) plus a
 * list in order of insertion, from which the oldest entry is evicted when
 * the table is full. Entries keep the certificate's DER, not an X509, to
 * stay near 1 KB each; the issuer is compared on the decoded certificate,
 * which only rr and kur do. One CRYPTO_RWLOCK guards all of it and the
 * serial counter: lookups take it for reading, changes for writing.
 */
#include <string.h>
#include <openssl/bn.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include "cert_der.h"
#include "mockca_local.h"

#define MOCKCA_BUCKETS ((size_t)1 << 16)
/* Serials are kept as a sign octet and the magnitude: RFC 5280 4.1.2.2
 * allows 20 octets; registered certificates may have up to 32. */
#define MOCKCA_SERIAL_MAX 32
#define MOCKCA_KEY_MAX (MOCKCA_SERIAL_MAX + 1)

struct mockca_entry {
    struct mockca_entry *next;         /* in its bucket */
    struct mockca_entry *older, *newer; /* in order of insertion */
    unsigned char key[MOCKCA_KEY_MAX];
    size_t keylen;
    unsigned char *der; /* the certificate */
    long derlen;
    time_t issued;
    int revoked, reason;
    time_t revoked_at;
};

/* Registry key of serial: 0 (non-negative) or 1 (negative), then the
 * magnitude without leading zeros. 0 if serial is too long to be ours. */
static int serial_key(const ASN1_INTEGER *serial, unsigned char key[MOCKCA_KEY_MAX],
                      size_t *keylen)
{
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    int ret = 0, n;

    if (bn == NULL || (n = BN_num_bytes(bn)) > MOCKCA_SERIAL_MAX)
        goto out;
    key[0] = BN_is_negative(bn) ? 1 : 0;
    *keylen = 1 + (size_t)BN_bn2bin(bn, key + 1);
    ret = 1;
out:
    BN_free(bn);
    return ret;
}

/* FNV-1a, folded to a bucket index. */
static size_t bucket_of(const unsigned char *key, size_t keylen)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 0; i < keylen; i++) {
        h ^= key[i];
        h *= 0x100000001b3u;
    }
    return (size_t)(h ^ (h >> 32)) & (MOCKCA_BUCKETS - 1);
}

/* The entry of key, or NULL; the caller holds the lock. */
static struct mockca_entry *find(const PXC_MOCKCA *ca, const unsigned char *key, size_t keylen)
{
    struct mockca_entry *e = ca->buckets[bucket_of(key, keylen)];

    while (e != NULL && (e->keylen != keylen || memcmp(e->key, key, keylen) != 0))
        e = e->next;
    return e;
}

static void entry_free(struct mockca_entry *e)
{
    if (e == NULL)
        return;
    OPENSSL_free(e->der);
    OPENSSL_free(e);
}

/* Unlinks and frees the oldest entry; the caller holds the write lock. */
static void evict_oldest(PXC_MOCKCA *ca)
{
    struct mockca_entry *e = ca->oldest, **pp;

    if (e == NULL)
        return;
    for (pp = &ca->buckets[bucket_of(e->key, e->keylen)]; *pp != e; pp = &(*pp)->next)
        continue;
    *pp = e->next;
    ca->oldest = e->newer;
    if (ca->oldest != NULL)
        ca->oldest->older = NULL;
    else
        ca->newest = NULL;
    ca->n--;
    entry_free(e);
}

int pxc_mockca_reg_init(PXC_MOCKCA *ca)
{
    ca->lock = CRYPTO_THREAD_lock_new();
    ca->buckets = OPENSSL_zalloc(MOCKCA_BUCKETS * sizeof(*ca->buckets));
    return ca->lock != NULL && ca->buckets != NULL;
}

void pxc_mockca_reg_cleanup(PXC_MOCKCA *ca)
{
    if (ca->buckets != NULL)
        while (ca->oldest != NULL)
            evict_oldest(ca);
    OPENSSL_free(ca->buckets);
    ca->buckets = NULL;
    CRYPTO_THREAD_lock_free(ca->lock);
    ca->lock = NULL;
}

int pxc_mockca_reg_shrink(PXC_MOCKCA *ca, size_t max)
{
    if (!CRYPTO_THREAD_write_lock(ca->lock)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "mock CA registry lock");
        return 0;
    }
    ca->max = max;
    while (ca->n > ca->max)
        evict_oldest(ca);
    CRYPTO_THREAD_unlock(ca->lock);
    return 1;
}

size_t pxc_mockca_count(PXC_MOCKCA *ca)
{
    size_t n = 0;

    if (CRYPTO_THREAD_read_lock(ca->lock)) {
        n = ca->n;
        CRYPTO_THREAD_unlock(ca->lock);
    }
    return n;
}

/* ------------------------------------------------------------ serials */

ASN1_INTEGER *pxc_mockca_new_serial(PXC_MOCKCA *ca)
{
    unsigned char b[16];
    uint64_t count;
    BIGNUM *bn = NULL;
    ASN1_INTEGER *ret = NULL;
    int i;

    /* RFC 5280 4.1.2.2: "The serial number MUST be a positive integer
     * assigned by the CA to each certificate. It MUST be unique for each
     * certificate issued by a given CA". Random bits make serials
     * unpredictable, the counter makes them unique (no lookup needed, and
     * an evicted serial never comes back). */
    if (RAND_bytes_ex(ca->libctx, b, 8, 0) <= 0) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "no random bits for a serial number");
        goto out;
    }
    b[0] &= 0x7f;
    if (!CRYPTO_THREAD_write_lock(ca->lock)) {
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "mock CA registry lock");
        goto out;
    }
    count = ++ca->counter;
    CRYPTO_THREAD_unlock(ca->lock);
    for (i = 0; i < 8; i++)
        b[8 + i] = (unsigned char)(count >> (56 - 8 * i));
    if ((bn = BN_bin2bn(b, (int)sizeof(b), NULL)) == NULL
        || (ret = BN_to_ASN1_INTEGER(bn, NULL)) == NULL)
        PXC_ERR(PKIXCMP_E_CA_FAILURE, "serial number: out of memory");
out:
    BN_free(bn);
    OPENSSL_cleanse(b, sizeof(b));
    return ret;
}

/* ----------------------------------------------------------- entries */

/* Adds cert with the write lock taken here; code is raised on failure. */
static int add_cert(PXC_MOCKCA *ca, const X509 *cert, time_t now, int code)
{
    struct mockca_entry *e = OPENSSL_zalloc(sizeof(*e));
    size_t b;
    int len, ret = 0;

    if (e == NULL || (len = pxc_cert_i2d(cert, &e->der)) <= 0) {
        PXC_ERR(code, "cannot record the certificate (out of memory)");
        goto out;
    }
    e->derlen = len;
    e->issued = now;
    e->reason = PXC_MOCKCA_REASON_NONE;
    if (!serial_key(X509_get0_serialNumber(cert), e->key, &e->keylen)) {
        PXC_ERR(code, "serial number longer than %d octets", MOCKCA_SERIAL_MAX);
        goto out;
    }
    if (!CRYPTO_THREAD_write_lock(ca->lock)) {
        PXC_ERR(code, "mock CA registry lock");
        goto out;
    }
    if (find(ca, e->key, e->keylen) != NULL) {
        CRYPTO_THREAD_unlock(ca->lock);
        PXC_ERR(code, "serial number is registered already");
        goto out;
    }
    while (ca->n >= ca->max)
        evict_oldest(ca);
    b = bucket_of(e->key, e->keylen);
    e->next = ca->buckets[b];
    ca->buckets[b] = e;
    e->older = ca->newest;
    if (ca->newest != NULL)
        ca->newest->newer = e;
    else
        ca->oldest = e;
    ca->newest = e;
    ca->n++;
    e = NULL; /* transferred */
    CRYPTO_THREAD_unlock(ca->lock);
    ret = 1;
out:
    entry_free(e);
    return ret;
}

int pxc_mockca_reg_add(PXC_MOCKCA *ca, const X509 *cert, time_t now)
{
    return add_cert(ca, cert, now, PKIXCMP_E_CA_FAILURE);
}

int pxc_mockca_register_cert(PXC_MOCKCA *ca, const X509 *cert, time_t now)
{
    return add_cert(ca, cert, now, PKIXCMP_E_INVALID_ARGUMENT);
}

/* 1 if e's certificate has issuer as its issuer; the caller holds the lock. */
static int issuer_matches(const struct mockca_entry *e, const X509_NAME *issuer)
{
    const unsigned char *p = e->der;
    X509 *x = d2i_X509(NULL, &p, e->derlen);
    int ret = x != NULL && X509_NAME_cmp(issuer, X509_get_issuer_name(x)) == 0;

    X509_free(x);
    return ret;
}

/* The entry of issuer/serial with the lock held (read or write, as
 * write_lock says), or NULL with PKIXCMP_E_UNKNOWN_CERT and the lock
 * released. */
static struct mockca_entry *lookup_locked(PXC_MOCKCA *ca, const X509_NAME *issuer,
                                          const ASN1_INTEGER *serial, int write_lock)
{
    unsigned char key[MOCKCA_KEY_MAX];
    size_t keylen = 0;
    struct mockca_entry *e = NULL;
    char sbuf[80], nbuf[256];
    BIGNUM *bn = NULL;
    char *hex = NULL;

    if (issuer == NULL || serial == NULL) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_CERT, "certificate not named: %s missing",
                issuer == NULL ? "issuer" : "serialNumber");
        return NULL;
    }
    if (serial_key(serial, key, &keylen)) {
        if (!(write_lock ? CRYPTO_THREAD_write_lock(ca->lock) : CRYPTO_THREAD_read_lock(ca->lock))) {
            PXC_ERR(PKIXCMP_E_INTERNAL, "mock CA registry lock");
            return NULL;
        }
        e = find(ca, key, keylen);
        if (e != NULL && issuer_matches(e, issuer))
            return e;
        CRYPTO_THREAD_unlock(ca->lock);
    }
    bn = ASN1_INTEGER_to_BN(serial, NULL);
    hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    snprintf(sbuf, sizeof(sbuf), "%.64s", hex != NULL ? hex : "?");
    PXC_ERR(PKIXCMP_E_UNKNOWN_CERT, "no certificate with serial %s %s %s issued",
            sbuf, e != NULL ? "but another issuer than" : "by",
            pxc_dn_text(issuer, nbuf, sizeof(nbuf)));
    OPENSSL_free(hex);
    BN_free(bn);
    return NULL;
}

/* 1 if issuer/serial name the reference certificate: ref_cert, else in
 * fixed mode rsp_cert (openssl 3.0's mock checks kur and rr against the
 * certificate it returns; 3.2 added -ref_cert for that). */
static int is_reference(const PXC_MOCKCA *ca, const X509_NAME *issuer,
                        const ASN1_INTEGER *serial)
{
    const X509 *ref = ca->ref_cert != NULL ? ca->ref_cert : ca->rsp_cert;

    return ref != NULL && issuer != NULL && serial != NULL
           && X509_NAME_cmp(issuer, X509_get_issuer_name(ref)) == 0
           && ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(ref)) == 0;
}

/* ---------------------------------------------------------- revocation */

/* Applies a revocation with reason at now to e (write lock held). */
static int revoke_entry(struct mockca_entry *e, int reason, time_t now)
{
    int on_hold = e->revoked && e->reason == PXC_MOCKCA_REASON_CERTIFICATE_HOLD;

    /* RFC 5280 5.3.1: removeFromCRL "is only used in delta CRLs" to undo
     * certificateHold; RFC 9483 4.2 uses it in rr to revive a certificate. */
    if (reason == PXC_MOCKCA_REASON_REMOVE_FROM_CRL) {
        if (!on_hold) {
            PXC_ERR(e->revoked ? PKIXCMP_E_CERT_REVOKED : PKIXCMP_E_INVALID_ARGUMENT,
                    "removeFromCRL: the certificate is %s", e->revoked
                    ? "revoked, not on hold" : "not revoked");
            return 0;
        }
        e->revoked = 0;
        e->reason = PXC_MOCKCA_REASON_NONE;
        e->revoked_at = 0;
        return 1;
    }
    /* a certificate on hold may be revoked for good, with another reason */
    if (e->revoked && (!on_hold || reason == PXC_MOCKCA_REASON_CERTIFICATE_HOLD)) {
        PXC_ERR(PKIXCMP_E_CERT_REVOKED, "the certificate is revoked already (reason %d)",
                e->reason);
        return 0;
    }
    if (!e->revoked)
        e->revoked_at = now;
    e->revoked = 1;
    e->reason = reason;
    return 1;
}

int pxc_mockca_revoke(PXC_MOCKCA *ca, const X509_NAME *issuer,
                      const ASN1_INTEGER *serial, int reason, time_t now)
{
    struct mockca_entry *e;
    int ret = 0;

    if (reason < PXC_MOCKCA_REASON_NONE || reason > 10 || reason == 7) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "CRLReason %d (-1 for none, 0 to 10 but 7)",
                reason);
        goto out;
    }
    /* openssl's mock: "allow any RR derived from CSR which does not include
     * issuer and serial"; and the reference certificate, every time */
    if ((ca->rsp_cert != NULL && issuer == NULL && serial == NULL)
        || is_reference(ca, issuer, serial)) {
        ret = 1;
        goto out;
    }
    if ((e = lookup_locked(ca, issuer, serial, 1)) == NULL)
        goto out;
    ret = revoke_entry(e, reason, now);
    CRYPTO_THREAD_unlock(ca->lock);
out:
    return ret;
}

int pxc_mockca_check_oldcert(PXC_MOCKCA *ca, const X509_NAME *issuer,
                             const ASN1_INTEGER *serial)
{
    struct mockca_entry *e;
    int ret = 0;

    if (is_reference(ca, issuer, serial))
        return 1;
    if ((e = lookup_locked(ca, issuer, serial, 0)) == NULL)
        return 0;
    if (e->revoked)
        PXC_ERR(PKIXCMP_E_CERT_REVOKED, "the certificate to update is revoked (reason %d)",
                e->reason);
    else
        ret = 1;
    CRYPTO_THREAD_unlock(ca->lock);
    return ret;
}

int pxc_mockca_get_status(PXC_MOCKCA *ca, const X509_NAME *issuer,
                          const ASN1_INTEGER *serial, struct pxc_mockca_status *st)
{
    struct mockca_entry *e = lookup_locked(ca, issuer, serial, 0);

    if (e == NULL)
        return 0;
    st->issued = e->issued;
    st->revoked = e->revoked;
    st->reason = e->reason;
    st->revoked_at = e->revoked_at;
    CRYPTO_THREAD_unlock(ca->lock);
    return 1;
}

X509 *pxc_mockca_get1_cert(PXC_MOCKCA *ca, const X509_NAME *issuer,
                           const ASN1_INTEGER *serial)
{
    struct mockca_entry *e = lookup_locked(ca, issuer, serial, 0);
    const unsigned char *p;
    X509 *x;

    if (e == NULL)
        return NULL;
    p = e->der;
    x = d2i_X509(NULL, &p, e->derlen);
    CRYPTO_THREAD_unlock(ca->lock);
    if (x == NULL)
        PXC_ERR(PKIXCMP_E_MALLOC, "registered certificate");
    return x;
}
