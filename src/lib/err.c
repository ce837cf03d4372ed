/*
 * err.c - pkixcmp errors on OpenSSL's error queue.
 *
 * pkixcmp takes a library number of its own from OpenSSL on first use and
 * registers its reason strings there, so ERR_error_string() and
 * ERR_print_errors() name pkixcmp errors like OpenSSL's own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include "internal.h"

struct err_entry {
    int code;
    const char *name;
    const char *text;
};

/* One row per code of err.h; test_err checks that none is missing. */
static const struct err_entry err_table[] = {
    {PKIXCMP_E_NONE, "PKIXCMP_E_NONE", "no error"},
    {PKIXCMP_E_MALLOC, "PKIXCMP_E_MALLOC", "out of memory"},
    {PKIXCMP_E_INVALID_ARGUMENT, "PKIXCMP_E_INVALID_ARGUMENT", "invalid argument"},
    {PKIXCMP_E_INTERNAL, "PKIXCMP_E_INTERNAL", "internal error"},
    {PKIXCMP_E_IO, "PKIXCMP_E_IO", "input/output error"},
    {PKIXCMP_E_BAD_INPUT_FORMAT, "PKIXCMP_E_BAD_INPUT_FORMAT", "input is neither DER, PEM nor base64"},
    {PKIXCMP_E_DER_TOO_LARGE, "PKIXCMP_E_DER_TOO_LARGE", "message larger than the size limit"},
    {PKIXCMP_E_DER_TRUNCATED, "PKIXCMP_E_DER_TRUNCATED", "DER truncated"},
    {PKIXCMP_E_DER_TRAILING_DATA, "PKIXCMP_E_DER_TRAILING_DATA", "trailing data after DER"},
    {PKIXCMP_E_DER_INDEFINITE_LENGTH, "PKIXCMP_E_DER_INDEFINITE_LENGTH", "indefinite length (BER, not DER)"},
    {PKIXCMP_E_DER_BAD_LENGTH, "PKIXCMP_E_DER_BAD_LENGTH", "bad DER length encoding"},
    {PKIXCMP_E_DER_BAD_TAG, "PKIXCMP_E_DER_BAD_TAG", "unexpected or malformed tag"},
    {PKIXCMP_E_DER_TOO_DEEP, "PKIXCMP_E_DER_TOO_DEEP", "DER nesting too deep"},
    {PKIXCMP_E_DER_NOT_CANONICAL, "PKIXCMP_E_DER_NOT_CANONICAL", "not the canonical DER encoding"},
    {PKIXCMP_E_ASN1_DECODE, "PKIXCMP_E_ASN1_DECODE", "content does not match its ASN.1 type"},
    {PKIXCMP_E_ASN1_ENCODE, "PKIXCMP_E_ASN1_ENCODE", "ASN.1 encoding failed"},
    {PKIXCMP_E_ITAV_VALUE, "PKIXCMP_E_ITAV_VALUE", "value not of the type its OID requires"},
    {PKIXCMP_E_CMS, "PKIXCMP_E_CMS", "CMS conversion failed"},
    {PKIXCMP_E_UNKNOWN_NAME, "PKIXCMP_E_UNKNOWN_NAME", "unknown name"},
    {PKIXCMP_E_NO_CREDENTIALS, "PKIXCMP_E_NO_CREDENTIALS", "no credentials to protect with"},
    {PKIXCMP_E_UNPROTECTED, "PKIXCMP_E_UNPROTECTED", "message is not protected"},
    {PKIXCMP_E_WRONG_MAC, "PKIXCMP_E_WRONG_MAC", "MAC does not match (wrong secret or tampered message)"},
    {PKIXCMP_E_BAD_SIGNATURE, "PKIXCMP_E_BAD_SIGNATURE", "signature does not verify"},
    {PKIXCMP_E_UNKNOWN_ALGORITHM, "PKIXCMP_E_UNKNOWN_ALGORITHM", "unknown protection algorithm"},
    {PKIXCMP_E_DISALLOWED_ALGORITHM, "PKIXCMP_E_DISALLOWED_ALGORITHM", "protection algorithm not allowed"},
    {PKIXCMP_E_ITERATION_COUNT_TOO_HIGH, "PKIXCMP_E_ITERATION_COUNT_TOO_HIGH", "MAC iteration count too high"},
    {PKIXCMP_E_SALT_TOO_LONG, "PKIXCMP_E_SALT_TOO_LONG", "MAC salt too long"},
    {PKIXCMP_E_BAD_PROTECTION_PARAMS, "PKIXCMP_E_BAD_PROTECTION_PARAMS", "bad protection algorithm parameters"},
    {PKIXCMP_E_NO_SIGNER, "PKIXCMP_E_NO_SIGNER", "no certificate matches the signer"},
    {PKIXCMP_E_MISSING_SENDERKID, "PKIXCMP_E_MISSING_SENDERKID", "senderKID missing"},
    {PKIXCMP_E_UNTRUSTED_SIGNER, "PKIXCMP_E_UNTRUSTED_SIGNER", "signer certificate not trusted"},
    {PKIXCMP_E_SIGNER_EXPIRED, "PKIXCMP_E_SIGNER_EXPIRED", "signer certificate expired or not yet valid"},
    {PKIXCMP_E_SIGNER_KEY_USAGE, "PKIXCMP_E_SIGNER_KEY_USAGE", "signer certificate lacks digitalSignature key usage"},
    {PKIXCMP_E_SIGNER_EKU, "PKIXCMP_E_SIGNER_EKU", "signer certificate lacks the CMP CA/RA extended key usage"},
    {PKIXCMP_E_WRONG_PVNO, "PKIXCMP_E_WRONG_PVNO", "unsupported or unexpected pvno"},
    {PKIXCMP_E_WRONG_TRANSACTIONID, "PKIXCMP_E_WRONG_TRANSACTIONID", "wrong or missing transactionID"},
    {PKIXCMP_E_WRONG_RECIPNONCE, "PKIXCMP_E_WRONG_RECIPNONCE", "wrong or missing recipNonce"},
    {PKIXCMP_E_MISSING_SENDERNONCE, "PKIXCMP_E_MISSING_SENDERNONCE", "missing or short senderNonce"},
    {PKIXCMP_E_SENDER_MISMATCH, "PKIXCMP_E_SENDER_MISMATCH", "unexpected sender"},
    {PKIXCMP_E_MESSAGE_TIME, "PKIXCMP_E_MESSAGE_TIME", "messageTime out of the allowed skew"},
    {PKIXCMP_E_NONCE_REPLAY, "PKIXCMP_E_NONCE_REPLAY", "senderNonce replayed"},
    {PKIXCMP_E_TRANSACTIONID_IN_USE, "PKIXCMP_E_TRANSACTIONID_IN_USE", "transactionID already in use"},
    {PKIXCMP_E_SIGN_FAILED, "PKIXCMP_E_SIGN_FAILED", "creating the protection failed"},
    {PKIXCMP_E_WRONG_INTEGRITY, "PKIXCMP_E_WRONG_INTEGRITY", "wrong kind of protection (MAC vs signature)"},
    {PKIXCMP_E_SERVER_BUSY, "PKIXCMP_E_SERVER_BUSY", "server busy: too many open transactions"},
    {PKIXCMP_E_TRANSACTION_TOO_LONG, "PKIXCMP_E_TRANSACTION_TOO_LONG", "too many messages in one transaction"},
    {PKIXCMP_E_BAD_POP, "PKIXCMP_E_BAD_POP", "bad or missing proof of possession"},
    {PKIXCMP_E_WRONG_CERTHASH, "PKIXCMP_E_WRONG_CERTHASH", "certHash does not match the certificate"},
    {PKIXCMP_E_WRONG_CERTREQID, "PKIXCMP_E_WRONG_CERTREQID", "certReqId does not match"},
    {PKIXCMP_E_HTTP_CONNECT, "PKIXCMP_E_HTTP_CONNECT", "cannot connect to the server or proxy"},
    {PKIXCMP_E_HTTP_STATUS, "PKIXCMP_E_HTTP_STATUS", "the server answered with an HTTP error status"},
    {PKIXCMP_E_HTTP_CONTENT_TYPE, "PKIXCMP_E_HTTP_CONTENT_TYPE", "response content type is not application/pkixcmp"},
    {PKIXCMP_E_HTTP_TIMEOUT, "PKIXCMP_E_HTTP_TIMEOUT", "the transfer took longer than allowed"},
    {PKIXCMP_E_HTTP_TLS, "PKIXCMP_E_HTTP_TLS", "TLS handshake or peer verification failed"},
    {PKIXCMP_E_HTTP_TRANSFER, "PKIXCMP_E_HTTP_TRANSFER", "another transfer failure (libcurl's reason in the detail)"},
    {PKIXCMP_E_HTTP_TOO_LARGE, "PKIXCMP_E_HTTP_TOO_LARGE", "HTTP body larger than the size limit"},
    {PKIXCMP_E_RECEIVED_ERROR, "PKIXCMP_E_RECEIVED_ERROR", "the server answered with an error message"},
    {PKIXCMP_E_REQUEST_REJECTED, "PKIXCMP_E_REQUEST_REJECTED", "the server rejected the request (PKIStatus rejection)"},
    {PKIXCMP_E_UNEXPECTED_BODY, "PKIXCMP_E_UNEXPECTED_BODY", "a message of a type not expected here"},
    {PKIXCMP_E_TOTAL_TIMEOUT, "PKIXCMP_E_TOTAL_TIMEOUT", "the transaction took longer than the total timeout"},
    {PKIXCMP_E_CERT_REJECTED, "PKIXCMP_E_CERT_REJECTED", "we rejected the newly issued certificate"},
    {PKIXCMP_E_NO_CERT, "PKIXCMP_E_NO_CERT", "a positive response without a certificate"},
    {PKIXCMP_E_MISSING_PARAMETER, "PKIXCMP_E_MISSING_PARAMETER", "a setting the transaction needs is missing"},
    {PKIXCMP_E_BAD_RESPONSE, "PKIXCMP_E_BAD_RESPONSE", "response content is inconsistent or incomplete"},
    {PKIXCMP_E_TRANSFER_FAILED, "PKIXCMP_E_TRANSFER_FAILED", "the transfer callback returned no response"},
    {PKIXCMP_E_UNSUPPORTED_REQUEST, "PKIXCMP_E_UNSUPPORTED_REQUEST", "a request type the server does not handle"},
    {PKIXCMP_E_UNEXPECTED_REQUEST, "PKIXCMP_E_UNEXPECTED_REQUEST", "a message out of order in its transaction"},
    {PKIXCMP_E_UNKNOWN_CERT, "PKIXCMP_E_UNKNOWN_CERT", "the certificate named is not one the CA issued"},
    {PKIXCMP_E_CERT_REVOKED, "PKIXCMP_E_CERT_REVOKED", "the certificate named is already revoked"},
    {PKIXCMP_E_BAD_TEMPLATE, "PKIXCMP_E_BAD_TEMPLATE", "the certificate template cannot be issued"},
    {PKIXCMP_E_CA_FAILURE, "PKIXCMP_E_CA_FAILURE", "the CA backend failed to issue or answer"},
    {PKIXCMP_E_NOT_AUTHORIZED, "PKIXCMP_E_NOT_AUTHORIZED", "the requester may not do this"},
};

