/* test_err.c - the error table is complete and errors reach the queue. */
#include <openssl/err.h>
#include "internal.h"
#include "tap.h"

int main(void)
{
    int code;

    for (code = 0; code < PKIXCMP_E_MAX_; code++) {
        const char *name = pkixcmp_err_name(code);
        /* gaps in the numbering are allowed; a listed code needs both texts */
        if (strcmp(name, "PKIXCMP_E_UNKNOWN") == 0)
            continue;
        ok(strncmp(name, "PKIXCMP_E_", 10) == 0, "code %d has a name (%s)", code, name);
        ok(strcmp(pkixcmp_err_reason_string(code), "unknown error code") != 0,
           "code %d has a reason string", code);
    }
    is_str(pkixcmp_err_name(PKIXCMP_E_DER_TRAILING_DATA), "PKIXCMP_E_DER_TRAILING_DATA",
           "name of trailing data");

    ERR_clear_error();
    is_int(pkixcmp_err_peek_last(), PKIXCMP_E_NONE, "empty queue has no pkixcmp error");
    PXC_ERR(PKIXCMP_E_DER_TRUNCATED, "PKIMessage: length at offset %d runs past the end", 7);
    is_int(pkixcmp_err_peek_last(), PKIXCMP_E_DER_TRUNCATED, "raised error is on the queue");
    {
        BIO *mem = BIO_new(BIO_s_mem());
        char *p = NULL;
        long n;

        pkixcmp_err_print(mem);
        n = BIO_get_mem_data(mem, &p);
        ok(n > 0 && strstr(p, "DER truncated: PKIMessage: length at offset 7") != NULL,
           "printed error carries reason and detail");
        BIO_free(mem);
    }
    is_int(pkixcmp_err_peek_last(), PKIXCMP_E_NONE, "printing clears the queue");
    return tap_done();
}
