/*
 * check.c - the checks `openssl cmp` makes on option values whatever the
 * command: names (-cmd, -infotype, formats), ranges the option table cannot
 * express (-revreason 7), -port, and the options that exclude each other.
 * Checks that depend on the command are the client's (client_run.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include "apps.h"

static const struct {
    const char *name;
    enum app_cmd cmd;
} cmds[] = {
    {"ir", APP_CMD_IR},       {"cr", APP_CMD_CR}, {"kur", APP_CMD_KUR},
    {"p10cr", APP_CMD_P10CR}, {"rr", APP_CMD_RR}, {"genm", APP_CMD_GENM},
};

static const struct {
    const char *name;
    enum app_format format;
} formats[] = {
    {"PEM", APP_FORMAT_PEM}, {"DER", APP_FORMAT_DER}, {"P12", APP_FORMAT_P12},
    {"PKCS12", APP_FORMAT_P12}, {"ENGINE", APP_FORMAT_ENGINE},
};

/* A format name (any case) that is at most max (PEM < DER < P12 < ENGINE) */
static int check_format(const char *opt, const char *val, enum app_format max,
                        enum app_format *out)
{
    size_t i;

    *out = APP_FORMAT_UNDEF;
    if (val == NULL)
        return 1;
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        if (strcasecmp(val, formats[i].name) == 0 && formats[i].format <= max) {
            *out = formats[i].format;
            return 1;
        }
    }
    app_err("unknown format '%s' for -%s (%s)", val, opt,
            max == APP_FORMAT_DER ? "PEM or DER" : "PEM, DER, P12 or ENGINE");
    return 0;
}

static int check_cmd(struct cmp_opts *o)
{
    size_t i;

    o->cmd_type = APP_CMD_NONE;
    if (o->cmd == NULL)
        return 1;
    for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (strcmp(o->cmd, cmds[i].name) == 0) {
            o->cmd_type = cmds[i].cmd;
            return 1;
        }
    }
    app_err("unknown cmp command '%s' (ir, cr, kur, p10cr, rr or genm)", o->cmd);
    return 0;
}

static int check_port(const struct cmp_opts *o)
{
    char *end = NULL;
    long port;

    if (o->port == NULL)
        return 1;
    port = strtol(o->port, &end, 10);
    if (end == o->port || *end != '\0' || port < 0 || port > 65535) {
        app_err("-port '%s' is not a port number 0..65535", o->port);
        return 0;
    }
    if (o->tls_used) {
        app_err("-tls_used option not supported with -port option");
        return 0;
    }
    if (o->server != NULL || o->use_mock_srv) {
        app_err("the -port option excludes -server and -use_mock_srv");
        return 0;
    }
    if (o->reqin != NULL || o->reqout != NULL || o->rspin != NULL || o->rspout != NULL
        || o->reqout_only != NULL) {
        app_err("the -port option does not support -reqin, -reqout, -rspin, -rspout "
                "and -reqout_only");
        return 0;
    }
    return 1;
}

int cmp_opts_check(struct cmp_opts *o)
{
    ASN1_OBJECT *infotype;

    if (!check_cmd(o)
        || !check_format("certform", o->certform, APP_FORMAT_DER, &o->certform_type)
        || !check_format("crlform", o->crlform, APP_FORMAT_DER, &o->crlform_type)
        || !check_format("keyform", o->keyform, APP_FORMAT_ENGINE, &o->keyform_type)
        || !check_port(o))
        return 0;
    if (o->revreason == 7) {
        app_err("-revreason 7 is not a valid CRL reason; valid: -1 .. 6, 8 .. 10");
        return 0;
    }
    if (o->server != NULL && o->use_mock_srv) {
        app_err("cannot use both -server and -use_mock_srv options");
        return 0;
    }
    if (o->infotype != NULL) {
        if ((infotype = app_infotype_oid(o->infotype)) == NULL)
            return 0;
        ASN1_OBJECT_free(infotype);
    }
    return 1;
}
