/*
 * msg_hdr.c - public access to the header fields that tie a message to its
 * transaction (RFC 9810 5.1.1): transactionID, senderNonce, recipNonce.
 * Used by tools that replay or substitute messages (-reqin, -rspin).
 */
#include "asn1_types.h"
#include "internal.h"

const ASN1_OCTET_STRING *pkixcmp_msg_get0_transaction_id(const PKIXCMP_MSG *msg)
{
    return msg->header->transactionID;
}

const ASN1_OCTET_STRING *pkixcmp_msg_get0_sender_nonce(const PKIXCMP_MSG *msg)
{
    return msg->header->senderNonce;
}

const ASN1_OCTET_STRING *pkixcmp_msg_get0_recip_nonce(const PKIXCMP_MSG *msg)
{
    return msg->header->recipNonce;
}

static int set1(ASN1_OCTET_STRING **field, const ASN1_OCTET_STRING *v, const char *what)
{
    ASN1_OCTET_STRING *dup = NULL;

    if (v != NULL && (dup = ASN1_OCTET_STRING_dup(v)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%s", what);
        return 0;
    }
    ASN1_OCTET_STRING_free(*field);
    *field = dup;
    return 1;
}

int pkixcmp_msg_set1_transaction_id(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v)
{
    return set1(&msg->header->transactionID, v, "transactionID");
}

int pkixcmp_msg_set1_sender_nonce(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v)
{
    return set1(&msg->header->senderNonce, v, "senderNonce");
}

int pkixcmp_msg_set1_recip_nonce(PKIXCMP_MSG *msg, const ASN1_OCTET_STRING *v)
{
    return set1(&msg->header->recipNonce, v, "recipNonce");
}
