/*
 * test_mock.h - what the mock server tests (test_mock.c, test_mock_faults.c)
 * share: a server with the mock CA of the test PKI, clients that reach it
 * through the in-process transfer, a fake clock.
 *
 * Test PKI (test/certs): server.crt/server.key sign the server's
 * responses, interm.crt/interm.key is the issuing CA, root.crt the trust
 * anchor of both sides; MAC secret test1234 with reference 4711.
 */
#ifndef PKIXCMP_TEST_MOCK_H
#define PKIXCMP_TEST_MOCK_H

#include <pkixcmp/pkixcmp.h>
#include <pkixcmp/mock.h>

/* The fake clock (starts at the real time, so the test PKI is valid) and
 * the sleep that advances it. */
extern time_t tm_now;
time_t tm_clock(void *arg);
void tm_sleep(void *arg, long secs);

/* The certificates of the test PKI, loaded by tm_init(). */
struct tm_pki {
    X509 *root, *interm, *server, *client;
    EVP_PKEY *interm_key, *server_key, *client_key;
};
extern struct tm_pki tm_pki;
int tm_init(void);
void tm_cleanup(void);

/* A server (MAC and signature credentials, trust in root.crt, interm.crt
 * untrusted) with a new mock issuing with interm, attached; *mock gets it. */
PKIXCMP_SRV_CTX *tm_srv_new(PKIXCMP_MOCK **mock);
void tm_srv_free(PKIXCMP_SRV_CTX *srv, PKIXCMP_MOCK *mock);

/* The client's transfer: pkixcmp_transfer_server() to srv, counting the
 * messages and noting their body types. */
struct tm_link {
    PKIXCMP_SRV_CTX *srv;
    int n;
    int types[16];
};
PKIXCMP_MSG *tm_transfer(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg);

/* A client linked to link->srv (link NULL: none) with the fake clock,
 * asking for CN=cn (NULL: no subject) with newkey (may be NULL):
 * MAC-protected, or signed with cert/key (recipient: server.crt's
 * subject, which the client expects as the responses' sender). */
PKIXCMP_CTX *tm_cli_mac(struct tm_link *link, EVP_PKEY *newkey, const char *cn);
PKIXCMP_CTX *tm_cli_sig(struct tm_link *link, X509 *cert, EVP_PKEY *key, EVP_PKEY *newkey,
                        const char *cn);

/* A fresh EC P-256 key; the name C=DE, O=pkixcmp test, CN=cn. */
EVP_PKEY *tm_newkey(void);
X509_NAME *tm_name(const char *cn);

/* 1 if cert is a certificate interm really issued for CN=cn and key:
 * subject, issuer, public key, signature and chain to root. */
int tm_issued(const X509 *cert, const char *cn, const EVP_PKEY *key);

/* The newest pkixcmp error code, and the queue cleared. */
int tm_last_error(void);

#endif
