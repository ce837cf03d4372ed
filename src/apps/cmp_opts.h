/*
 * cmp_opts.h - every option value of the pkixcmp CLI, in one plain struct.
 *
 * Field names are the option names of `openssl cmp` with '-' turned into
 * '_' (-provider-path is provider_path). Strings are NULL when not given and
 * borrowed (from argv or the loaded configuration, which lives in conf);
 * flags are 0 or 1; integers hold the defaults below until set. The option
 * table (opts_*.c) is the single source of names, argument types, ranges and
 * defaults; cmp_opts_init() applies the defaults.
 */
#ifndef PKIXCMP_APPS_CMP_OPTS_H
#define PKIXCMP_APPS_CMP_OPTS_H

#include <stdint.h>
#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/x509_vfy.h>

/* An option that may be repeated and accumulates (-provider, -policy). */
#define APP_LIST_MAX 16
struct str_list {
    const char *item[APP_LIST_MAX];
    int n;
};

/* -cmd, resolved by cmp_opts_check(). */
enum app_cmd {
    APP_CMD_NONE = 0,
    APP_CMD_IR,
    APP_CMD_CR,
    APP_CMD_KUR,
    APP_CMD_P10CR,
    APP_CMD_RR,
    APP_CMD_GENM
};

/* -certform, -crlform, -keyform, resolved by cmp_opts_check(). */
enum app_format {
    APP_FORMAT_UNDEF = 0, /* not given: PEM on output, any on input */
    APP_FORMAT_PEM,
    APP_FORMAT_DER,
    APP_FORMAT_P12,
    APP_FORMAT_ENGINE
};

/* What the generic options set up (env.c): the library context and
 * property query for everything that is loaded, the engine, the
 * verification parameters. Filled by app_env_init(), freed by
 * app_env_cleanup(). */
struct app_env {
    OSSL_LIB_CTX *libctx;     /* NULL: the default library context */
    const char *propq;        /* -propquery, may be NULL */
    OSSL_PROVIDER *prov[APP_LIST_MAX];
    int nprov;
    void *engine;             /* ENGINE * of -engine, or NULL */
    X509_VERIFY_PARAM *vpm;   /* from the verification options */
};

struct cmp_opts {
    /* General options */
    int help;
    const char *config;
    const char *section;
    int verbosity;            /* 0..8, default 6 (INFO) */

    /* Generic message options */
    const char *cmd;
    const char *infotype;
    const char *profile;
    const char *geninfo;
    const char *template;
    const char *keyspec;

    /* Certificate enrollment options */
    const char *newkey;
    const char *newkeypass;
    int centralkeygen;
    const char *newkeyout;
    const char *subject;
    int days;                 /* 0: not given */
    const char *reqexts;
    const char *sans;
    int san_nodefault;
    const char *policies;
    const char *policy_oids;
    int policy_oids_critical;
    int popo;                 /* -1..2; -2: not given (signature) */
    const char *csr;
    const char *out_trusted;
    int implicit_confirm;
    int disable_confirm;
    const char *certout;
    const char *chainout;

    /* Certificate enrollment and revocation options */
    const char *oldcert;
    const char *issuer;
    const char *serial;
    int revreason;            /* -1 (none, default), 0..6, 8..10 */

    /* Message transfer options */
    const char *server;
    const char *proxy;
    const char *no_proxy;
    const char *recipient;
    const char *path;
    int keep_alive;           /* 0..2, default 1 */
    int msg_timeout;          /* -1: not given */
    int total_timeout;        /* -1: not given */

    /* Server authentication options */
    const char *trusted;
    const char *untrusted;
    const char *srvcert;
    const char *expect_sender;
    int ignore_keyusage;
    int unprotected_errors;
    int ta_in_ip_extracerts;
    int no_cache_extracerts;
    const char *srvcertout;
    const char *extracertsout;
    const char *cacertsout;
    const char *oldwithold;
    const char *newwithnew;
    const char *newwithold;
    const char *oldwithnew;
    const char *crlcert;
    const char *oldcrl;
    const char *crlout;

