/*
 * opts.c - argv parser and -help of the pkixcmp CLI, driven by the option
 * table (opts_cmp.c, opts_gen.c). Options are spelled and parsed as by
 * `openssl cmp` (../shared/openssl-cmp-options.md 2.1): -name value,
 * -name=value, --name; -h is -help; -- ends the options; there are no
 * positional arguments; integers in base 0 (0x10 hex, 010 octal); ""
 * resets a string option; the last one of a repeated option wins, except
 * for the list options (-provider, -provparam, -policy), which accumulate.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"

struct group_list {
    const struct opt_group *groups;
    const size_t *count;
};

static const struct group_list all_groups[] = {
    {app_groups_cmp, &app_groups_cmp_count},
    {app_groups_gen, &app_groups_gen_count},
};

void opts_foreach(void (*fn)(const struct opt_def *d, void *arg), void *arg)
{
    size_t l, g, i;

    for (l = 0; l < sizeof(all_groups) / sizeof(all_groups[0]); l++)
        for (g = 0; g < *all_groups[l].count; g++)
            for (i = 0; i < all_groups[l].groups[g].n; i++)
                fn(&all_groups[l].groups[g].defs[i], arg);
}

struct find_arg {
    const char *name;
    const struct opt_def *found;
};

static void find_one(const struct opt_def *d, void *arg)
{
    struct find_arg *f = arg;

    if (f->found == NULL && strcmp(d->name, f->name) == 0)
        f->found = d;
}

const struct opt_def *opts_find(const char *name)
{
    struct find_arg f = {name, NULL};

    opts_foreach(find_one, &f);
    return f.found;
}

static void set_default(const struct opt_def *d, void *arg)
{
    char *field = (char *)arg + d->offset;

    if (d->arg == OPT_INT || d->arg == OPT_NONNEG || d->arg == OPT_POS)
        *(int *)(void *)field = (int)d->def;
    else if (d->arg == OPT_INTMAX)
        *(intmax_t *)(void *)field = INTMAX_MIN; /* not given */
}

void cmp_opts_init(struct cmp_opts *o)
{
    memset(o, 0, sizeof(*o));
    opts_foreach(set_default, o);
}

