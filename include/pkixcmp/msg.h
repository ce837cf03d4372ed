/*
 * msg.h - PKIMessage (RFC 9810 section 5.1): decoding, encoding, printing.
 */
#ifndef PKIXCMP_MSG_H
#define PKIXCMP_MSG_H

#include <stddef.h>
#include <openssl/bio.h>
#include <openssl/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A decoded PKIMessage. Opaque. */
typedef struct pkixcmp_msg_st PKIXCMP_MSG;

/* PKIBody choices; the value is the context tag number of the body. */
typedef enum {
    PKIXCMP_BODY_IR = 0, PKIXCMP_BODY_IP = 1, PKIXCMP_BODY_CR = 2,
    PKIXCMP_BODY_CP = 3, PKIXCMP_BODY_P10CR = 4, PKIXCMP_BODY_POPDECC = 5,
    PKIXCMP_BODY_POPDECR = 6, PKIXCMP_BODY_KUR = 7, PKIXCMP_BODY_KUP = 8,
    PKIXCMP_BODY_KRR = 9, PKIXCMP_BODY_KRP = 10, PKIXCMP_BODY_RR = 11,
    PKIXCMP_BODY_RP = 12, PKIXCMP_BODY_CCR = 13, PKIXCMP_BODY_CCP = 14,
    PKIXCMP_BODY_CKUANN = 15, PKIXCMP_BODY_CANN = 16, PKIXCMP_BODY_RANN = 17,
    PKIXCMP_BODY_CRLANN = 18, PKIXCMP_BODY_PKICONF = 19,
    PKIXCMP_BODY_NESTED = 20, PKIXCMP_BODY_GENM = 21, PKIXCMP_BODY_GENP = 22,
    PKIXCMP_BODY_ERROR = 23, PKIXCMP_BODY_CERTCONF = 24,
    PKIXCMP_BODY_POLLREQ = 25, PKIXCMP_BODY_POLLREP = 26
} pkixcmp_body_type;

/* Default limit on the size of an encoded message: 4 MiB. */
#define PKIXCMP_DEFAULT_MAX_MSG_SIZE ((size_t)4 * 1024 * 1024)

/*
 * Decodes one DER PKIMessage of exactly len bytes. Refuses (with an error
 * naming the ASN.1 type and byte offset) input over max_size bytes (0 means
 * PKIXCMP_DEFAULT_MAX_MSG_SIZE), BER that is not DER, wrong tags, trailing
 * bytes, and InfoTypeAndValue values that are not of their type.
 */
PKIXCMP_MSG *pkixcmp_msg_decode(const unsigned char *der, size_t len,
                                size_t max_size);

/*
 * Reads one PKIMessage from in, as DER, PEM (any label) or base64, and
 * decodes it as pkixcmp_msg_decode() does. Reads at most about 4/3 * max_size
 * bytes (0 means the default).
 */
PKIXCMP_MSG *pkixcmp_msg_read(BIO *in, size_t max_size);

/* Like pkixcmp_msg_read() on the named file. */
PKIXCMP_MSG *pkixcmp_msg_read_file(const char *path, size_t max_size);

/*
 * Encodes msg as DER into a new buffer *out (free with OPENSSL_free()).
 * Returns the length, or -1 on failure. A decoded message re-encodes to the
 * bytes it was decoded from.
 */
int pkixcmp_msg_encode(const PKIXCMP_MSG *msg, unsigned char **out);

/* Writes msg as DER to out. */
int pkixcmp_msg_write(BIO *out, const PKIXCMP_MSG *msg);

/* Frees msg; NULL is a no-op. */
void pkixcmp_msg_free(PKIXCMP_MSG *msg);

/* A deep copy of msg, or NULL. */
PKIXCMP_MSG *pkixcmp_msg_dup(const PKIXCMP_MSG *msg);

/* The body type (pkixcmp_body_type) of msg, or -1 if it has none. */
int pkixcmp_msg_get_body_type(const PKIXCMP_MSG *msg);

/* The pvno of msg's header, or -1 if it cannot be represented. */
long pkixcmp_msg_get_pvno(const PKIXCMP_MSG *msg);

/* The RFC name of a body type ("ir", "certConf", ...), or NULL if unknown. */
const char *pkixcmp_body_type_name(int type);

/* The header's transactionID, senderNonce and recipNonce (borrowed; NULL
 * if absent). */
const ASN1_OCTET_STRING *pkixcmp_msg_get0_transaction_id(const PKIXCMP_MSG *msg);
const ASN1_OCTET_STRING *pkixcmp_msg_get0_sender_nonce(const PKIXCMP_MSG *msg);
const ASN1_OCTET_STRING *pkixcmp_msg_get0_recip_nonce(const PKIXCMP_MSG *msg);

/* Replace them with copies of v (NULL removes the field). The protection
 * no longer matches: protect msg again (pkixcmp_msg_protect()). */
int pkixcmp_msg_set1_transaction_id(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v);
int pkixcmp_msg_set1_sender_nonce(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v);
int pkixcmp_msg_set1_recip_nonce(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v);

/* Output styles of pkixcmp_msg_print(). */
#define PKIXCMP_PRINT_TEXT 0 /* indented tree, one field per line */
#define PKIXCMP_PRINT_JSON 1 /* the same tree as one JSON object */

/*
 * Prints msg as a readable tree: header fields by name, the body with every
 * field, the protection and the extraCerts, in the given style.
 */
int pkixcmp_msg_print(BIO *out, const PKIXCMP_MSG *msg, int style);

#ifdef __cplusplus
}
#endif
#endif
