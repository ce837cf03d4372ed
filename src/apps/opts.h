/*
 * opts.h - the one option table of the pkixcmp CLI. It drives argv parsing,
 * the configuration file (-config/-section), -help and the man page check.
 * Semantics follow `openssl cmp` (../shared/openssl-cmp-options.md 2.1-2.2).
 */
#ifndef PKIXCMP_APPS_OPTS_H
#define PKIXCMP_APPS_OPTS_H

#include <stddef.h>
#include <openssl/conf.h>

/* Every option value, in one plain struct. */
struct app_opts {
    int help;
    const char *config;
    const char *section;
    long verbosity;
    const char *inspect;
    const char *inspect_format;
    long max_msg_size;

    CONF *conf; /* the loaded configuration file; its strings live here */
};

enum opt_arg {
    OPT_FLAG,   /* no argument; sets an int to 1 */
    OPT_STR,    /* string argument; "" resets it to not given */
    OPT_NONNEG, /* integer >= 0 */
};

struct opt_def {
    const char *name;    /* without the leading '-' */
    enum opt_arg arg;
    const char *metavar; /* shown in -help, NULL for flags */
    size_t offset;       /* offsetof(struct app_opts, field) */
    long max;            /* largest value of an integer option */
    int no_config;       /* not read from the configuration file */
    const char *help;
    const char *section; /* help section heading of the first option in it */
};

extern const struct opt_def app_options[];
extern const size_t app_options_count;

/* The option named name (without '-'), or NULL. */
const struct opt_def *opts_find(const char *name);

/*
 * Stores val as the value of option d in o. base is 0 on the command line
 * (0x10 hex, 010 octal, as openssl) and 10 in the configuration file. from
 * names the source for messages. Returns 1, or 0 after printing an error.
 */
int opts_set(const struct opt_def *d, const char *val, int base, const char *from,
             struct app_opts *o);

/*
 * Parses argv into o: first -config, -section and -verbosity, then the
 * configuration file (config.c), then all of argv, which wins. Returns 1 on
 * success, 0 after printing an error.
 */
int opts_parse(int argc, char **argv, struct app_opts *o);

/* Frees what opts_parse() keeps (the configuration). */
void opts_free(struct app_opts *o);

/* Prints the option summary to out. */
void opts_help(FILE *out, const char *prog);

/* Loads the configuration file and applies its values (config.c). */
int config_apply(struct app_opts *o);

/* Prints an info line at verbosity >= 6, a warning at >= 4, to stderr. */
void app_info(const struct app_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void app_warn(const struct app_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
