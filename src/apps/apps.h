/*
 * apps.h - the functions of the pkixcmp CLI, for the jobs (inspect,
 * client, server) to share.
 *
 * Conventions: every function takes the option struct first when it logs
 * or loads; functions returning int give 1 on success and 0 after printing
 * an error to stderr (OpenSSL's reasons stay on the error queue, which
 * main() prints); functions returning a pointer give NULL after printing an
 * error and the caller frees the result with the matching OpenSSL _free.
 * A `pass` parameter is a pass phrase *argument* (pass:, env:, file:, fd:,
 * stdin, or NULL for none), resolved with app_pass_get().
 */
#ifndef PKIXCMP_APPS_H
#define PKIXCMP_APPS_H

#include <openssl/evp.h>
#include <openssl/safestack.h>
#include <openssl/ui.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "opts.h"

/* ---- jobs */

/* -inspect: print a PKIMessage read from a file. */
int app_inspect(const struct cmp_opts *o);

/* -cmd, -port, -use_mock_srv: the CMP client and mock server (client_run.c). */
int run_client(struct cmp_opts *o);

/* ---- check.c */

/* The command-independent checks of openssl cmp: -cmd, -infotype, the
 * formats, -revreason 7, -port, exclusive options. Sets cmd_type and the
 * *form_type fields. */
int cmp_opts_check(struct cmp_opts *o);

/* ---- pass.c: pass phrase arguments */

/* The pass phrase of source (pass:text, env:VAR, file:path, fd:N, stdin:
 * the first line of the last three). NULL after printing an error. */
char *app_pass_read(const char *source);

/* As openssl cmp: app_pass_read(), but when source is not a valid argument
 * or cannot be read, its literal text, with a warning. NULL if source is
 * NULL (or out of memory). desc names the secret in messages. */
char *app_pass_get(const struct cmp_opts *o, const char *source, const char *desc);

/* Cleanses and frees a pass phrase; NULL is a no-op. */
void app_pass_free(char *pass);

/* ---- env.c, engine.c: providers, engine, random state, verification */

/* Loads -provider-path/-provider/-provparam into the (default) library
 * context, sets -propquery, sets up -engine, loads -rand and builds the
 * verification parameters: fills o->env. */
int app_env_init(struct cmp_opts *o);

/* Frees o->env (unloads the providers). */
void app_env_cleanup(struct cmp_opts *o);

/* Writes the random state to -writerand, if given. */
int app_rand_write(const struct cmp_opts *o);

/* A new X509_VERIFY_PARAM from the verification options. */
X509_VERIFY_PARAM *app_vpm_new(const struct cmp_opts *o);

/* -engine into o->env.engine ("auto" registers all engines). */
int app_engine_setup(struct cmp_opts *o);
void app_engine_free(struct cmp_opts *o);

/* The private (or public) key id from the -engine, with ui and ui_data
 * for its pass phrase. */
EVP_PKEY *app_engine_key(const struct cmp_opts *o, const char *id, UI_METHOD *ui, void *ui_data,
                         int public_key, const char *desc);

/* ---- load.c: credentials from files and URIs (OSSL_STORE, o->env) */

/* The first private key in uri (or from the engine with -keyform ENGINE). */
EVP_PKEY *app_load_key(const struct cmp_opts *o, const char *uri, const char *pass,
                       const char *desc);

/* The first public or private key in uri (e.g. -newkey without a private key). */
EVP_PKEY *app_load_pubkey(const struct cmp_opts *o, const char *uri, const char *pass,
                          const char *desc);

/* The first certificate in uri, warning if it is outside its validity. */
X509 *app_load_cert(const struct cmp_opts *o, const char *uri, const char *pass,
                    const char *desc);

/* The first certificate in uri into *cert and the others, in file order,
 * into a new *chain (may be empty): -cert, -tls_cert. */
int app_load_cert_chain(const struct cmp_opts *o, const char *uri, const char *pass,
                        const char *desc, X509 **cert, STACK_OF(X509) **chain);

