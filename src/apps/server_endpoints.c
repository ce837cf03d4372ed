/*
 * server_endpoints.c - -srv_endpoints (a pkixcmp extension): several CMP
 * services behind one -port listener, each at its own URL path with its own
 * server context and mock CA (own transactions, credentials and issuer).
 * Each section named in the list is one endpoint: its srv_path, and the mock
 * server options, read as the configuration file reads them (config.c,
 * ../shared/openssl-cmp-options.md 2.2: decimal numbers, an empty value
 * resets).
 *
 * Where an endpoint's values come from: its mock server options (those of
 * the "Mock server options" group but -port and -max_msgs) are taken from
 * its own section, else from [default], else they keep their built-in
 * default. They are never inherited from the command line or the -section
 * sections, so that the credentials of the main endpoint do not leak into
 * another. srv_path has no [default] fallback. All other options
 * (-verbosity, -batch, -otherpass, formats, providers, verification
 * options, -ignore_keyusage, -max_msg_size) are the main ones for all
 * endpoints; in an endpoint section they are ignored with a warning.
 */
#include <stdint.h>
#include <string.h>
#include <openssl/conf.h>
#include <openssl/crypto.h>
#include "apps.h"
#include "client_run.h"
#include "server_run.h"

/* The group of the options an endpoint sets for itself. */
static const struct opt_group *mock_group(void)
{
    size_t g;

    for (g = 0; g < app_groups_gen_count; g++)
        if (strcmp(app_groups_gen[g].heading, "Mock server options") == 0)
            return &app_groups_gen[g];
    return NULL;
}

/* Whether option d is one an endpoint sets for itself. */
static int per_endpoint(const struct opt_def *d)
{
    const struct opt_group *g = mock_group();

    return g != NULL && d >= g->defs && d < g->defs + g->n && strcmp(d->name, "port") != 0
        && strcmp(d->name, "max_msgs") != 0;
}

/* Option d of o back to "not given" (its default). */
static void reset_opt(const struct opt_def *d, struct cmp_opts *o)
{
    char *field = (char *)o + d->offset;

    switch (d->arg) {
    case OPT_FLAG:
    case OPT_INT:
    case OPT_NONNEG:
    case OPT_POS:
        *(int *)(void *)field = (int)d->def;
        break;
    case OPT_STR:
    case OPT_OUTFILE:
        *(const char **)(void *)field = NULL;
        break;
    case OPT_LIST:
        ((struct str_list *)(void *)field)->n = 0;
        break;
    case OPT_INTMAX:
        *(intmax_t *)(void *)field = INTMAX_MIN;
        break;
    default:
        break;
    }
}

/* The value of key in section itself (no [default]), as config.c. */
static const char *section_value(CONF *conf, const char *section, const char *key)
{
    STACK_OF(CONF_VALUE) *vals = NCONF_get_section(conf, section);
    int i;

    for (i = sk_CONF_VALUE_num(vals) - 1; i >= 0; i--) {
        CONF_VALUE *v = sk_CONF_VALUE_value(vals, i);

        if (strcmp(v->name, key) == 0)
            return v->value;
    }
    return NULL;
}

/* Characters of a srv_path besides letters and digits: RFC 3986 pchar
 * without percent-encoding, and the '/' between segments. */
static const char path_chars[] = "-._~!$&'()*+,;=:@/";

/*
 * srv_path in its normal form, without leading and trailing slashes (e.g.
 * "/cmp/profileA/" is "cmp/profileA"); NULL after printing an error.
 */
static char *path_normal(const char *section, const char *path)
{
    const char *p, *seg;
    size_t len, n;

    if (path == NULL || path[0] == '\0') {
        app_err("endpoint section [%s] has no srv_path", section);
        return NULL;
    }
    for (p = path; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
            || strchr(path_chars, *p) != NULL)
            continue;
        app_err("srv_path '%s' of endpoint section [%s]: character '%c' not allowed "
                "(letters, digits and %s only)", path, section, *p, path_chars);
        return NULL;
    }
    p = path + strspn(path, "/");
    for (len = strlen(p); len > 0 && p[len - 1] == '/'; len--)
        continue;
    if (len == 0) {
        app_err("srv_path '%s' of endpoint section [%s] names no path", path, section);
        return NULL;
    }
    for (seg = p; seg < p + len; seg += n + 1) {
        n = strcspn(seg, "/");
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && strncmp(seg, "..", 2) == 0)) {
            app_err("srv_path '%s' of endpoint section [%s] has an empty, '.' or '..' segment",
                    path, section);
            return NULL;
        }
    }
    return OPENSSL_strndup(p, len);
}

/* Warns about the keys of the section that are options but not ones an
 * endpoint sets for itself. */
