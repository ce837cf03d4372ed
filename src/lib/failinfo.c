/*
 * failinfo.c - which PKIFailureInfo bit a server sends for a request it
 * refused with a pkixcmp error code.
 *
 * RFC 9810 section 5.2.3:
 *   PKIFailureInfo ::= BIT STRING { badAlg (0), badMessageCheck (1),
 *      badRequest (2), badTime (3), badCertId (4), badDataFormat (5),
 *      wrongAuthority (6), incorrectData (7), missingTimeStamp (8),
 *      badPOP (9), certRevoked (10), certConfirmed (11),
 *      wrongIntegrity (12), badRecipientNonce (13), timeNotAvailable (14),
 *      unacceptedPolicy (15), unacceptedExtension (16),
 *      addInfoNotAvailable (17), badSenderNonce (18), badCertTemplate (19),
 *      signerNotTrusted (20), transactionIdInUse (21),
 *      unsupportedVersion (22), notAuthorized (23), systemUnavail (24),
 *      systemFailure (25), duplicateCertReq (26) }
 */
#include "internal.h"
#include <pkixcmp/protect.h>

/* The bits named in RFC 9810 section 5.2.3 that the table uses. */
enum {
    FI_BAD_ALG = 0,
    FI_BAD_MESSAGE_CHECK = 1,
    FI_BAD_REQUEST = 2,
    FI_BAD_TIME = 3,
    FI_BAD_CERT_ID = 4,
    FI_BAD_DATA_FORMAT = 5,
    FI_WRONG_AUTHORITY = 6,
    FI_BAD_POP = 9,
    FI_CERT_REVOKED = 10,
    FI_WRONG_INTEGRITY = 12,
    FI_BAD_RECIPIENT_NONCE = 13,
    FI_BAD_SENDER_NONCE = 18,
    FI_BAD_CERT_TEMPLATE = 19,
    FI_SIGNER_NOT_TRUSTED = 20,
    FI_TRANSACTION_ID_IN_USE = 21,
    FI_UNSUPPORTED_VERSION = 22,
    FI_SYSTEM_UNAVAIL = 24,
    FI_NOT_AUTHORIZED = 23,
    FI_SYSTEM_FAILURE = 25
};

struct failinfo_row {
    int first, last; /* a range of pkixcmp error codes, inclusive */
    int bit;
};

/*
 * Codes not listed get badRequest, "transaction not permitted or
 * supported": the catch-all for a request the server will not handle.
 * That includes PKIXCMP_E_WRONG_TRANSACTIONID: no bit names an unknown
 * transaction, and transactionIdInUse means the opposite (a *new*
 * transaction whose ID is taken).
 */
