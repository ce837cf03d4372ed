/*
 * opts.h - the one option table of the pkixcmp CLI. It drives argv parsing,
 * -config/-section, -help and the man page check.
 */
#ifndef PKIXCMP_APPS_OPTS_H
#define PKIXCMP_APPS_OPTS_H

#include <stddef.h>

/* Every option value, in one plain struct. */
struct app_opts {
    int help;
    const char *inspect;
    const char *inspect_format;
    long max_msg_size;
};

enum opt_arg {
    OPT_FLAG,   /* no argument; sets an int to 1 */
    OPT_STR,    /* string argument */
    OPT_NONNEG, /* integer >= 0 */
};

struct opt_def {
    const char *name;   /* without the leading '-' */
    enum opt_arg arg;
    const char *metavar; /* shown in -help, NULL for flags */
    size_t offset;      /* offsetof(struct app_opts, field) */
    const char *help;
    const char *section; /* help section heading of the first option in it */
};

extern const struct opt_def app_options[];
extern const size_t app_options_count;

/* Parses argv into o. Returns 1 on success, 0 after printing an error. */
int opts_parse(int argc, char **argv, struct app_opts *o);

/* Prints the option summary to stdout. */
void opts_help(const char *prog);

#endif
