/*
 * fuzz_verify.c - libFuzzer target: decode any bytes as a PKIMessage and
 * verify its protection (MAC with a fixed secret, signature with the test
 * PKI's root as trust anchor) and its header as a request a server got.
 * Exercises the parameter parsing of PBM/PBMAC1 (bounded by the context's
 * limits), signer search and chain validation on attacker input.
 * Seeds: fuzz/corpus/fuzz_msg.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "protect_local.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A root certificate of the test PKI, so signatures reach chain checks. */
static X509_STORE *fuzz_store(void)
{
    static X509_STORE *store;
    const char *top = getenv("top_srcdir");
    char path[1024];
    BIO *in;
    X509 *root;

    if (store != NULL)
        return store;
    store = X509_STORE_new();
    snprintf(path, sizeof(path), "%s/test/certs/root.crt", top != NULL ? top : ".");
    if ((in = BIO_new_file(path, "r")) != NULL
        && (root = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
        X509_STORE_add_cert(store, root);
        X509_free(root);
    }
    BIO_free(in);
    return store;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_decode(data, size, 0);
    PKIXCMP_CTX *mac = NULL, *sig = NULL;
    X509 *signer = NULL;

    if (msg != NULL && (mac = pkixcmp_ctx_new(NULL, NULL)) != NULL
        && (sig = pkixcmp_ctx_new(NULL, NULL)) != NULL) {
        pkixcmp_ctx_set1_secret(mac, (const unsigned char *)"test1234", 8);
        /* keep each input fast: real servers set limits too */
        pkixcmp_ctx_set_option(mac, PKIXCMP_OPT_MAX_ITERATIONS, 10000);
        pkixcmp_ctx_set_option(mac, PKIXCMP_OPT_LOG_VERBOSITY, 0);
        pkixcmp_ctx_set1_trusted(sig, fuzz_store());
        pkixcmp_ctx_set_option(sig, PKIXCMP_OPT_PERMIT_TA_IN_EXTRACERTS_FOR_IR, 1);
        pkixcmp_ctx_set_option(sig, PKIXCMP_OPT_LOG_VERBOSITY, 0);
        (void)pkixcmp_msg_verify(mac, msg, NULL);
        if (pkixcmp_msg_verify(sig, msg, &signer))
            X509_free(signer);
        /* the outcome does not matter here, only that nothing breaks */
        if (!pxc_hdr_check_request(mac, msg) || !pxc_hdr_check_response(mac, msg, msg))
            ERR_clear_error();
    }
    pkixcmp_ctx_free(mac);
    pkixcmp_ctx_free(sig);
    pkixcmp_msg_free(msg);
    ERR_clear_error();
    return 0;
}
