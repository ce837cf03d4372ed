/*
 * server.h - the CMP server core (RFC 9810 section 5.3, RFC 9483 section 5):
 * a request PKIMessage in, its response out, with no sockets. It checks each
 * request (protection, header, transaction, proof of possession), keeps the
 * state of open transactions (certConf, polling), and leaves the decisions
 * of the CA (issue, revoke, answer a genm) to a backend.
 *
 * Thread safety: once configured, one server context may process requests
 * from several threads at once (pkixcmp_srv_process(), _process_der()); the
 * setters must not run concurrently with them.
 */
#ifndef PKIXCMP_SERVER_H
#define PKIXCMP_SERVER_H

#include <stddef.h>
#include <pkixcmp/ctx.h>
#include <pkixcmp/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pkixcmp_srv_ctx_st PKIXCMP_SRV_CTX;

/* A new server context using libctx (may be NULL: the default) and the
 * property query propq (may be NULL), without a backend: every request is
 * answered with an error until one is set. */
PKIXCMP_SRV_CTX *pkixcmp_srv_ctx_new(OSSL_LIB_CTX *libctx, const char *propq);

/* Frees srv with its open transactions; NULL is a no-op. */
void pkixcmp_srv_ctx_free(PKIXCMP_SRV_CTX *srv);

/*
 * The server's own CMP context (borrowed): its secret and reference
 * (-srv_secret, -srv_ref) verify and make MACs, its certificate, key and
 * untrusted certificates (-srv_cert, -srv_key, -srv_untrusted) sign
 * responses, its trust store (-srv_trusted) validates signed requests; its
 * clock, log callback and verification options apply to the server too.
 */
PKIXCMP_CTX *pkixcmp_srv_ctx_get0_cmp_ctx(PKIXCMP_SRV_CTX *srv);

/* The sender name of MAC-protected and unprotected responses; NULL (the
 * default) means the subject of the server's certificate if it has one,
 * else the NULL-DN. Signed responses always name the certificate's subject. */
int pkixcmp_srv_ctx_set1_sender(PKIXCMP_SRV_CTX *srv, const X509_NAME *name);

/* Policy and limits of the server (integers; flags are 0 or 1). */
typedef enum {
    /* Accept requests without protection or whose protection does not
     * verify, with a warning (-accept_unprotected) */
    PKIXCMP_SRV_OPT_ACCEPT_UNPROTECTED,
    /* Accept error messages from clients that are unprotected or badly
     * protected (-accept_unprot_err) */
    PKIXCMP_SRV_OPT_ACCEPT_UNPROT_ERR,
    /* Accept the proof of possession raVerified (-accept_raverified) */
    PKIXCMP_SRV_OPT_ACCEPT_RAVERIFIED,
    /* Grant implicit confirmation when a request asks for it
     * (-grant_implicitconf) */
    PKIXCMP_SRV_OPT_GRANT_IMPLICIT_CONFIRM,
    /* Send all responses unprotected (-send_unprotected) */
    PKIXCMP_SRV_OPT_SEND_UNPROTECTED,
    /* Send negative responses (error, rejection) unprotected
     * (-send_unprot_err) */
    PKIXCMP_SRV_OPT_SEND_UNPROT_ERR,
    /* Open transactions kept at most (1 .. 2^20, default 4096) and the
     * seconds one stays open after its last message (> 0, default 300).
     * Setting either drops all open transactions. */
    PKIXCMP_SRV_OPT_TXN_MAX,
    PKIXCMP_SRV_OPT_TXN_TTL,
    /* Largest DER request pkixcmp_srv_process_der() decodes (> 0, default
     * PKIXCMP_DEFAULT_MAX_MSG_SIZE) */
    PKIXCMP_SRV_OPT_MAX_MSG_SIZE
} pkixcmp_srv_opt;

/* Sets or gets a server option; set returns 0 for an invalid value, get
 * returns -1 for an unknown option. */
int pkixcmp_srv_ctx_set_option(PKIXCMP_SRV_CTX *srv, pkixcmp_srv_opt opt, long value);
long pkixcmp_srv_ctx_get_option(const PKIXCMP_SRV_CTX *srv, pkixcmp_srv_opt opt);

/*
 * The response to req (caller frees). Every request that is refused gets an
 * error message: status rejection, the failInfo bit of the pkixcmp error
 * that refused it (pkixcmp_err_failinfo_bit()), that error's text as
 * statusString and its code as errorCode, protected like other responses
 * unless the policy says otherwise. NULL only if not even that could be
 * built (out of memory), with the error on the queue. The errors of a
 * refused request do not stay on the caller's error queue; they are logged
 * through the CMP context at level warning.
 */
PKIXCMP_MSG *pkixcmp_srv_process(PKIXCMP_SRV_CTX *srv, const PKIXCMP_MSG *req);

/*
 * Decodes the DER request req of len bytes (refusing more than the
 * PKIXCMP_SRV_OPT_MAX_MSG_SIZE limit), processes it as
 * pkixcmp_srv_process() and encodes the response into a new buffer *rsp
 * (free with OPENSSL_free()) of *rsp_len bytes. Input that does not decode
 * is answered with an error message (badDataFormat) in a new transaction.
 * Returns 0, with *rsp NULL, only if no response could be made.
 */
int pkixcmp_srv_process_der(PKIXCMP_SRV_CTX *srv, const unsigned char *req, size_t len,
                            unsigned char **rsp, size_t *rsp_len);

#ifdef __cplusplus
}
#endif
#endif