static const struct failinfo_row failinfo_table[] = {
    /* our own trouble, not the client's */
    {PKIXCMP_E_MALLOC, PKIXCMP_E_MALLOC, FI_SYSTEM_FAILURE},
    {PKIXCMP_E_INTERNAL, PKIXCMP_E_IO, FI_SYSTEM_FAILURE},
    /* "badDataFormat: the data submitted has the wrong format" */
    {PKIXCMP_E_BAD_INPUT_FORMAT, PKIXCMP_E_BAD_INPUT_FORMAT, FI_BAD_DATA_FORMAT},
    {PKIXCMP_E_DER_TOO_LARGE, PKIXCMP_E_ASN1_DECODE, FI_BAD_DATA_FORMAT},
    /* encoding fails only for structures we build: a server fault */
    {PKIXCMP_E_ASN1_ENCODE, PKIXCMP_E_ASN1_ENCODE, FI_SYSTEM_FAILURE},
    {PKIXCMP_E_ITAV_VALUE, PKIXCMP_E_ITAV_VALUE, FI_BAD_DATA_FORMAT},
    /* a request leads here only when no secret or key is configured to
     * check its protection with: the message cannot be checked */
    {PKIXCMP_E_NO_CREDENTIALS, PKIXCMP_E_NO_CREDENTIALS, FI_BAD_MESSAGE_CHECK},
    /* "badMessageCheck: integrity check failed (e.g., signature did not
     * verify)"; a missing protection fails the check as well */
    {PKIXCMP_E_UNPROTECTED, PKIXCMP_E_BAD_SIGNATURE, FI_BAD_MESSAGE_CHECK},
    /* "badAlg: unrecognized or unsupported algorithm identifier" */
    {PKIXCMP_E_UNKNOWN_ALGORITHM, PKIXCMP_E_DISALLOWED_ALGORITHM, FI_BAD_ALG},
    /* An iteration count or salt above our limits is refused before the
     * MAC is computed, so the integrity could not be checked: that is
     * badMessageCheck too. badRequest would blame the request body, but
     * these parameters belong to the protection. */
    {PKIXCMP_E_ITERATION_COUNT_TOO_HIGH, PKIXCMP_E_BAD_PROTECTION_PARAMS,
     FI_BAD_MESSAGE_CHECK},
    /* "signerNotTrusted: not trusted or the cert was not issued by ..." */
    {PKIXCMP_E_NO_SIGNER, PKIXCMP_E_SIGNER_EKU, FI_SIGNER_NOT_TRUSTED},
    {PKIXCMP_E_WRONG_PVNO, PKIXCMP_E_WRONG_PVNO, FI_UNSUPPORTED_VERSION},
    {PKIXCMP_E_WRONG_RECIPNONCE, PKIXCMP_E_WRONG_RECIPNONCE, FI_BAD_RECIPIENT_NONCE},
    /* "badSenderNonce: not valid sender nonce, either missing or wrong
     * size"; a replayed one is not valid either */
    {PKIXCMP_E_MISSING_SENDERNONCE, PKIXCMP_E_MISSING_SENDERNONCE, FI_BAD_SENDER_NONCE},
    {PKIXCMP_E_SENDER_MISMATCH, PKIXCMP_E_SENDER_MISMATCH, FI_WRONG_AUTHORITY},
    /* "badTime: messageTime was not sufficiently close to the system time,
     * as defined by local policy" */
    {PKIXCMP_E_MESSAGE_TIME, PKIXCMP_E_MESSAGE_TIME, FI_BAD_TIME},
    {PKIXCMP_E_NONCE_REPLAY, PKIXCMP_E_NONCE_REPLAY, FI_BAD_SENDER_NONCE},
    {PKIXCMP_E_TRANSACTIONID_IN_USE, PKIXCMP_E_TRANSACTIONID_IN_USE,
     FI_TRANSACTION_ID_IN_USE},
    /* creating our own protection failed */
    {PKIXCMP_E_SIGN_FAILED, PKIXCMP_E_SIGN_FAILED, FI_SYSTEM_FAILURE},
    /* "wrongIntegrity: not valid integrity, i.e., signature instead of MAC
     * or vice versa" */
    {PKIXCMP_E_WRONG_INTEGRITY, PKIXCMP_E_WRONG_INTEGRITY, FI_WRONG_INTEGRITY},
    /* "systemUnavail: the request cannot be handled due to system
     * unavailability": no room for another transaction now */
    {PKIXCMP_E_SERVER_BUSY, PKIXCMP_E_SERVER_BUSY, FI_SYSTEM_UNAVAIL},
    /* "badPOP: the proof-of-possession failed" */
    {PKIXCMP_E_BAD_POP, PKIXCMP_E_BAD_POP, FI_BAD_POP},
    /* "badCertId: no certificate could be found matching the provided
     * criteria": the confirmation names another certificate */
    {PKIXCMP_E_WRONG_CERTHASH, PKIXCMP_E_WRONG_CERTREQID, FI_BAD_CERT_ID},
    /* rr or kur naming a certificate the CA does not know */
    {PKIXCMP_E_UNKNOWN_CERT, PKIXCMP_E_UNKNOWN_CERT, FI_BAD_CERT_ID},
    /* "certRevoked: the certificate has already been revoked" */
    {PKIXCMP_E_CERT_REVOKED, PKIXCMP_E_CERT_REVOKED, FI_CERT_REVOKED},
    /* "badCertTemplate: the requested certificate template is invalid" */
    {PKIXCMP_E_BAD_TEMPLATE, PKIXCMP_E_BAD_TEMPLATE, FI_BAD_CERT_TEMPLATE},
    {PKIXCMP_E_CA_FAILURE, PKIXCMP_E_CA_FAILURE, FI_SYSTEM_FAILURE},
    /* "notAuthorized: the sender was not authorized to make the preceding
     * request or perform the preceding action" */
    {PKIXCMP_E_NOT_AUTHORIZED, PKIXCMP_E_NOT_AUTHORIZED, FI_NOT_AUTHORIZED},
};

int pkixcmp_err_failinfo_bit(int code)
{
    int bit = FI_BAD_REQUEST;
    size_t i;

    for (i = 0; i < PXC_NELEM(failinfo_table); i++) {
        if (code >= failinfo_table[i].first && code <= failinfo_table[i].last) {
            bit = failinfo_table[i].bit;
            break;
        }
    }
    return bit;
}
