/*
 * rsp_build.c - bodies of server responses (RFC 9810 section 5.3).
 */
#include <string.h>
#include "hdr_build.h"
#include "rsp_build.h"

/* A copy of si, or a new "accepted" PKIStatusInfo if si is NULL. */
static PKIXCMP_PKIStatusInfo *status_copy(const PKIXCMP_PKIStatusInfo *si)
{
    PKIXCMP_PKIStatusInfo *ret;

    if (si == NULL)
        return pxc_statusinfo_new(PXC_STATUS_ACCEPTED, 0, NULL);
    ret = (PKIXCMP_PKIStatusInfo *)ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo), si);
    if (ret == NULL)
        PXC_ERR(PKIXCMP_E_MALLOC, "copy of a PKIStatusInfo");
    return ret;
}

/* A new PKIFreeText with the one string text. */
static PKIXCMP_PKIFreeText *free_text_new(const char *text)
{
    PKIXCMP_PKIFreeText *ft = sk_ASN1_UTF8STRING_new_null();
    ASN1_UTF8STRING *s = ASN1_UTF8STRING_new();

    if (ft == NULL || s == NULL || strlen(text) > INT32_MAX
        || !ASN1_STRING_set(s, text, (int)strlen(text)) || !sk_ASN1_UTF8STRING_push(ft, s)) {
        ASN1_UTF8STRING_free(s);
        sk_ASN1_UTF8STRING_pop_free(ft, ASN1_UTF8STRING_free);
        PXC_ERR(PKIXCMP_E_MALLOC, "PKIFreeText");
        return NULL;
    }
    return ft;
}

/*
 * RFC 9810 5.3.4:
 *   CertRepMessage ::= SEQUENCE { caPubs [1] SEQUENCE SIZE (1..MAX) OF
 *       CMPCertificate OPTIONAL, response SEQUENCE OF CertResponse }
 *   CertResponse ::= SEQUENCE { certReqId INTEGER, status PKIStatusInfo,
 *       certifiedKeyPair CertifiedKeyPair OPTIONAL, rspInfo OCTET STRING OPTIONAL }
 */
PKIXCMP_CertRepMessage *pxc_certrep_new(long cert_req_id, const PKIXCMP_PKIStatusInfo *si,
                                        X509 *cert, const STACK_OF(X509) *ca_pubs)
{
    PKIXCMP_CertRepMessage *crm = NULL, *ret = NULL;
    PKIXCMP_CertResponse *cr = NULL;
    PKIXCMP_CertifiedKeyPair *ckp = NULL;

    crm = (PKIXCMP_CertRepMessage *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertRepMessage));
    cr = (PKIXCMP_CertResponse *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertResponse));
    if (crm == NULL || cr == NULL || !ASN1_INTEGER_set(cr->certReqId, cert_req_id))
        goto malloc_fail;
    ASN1_item_free((ASN1_VALUE *)cr->status, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    if ((cr->status = status_copy(si)) == NULL)
        goto out;
    if (cert != NULL) {
        ckp = (PKIXCMP_CertifiedKeyPair *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertifiedKeyPair));
        if (ckp == NULL || !X509_up_ref(cert))
            goto malloc_fail;
        ckp->certOrEncCert->type = PKIXCMP_CERTORENCCERT_CERTIFICATE;
        ckp->certOrEncCert->value.certificate = cert;
        cr->certifiedKeyPair = ckp;
        ckp = NULL; /* transferred */
    }
    if (sk_X509_num(ca_pubs) > 0
        && (crm->caPubs = X509_chain_up_ref((STACK_OF(X509) *)ca_pubs)) == NULL)
        goto malloc_fail;
    if (!sk_PKIXCMP_CertResponse_push(crm->response, cr))
        goto malloc_fail;
    cr = NULL; /* transferred */
    ret = crm;
    crm = NULL;
    goto out;
malloc_fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "building a CertRepMessage");
out:
    ASN1_item_free((ASN1_VALUE *)ckp, ASN1_ITEM_rptr(PKIXCMP_CertifiedKeyPair));
    ASN1_item_free((ASN1_VALUE *)cr, ASN1_ITEM_rptr(PKIXCMP_CertResponse));
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertRepMessage));
    return ret;
}

/*
 * RFC 9810 5.3.4:
 *   CertifiedKeyPair ::= SEQUENCE { certOrEncCert CertOrEncCert,
 *       privateKey [0] EncryptedKey OPTIONAL, publicationInfo [1] ... }
 *   CertOrEncCert ::= CHOICE { certificate [0] CMPCertificate,
 *       encryptedCert [1] EncryptedKey }
 */