#define ERR_TABLE_LEN (sizeof(err_table) / sizeof(err_table[0]))

static int err_lib;
static CRYPTO_ONCE err_once = CRYPTO_ONCE_STATIC_INIT;
/* Reason strings for OpenSSL: ERR_PACK'ed codes, NULL-terminated. */
static ERR_STRING_DATA err_strings[ERR_TABLE_LEN + 2];

static void err_init(void)
{
    size_t i;

    err_lib = ERR_get_next_error_library();
    err_strings[0].error = ERR_PACK(err_lib, 0, 0);
    err_strings[0].string = "pkixcmp";
    for (i = 1; i < ERR_TABLE_LEN; i++) {
        err_strings[i].error = ERR_PACK(err_lib, 0, err_table[i].code);
        err_strings[i].string = err_table[i].text;
    }
    err_strings[i].error = 0;
    err_strings[i].string = NULL;
    ERR_load_strings(err_lib, err_strings);
}

static int err_library(void)
{
    if (!CRYPTO_THREAD_run_once(&err_once, err_init))
        return 0;
    return err_lib;
}

static const struct err_entry *err_find(int code)
{
    size_t i;

    for (i = 0; i < ERR_TABLE_LEN; i++)
        if (err_table[i].code == code)
            return &err_table[i];
    return NULL;
}

