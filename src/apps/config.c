/*
 * config.c - options from an OpenSSL configuration file, as `openssl cmp`
 * reads them (../shared/openssl-cmp-options.md 2.2): the file is -config,
 * else $OPENSSL_CONF, else OPENSSLDIR/openssl.cnf (a missing default file is
 * skipped, a missing -config file is an error); the sections are -section
 * (commas and/or whitespace; default "cmp"; "" = default), looked up from
 * the last to the first, then [default]; keys are option names; unknown keys
 * are ignored; an empty value resets an option; numbers are decimal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include "opts.h"

#define MAX_SECTIONS 16
#define MAX_SECTION_NAME 40

/* The file to read, or NULL for none; *explicit_file says whether a missing
 * file is an error. */
static const char *config_file(const struct cmp_opts *o, char *buf, size_t len,
                               int *explicit_file)
{
    const char *env = getenv("OPENSSL_CONF");

    *explicit_file = o->config != NULL;
    if (o->config != NULL)
        return o->config[0] != '\0' ? o->config : NULL;
    if (env != NULL && env[0] != '\0')
        return env;
    snprintf(buf, len, "%s/openssl.cnf", X509_get_default_cert_area());
    return buf;
}

/* Splits the -section list (in place) at commas and whitespace into
 * names[]; returns their number. */
static int split_sections(const struct cmp_opts *o, char *list, char *names[MAX_SECTIONS])
{
    static const char seps[] = ", \t\r\n";
    char *p = list;
    int n = 0;

    while (n < MAX_SECTIONS && *(p += strspn(p, seps)) != '\0') {
        size_t len = strcspn(p, seps);
        int last = p[len] == '\0';

        p[len] = '\0';
        if (len > MAX_SECTION_NAME) {
            app_warn(o, "section name '%s' truncated to %d characters", p, MAX_SECTION_NAME);
            p[MAX_SECTION_NAME] = '\0';
        }
        names[n++] = p;
        if (last)
            break;
        p += len + 1;
    }
    if (n == 0)
        names[n++] = (char *)"default"; /* -section "" */
    return n;
}

/* The value of key in section, without falling back to [default]. */
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

struct apply_arg {
    struct cmp_opts *o;
    char **names;
    int n;
    int ok;
};

/* Applies option d if found in the sections (last first) or [default]. */
static void apply_one(const struct opt_def *d, void *arg)
{
    struct apply_arg *a = arg;
    const char *val = NULL;
    int j;

    if (!a->ok || (d->flags & OPTF_NO_CONFIG) != 0)
        return;
    for (j = a->n - 1; j >= 0 && val == NULL; j--)
        val = section_value(a->o->conf, a->names[j], d->name);
    if (val == NULL)
        val = section_value(a->o->conf, "default", d->name);
    if (val != NULL && !opts_set(d, val, 10, 1, a->o))
        a->ok = 0;
}

static int apply_values(struct cmp_opts *o, char *names[], int n)
{
    struct apply_arg a = {o, names, n, 1};

    opts_foreach(apply_one, &a);
    return a.ok;
}

/* Loads file into o->conf; 0 on error (already reported), -1 if skipped. */
static int load(struct cmp_opts *o, const char *file, int explicit_file)
{
    long line = -1;

    if (!explicit_file && access(file, R_OK) != 0)
        return -1; /* a missing default file is skipped silently */
    if ((o->conf = NCONF_new(NULL)) == NULL || NCONF_load(o->conf, file, &line) <= 0) {
        if (line > 0)
            app_err("error in configuration file %s at line %ld", file, line);
        else
            app_err("cannot load configuration file %s", file);
        ERR_print_errors_fp(stderr);
        return 0;
    }
    return 1;
}

int config_apply(struct cmp_opts *o)
{
    char def[1024], list[512], *names[MAX_SECTIONS];
    const char *file;
    int explicit_file, n, i, r;

    if ((file = config_file(o, def, sizeof(def), &explicit_file)) == NULL)
        return 1; /* -config "" */
    if ((r = load(o, file, explicit_file)) <= 0)
        return r < 0;
    snprintf(list, sizeof(list), "%s", o->section != NULL ? o->section : "cmp");
    n = split_sections(o, list, names);
    app_info(o, "using section(s) '%s' of OpenSSL configuration file '%s'",
             o->section != NULL ? o->section : "cmp", file);
    for (i = 0; i < n; i++) {
        if (NCONF_get_section(o->conf, names[i]) != NULL)
            continue;
        if (o->section != NULL) {
            app_err("no [%s] section found in configuration file %s", names[i], file);
            return 0;
        }
        app_info(o, "no [%s] section found in configuration file %s; "
                 "will thus use just [default] and unnamed section if present", names[i], file);
        n = 0;
    }
    ERR_clear_error();
    return apply_values(o, names, n);
}
