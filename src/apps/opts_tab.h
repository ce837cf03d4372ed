/*
 * opts_tab.h - shorthands for the rows of the option table (opts_cmp.c,
 * opts_gen.c): one row per option, in -help order. Included by those two
 * files only.
 */
#ifndef PKIXCMP_APPS_OPTS_TAB_H
#define PKIXCMP_APPS_OPTS_TAB_H

#include <limits.h>
#include <stddef.h>
#include "opts.h"

#define O(f) offsetof(struct cmp_opts, f)
/* a flag */
#define FLAG(name, f, help) {name, OPT_FLAG, NULL, O(f), 0, 0, 0, 0, help}
/* a string, its meta-variable in -help */
#define STR(name, f, meta, help) {name, OPT_STR, meta, O(f), 0, 0, 0, 0, help}
/* a file to write */
#define OUT(name, f, meta, help) {name, OPT_OUTFILE, meta, O(f), 0, 0, 0, 0, help}
/* a string that accumulates when repeated */
#define LIST(name, f, meta, help) {name, OPT_LIST, meta, O(f), 0, 0, 0, 0, help}
/* integers in [min, max] with a default: any, >= 0, > 0 */
#define INT(name, f, meta, min, max, def, help) {name, OPT_INT, meta, O(f), min, max, def, 0, help}
#define NONNEG(name, f, meta, max, def, help) {name, OPT_NONNEG, meta, O(f), 0, max, def, 0, help}
#define POS(name, f, meta, def, help) {name, OPT_POS, meta, O(f), 1, INT_MAX, def, 0, help}

#endif
