/*
 * ctx.h - the CMP context: what the user configures (credentials, trust,
 * algorithms, policy), kept apart from per-transaction state and results.
 *
 * All crypto goes through EVP with the context's OSSL_LIB_CTX and property
 * query, so keys held by providers (HSMs, TPMs) work as keys from files do.
 */
#ifndef PKIXCMP_CTX_H
#define PKIXCMP_CTX_H

#include <time.h>
#include <openssl/types.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkixcmp_ctx_st PKIXCMP_CTX;

/* A new context using libctx (may be NULL: the default) and the property
 * query propq (may be NULL). */
PKIXCMP_CTX *pkixcmp_ctx_new(OSSL_LIB_CTX *libctx, const char *propq);

/* Frees ctx; NULL is a no-op. */
void pkixcmp_ctx_free(PKIXCMP_CTX *ctx);

/* ---- credentials for protecting our messages and verifying MACs ---- */

/* Shared secret for MAC-based protection (e.g. from -secret); NULL clears. */
int pkixcmp_ctx_set1_secret(PKIXCMP_CTX *ctx, const unsigned char *sec, size_t len);

/* Reference (e.g. -ref) sent as senderKID with MAC protection; NULL clears. */
int pkixcmp_ctx_set1_reference(PKIXCMP_CTX *ctx, const unsigned char *ref, size_t len);

/* Our certificate and private key for signature-based protection. */
int pkixcmp_ctx_set1_cert(PKIXCMP_CTX *ctx, X509 *cert);
int pkixcmp_ctx_set1_pkey(PKIXCMP_CTX *ctx, EVP_PKEY *pkey);

/* Certificates to complete our chain and to find and validate a signer's
 * chain (e.g. -untrusted). */
int pkixcmp_ctx_set1_untrusted(PKIXCMP_CTX *ctx, STACK_OF(X509) *certs);

/* Extra certificates to add to the extraCerts of our messages. */
int pkixcmp_ctx_set1_extra_certs_out(PKIXCMP_CTX *ctx, STACK_OF(X509) *certs);

/* ---- trust for verifying signatures ---- */

/* Trust anchors (and verification parameters, CRLs) for signer chains
 * (e.g. -trusted, -srvcert's alternative). The store is up-referenced. */
int pkixcmp_ctx_set1_trusted(PKIXCMP_CTX *ctx, X509_STORE *store);

/* A pinned signer certificate (e.g. -srvcert): trusted directly, no chain
 * validation. NULL clears. */
int pkixcmp_ctx_set1_srvcert(PKIXCMP_CTX *ctx, X509 *cert);

/* Expected sender name of messages we receive (e.g. -expect_sender); NULL
 * clears. */
int pkixcmp_ctx_set1_expected_sender(PKIXCMP_CTX *ctx, const X509_NAME *name);

/* ---- algorithms ---- */

/*
 * Digest by name for signatures and as the one-way function of PBM and the
 * PRF of PBMAC1 (-digest; default "SHA256"), and MAC algorithm by name for
 * PBM (-mac; default "HMAC-SHA1" as openssl cmp, or "HMAC-SHA256" ...).
 */
int pkixcmp_ctx_set1_digest(PKIXCMP_CTX *ctx, const char *name);
int pkixcmp_ctx_set1_mac(PKIXCMP_CTX *ctx, const char *name);

