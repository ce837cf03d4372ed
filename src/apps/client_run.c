/*
 * client_run.c - the CMP jobs of the CLI: -cmd (client), -use_mock_srv and
 * -port (mock server).
 *
 * TO BE WIRED to the client library (lead): main() calls run_client() after
 * the options are parsed and checked (cmp_opts_check) and the providers,
 * engine, random state and verification parameters are set up
 * (app_env_init). Credentials are loaded with app_load_*() (apps.h), names
 * with app_parse_name(), the server with app_server_resolve().
 */
#include "apps.h"

int run_client(struct cmp_opts *o)
{
    if (o->cmd_type == APP_CMD_NONE && o->port == NULL) {
        app_err("no cmp command to execute (give -cmd, -port or -inspect; see -help)");
        return 0;
    }
    app_err("%s is not available in this build yet: the CMP %s is being integrated",
            o->port != NULL ? "-port" : "-cmd", o->port != NULL ? "server" : "client");
    return 0;
}