const char *pkixcmp_err_reason_string(int code)
{
    const struct err_entry *e = err_find(code);

    return e != NULL ? e->text : "unknown error code";
}

const char *pkixcmp_err_name(int code)
{
    const struct err_entry *e = err_find(code);

    return e != NULL ? e->name : "PKIXCMP_E_UNKNOWN";
}

void pxc_err_raise(const char *file, int line, const char *func, int code,
                   const char *fmt, ...)
{
    va_list ap;
    int lib = err_library();

    ERR_new();
    ERR_set_debug(file, line, func);
    va_start(ap, fmt);
    ERR_vset_error(lib, code, fmt, ap);
    va_end(ap);
}

int pkixcmp_err_peek_last(void)
{
    int lib = err_library();
    unsigned long e = ERR_peek_last_error();

    if (e == 0 || ERR_GET_LIB(e) != lib)
        return PKIXCMP_E_NONE;
    return ERR_GET_REASON(e);
}

/* Prints the newest error first: the pkixcmp error, then what caused it. */
void pkixcmp_err_print(BIO *out)
{
    enum { MAX_SHOWN = 32 };
    struct { unsigned long e; char *data; } q[MAX_SHOWN];
    const char *data;
    int flags, n = 0, i;
    unsigned long e;
    char buf[256];
    int lib = err_library();

    while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
        if (n == MAX_SHOWN) {
            OPENSSL_free(q[0].data);
            memmove(q, q + 1, sizeof(q[0]) * (MAX_SHOWN - 1));
            n--;
        }
        q[n].e = e;
        q[n].data = (data != NULL && (flags & ERR_TXT_STRING) != 0 && *data != '\0')
            ? OPENSSL_strdup(data) : NULL;
        n++;
    }
    for (i = n - 1; i >= 0; i--) {
        if (ERR_GET_LIB(q[i].e) == lib) {
            BIO_printf(out, "%s%s", i == n - 1 ? "error: " : "  caused by: ",
                       pkixcmp_err_reason_string(ERR_GET_REASON(q[i].e)));
        } else {
            ERR_error_string_n(q[i].e, buf, sizeof(buf));
            BIO_printf(out, "%s%s", i == n - 1 ? "error: " : "  caused by: ", buf);
        }
        if (q[i].data != NULL)
            BIO_printf(out, ": %s", q[i].data);
        BIO_printf(out, "\n");
        OPENSSL_free(q[i].data);
    }
}
