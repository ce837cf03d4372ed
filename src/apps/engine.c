/*
 * engine.c - -engine and -keyform ENGINE, as openssl 3.0's apps have them.
 * The ENGINE API is deprecated in OpenSSL 3 (and gone in 4.0): this file
 * alone uses it, with the deprecation warnings suppressed; a libcrypto
 * built without engines gives a clear error instead.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>
#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_ENGINE
#include <openssl/engine.h>
#endif
#include "apps.h"

#ifndef OPENSSL_NO_ENGINE

/* The engine id, or a shared library path loaded through "dynamic". */
static ENGINE *engine_by_id(const char *id)
{
    ENGINE *e = ENGINE_by_id(id);

    if (e != NULL)
        return e;
    if ((e = ENGINE_by_id("dynamic")) == NULL)
        return NULL;
    if (!ENGINE_ctrl_cmd_string(e, "SO_PATH", id, 0) || !ENGINE_ctrl_cmd_string(e, "LOAD", NULL, 0)) {
        ENGINE_free(e);
        return NULL;
    }
    return e;
}

int app_engine_setup(struct cmp_opts *o)
{
    ENGINE *e;

    if (o->engine == NULL)
        return 1;
    if (strcmp(o->engine, "auto") == 0) {
        app_info(o, "enabling automatic engine support");
        ENGINE_register_all_complete();
        return 1;
    }
    if ((e = engine_by_id(o->engine)) == NULL) {
        app_err("invalid engine \"%s\"", o->engine);
        return 0;
    }
    if (!ENGINE_set_default(e, ENGINE_METHOD_ALL)) {
        app_err("cannot use engine \"%s\"", ENGINE_get_id(e));
        ENGINE_free(e);
        return 0;
    }
    app_info(o, "engine \"%s\" set", ENGINE_get_id(e));
    o->env.engine = e;
    return 1;
}

void app_engine_free(struct cmp_opts *o)
{
    ENGINE_free(o->env.engine);
    o->env.engine = NULL;
}

EVP_PKEY *app_engine_key(const struct cmp_opts *o, const char *id, UI_METHOD *ui, void *ui_data,
                         int public_key, const char *desc)
{
    ENGINE *e = o->env.engine;
    EVP_PKEY *pkey = NULL;

    if (e == NULL) {
        app_err("-keyform ENGINE needs -engine to load %s '%s'", desc, id);
        return NULL;
    }
    if (!ENGINE_init(e)) {
        app_err("cannot initialize engine \"%s\"", ENGINE_get_id(e));
        return NULL;
    }
    pkey = public_key ? ENGINE_load_public_key(e, id, ui, ui_data)
                      : ENGINE_load_private_key(e, id, ui, ui_data);
    ENGINE_finish(e);
    if (pkey == NULL)
        app_err("cannot load %s '%s' from engine \"%s\"", desc, id, ENGINE_get_id(e));
    return pkey;
}

#else /* OPENSSL_NO_ENGINE */

int app_engine_setup(struct cmp_opts *o)
{
    if (o->engine != NULL) {
        app_err("-engine: this OpenSSL has no engine support; use -provider");
        return 0;
    }
    return 1;
}

void app_engine_free(struct cmp_opts *o)
{
    (void)o;
}

EVP_PKEY *app_engine_key(const struct cmp_opts *o, const char *id, UI_METHOD *ui, void *ui_data,
                         int public_key, const char *desc)
{
    (void)o, (void)ui, (void)ui_data, (void)public_key;
    app_err("-keyform ENGINE: this OpenSSL has no engine support (loading %s '%s')", desc, id);
    return NULL;
}

#endif
