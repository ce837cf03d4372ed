/*
 * opts.h - the one option table of the pkixcmp CLI. It drives argv parsing,
 * the configuration file (-config/-section), -help and the man page check.
 * Semantics follow `openssl cmp` (../shared/openssl-cmp-options.md 2.1-2.2).
 */
#ifndef PKIXCMP_APPS_OPTS_H
#define PKIXCMP_APPS_OPTS_H

#include <stddef.h>
#include <stdio.h>
#include "cmp_opts.h"

enum opt_arg {
    OPT_FLAG,    /* no argument; sets an int to 1 */
    OPT_STR,     /* string argument; "" resets it to not given */
    OPT_OUTFILE, /* a file to write; as OPT_STR */
    OPT_LIST,    /* string, accumulates when repeated; "" empties the list */
    OPT_INT,     /* any int, within [min, max] */
    OPT_NONNEG,  /* int >= 0, within [min, max] */
    OPT_POS,     /* int > 0, within [min, max] */
    OPT_INTMAX   /* intmax_t (-attime) */
};

/* Option properties (opt_def.flags) */
#define OPTF_NO_CONFIG 1 /* not read from the configuration file */
#define OPTF_EARLY 2     /* applied before the configuration file is read */

struct opt_def {
    const char *name;    /* without the leading '-' */
    enum opt_arg arg;
    const char *metavar; /* shown in -help, NULL for flags */
    size_t offset;       /* offsetof(struct cmp_opts, field) */
    long min, max;       /* range of an integer option */
    long def;            /* default of an integer option */
    int flags;           /* OPTF_* */
    const char *help;    /* one line */
};

/* A help section: its heading and its options, in -help order. */
struct opt_group {
    const char *heading;
    const struct opt_def *defs;
    size_t n;
};

#define OPT_GROUP(heading, defs) {heading, defs, sizeof(defs) / sizeof((defs)[0])}

/* The option groups, in -help order: those of opts_cmp.c, then opts_gen.c */
extern const struct opt_group app_groups_cmp[];
extern const size_t app_groups_cmp_count;
extern const struct opt_group app_groups_gen[];
extern const size_t app_groups_gen_count;

/* The option named name (without '-'), or NULL. */
const struct opt_def *opts_find(const char *name);

/* Calls fn for every option, in -help order. */
void opts_foreach(void (*fn)(const struct opt_def *d, void *arg), void *arg);

/* Zeroes o and sets every integer option to its default. */
void cmp_opts_init(struct cmp_opts *o);

/*
 * Stores val as the value of option d in o. base is 0 on the command line
 * (0x10 hex, 010 octal, as openssl) and 10 in the configuration file;
 * from_config selects the wording of messages. Returns 1, or 0 after
 * printing an error.
 */
int opts_set(const struct opt_def *d, const char *val, int base, int from_config,
             struct cmp_opts *o);

/*
 * Parses argv into o: first -config, -section and -verbosity, then the
 * configuration file (config.c), then all of argv, which wins. Returns 1 on
 * success, 0 after printing an error.
 */
int opts_parse(int argc, char **argv, struct cmp_opts *o);

/* Frees what opts_parse() keeps (the configuration). */
void opts_free(struct cmp_opts *o);

/* Prints the option summary to out. */
void opts_help(FILE *out, const char *prog);

/* Loads the configuration file and applies its values (config.c). */
int config_apply(struct cmp_opts *o);

/* Log lines to stderr: an error always, a warning at verbosity >= 4, info
 * at >= 6, debug at >= 7. */
void app_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void app_warn(const struct cmp_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void app_info(const struct cmp_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void app_debug(const struct cmp_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