static void warn_ignored(const struct cmp_opts *o, const char *section)
{
    STACK_OF(CONF_VALUE) *vals = NCONF_get_section(o->conf, section);
    const struct opt_def *d;
    int i;

    for (i = 0; i < sk_CONF_VALUE_num(vals); i++) {
        const char *name = sk_CONF_VALUE_value(vals, i)->name;

        if ((d = opts_find(name)) != NULL && !per_endpoint(d))
            app_warn(o, "endpoint section [%s]: '%s' is not a mock server option; "
                     "the main one applies", section, name);
    }
}

/* The options of the endpoint of section into ep->opts. */
static int read_opts(const struct cmp_opts *o, const char *section, struct app_endpoint *ep)
{
    const struct opt_group *g = mock_group();
    const char *val;
    size_t i;

    ep->opts = *o;
    if (g == NULL) {
        app_err("internal error: no mock server options in the option table");
        return 0;
    }
    for (i = 0; i < g->n; i++) {
        const struct opt_def *d = &g->defs[i];

        if (!per_endpoint(d))
            continue;
        reset_opt(d, &ep->opts);
        if ((val = section_value(o->conf, section, d->name)) == NULL)
            val = section_value(o->conf, "default", d->name);
        if (val != NULL && !opts_set(d, val, 10, 1, &ep->opts)) {
            app_err("in endpoint section [%s]", section);
            return 0;
        }
    }
    warn_ignored(o, section);
    return 1;
}

/* Whether the main endpoint serves the normal path p (openssl's pkix/ and
 * the RFC 9811 well-known URI without a label). */
static int main_path(const char *p)
{
    return strcmp(p, "pkix") == 0 || strcmp(p, ".well-known/cmp") == 0;
}

/* Refuses the path of eps[k] if the main endpoint or an earlier one has it. */
static int check_unique(const struct app_endpoint *eps, size_t k, int with_main)
{
    size_t i;

    if (with_main && main_path(eps[k].path)) {
        app_err("srv_path '/%s/' of endpoint section [%s] is served by the main options "
                "(give no -srv_ref, -srv_secret, -srv_cert to serve it from a section)",
                eps[k].path, eps[k].section);
        return 0;
    }
    for (i = 0; i < k; i++) {
        if (strcmp(eps[i].path, eps[k].path) == 0) {
            app_err("srv_path '/%s/' of endpoint section [%s] is already that of [%s]",
                    eps[k].path, eps[k].section, eps[i].section);
            return 0;
        }
    }
    return 1;
}

struct app_endpoint *app_endpoints_read(const struct cmp_opts *o, int with_main, size_t *n)
{
    STACK_OF(OPENSSL_STRING) *names = NULL;
    struct app_endpoint *eps = NULL, *ret = NULL;
    size_t i, num = 0;

    *n = 0;
    if (o->conf == NULL) {
        app_err("-srv_endpoints needs a configuration file (-config)");
        return NULL;
    }
    if ((names = app_split_list(o->srv_endpoints)) == NULL)
        return NULL;
    if (sk_OPENSSL_STRING_num(names) < 1 || sk_OPENSSL_STRING_num(names) > APP_MAX_ENDPOINTS) {
        app_err("-srv_endpoints: give 1 to %d section names", APP_MAX_ENDPOINTS);
        goto out;
    }
    num = (size_t)sk_OPENSSL_STRING_num(names);
    if ((eps = OPENSSL_zalloc(num * sizeof(*eps))) == NULL)
        goto out;
    for (i = 0; i < num; i++) {
        const char *section = sk_OPENSSL_STRING_value(names, (int)i);

        if (NCONF_get_section(o->conf, section) == NULL) {
            app_err("-srv_endpoints: no [%s] section found in the configuration file", section);
            goto out;
        }
        if ((eps[i].section = OPENSSL_strdup(section)) == NULL
            || (eps[i].path = path_normal(section, section_value(o->conf, section, "srv_path")))
               == NULL
            || !check_unique(eps, i, with_main) || !read_opts(o, section, &eps[i]))
            goto out;
    }
    ret = eps;
    eps = NULL; /* transferred */
    *n = num;
out:
    app_endpoints_free(eps, num);
    app_list_free(names);
    return ret;
}

void app_endpoints_free(struct app_endpoint *eps, size_t n)
{
    size_t i;

    if (eps == NULL)
        return;
    for (i = 0; i < n; i++) {
        app_mock_free(eps[i].mock);
        OPENSSL_free(eps[i].section);
        OPENSSL_free(eps[i].path);
    }
    OPENSSL_free(eps);
}

const struct app_endpoint *app_endpoint_find(const struct app_endpoint *eps, size_t n,
                                             const char *path)
{
    const char *p = path + strspn(path, "/");
    size_t len = strlen(p), i;

    while (len > 0 && p[len - 1] == '/')
        len--;
    for (i = 0; i < n; i++)
        if (strlen(eps[i].path) == len && strncmp(eps[i].path, p, len) == 0)
            return &eps[i];
    return NULL;
}
