/*
 * srv_mock_xfer.c - pkixcmp_transfer_server() (mock.h): a client's transfer
 * callback that hands each request to a server core in the same process,
 * through DER both ways, as `openssl cmp -use_mock_srv` hands its requests
 * to its mock server (which, unlike this, passes the structures).
 * Encoding on both sides means the client and the server see exactly what
 * they would see on the wire: the protection is over re-encoded bytes, and
 * the server's input limits apply.
 */
#include <openssl/crypto.h>
#include <pkixcmp/mock.h>
#include "internal.h"

PKIXCMP_MSG *pkixcmp_transfer_server(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *srv)
{
    unsigned char *der = NULL, *rsp_der = NULL;
    size_t rsp_len = 0;
    PKIXCMP_MSG *rsp = NULL;
    int len;

    (void)ctx;
    if (srv == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "in-process transfer without a server");
        goto out;
    }
    if ((len = pkixcmp_msg_encode(req, &der)) <= 0)
        goto out;
    if (!pkixcmp_srv_process_der(srv, der, (size_t)len, &rsp_der, &rsp_len)) {
        PXC_ERR(PKIXCMP_E_TRANSFER_FAILED, "the in-process server made no response");
        goto out;
    }
    rsp = pkixcmp_msg_decode(rsp_der, rsp_len, 0);
out:
    OPENSSL_free(der);
    OPENSSL_free(rsp_der);
    return rsp;
}
