/*
 * err.h - stable error codes of libpkixcmp.
 *
 * Errors go onto OpenSSL's thread-local error queue under a library number of
 * their own, with the stable code below as the reason and a detail text that
 * says what failed, where and why. Errors from OpenSSL (and, through the
 * detail text, libcurl) that caused a failure stay on the queue below it, so
 * ERR_print_errors() or pkixcmp_err_print() show the whole story.
 *
 * The numbers are part of the ABI: they are never renumbered or reused.
 */
#ifndef PKIXCMP_ERR_H
#define PKIXCMP_ERR_H

#include <stdio.h>
#include <openssl/bio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    PKIXCMP_E_NONE = 0,
    PKIXCMP_E_MALLOC = 1,              /* out of memory */
    PKIXCMP_E_INVALID_ARGUMENT = 2,    /* a caller passed an unusable argument */
    PKIXCMP_E_INTERNAL = 3,            /* an internal invariant failed */
    PKIXCMP_E_IO = 4,                  /* reading or writing a file or BIO failed */
    PKIXCMP_E_BAD_INPUT_FORMAT = 5,    /* input is neither DER, PEM nor base64 */
    PKIXCMP_E_DER_TOO_LARGE = 10,      /* input larger than the configured limit */
    PKIXCMP_E_DER_TRUNCATED = 11,      /* a length runs past the end of the input */
    PKIXCMP_E_DER_TRAILING_DATA = 12,  /* bytes after the end of the message */
    PKIXCMP_E_DER_INDEFINITE_LENGTH = 13, /* BER indefinite length, not DER */
    PKIXCMP_E_DER_BAD_LENGTH = 14,     /* non-minimal or oversized length octets */
    PKIXCMP_E_DER_BAD_TAG = 15,        /* tag malformed or not the one the type needs */
    PKIXCMP_E_DER_TOO_DEEP = 16,       /* nesting deeper than the limit */
    PKIXCMP_E_DER_NOT_CANONICAL = 17,  /* decodes, but is not the DER encoding */
    PKIXCMP_E_ASN1_DECODE = 18,        /* content does not match the ASN.1 type */
    PKIXCMP_E_ASN1_ENCODE = 19,        /* a structure could not be encoded */
    PKIXCMP_E_ITAV_VALUE = 20,         /* an InfoTypeAndValue, control or regInfo value is not of its type */
    PKIXCMP_E_CMS = 21,                /* EnvelopedData conversion with the CMS API failed */
    PKIXCMP_E_UNKNOWN_NAME = 22,       /* a name (option value, type) is not known */
    /* protection and validation (RFC 9810 section 5.1.3, RFC 9483 section 3.5) */
    PKIXCMP_E_NO_CREDENTIALS = 30,     /* neither a secret nor a certificate and key to protect with */
    PKIXCMP_E_UNPROTECTED = 31,        /* the message has no protection and none is allowed */
    PKIXCMP_E_WRONG_MAC = 32,          /* MAC does not match: wrong secret or tampered message */
    PKIXCMP_E_BAD_SIGNATURE = 33,      /* signature does not verify: tampered message or wrong key */
    PKIXCMP_E_UNKNOWN_ALGORITHM = 34,  /* protectionAlg is not one pkixcmp knows */
    PKIXCMP_E_DISALLOWED_ALGORITHM = 35, /* protectionAlg is known but not allowed here */
    PKIXCMP_E_ITERATION_COUNT_TOO_HIGH = 36, /* MAC iteration count above the configured limit */
    PKIXCMP_E_SALT_TOO_LONG = 37,      /* MAC salt longer than the configured limit */
    PKIXCMP_E_BAD_PROTECTION_PARAMS = 38, /* protectionAlg parameters malformed or missing */
    PKIXCMP_E_NO_SIGNER = 39,          /* no certificate matches sender and senderKID */
    PKIXCMP_E_MISSING_SENDERKID = 40,  /* senderKID required but absent */
    PKIXCMP_E_UNTRUSTED_SIGNER = 41,   /* the signer's chain does not validate */
    PKIXCMP_E_SIGNER_EXPIRED = 42,     /* the signer's certificate is expired or not yet valid */
    PKIXCMP_E_SIGNER_KEY_USAGE = 43,   /* the signer's certificate lacks digitalSignature */
    PKIXCMP_E_SIGNER_EKU = 44,         /* the signer's certificate lacks id-kp-cmcCA/cmcRA */
    PKIXCMP_E_WRONG_PVNO = 45,         /* pvno not supported or not the expected one */
    PKIXCMP_E_WRONG_TRANSACTIONID = 46, /* transactionID missing or not the transaction's */
    PKIXCMP_E_WRONG_RECIPNONCE = 47,   /* recipNonce missing or not our senderNonce */
    PKIXCMP_E_MISSING_SENDERNONCE = 48, /* senderNonce missing or too short */
    PKIXCMP_E_SENDER_MISMATCH = 49,    /* sender is not the expected one */
    PKIXCMP_E_MESSAGE_TIME = 50,       /* messageTime too far from our clock */
    PKIXCMP_E_NONCE_REPLAY = 51,       /* senderNonce already seen in this transaction */
    PKIXCMP_E_TRANSACTIONID_IN_USE = 52, /* a new transaction with a transactionID in use */
    PKIXCMP_E_SIGN_FAILED = 53,        /* creating the protection failed */
    PKIXCMP_E_WRONG_INTEGRITY = 54,    /* MAC where a signature is required, or the reverse */
    PKIXCMP_E_SERVER_BUSY = 55,        /* the server's transaction table is full */
    PKIXCMP_E_TRANSACTION_TOO_LONG = 56, /* more messages in one transaction than allowed */
    /* requests and confirmations (RFC 4211 section 4, RFC 9810 5.3.18) */
    PKIXCMP_E_BAD_POP = 57,            /* proof of possession missing, of a refused kind, or wrong */
    PKIXCMP_E_WRONG_CERTHASH = 58,     /* certConf certHash does not match the certificate */
    PKIXCMP_E_WRONG_CERTREQID = 59,    /* certReqId does not match the request */
    /* transfer (RFC 9811) */
    PKIXCMP_E_HTTP_CONNECT = 60,       /* cannot connect to the server or proxy */
    PKIXCMP_E_HTTP_STATUS = 61,        /* the server answered with an HTTP error status */
    PKIXCMP_E_HTTP_CONTENT_TYPE = 62,  /* response content type is not application/pkixcmp */
    PKIXCMP_E_HTTP_TIMEOUT = 63,       /* the transfer took longer than allowed */
    PKIXCMP_E_HTTP_TLS = 64,           /* TLS handshake or peer verification failed */
    PKIXCMP_E_HTTP_TRANSFER = 65,      /* another transfer failure (libcurl's reason in the detail) */
    PKIXCMP_E_HTTP_TOO_LARGE = 66,     /* HTTP body larger than the size limit */
    /* client transactions (RFC 9810 section 5.3, RFC 9483 section 4) */
    PKIXCMP_E_RECEIVED_ERROR = 70,     /* the server answered with an error message */
    PKIXCMP_E_REQUEST_REJECTED = 71,   /* the server rejected the request (PKIStatus rejection) */
    PKIXCMP_E_UNEXPECTED_BODY = 72,    /* a message of a type not expected here */
    PKIXCMP_E_TOTAL_TIMEOUT = 73,      /* the transaction took longer than the total timeout */
    PKIXCMP_E_CERT_REJECTED = 74,      /* we rejected the newly issued certificate */
    PKIXCMP_E_NO_CERT = 75,            /* a positive response without a certificate */
    PKIXCMP_E_MISSING_PARAMETER = 76,  /* a setting the transaction needs is missing */
    PKIXCMP_E_BAD_RESPONSE = 77,       /* response content is inconsistent or incomplete */
    PKIXCMP_E_TRANSFER_FAILED = 78,    /* the transfer callback returned no response */
    /* server (RFC 9810 section 5.3, RFC 9483 section 5) */
    PKIXCMP_E_UNSUPPORTED_REQUEST = 80, /* a request type the server does not handle */
    PKIXCMP_E_UNEXPECTED_REQUEST = 81, /* a message out of order in its transaction */
    PKIXCMP_E_UNKNOWN_CERT = 82,       /* the certificate named is not one the CA issued */
    PKIXCMP_E_CERT_REVOKED = 83,       /* the certificate named is already revoked */
    PKIXCMP_E_BAD_TEMPLATE = 84,       /* the certificate template cannot be issued */
    PKIXCMP_E_CA_FAILURE = 85,         /* the CA backend failed to issue or answer */
    PKIXCMP_E_NOT_AUTHORIZED = 86,     /* the requester may not do this */
    PKIXCMP_E_MAX_ = 87                /* one more than the highest code; not an error */
} pkixcmp_err;

/* The short text of an error code, e.g. "trailing data"; never NULL. */
const char *pkixcmp_err_reason_string(int code);

/* The symbolic name of an error code, e.g. "PKIXCMP_E_DER_TRAILING_DATA". */
const char *pkixcmp_err_name(int code);

/*
 * The reason code of the most recent pkixcmp error on this thread's OpenSSL
 * error queue, PKIXCMP_E_NONE if there is none. The queue is not modified.
 */
int pkixcmp_err_peek_last(void);

/*
 * Prints, then clears, this thread's error queue: one line per error, the
 * pkixcmp ones with their detail, the OpenSSL ones with their reason.
 */
void pkixcmp_err_print(BIO *out);

#ifdef __cplusplus
}
#endif
#endif