int pxc_certrep_set0_encrypted(PKIXCMP_CertRepMessage *crm, PKIXCMP_EncryptedKey *enc_cert,
                               PKIXCMP_EncryptedKey *priv)
{
    const ASN1_ITEM *ek_it = ASN1_ITEM_rptr(PKIXCMP_EncryptedKey);
    PKIXCMP_CertResponse *cr = sk_PKIXCMP_CertResponse_value(crm->response, 0);
    PKIXCMP_CertifiedKeyPair *ckp = cr != NULL ? cr->certifiedKeyPair : NULL;
    PKIXCMP_CertOrEncCert *coe = NULL;

    if (ckp == NULL) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "encrypted values for a CertResponse without certificate");
        goto fail;
    }
    if (enc_cert != NULL) {
        coe = (PKIXCMP_CertOrEncCert *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
        if (coe == NULL) {
            PXC_ERR(PKIXCMP_E_MALLOC, "CertOrEncCert");
            goto fail;
        }
        coe->type = PKIXCMP_CERTORENCCERT_ENCRYPTEDCERT;
        coe->value.encryptedCert = enc_cert;
        ASN1_item_free((ASN1_VALUE *)ckp->certOrEncCert, ASN1_ITEM_rptr(PKIXCMP_CertOrEncCert));
        ckp->certOrEncCert = coe; /* transferred, with enc_cert */
    }
    if (priv != NULL) {
        ASN1_item_free((ASN1_VALUE *)ckp->privateKey, ek_it);
        ckp->privateKey = priv; /* transferred */
    }
    return 1;
fail:
    ASN1_item_free((ASN1_VALUE *)enc_cert, ek_it);
    ASN1_item_free((ASN1_VALUE *)priv, ek_it);
    return 0;
}

/* CertId ::= SEQUENCE { issuer GeneralName, serialNumber INTEGER } */
static PKIXCMP_CertId *certid_new(const X509_NAME *issuer, const ASN1_INTEGER *serial)
{
    PKIXCMP_CertId *id = (PKIXCMP_CertId *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertId));
    X509_NAME *name = X509_NAME_dup(issuer);
    ASN1_INTEGER *sn = ASN1_INTEGER_dup(serial);

    if (id == NULL || name == NULL || sn == NULL) {
        X509_NAME_free(name);
        ASN1_INTEGER_free(sn);
        ASN1_item_free((ASN1_VALUE *)id, ASN1_ITEM_rptr(PKIXCMP_CertId));
        PXC_ERR(PKIXCMP_E_MALLOC, "CertId");
        return NULL;
    }
    GENERAL_NAME_set0_value(id->issuer, GEN_DIRNAME, name);
    ASN1_INTEGER_free(id->serialNumber);
    id->serialNumber = sn;
    return id;
}

/*
 * RFC 9810 5.3.10:
 *   RevRepContent ::= SEQUENCE { status SEQUENCE SIZE (1..MAX) OF
 *       PKIStatusInfo, revCerts [0] SEQUENCE SIZE (1..MAX) OF CertId
 *       OPTIONAL, crls [1] ... OPTIONAL }
 */
PKIXCMP_RevRepContent *pxc_revrep_new(const PKIXCMP_PKIStatusInfo *si, const X509_NAME *issuer,
                                      const ASN1_INTEGER *serial)
{
    PKIXCMP_RevRepContent *rp = NULL, *ret = NULL;
    PKIXCMP_PKIStatusInfo *st = NULL;
    PKIXCMP_CertId *id = NULL;

    if ((rp = (PKIXCMP_RevRepContent *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_RevRepContent))) == NULL)
        goto malloc_fail;
    if ((st = status_copy(si)) == NULL)
        goto out;
    if (!sk_PKIXCMP_PKIStatusInfo_push(rp->status, st))
        goto malloc_fail;
    st = NULL; /* transferred */
    if (issuer != NULL && serial != NULL) {
        if ((id = certid_new(issuer, serial)) == NULL)
            goto out;
        if ((rp->revCerts = sk_PKIXCMP_CertId_new_null()) == NULL
            || !sk_PKIXCMP_CertId_push(rp->revCerts, id))
            goto malloc_fail;
        id = NULL; /* transferred */
    }
    ret = rp;
    rp = NULL;
    goto out;
