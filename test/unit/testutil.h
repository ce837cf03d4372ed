/* testutil.h - file helpers shared by the C unit tests. */
#ifndef PKIXCMP_TEST_TESTUTIL_H
#define PKIXCMP_TEST_TESTUTIL_H

#include <stddef.h>
#include <openssl/x509.h>

/* "$top_srcdir/dir/file" (top_srcdir from the environment, else "."), in a
 * new buffer to free(); NULL if out of memory. */
char *tu_data_path(const char *dir, const char *file);

/* The whole file in a new buffer to free() and its length in *len; NULL if
 * it cannot be read or is empty. */
unsigned char *tu_read_file(const char *path, size_t *len);

/* A certificate, private key, or one-certificate trust store from a PEM
 * file in test/certs; NULL if it cannot be read. */
X509 *tu_cert(const char *name);
EVP_PKEY *tu_key(const char *name);
X509_STORE *tu_store(const char *name);

#endif