/* ---- options (integers) ---- */
typedef enum {
    /* MAC protection: 0 = id-PasswordBasedMac (default), 1 = PBMAC1 */
    PKIXCMP_OPT_MAC_TYPE,
    /* PBM/PBMAC1 iteration count for our messages (default 500; Insta
     * Certifier accepts at most 2047) and salt length (default 16) */
    PKIXCMP_OPT_PBM_ITERATIONS,
    PKIXCMP_OPT_PBM_SALT_LEN,
    /* Limits when verifying (denial-of-service guard): iteration count
     * (default 100000) and salt length (default 64) */
    PKIXCMP_OPT_MAX_ITERATIONS,
    PKIXCMP_OPT_MAX_SALT_LEN,
    /* Accept negative responses (error, rejection) that are unprotected or
     * badly protected, each logged as a warning (-unprotected_errors) */
    PKIXCMP_OPT_UNPROTECTED_ERRORS,
    /* Do not require digitalSignature key usage of signers (-ignore_keyusage) */
    PKIXCMP_OPT_IGNORE_KEYUSAGE,
    /* Require id-kp-cmcCA or id-kp-cmcRA in the signer's certificate */
    PKIXCMP_OPT_REQUIRE_CMP_EKU,
    /* Allowed messageTime skew in seconds; -1 (default) = no check */
    PKIXCMP_OPT_MSG_TIME_SKEW,
    /* 3GPP TS 33.310 trust on first use of a self-issued extraCert for an
     * ip/kup protected with that certificate's key (-permit_ta_in_extraCerts_for_ir) */
    PKIXCMP_OPT_PERMIT_TA_IN_EXTRACERTS_FOR_IR,
    /* pvno of our messages (default 2; 3 for CMPv3 syntax) */
    PKIXCMP_OPT_PVNO,
    /* Log messages up to this level (as openssl cmp -verbosity: 3 = errors,
     * 4 = warnings, 6 = info (default), 7 = debug, 8 = trace) */
    PKIXCMP_OPT_LOG_VERBOSITY,
    /* Accept only protection algorithms that RFC 9481 lists: no SHA-1 in
     * signatures, PBM or PBMAC1 (refused with PKIXCMP_E_DISALLOWED_ALGORITHM).
     * Off by default: openssl cmp protects with PBM hmac-sha1. */
    PKIXCMP_OPT_RFC9481_ONLY,

    /* client transactions (client.h) */
    /* requested validity in days (-days); 0 (default): none */
    PKIXCMP_OPT_DAYS = 100,
    /* proof of possession (-popo): -1 none, which asks for central key
     * generation (RFC 9483 4.1.6; openssl cmp 3.5 -popo -1, -centralkeygen):
     * the template names only the algorithm of the new key (if any), the
     * private key comes back (pkixcmp_ctx_get0_newkey()); 0 raVerified,
     * 1 signature (default), 2 keyEncipherment, 3 keyAgreement (2 and 3:
     * the certificate comes back encrypted for the key, RFC 9810
     * 5.2.8.3.2) */
    PKIXCMP_OPT_POPO_METHOD,
    /* CRLReason of rr (-revreason); -1 (default): none */
    PKIXCMP_OPT_REVOCATION_REASON,
    /* ask for implicit confirmation (-implicit_confirm) */
    PKIXCMP_OPT_IMPLICIT_CONFIRM,
    /* never send certConf (-disable_confirm; not RFC conforming) */
    PKIXCMP_OPT_DISABLE_CONFIRM,
    /* seconds a whole transaction may take, polling included
     * (-total_timeout); 0 (default): no limit */
    PKIXCMP_OPT_TOTAL_TIMEOUT,
    /* send requests unprotected (-unprotected_requests) */
    PKIXCMP_OPT_UNPROTECTED_SEND,
    /* kur: do not copy SANs of the old certificate (-san_nodefault) */
    PKIXCMP_OPT_SAN_NODEFAULT,
    /* certReqId of ir/cr/kur/ccr (default 0, as RFC 9483 4.1.1 requires) */
    PKIXCMP_OPT_CERTREQID
} pkixcmp_opt;

/* Sets or gets an integer option; set returns 0 for an invalid value. */
int pkixcmp_ctx_set_option(PKIXCMP_CTX *ctx, pkixcmp_opt opt, long value);
long pkixcmp_ctx_get_option(const PKIXCMP_CTX *ctx, pkixcmp_opt opt);

/* The clock for validity, messageTime and polling: now(arg) instead of
 * time(NULL) (tests never sleep); NULL restores the system clock. */
int pkixcmp_ctx_set_clock(PKIXCMP_CTX *ctx, time_t (*now)(void *arg), void *arg);

/* Log levels (syslog's numbers, as openssl cmp -verbosity). */
#define PKIXCMP_LOG_ERR 3
#define PKIXCMP_LOG_WARNING 4
#define PKIXCMP_LOG_INFO 6
#define PKIXCMP_LOG_DEBUG 7

/* Receives each log line (without newline) at or below the verbosity. */
typedef void pkixcmp_log_fn(int level, const char *line, void *arg);

/* Sends log lines to fn(level, line, arg); NULL restores the default,
 * which writes "pkixcmp <level>: line" to stderr. */
int pkixcmp_ctx_set_log_cb(PKIXCMP_CTX *ctx, pkixcmp_log_fn *fn, void *arg);

#ifdef __cplusplus
}
#endif
#endif
