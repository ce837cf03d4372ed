/*
 * env.c - what the generic options of `openssl cmp` set up before any
 * credential is loaded: providers (-provider-path, -provider, -provparam,
 * -propquery) in the library context, the engine, the random state (-rand,
 * -writerand) and the certificate verification parameters (-policy ...
 * -allow_proxy_certs) as one X509_VERIFY_PARAM.
 */
#include <string.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include "apps.h"

/* -provparam [name:]key=value, for the named or every loaded provider */
static int provparam(struct cmp_opts *o, const char *spec)
{
    const char *eq = strchr(spec, '='), *colon = strchr(spec, ':');

    if (eq == NULL || eq == spec || (colon != NULL && colon < eq && colon == spec)) {
        app_err("-provparam '%s' is not of the form [name:]key=value", spec);
        return 0;
    }
#if OPENSSL_VERSION_NUMBER >= 0x30500000L
    {
        char *buf = OPENSSL_strdup(spec), *key, *value, *name = NULL;
        int i, ok = buf != NULL;

        key = buf;
        if (ok && colon != NULL && colon < eq) {
            name = buf;
            buf[colon - spec] = '\0';
            key = buf + (colon - spec) + 1;
        }
        value = buf + (eq - spec) + 1;
        if (ok)
            buf[eq - spec] = '\0';
        for (i = 0; ok && i < o->env.nprov; i++)
            if (name == NULL || strcmp(OSSL_PROVIDER_get0_name(o->env.prov[i]), name) == 0)
                ok = OSSL_PROVIDER_add_conf_parameter(o->env.prov[i], key, value);
        if (!ok)
            app_err("cannot set provider parameter '%s'", spec);
        OPENSSL_free(buf);
        return ok;
    }
#else
    app_err("-provparam '%s' needs OpenSSL 3.5 or later; this is %s", spec,
            OpenSSL_version(OPENSSL_VERSION));
    (void)o;
    return 0;
#endif
}

static int load_providers(struct cmp_opts *o)
{
    int i;

    if (o->provider_path != NULL
        && !OSSL_PROVIDER_set_default_search_path(o->env.libctx, o->provider_path)) {
        app_err("cannot set the provider search path to '%s'", o->provider_path);
        return 0;
    }
    for (i = 0; i < o->provider.n; i++) {
        OSSL_PROVIDER *p = OSSL_PROVIDER_load(o->env.libctx, o->provider.item[i]);

        if (p == NULL) {
            app_err("unable to load provider %s (see -provider-path or $OPENSSL_MODULES)",
                    o->provider.item[i]);
            return 0;
        }
        o->env.prov[o->env.nprov++] = p;
    }
    for (i = 0; i < o->provparam.n; i++)
        if (!provparam(o, o->provparam.item[i]))
            return 0;
    return 1;
}

/* -rand: files separated by ':', each loaded completely. */
static int rand_load(const struct cmp_opts *o)
{
    const char *p = o->rand;
    char file[4096];

    while (p != NULL && *p != '\0') {
        size_t len = strcspn(p, ":");

        if (len >= sizeof(file)) {
            app_err("-rand file name too long: %.40s...", p);
            return 0;
        }
        snprintf(file, sizeof(file), "%.*s", (int)len, p);
        p += len + (p[len] == ':');
        if (len == 0)
            continue;
        if (RAND_load_file(file, -1) < 0) {
            app_err("cannot load %s into the random number generator", file);
            return 0;
        }
    }
    return 1;
}

int app_rand_write(const struct cmp_opts *o)
{
    if (o->writerand == NULL)
        return 1;
    if (RAND_write_file(o->writerand) <= 0) {
        app_err("cannot write random state to %s", o->writerand);
        return 0;
    }
    return 1;
}

/* The verification flags, each set by a flag option. */
static const struct {
    size_t offset;
    unsigned long flag;
} vflags[] = {
    {offsetof(struct cmp_opts, ignore_critical), X509_V_FLAG_IGNORE_CRITICAL},
    {offsetof(struct cmp_opts, crl_check), X509_V_FLAG_CRL_CHECK},
    {offsetof(struct cmp_opts, crl_check_all), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL},
    {offsetof(struct cmp_opts, policy_check), X509_V_FLAG_POLICY_CHECK},
    {offsetof(struct cmp_opts, explicit_policy), X509_V_FLAG_EXPLICIT_POLICY},
    {offsetof(struct cmp_opts, inhibit_any), X509_V_FLAG_INHIBIT_ANY},
    {offsetof(struct cmp_opts, inhibit_map), X509_V_FLAG_INHIBIT_MAP},
    {offsetof(struct cmp_opts, x509_strict), X509_V_FLAG_X509_STRICT},
    {offsetof(struct cmp_opts, extended_crl), X509_V_FLAG_EXTENDED_CRL_SUPPORT},
    {offsetof(struct cmp_opts, use_deltas), X509_V_FLAG_USE_DELTAS},
    {offsetof(struct cmp_opts, policy_print), X509_V_FLAG_NOTIFY_POLICY},
    {offsetof(struct cmp_opts, check_ss_sig), X509_V_FLAG_CHECK_SS_SIGNATURE},
    {offsetof(struct cmp_opts, trusted_first), X509_V_FLAG_TRUSTED_FIRST},
    {offsetof(struct cmp_opts, suiteB_128_only), X509_V_FLAG_SUITEB_128_LOS_ONLY},
    {offsetof(struct cmp_opts, suiteB_128), X509_V_FLAG_SUITEB_128_LOS},
    {offsetof(struct cmp_opts, suiteB_192), X509_V_FLAG_SUITEB_192_LOS},
    {offsetof(struct cmp_opts, partial_chain), X509_V_FLAG_PARTIAL_CHAIN},
    {offsetof(struct cmp_opts, no_alt_chains), X509_V_FLAG_NO_ALT_CHAINS},
    {offsetof(struct cmp_opts, no_check_time), X509_V_FLAG_NO_CHECK_TIME},
    {offsetof(struct cmp_opts, allow_proxy_certs), X509_V_FLAG_ALLOW_PROXY_CERTS},
};