    /* Client authentication options */
    const char *ref;
    const char *secret;
    const char *cert;
    const char *own_trusted;
    const char *key;
    const char *keypass;
    const char *digest;
    const char *mac;
    const char *extracerts;
    int unprotected_requests;

    /* Credentials format options */
    const char *certform;
    const char *crlform;
    const char *keyform;
    const char *otherpass;
    const char *engine;

    /* Provider options */
    const char *provider_path;
    struct str_list provider;
    struct str_list provparam;
    const char *propquery;

    /* Random state options */
    const char *rand;
    const char *writerand;

    /* TLS connection options */
    int tls_used;
    const char *tls_cert;
    const char *tls_key;
    const char *tls_keypass;
    const char *tls_extra;
    const char *tls_trusted;
    const char *tls_host;

    /* Client-side debugging options */
    int batch;
    int repeat;               /* > 0, default 1 */
    const char *reqin;
    int reqin_new_tid;
    const char *reqout;
    const char *reqout_only;
    const char *rspin;
    const char *rspout;
    int use_mock_srv;

    /* Mock server options */
    const char *port;
    int max_msgs;
    const char *srv_ref;
    const char *srv_secret;
    const char *srv_cert;
    const char *srv_key;
    const char *srv_keypass;
    const char *srv_trusted;
    const char *srv_untrusted;
    const char *ref_cert;
    const char *rsp_cert;
    const char *rsp_key;
    const char *rsp_keypass;
    const char *rsp_crl;
    const char *rsp_extracerts;
    const char *rsp_capubs;
    const char *rsp_newwithnew;
    const char *rsp_newwithold;
    const char *rsp_oldwithnew;
    int poll_count;
    int check_after;          /* default 1 */
    int grant_implicitconf;
    int pkistatus;            /* 0..6 */
    int failure;              /* 0..26; INT_MIN: not given */
    int failurebits;          /* 0..2^27-1 */
    const char *statusstring;
    int send_error;
    int send_unprotected;
    int send_unprot_err;
    int accept_unprotected;
    int accept_unprot_err;
    int accept_raverified;

    /* Server extras (pkixcmp only): the listener of -port and its endpoints */
    const char *srv_bind;
    const char *srv_endpoints;
    const char *srv_tls_cert;
    const char *srv_tls_key;
    const char *srv_tls_keypass;
    const char *srv_tls_trusted;

    /* Validation options (X509_VERIFY_PARAM, see app_vpm_new()) */
    struct str_list policy;
    const char *purpose;
    const char *verify_name;
    int verify_depth;         /* -1: not given */
    int auth_level;           /* -1: not given */
    intmax_t attime;          /* INTMAX_MIN: not given */
    const char *verify_hostname;
    const char *verify_email;
    const char *verify_ip;
    int ignore_critical;
    int issuer_checks;
    int crl_check;
    int crl_check_all;
    int policy_check;
    int explicit_policy;
    int inhibit_any;
    int inhibit_map;
    int x509_strict;
    int extended_crl;
    int use_deltas;
    int policy_print;
    int check_ss_sig;
    int trusted_first;
    int suiteB_128_only;
    int suiteB_128;
    int suiteB_192;
    int partial_chain;
    int no_alt_chains;
    int no_check_time;
    int allow_proxy_certs;

    /* Message inspection (pkixcmp only) */
    const char *inspect;
    const char *inspect_format;
    int max_msg_size;         /* 0: the library default */

    /* Resolved by cmp_opts_check() */
    enum app_cmd cmd_type;
    enum app_format certform_type, crlform_type, keyform_type;

    /* Runtime, not options */
    CONF *conf;               /* the configuration file; NULL if none */
    struct app_env env;       /* app_env_init() */
};

#endif