malloc_fail:
    PXC_ERR(PKIXCMP_E_MALLOC, "building a RevRepContent");
out:
    ASN1_item_free((ASN1_VALUE *)id, ASN1_ITEM_rptr(PKIXCMP_CertId));
    ASN1_item_free((ASN1_VALUE *)st, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    ASN1_item_free((ASN1_VALUE *)rp, ASN1_ITEM_rptr(PKIXCMP_RevRepContent));
    return ret;
}

/*
 * RFC 9810 5.3.21:
 *   ErrorMsgContent ::= SEQUENCE { pKIStatusInfo PKIStatusInfo,
 *       errorCode INTEGER OPTIONAL, errorDetails PKIFreeText OPTIONAL }
 */
PKIXCMP_ErrorMsgContent *pxc_errormsg_new(const PKIXCMP_PKIStatusInfo *si, long error_code,
                                          const char *details)
{
    PKIXCMP_ErrorMsgContent *em = NULL, *ret = NULL;

    em = (PKIXCMP_ErrorMsgContent *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_ErrorMsgContent));
    if (em == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "building an ErrorMsgContent");
        goto out;
    }
    ASN1_item_free((ASN1_VALUE *)em->pKIStatusInfo, ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo));
    if ((em->pKIStatusInfo = status_copy(si)) == NULL)
        goto out;
    if (error_code >= 0
        && ((em->errorCode = ASN1_INTEGER_new()) == NULL
            || !ASN1_INTEGER_set(em->errorCode, error_code))) {
        PXC_ERR(PKIXCMP_E_MALLOC, "errorCode");
        goto out;
    }
    if (details != NULL && (em->errorDetails = free_text_new(details)) == NULL)
        goto out;
    ret = em;
    em = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)em, ASN1_ITEM_rptr(PKIXCMP_ErrorMsgContent));
    return ret;
}

/*
 * RFC 9810 5.3.22:
 *   PollRepContent ::= SEQUENCE OF SEQUENCE { certReqId INTEGER,
 *       checkAfter INTEGER, -- time in seconds
 *       reason PKIFreeText OPTIONAL }
 */
PKIXCMP_PollRepContent *pxc_pollrep_new(long cert_req_id, long check_after, const char *reason)
{
    PKIXCMP_PollRepContent *prc = NULL, *ret = NULL;
    PKIXCMP_PollRep *pr = NULL;

    prc = sk_PKIXCMP_PollRep_new_null();
    pr = (PKIXCMP_PollRep *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PollRep));
    if (prc == NULL || pr == NULL || !ASN1_INTEGER_set(pr->certReqId, cert_req_id)
        || !ASN1_INTEGER_set(pr->checkAfter, check_after < 0 ? 0 : check_after)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "building a PollRepContent");
        goto out;
    }
    if (reason != NULL && (pr->reason = free_text_new(reason)) == NULL)
        goto out;
    if (!sk_PKIXCMP_PollRep_push(prc, pr)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "building a PollRepContent");
        goto out;
    }
    pr = NULL; /* transferred */
    ret = prc;
    prc = NULL;
out:
    ASN1_item_free((ASN1_VALUE *)pr, ASN1_ITEM_rptr(PKIXCMP_PollRep));
    ASN1_item_free((ASN1_VALUE *)prc, ASN1_ITEM_rptr(PKIXCMP_PollRepContent));
    return ret;
}

int pxc_rsp_status(const PKIXCMP_MSG *msg)
{
    const PKIXCMP_PKIBody *b = msg->body;
    const PKIXCMP_PKIStatusInfo *si = NULL;

    switch (b->type) {
    case PKIXCMP_BODY_IP:
    case PKIXCMP_BODY_CP:
    case PKIXCMP_BODY_KUP:
    case PKIXCMP_BODY_CCP:
        if (b->value.ip != NULL && sk_PKIXCMP_CertResponse_num(b->value.ip->response) > 0)
            si = sk_PKIXCMP_CertResponse_value(b->value.ip->response, 0)->status;
        break;
    case PKIXCMP_BODY_RP:
        if (b->value.rp != NULL && sk_PKIXCMP_PKIStatusInfo_num(b->value.rp->status) > 0)
            si = sk_PKIXCMP_PKIStatusInfo_value(b->value.rp->status, 0);
        break;
    case PKIXCMP_BODY_ERROR:
        if (b->value.error != NULL)
            si = b->value.error->pKIStatusInfo;
        break;
    default:
        break;
    }
    return pxc_statusinfo_status(si);
}