/* All certificates of all files or URIs of a comma/space separated list. */
STACK_OF(X509) *app_load_certs(const struct cmp_opts *o, const char *uris, const char *pass,
                               const char *desc);

/*
 * A trust store of the certificates in uris, with the verification options
 * applied. for_new_cert (-out_trusted) keeps -verify_hostname/_ip/_email
 * and ignores -attime; otherwise the former are cleared.
 */
X509_STORE *app_load_trusted(const struct cmp_opts *o, const char *uris, const char *pass,
                             int for_new_cert, const char *desc);

/* The first CRL in uri (PEM or DER). */
X509_CRL *app_load_crl(const struct cmp_opts *o, const char *uri, const char *desc);

/* A PKCS#10 request from file (PEM or DER); warns if its self-signature
 * does not verify. */
X509_REQ *app_load_csr(const struct cmp_opts *o, const char *file, const char *desc);

/* ---- dn.c */

/* A DN in openssl's "/type0=value0/type1=value1+type2=value2" form (backslash
 * escapes; "+" for multi-valued RDNs; UTF-8). Unknown types and empty values
 * are skipped with a warning, as openssl does. desc is e.g. "subject". */
X509_NAME *app_parse_name(const struct cmp_opts *o, const char *dn, const char *desc);

/* ---- parse.c */

/* The items of a list separated by commas and/or whitespace (empty ones
 * dropped); free with app_list_free(). */
STACK_OF(OPENSSL_STRING) *app_split_list(const char *list);
void app_list_free(STACK_OF(OPENSSL_STRING) *items);

/* -sans: IP addresses, emails (with '@'), URIs (with ':') and DNS names;
 * the item "critical" sets *critical instead. */
GENERAL_NAMES *app_parse_sans(const char *spec, int *critical);

/* -policy_oids: numeric OIDs, comma/space separated. */
STACK_OF(ASN1_OBJECT) *app_parse_oids(const char *list, const char *desc);

/* -serial: decimal, or hex with 0x. */
ASN1_INTEGER *app_parse_serial(const char *s);

/* -infotype: the id-it OID of a name without "id-it-", e.g. "caCerts". */
ASN1_OBJECT *app_infotype_oid(const char *name);

/* -geninfo: OID:int:N and OID:str:text items, comma separated. */
struct app_itav {
    ASN1_OBJECT *type;
    ASN1_TYPE *value;
};
int app_parse_geninfo(const char *spec, struct app_itav **items, int *n);
void app_itavs_free(struct app_itav *items, int n);

/* The extensions of the -reqexts and -policies sections of the
 * configuration file (X509V3 syntax; csr as subject context, may be NULL)
 * into a new *exts, NULL if neither option is given. */
int app_load_reqexts(const struct cmp_opts *o, X509_REQ *csr, STACK_OF(X509_EXTENSION) **exts);

/* Whether exts has a subjectAltName (-sans then conflicts with -reqexts). */
int app_exts_have_san(const STACK_OF(X509_EXTENSION) *exts);

/* ---- url.c */

struct app_url {
    int tls;    /* the scheme was https */
    char *host; /* an IPv6 address in brackets, as in the URL */
    int port;   /* 80 or 443 if not given */
    char *path; /* path?query#fragment, "/" at least */
};

/* [http[s]://][userinfo@]host[:port][/path][?query][#fragment] */
int app_url_parse(const char *url, struct app_url *u, const char *desc);
void app_url_clear(struct app_url *u);

struct app_server {
    struct app_url url;   /* host NULL without -server; path: the HTTP path */
    struct app_url proxy; /* host NULL: no proxy */
};

/*
 * Resolves -server with -path, -proxy/-no_proxy (and their environment
 * variables) and -tls_used as openssl cmp: https:// sets o->tls_used with a
 * warning; without -server, -proxy, -no_proxy and -tls_used are ignored
 * with a warning (tls_used is cleared). Use o->tls_used afterwards.
 */
int app_server_resolve(struct cmp_opts *o, struct app_server *s);
void app_server_clear(struct app_server *s);

#endif