static void app_vlog(const struct cmp_opts *o, int level, const char *what, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));
static void app_vlog(const struct cmp_opts *o, int level, const char *what, const char *fmt,
                     va_list ap)
{
    if (o != NULL && o->verbosity < level)
        return;
    fprintf(stderr, "pkixcmp%s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void app_err(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(NULL, 3, "", fmt, ap);
    va_end(ap);
}

void app_warn(const struct cmp_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(o, 4, " warning", fmt, ap);
    va_end(ap);
}

void app_info(const struct cmp_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(o, 6, " info", fmt, ap);
    va_end(ap);
}

void app_debug(const struct cmp_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(o, 7, " debug", fmt, ap);
    va_end(ap);
}

/* An integer option: base 0 on the command line, 10 in the config. */
static int parse_int(const struct opt_def *d, const char *s, int base, const char *from,
                     int *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, base);
    if (end == s || *end != '\0' || (errno != 0 && errno != ERANGE)) {
        app_err("Can't parse \"%s\" as a%s number for %s -%s", s,
                base == 10 ? " decimal" : "", from, d->name);
        return 0;
    }
    if (errno == ERANGE || v < INT_MIN || v > INT_MAX) {
        app_err("Value \"%s\" outside integer range for %s -%s", s, from, d->name);
        return 0;
    }
    if (d->arg == OPT_NONNEG && v < 0) {
        app_err("Negative number \"%s\" for %s -%s", s, from, d->name);
        return 0;
    }
    if (d->arg == OPT_POS && v <= 0) {
        app_err("Non-positive number \"%s\" for %s -%s", s, from, d->name);
        return 0;
    }
    if (v < d->min || v > d->max) {
        app_err("Value %ld for %s -%s is out of range %ld .. %ld", v, from, d->name, d->min,
                d->max);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* -attime: any intmax_t (seconds since the epoch). */
static int parse_intmax(const struct opt_def *d, const char *s, int base, const char *from,
                        intmax_t *out)
{
    char *end = NULL;
    intmax_t v;

    errno = 0;
    v = strtoimax(s, &end, base);
    if (end == s || *end != '\0' || errno != 0) {
        app_err("Can't parse \"%s\" as a%s number for %s -%s", s,
                base == 10 ? " decimal" : "", from, d->name);
        return 0;
    }
    *out = v;
    return 1;
}

/* A flag: on the command line no value; in the config a decimal number. */
static int parse_flag(const struct opt_def *d, const char *s, const char *from, int *out)
{
    int v;
    struct opt_def any = *d;

    if (s == NULL) {
        *out = 1;
        return 1;
    }
    if (s[0] == '\0') { /* an empty number in the config file is 0, as for openssl */
        *out = 0;
        return 1;
    }
    any.min = INT_MIN;
    any.max = INT_MAX;
    any.arg = OPT_INT;
    if (!parse_int(&any, s, 10, from, &v))
        return 0;
    *out = v != 0;
    return 1;
}

static int add_list(const struct opt_def *d, const char *val, struct str_list *l)
{
    if (val == NULL) {
        l->n = 0;
        return 1;
    }
    if (l->n == APP_LIST_MAX) {
        app_err("Too many -%s options (at most %d)", d->name, APP_LIST_MAX);
        return 0;
    }
    l->item[l->n++] = val;
    return 1;
}

int opts_set(const struct opt_def *d, const char *val, int base, int from_config,
             struct cmp_opts *o)
{
    char *field = (char *)o + d->offset;
    const char *from = from_config ? "config option" : "option";

    switch (d->arg) {
    case OPT_FLAG:
        return parse_flag(d, val, from, (int *)(void *)field);
    case OPT_STR:
    case OPT_OUTFILE:
    case OPT_LIST:
        /* -config "" means no file and -section "" the default section */
        if (val[0] == '\0' && (d->flags & OPTF_NO_CONFIG) == 0) {
            /* the only way to cancel a value from the configuration file */
            if (!from_config)
                app_warn(o, "-%s option argument is empty string, resetting option",
                         d->name);
            val = NULL;
        }
        if (d->arg == OPT_LIST)
            return add_list(d, val, (struct str_list *)(void *)field);
        *(const char **)(void *)field = val;
        return 1;
    case OPT_INT:
    case OPT_NONNEG:
    case OPT_POS:
        /* openssl reads an empty number in the configuration file as 0
         * (NCONF_get_number_e), e.g. "total_timeout =" in its test config */
        if (from_config && val[0] == '\0')
            val = "0";
        return parse_int(d, val, base, from, (int *)(void *)field);
    case OPT_INTMAX:
        return parse_intmax(d, val, base, from, (intmax_t *)(void *)field);
    default:
        return 0;
    }
}

/* The option an argument names, or NULL if it is not an option; *val is
 * set to the part after '=' if any. */
static const struct opt_def *lookup_arg(const char *a, const char **val, char *name,
                                        size_t namelen)
{
    const char *eq;
    size_t n;

    *val = NULL;
    a += a[1] == '-' ? 2 : 1; /* --opt is accepted like -opt */
    n = (eq = strchr(a, '=')) != NULL ? (size_t)(eq - a) : strlen(a);
    snprintf(name, namelen, "%.*s", (int)n, a);
    if (eq != NULL)
        *val = eq + 1;
    return opts_find(strcmp(name, "h") == 0 ? "help" : name);
}

/*
 * Splits argv[*i] into an option and its value (-name value or -name=value).
 * Returns the option, or NULL after printing an error.
 */
static const struct opt_def *next_opt(int argc, char **argv, int *i, const char **val)
{
    const char *a = argv[*i];
    const struct opt_def *d;
    char name[64];

    if (a[0] != '-' || a[1] == '\0') {
        app_err("Extra option: \"%s\"", a);
        return NULL;
    }
    if ((d = lookup_arg(a, val, name, sizeof(name))) == NULL) {
        app_err("Unknown option: -%s", name);
        return NULL;
    }
    if (d->arg == OPT_FLAG) {
        if (*val != NULL) {
            app_err("Option -%s does not take a value", d->name);
            return NULL;
        }
        return d;
    }
    if (*val != NULL)
        return d;
    if (*i + 1 >= argc) {
        app_err("Option -%s needs a value", d->name);
        return NULL;
    }
    *val = argv[++*i];
    return d;
}

/* Applies argv; with early set, only the options read before the config. */
static int parse_argv(int argc, char **argv, struct cmp_opts *o, int early)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *val;
        const struct opt_def *d;

        if (strcmp(argv[i], "--") == 0) {
            if (i + 1 < argc) {
                app_err("Extra option: \"%s\"", argv[i + 1]);
                return 0;
            }
            break;
        }
        if ((d = next_opt(argc, argv, &i, &val)) == NULL)
            return 0;
        /* the early ones again at the end: the command line wins over the file */
        if (early && (d->flags & OPTF_EARLY) == 0)
            continue;
        if (val != NULL && val[0] == '-' && !early)
            app_warn(o, "-%s option argument starts with hyphen", d->name);
        if (!opts_set(d, val, 0, 0, o))
            return 0;
    }
    return 1;
}

int opts_parse(int argc, char **argv, struct cmp_opts *o)
{
    /* -config, -section and -verbosity take effect before the config file */
    return parse_argv(argc, argv, o, 1) && config_apply(o) && parse_argv(argc, argv, o, 0);
}

void opts_free(struct cmp_opts *o)
{
    NCONF_free(o->conf);
    o->conf = NULL;
}

/* "-name metavar" of an option into buf; returns its length. */
static int opt_left(const struct opt_def *d, char *buf, size_t n)
{
    return snprintf(buf, n, "-%s%s%s", d->name, d->metavar ? " " : "",
                    d->metavar ? d->metavar : "");
}

static void widest(const struct opt_def *d, void *arg)
{
    char left[80];
    int w = opt_left(d, left, sizeof(left));

    if (w > *(int *)arg)
        *(int *)arg = w;
}

#define HELP_WIDTH 30

void opts_help(FILE *out, const char *prog)
{
    size_t l, g, i;
    char left[80];
    int width = 0;

    opts_foreach(widest, &width);
    if (width > HELP_WIDTH)
        width = HELP_WIDTH; /* longer ones get a line of their own */
    fprintf(out, "Usage: %s [options]\n", prog);
    for (l = 0; l < sizeof(all_groups) / sizeof(all_groups[0]); l++) {
        for (g = 0; g < *all_groups[l].count; g++) {
            const struct opt_group *grp = &all_groups[l].groups[g];

            fprintf(out, "\n%s:\n", grp->heading);
            for (i = 0; i < grp->n; i++) {
                if (opt_left(&grp->defs[i], left, sizeof(left)) > width)
                    fprintf(out, " %s\n %-*s  %s\n", left, width, "", grp->defs[i].help);
                else
                    fprintf(out, " %-*s  %s\n", width, left, grp->defs[i].help);
            }
        }
    }
}
