/*
 * opts.c - option table and argv parser of the pkixcmp CLI. Options are
 * spelled and parsed as by `openssl cmp` (a single dash, -name value or
 * -name=value, base-0 integers, "" resets a string option, the last one of
 * a repeated option wins); extras never contradict it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"

#define O(f) offsetof(struct app_opts, f)

const struct opt_def app_options[] = {
    {"help", OPT_FLAG, NULL, O(help), 1, 1, "Display this summary", "General options"},
    {"config", OPT_STR, "file", O(config), 0, 1,
     "Configuration file to use; \"\" = none (default: $OPENSSL_CONF or openssl.cnf)", NULL},
    {"section", OPT_STR, "names", O(section), 0, 1,
     "Section(s) of the configuration file to use, comma/space separated (default: cmp)",
     NULL},
    {"verbosity", OPT_NONNEG, "level", O(verbosity), 8, 0,
     "Log level: 3 = ERR, 4 = WARN, 6 = INFO (default), 7 = DEBUG, 8 = TRACE", NULL},
    {"inspect", OPT_STR, "file", O(inspect), 0, 0,
     "Print the PKIMessage in file (DER, PEM or base64) as a tree", "Message inspection"},
    {"inspect_format", OPT_STR, "text|json", O(inspect_format), 0, 0,
     "Output style of -inspect: text (default) or json", NULL},
    {"max_msg_size", OPT_NONNEG, "bytes", O(max_msg_size), INT_MAX, 0,
     "Refuse messages larger than this (default 4194304)", NULL},
};
const size_t app_options_count = sizeof(app_options) / sizeof(app_options[0]);

const struct opt_def *opts_find(const char *name)
{
    size_t i;

    for (i = 0; i < app_options_count; i++)
        if (strcmp(app_options[i].name, name) == 0)
            return &app_options[i];
    return NULL;
}

static void app_vlog(const struct app_opts *o, int level, const char *what, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));
static void app_vlog(const struct app_opts *o, int level, const char *what, const char *fmt,
                     va_list ap)
{
    if (o->verbosity < level)
        return;
    fprintf(stderr, "pkixcmp %s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void app_info(const struct app_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(o, 6, "info", fmt, ap);
    va_end(ap);
}

void app_warn(const struct app_opts *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    app_vlog(o, 4, "warning", fmt, ap);
    va_end(ap);
}

/* An integer in [0, max]: base 0 on the command line, 10 in the config. */
static int parse_nonneg(const struct opt_def *d, const char *s, int base, const char *from,
                        long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, base);
    if (errno != 0 || end == s || *end != '\0' || v < 0 || v > d->max) {
        fprintf(stderr, "pkixcmp: %s -%s: '%s' is not a%s number in 0..%ld\n", from, d->name,
                s, base == 10 ? " decimal" : "", d->max);
        return 0;
    }
    *out = v;
    return 1;
}

/* A flag's value in the config file: a decimal 0 or 1. */
static int parse_flag(const struct opt_def *d, const char *s, const char *from, int *out)
{
    if (s == NULL) {
        *out = 1;
        return 1;
    }
    if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) {
        fprintf(stderr, "pkixcmp: %s -%s takes no value, got '%s'\n", from, d->name, s);
        return 0;
    }
    *out = s[0] == '1';
    return 1;
}

int opts_set(const struct opt_def *d, const char *val, int base, const char *from,
             struct app_opts *o)
{
    char *field = (char *)o + d->offset;

    switch (d->arg) {
    case OPT_FLAG:
        return parse_flag(d, val, from, (int *)(void *)field);
    case OPT_STR:
        /* -config "" means no file and -section "" the default section */
        if (val[0] == '\0' && d->no_config == 0) {
            /* the only way to cancel a value from the configuration file */
            app_warn(o, "-%s option argument is empty string, resetting option", d->name);
            val = NULL;
        }
        *(const char **)(void *)field = val;
        return 1;
    case OPT_NONNEG:
        return parse_nonneg(d, val, base, from, (long *)(void *)field);
    default:
        return 0;
    }
}

/*
 * Splits argv[*i] into an option and its value (-name value or -name=value).
 * Returns the option, or NULL after printing an error.
 */
static const struct opt_def *next_opt(int argc, char **argv, int *i, const char **val,
                                      char *name, size_t namelen)
{
    const char *a = argv[*i], *eq;
    const struct opt_def *d;
    size_t n;

    *val = NULL;
    if (a[0] != '-' || a[1] == '\0') {
        fprintf(stderr, "pkixcmp: unexpected argument '%s'; see -help\n", a);
        return NULL;
    }
    a += a[1] == '-' ? 2 : 1; /* --opt is accepted like -opt */
    n = (eq = strchr(a, '=')) != NULL ? (size_t)(eq - a) : strlen(a);
    snprintf(name, namelen, "%.*s", (int)n, a);
    if ((d = opts_find(strcmp(name, "h") == 0 ? "help" : name)) == NULL) {
        fprintf(stderr, "pkixcmp: unknown option '-%s'; see -help\n", name);
        return NULL;
    }
    if (eq != NULL) {
        *val = eq + 1;
        return d;
    }
    if (d->arg == OPT_FLAG)
        return d;
    if (*i + 1 >= argc) {
        fprintf(stderr, "pkixcmp: option -%s needs an argument\n", d->name);
        return NULL;
    }
    *val = argv[++*i];
    return d;
}

/* Applies argv; with early set, only the options read before the config. */
static int parse_argv(int argc, char **argv, struct app_opts *o, int early)
{
    char name[64];
    int i;

    for (i = 1; i < argc; i++) {
        const char *val;
        const struct opt_def *d = next_opt(argc, argv, &i, &val, name, sizeof(name));
        int is_early;

        if (d == NULL)
            return 0;
        if (d->arg == OPT_FLAG && val != NULL) {
            fprintf(stderr, "pkixcmp: option -%s takes no value\n", d->name);
            return 0;
        }
        is_early = d->offset == offsetof(struct app_opts, config)
            || d->offset == offsetof(struct app_opts, section)
            || d->offset == offsetof(struct app_opts, verbosity);
        if (early != is_early)
            continue;
        if (val != NULL && val[0] == '-' && !early)
            app_warn(o, "-%s option argument starts with hyphen", d->name);
        if (!opts_set(d, val, 0, "option", o))
            return 0;
    }
    return 1;
}

int opts_parse(int argc, char **argv, struct app_opts *o)
{
    /* -config, -section and -verbosity take effect before the config file */
    return parse_argv(argc, argv, o, 1) && config_apply(o) && parse_argv(argc, argv, o, 0);
}

void opts_free(struct app_opts *o)
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

void opts_help(FILE *out, const char *prog)
{
    size_t i;
    char left[64];
    int width = 0, w;

    for (i = 0; i < app_options_count; i++)
        if ((w = opt_left(&app_options[i], left, sizeof(left))) > width)
            width = w;
    fprintf(out, "Usage: %s [options]\n", prog);
    for (i = 0; i < app_options_count; i++) {
        const struct opt_def *d = &app_options[i];

        if (d->section != NULL)
            fprintf(out, "\n%s:\n", d->section);
        opt_left(d, left, sizeof(left));
        fprintf(out, " %-*s  %s\n", width, left, d->help);
    }
}
