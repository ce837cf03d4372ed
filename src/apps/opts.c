/*
 * opts.c - option table and argv parser of the pkixcmp CLI. Options are
 * spelled as in `openssl cmp` (a single dash); extras never contradict it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "opts.h"

#define O(f) offsetof(struct app_opts, f)

const struct opt_def app_options[] = {
    {"help", OPT_FLAG, NULL, O(help), "Display this summary", "General options"},
    {"inspect", OPT_STR, "file", O(inspect),
     "Print the PKIMessage in file (DER, PEM or base64) as a tree", "Message inspection"},
    {"inspect_format", OPT_STR, "text|json", O(inspect_format),
     "Output style of -inspect: text (default) or json", NULL},
    {"max_msg_size", OPT_NONNEG, "bytes", O(max_msg_size),
     "Refuse messages larger than this (default 4194304)", NULL},
};
const size_t app_options_count = sizeof(app_options) / sizeof(app_options[0]);

static const struct opt_def *opt_find(const char *name)
{
    size_t i;

    for (i = 0; i < app_options_count; i++)
        if (strcmp(app_options[i].name, name) == 0)
            return &app_options[i];
    return NULL;
}

static int parse_nonneg(const char *opt, const char *s, long *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "pkixcmp: -%s: invalid non-negative number '%s'\n", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

/* Stores the value of one option into o. */
static int opt_set(const struct opt_def *d, const char *val, struct app_opts *o)
{
    char *field = (char *)o + d->offset;

    switch (d->arg) {
    case OPT_FLAG:
        *(int *)(void *)field = 1;
        return 1;
    case OPT_STR:
        *(const char **)(void *)field = val;
        return 1;
    case OPT_NONNEG:
        return parse_nonneg(d->name, val, (long *)(void *)field);
    default:
        return 0;
    }
}

int opts_parse(int argc, char **argv, struct app_opts *o)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const struct opt_def *d;

        if (a[0] != '-' || a[1] == '\0') {
            fprintf(stderr, "pkixcmp: unexpected argument '%s'; see -help\n", a);
            return 0;
        }
        a += (a[1] == '-') ? 2 : 1; /* --opt is accepted like -opt */
        if (strcmp(a, "h") == 0)
            a = "help";
        d = opt_find(a);
        if (d == NULL) {
            fprintf(stderr, "pkixcmp: unknown option '%s'; see -help\n", argv[i]);
            return 0;
        }
        if (d->arg != OPT_FLAG && i + 1 >= argc) {
            fprintf(stderr, "pkixcmp: option -%s needs an argument\n", d->name);
            return 0;
        }
        if (!opt_set(d, d->arg == OPT_FLAG ? NULL : argv[++i], o))
            return 0;
    }
    return 1;
}

/* "-name metavar" of an option into buf; returns its length. */
static int opt_left(const struct opt_def *d, char *buf, size_t n)
{
    return snprintf(buf, n, "-%s%s%s", d->name, d->metavar ? " " : "",
                    d->metavar ? d->metavar : "");
}

void opts_help(const char *prog)
{
    size_t i;
    char left[64];
    int width = 0, w;

    for (i = 0; i < app_options_count; i++)
        if ((w = opt_left(&app_options[i], left, sizeof(left))) > width)
            width = w;
    printf("Usage: %s [options]\n", prog);
    for (i = 0; i < app_options_count; i++) {
        const struct opt_def *d = &app_options[i];

        if (d->section != NULL)
            printf("\n%s:\n", d->section);
        opt_left(d, left, sizeof(left));
        printf(" %-*s  %s\n", width, left, d->help);
    }
}
