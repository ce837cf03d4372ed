/*
 * client.h - CMP client transactions (RFC 9810 section 5.3, RFC 9483
 * section 4): what a transaction needs beyond the context's credentials,
 * the transfer callback, the transactions themselves and their results.
 *
 * Each pkixcmp_exec_*() runs one whole transaction (request, polling,
 * certConf/pkiConf) and returns 1 on success, 0 with errors on OpenSSL's
 * error queue. Results of the last transaction stay in the context until
 * the next one starts.
 */
#ifndef PKIXCMP_CLIENT_H
#define PKIXCMP_CLIENT_H

#include <pkixcmp/ctx.h>
#include <pkixcmp/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what goes into the requests ---- */

/* Subject of the requested certificate (-subject); default for kur: the
 * old certificate's. Issuer of the requested certificate (-issuer). NULL clears. */
int pkixcmp_ctx_set1_subject(PKIXCMP_CTX *ctx, const X509_NAME *name);
int pkixcmp_ctx_set1_issuer(PKIXCMP_CTX *ctx, const X509_NAME *name);

/* Recipient of our requests (-recipient); default: the pinned server
 * certificate's subject, else the issuer, else the old certificate's
 * issuer, else the NULL-DN. */
int pkixcmp_ctx_set1_recipient(PKIXCMP_CTX *ctx, const X509_NAME *name);

/* The key pair to certify (-newkey): its public key goes into the
 * template, its private key signs the proof of possession. */
int pkixcmp_ctx_set1_newkey(PKIXCMP_CTX *ctx, EVP_PKEY *pkey);

/* The key pair to certify, as set above; after central key generation
 * (PKIXCMP_OPT_POPO_METHOD -1) the private key the server generated for
 * the new certificate (-newkeyout). NULL if none. */
EVP_PKEY *pkixcmp_ctx_get0_newkey(const PKIXCMP_CTX *ctx);

/* The certificate to update (kur), revoke (rr) or take defaults from
 * (-oldcert; for kur it defaults to the context's certificate). */
int pkixcmp_ctx_set1_oldcert(PKIXCMP_CTX *ctx, X509 *cert);

/* The serial number of the certificate rr revokes, with the issuer set by
 * pkixcmp_ctx_set1_issuer() (-serial, -issuer): used instead of the old
 * certificate's. NULL clears. */
int pkixcmp_ctx_set1_revoke_serial(PKIXCMP_CTX *ctx, const ASN1_INTEGER *serial);

/* The PKCS#10 CSR sent by p10cr (-csr); for ir/cr/kur it supplies the
 * subject, public key and extensions when those are not set otherwise. */
int pkixcmp_ctx_set1_p10csr(PKIXCMP_CTX *ctx, X509_REQ *csr);

/* Extensions for the certificate template (SANs, policies, -reqexts). */
int pkixcmp_ctx_set1_reqexts(PKIXCMP_CTX *ctx, const STACK_OF(X509_EXTENSION) *exts);

/* Trust store to validate a newly enrolled certificate with
 * (-out_trusted); a certificate that fails is rejected in certConf. */
int pkixcmp_ctx_set1_out_trusted(PKIXCMP_CTX *ctx, X509_STORE *store);

/* Adds an InfoTypeAndValue to genm (-infotype) or to the generalInfo of
 * every request (-geninfo): the OID, and the DER of its value (NULL: no
 * value). */
int pkixcmp_ctx_add_genm_itav(PKIXCMP_CTX *ctx, const ASN1_OBJECT *type,
                              const unsigned char *value_der, size_t len);
int pkixcmp_ctx_add_geninfo_itav(PKIXCMP_CTX *ctx, const ASN1_OBJECT *type,
                                 const unsigned char *value_der, size_t len);

/* Client integer options: see pkixcmp_opt in ctx.h (PKIXCMP_OPT_DAYS ...). */

/* ---- transfer ---- */

/*
 * Sends req and returns the response (caller frees), or NULL with errors
 * on the queue. Without a callback the client uses HTTP(S) with libcurl as
 * configured through pkixcmp_ctx_get0_http(); tests and -use_mock_srv bind
 * the server core here.
 */
typedef PKIXCMP_MSG *pkixcmp_transfer_fn(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg);

/* Uses fn(ctx, req, arg) for every message; NULL restores HTTP. */
int pkixcmp_ctx_set_transfer_cb(PKIXCMP_CTX *ctx, pkixcmp_transfer_fn *fn, void *arg);

/* The context's HTTP(S) transfer (http.h), created on first use, to set
 * the server, proxy, TLS and timeouts on; NULL if out of memory. */
struct pkixcmp_http_st *pkixcmp_ctx_get0_http(PKIXCMP_CTX *ctx);

/* For transfer callbacks that send another message than the one given
 * (-reqin) or answer from elsewhere (-rspin): the response is then checked
 * against req (copied) instead; used for the current exchange only. */
int pkixcmp_ctx_set1_sent_request(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req);

/* The default transfer: req over the context's HTTP(S) connection
 * (DER, RFC 9811), the response decoded; arg is unused. Callbacks that
 * wrap the transfer (recording, -reqin) call it for the real exchange. */
PKIXCMP_MSG *pkixcmp_transfer_http(PKIXCMP_CTX *ctx, const PKIXCMP_MSG *req, void *arg);

/* How the client waits checkAfter seconds while polling: sleep(arg,
 * seconds) instead of the system's sleep (tests advance a fake clock). */
