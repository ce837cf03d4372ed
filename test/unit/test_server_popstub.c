/*
 * test_server_popstub.c - a stand-in for pxc_certreq_check_pop() (branch
 * certreq) so that test_server links before that branch is merged. It keeps
 * the contract of certreq.h for what the server tests use: a signature POP
 * over the DER of certReq (or of poposkInput, whose MAC is not checked)
 * verifies with the template's key; raVerified only
 * if accepted; anything else is PKIXCMP_E_BAD_POP. Not part of the library;
 * delete it (and its line in mk/server.am) when certreq lands.
 */
#include "certreq.h"

int pxc_certreq_check_pop(const PKIXCMP_CTX *ctx, const PKIXCMP_CertReqMsg *crm,
                          int accept_raverified)
{
    const PKIXCMP_ProofOfPossession *pop = crm->popo;
    const PKIXCMP_POPOSigningKey *sk;
    EVP_PKEY *key;

    if (pop != NULL && pop->type == PKIXCMP_POP_RAVERIFIED && accept_raverified)
        return 1;
    if (pop == NULL || pop->type != PKIXCMP_POP_SIGNATURE) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "stub: POP absent or not a signature");
        return 0;
    }
    sk = pop->value.signature;
    key = crm->certReq->certTemplate->publicKey != NULL
        ? X509_PUBKEY_get0(crm->certReq->certTemplate->publicKey) : NULL;
    if (key == NULL
        || (sk->poposkInput == NULL
            && ASN1_item_verify_ex(ASN1_ITEM_rptr(PKIXCMP_CertRequest), sk->algorithmIdentifier,
                                   sk->signature, crm->certReq, NULL, key, ctx->libctx,
                                   ctx->propq) <= 0)
        || (sk->poposkInput != NULL
            && ASN1_item_verify_ex(ASN1_ITEM_rptr(PKIXCMP_POPOSigningKeyInput),
                                   sk->algorithmIdentifier, sk->signature, sk->poposkInput,
                                   NULL, key, ctx->libctx, ctx->propq) <= 0)) {
        PXC_ERR(PKIXCMP_E_BAD_POP, "stub: signature POP does not verify");
        return 0;
    }
    return 1;
}