/* -policy, -purpose, -verify_name into vpm */
static int vpm_names(const struct cmp_opts *o, X509_VERIFY_PARAM *vpm)
{
    const X509_VERIFY_PARAM *named;
    ASN1_OBJECT *policy;
    int i;

    if (o->verify_name != NULL) {
        if ((named = X509_VERIFY_PARAM_lookup(o->verify_name)) == NULL) {
            app_err("unknown -verify_name '%s'", o->verify_name);
            return 0;
        }
        if (!X509_VERIFY_PARAM_set1(vpm, named))
            return 0;
    }
    for (i = 0; i < o->policy.n; i++) {
        if ((policy = OBJ_txt2obj(o->policy.item[i], 0)) == NULL) {
            app_err("invalid -policy '%s'", o->policy.item[i]);
            return 0;
        }
        if (!X509_VERIFY_PARAM_add0_policy(vpm, policy)) {
            ASN1_OBJECT_free(policy);
            return 0;
        }
    }
    if (o->purpose != NULL) {
        int idx = X509_PURPOSE_get_by_sname(o->purpose);

        if (idx < 0 || !X509_VERIFY_PARAM_set_purpose(vpm,
                                                      X509_PURPOSE_get_id(X509_PURPOSE_get0(idx)))) {
            app_err("unknown -purpose '%s'", o->purpose);
            return 0;
        }
    }
    return 1;
}

/* -verify_hostname, -verify_email, -verify_ip into vpm */
static int vpm_ids(const struct cmp_opts *o, X509_VERIFY_PARAM *vpm)
{
    if (o->verify_hostname != NULL && !X509_VERIFY_PARAM_set1_host(vpm, o->verify_hostname, 0)) {
        app_err("invalid -verify_hostname '%s'", o->verify_hostname);
        return 0;
    }
    if (o->verify_email != NULL && !X509_VERIFY_PARAM_set1_email(vpm, o->verify_email, 0)) {
        app_err("invalid -verify_email '%s'", o->verify_email);
        return 0;
    }
    if (o->verify_ip != NULL && !X509_VERIFY_PARAM_set1_ip_asc(vpm, o->verify_ip)) {
        app_err("invalid -verify_ip '%s'", o->verify_ip);
        return 0;
    }
    return 1;
}

X509_VERIFY_PARAM *app_vpm_new(const struct cmp_opts *o)
{
    X509_VERIFY_PARAM *vpm = X509_VERIFY_PARAM_new(), *ret = NULL;
    size_t i;

    if (vpm == NULL || !vpm_names(o, vpm) || !vpm_ids(o, vpm))
        goto out;
    for (i = 0; i < sizeof(vflags) / sizeof(vflags[0]); i++)
        if (*(const int *)(const void *)((const char *)o + vflags[i].offset) != 0)
            X509_VERIFY_PARAM_set_flags(vpm, vflags[i].flag);
    if (o->verify_depth >= 0)
        X509_VERIFY_PARAM_set_depth(vpm, o->verify_depth);
    if (o->auth_level >= 0)
        X509_VERIFY_PARAM_set_auth_level(vpm, o->auth_level);
    if (o->attime != INTMAX_MIN)
        X509_VERIFY_PARAM_set_time(vpm, (time_t)o->attime);
    ret = vpm;
    vpm = NULL; /* transferred */
out:
    X509_VERIFY_PARAM_free(vpm);
    return ret;
}

int app_env_init(struct cmp_opts *o)
{
    o->env.libctx = NULL; /* the default library context */
    o->env.propq = o->propquery;
    return load_providers(o) && app_engine_setup(o) && rand_load(o)
        && (o->env.vpm = app_vpm_new(o)) != NULL;
}

void app_env_cleanup(struct cmp_opts *o)
{
    int i;

    X509_VERIFY_PARAM_free(o->env.vpm);
    o->env.vpm = NULL;
    app_engine_free(o);
    for (i = o->env.nprov - 1; i >= 0; i--)
        OSSL_PROVIDER_unload(o->env.prov[i]);
    o->env.nprov = 0;
}