int pkixcmp_ctx_set_sleep_cb(PKIXCMP_CTX *ctx, void (*sleep_fn)(void *arg, long secs),
                             void *arg);

/* ---- transactions ---- */

/* Certificate requests: ir, cr, kur (updating the old certificate, oldCertID
 * control), p10cr (the CSR), ccr. On success the new certificate is
 * pkixcmp_ctx_get0_newcert(). */
int pkixcmp_exec_ir(PKIXCMP_CTX *ctx);
int pkixcmp_exec_cr(PKIXCMP_CTX *ctx);
int pkixcmp_exec_kur(PKIXCMP_CTX *ctx);
int pkixcmp_exec_p10cr(PKIXCMP_CTX *ctx);
int pkixcmp_exec_ccr(PKIXCMP_CTX *ctx);

/* Revokes the old certificate (rr) with the configured reason. */
int pkixcmp_exec_rr(PKIXCMP_CTX *ctx);

/* Sends genm with the configured ITAVs; the genp is
 * pkixcmp_ctx_get0_last_response(). */
int pkixcmp_exec_genm(PKIXCMP_CTX *ctx);

/* genm for id-it-caCerts; *certs the CA certificates (caller frees with
 * sk_X509_pop_free; an empty stack if the server sent none). */
int pkixcmp_exec_get_cacerts(PKIXCMP_CTX *ctx, STACK_OF(X509) **certs);

/*
 * Typed general messages (RFC 9483 4.3). Each sends a genm with just its
 * own InfoTypeAndValue (those added with pkixcmp_ctx_add_genm_itav() stay
 * for later genm), takes the first answer of the expected type from the
 * genp (an error if there is none, e.g. when the server echoes the request)
 * and checks it. "No update" is a success with NULL outputs; on failure
 * all outputs are NULL.
 */

/* Root CA key update (id-it-rootCaCert -> id-it-rootCaKeyUpdate) for
 * oldWithOld, the current root (NULL: not sent; the trust store then
 * supplies it). newWithNew must be a self-signed CA certificate, newWithOld
 * (needed unless newWithNew is the trusted root itself) signed by the old
 * root with newWithNew's name and key, oldWithNew signed by newWithNew with
 * the old root's name and key; an expired one fails. Caller frees the
 * outputs; newWithOld and oldWithNew may be NULL when not wanted. */
int pkixcmp_exec_get_root_ca_update(PKIXCMP_CTX *ctx, X509 *oldWithOld, X509 **newWithNew,
                                    X509 **newWithOld, X509 **oldWithNew);

/* Certificate request template (id-it-certReqTemplate): the DER of its
 * CertTemplate (without publicKey) and of its keySpec (Controls; algId and
 * rsaKeyLen entries checked; NULL if absent), to free with OPENSSL_free().
 * keyspec_der and keyspec_len may both be NULL. */
int pkixcmp_exec_get_cert_req_template(PKIXCMP_CTX *ctx, unsigned char **template_der,
                                       size_t *template_len, unsigned char **keyspec_der,
                                       size_t *keyspec_len);

/* CRL update (id-it-crlStatusList -> id-it-crls) for the CRL of crlcert
 * or the successor of oldcrl (one may be NULL; both: same issuer). Sent:
 * the distribution point of oldcrl or crlcert, else the issuer, and
 * oldcrl's thisUpdate. *crl (caller frees) is the first returned CRL of
 * that issuer and must be newer than oldcrl; its signature is not checked
 * here. */
int pkixcmp_exec_get_crl_update(PKIXCMP_CTX *ctx, const X509 *crlcert, const X509_CRL *oldcrl,
                                X509_CRL **crl);

/* Removes the InfoTypeAndValues added with pkixcmp_ctx_add_genm_itav()
 * (e.g. between the genm of -repeat). */
int pkixcmp_ctx_clear_genm_itavs(PKIXCMP_CTX *ctx);

/* ---- results of the last transaction ---- */

/* PKIStatus of the last response (-1 if none), its failInfo bits (bit i
 * of the mask = bit i of RFC 9810 5.2.3), and a one-line text of its
 * PKIStatusInfo with status, failInfo names and statusString, e.g.
 * "rejection; failInfo: badPOP; text: \"...\"" (NULL if it had no
 * statusString). */
int pkixcmp_ctx_get_status(const PKIXCMP_CTX *ctx);
unsigned long pkixcmp_ctx_get_failinfo(const PKIXCMP_CTX *ctx);
const char *pkixcmp_ctx_get0_status_text(const PKIXCMP_CTX *ctx);

/* The newly enrolled certificate, its chain as built from the response's
 * extraCerts and caPubs, the caPubs, and the extraCerts received. */
X509 *pkixcmp_ctx_get0_newcert(const PKIXCMP_CTX *ctx);
STACK_OF(X509) *pkixcmp_ctx_get0_newchain(const PKIXCMP_CTX *ctx);
STACK_OF(X509) *pkixcmp_ctx_get0_capubs(const PKIXCMP_CTX *ctx);
STACK_OF(X509) *pkixcmp_ctx_get0_extracerts_in(const PKIXCMP_CTX *ctx);

/* The server certificate that signed the responses and was validated
 * (-srvcertout), NULL if they were MAC-protected. */
X509 *pkixcmp_ctx_get0_validated_srvcert(const PKIXCMP_CTX *ctx);

/* The last message received (e.g. the genp of genm), NULL if none. */
const PKIXCMP_MSG *pkixcmp_ctx_get0_last_response(const PKIXCMP_CTX *ctx);

#ifdef __cplusplus
}
#endif
#endif
