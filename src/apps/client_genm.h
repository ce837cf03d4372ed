/*
 * client_genm.h - -cmd genm of the CLI (client_genm.c): the general
 * messages of RFC 9483 4.3 by -infotype, with openssl cmp's options,
 * checks and output files.
 */
#ifndef PKIXCMP_APPS_CLIENT_GENM_H
#define PKIXCMP_APPS_CLIENT_GENM_H

#include <pkixcmp/pkixcmp.h>
#include "apps.h"

/*
 * The genm checks openssl cmp makes for every command before any network
 * I/O: warns about -infotype and the genm output options the command or
 * -infotype ignores, and fails (0, error printed) when a genm lacks what
 * its -infotype needs (-cacertsout, -newwithnew, -template, -crlout,
 * -crlcert or -oldcrl).
 */
int app_genm_precheck(const struct cmp_opts *o);

/*
 * Runs -cmd genm over ctx: -infotype caCerts (-cacertsout), rootCaCert
 * (-oldwithold; -newwithnew, -newwithold, -oldwithnew), certReqTemplate
 * (-template, -keyspec), crlStatusList (-crlcert, -oldcrl; -crlout); any
 * other -infotype, or none, sends a plain genm and prints the genp to
 * stdout. Output files that got nothing are deleted (-cacertsout:
 * emptied). Also fails, as app_genm_precheck(), without the needed options.
 */
int app_run_genm(const struct cmp_opts *o, PKIXCMP_CTX *ctx);

#endif
