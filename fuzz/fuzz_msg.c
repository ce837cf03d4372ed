/*
 * fuzz_msg.c - libFuzzer target: decode any bytes as a PKIMessage and, when
 * that succeeds, re-encode (must give the same bytes) and print as text and
 * JSON. Seeds: fuzz/corpus/fuzz_msg (copies of the test/data fixtures).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <pkixcmp/pkixcmp.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_decode(data, size, 0);
    unsigned char *enc = NULL;
    BIO *out;
    int n;

    if (msg != NULL) {
        n = pkixcmp_msg_encode(msg, &enc);
        if (n < 0 || (size_t)n != size || memcmp(enc, data, size) != 0)
            abort(); /* a decoded message must re-encode to its input */
        out = BIO_new(BIO_s_null());
        pkixcmp_msg_print(out, msg, PKIXCMP_PRINT_TEXT);
        pkixcmp_msg_print(out, msg, PKIXCMP_PRINT_JSON);
        BIO_free(out);
        OPENSSL_free(enc);
        pkixcmp_msg_free(msg);
    }
    ERR_clear_error();
    return 0;
}
