/*
 * parse.c - option values with a syntax of their own, as `openssl cmp`
 * reads them: lists separated by commas and/or whitespace, -sans,
 * -policy_oids, -serial, -geninfo, -infotype, and the extension sections of
 * -reqexts and -policies.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include "apps.h"

#define LIST_SEPS ", \t\r\n"

STACK_OF(OPENSSL_STRING) *app_split_list(const char *list)
{
    STACK_OF(OPENSSL_STRING) *items = sk_OPENSSL_STRING_new_null(), *ret = NULL;
    const char *p = list;
    char *item = NULL;

    if (items == NULL)
        goto out;
    while (*(p += strspn(p, LIST_SEPS)) != '\0') {
        size_t len = strcspn(p, LIST_SEPS);

        if ((item = OPENSSL_strndup(p, len)) == NULL || !sk_OPENSSL_STRING_push(items, item))
            goto out;
        item = NULL; /* transferred */
        p += len;
    }
    ret = items;
    items = NULL; /* transferred */
out:
    if (ret == NULL)
        app_err("out of memory");
    OPENSSL_free(item);
    app_list_free(items);
    return ret;
}

static void free_string(char *s)
{
    OPENSSL_free(s);
}

void app_list_free(STACK_OF(OPENSSL_STRING) *items)
{
    sk_OPENSSL_STRING_pop_free(items, free_string);
}

/* One SAN: an IP address, else an email (with '@'), a URI (with ':') or a
 * DNS name, in that order, as openssl cmp 3.5 tries them. */
static GENERAL_NAME *san_item(const char *s)
{
    GENERAL_NAME *n;
    int type = strchr(s, '@') != NULL ? GEN_EMAIL : strchr(s, ':') != NULL ? GEN_URI : GEN_DNS;

    ERR_set_mark();
    n = a2i_GENERAL_NAME(NULL, NULL, NULL, GEN_IPADD, s, 0);
    if (n == NULL)
        n = a2i_GENERAL_NAME(NULL, NULL, NULL, type, s, 0);
    ERR_pop_to_mark();
    return n;
}

GENERAL_NAMES *app_parse_sans(const char *spec, int *critical)
{
    STACK_OF(OPENSSL_STRING) *items = app_split_list(spec);
    GENERAL_NAMES *names = sk_GENERAL_NAME_new_null(), *ret = NULL;
    GENERAL_NAME *n = NULL;
    int i;

    *critical = 0;
    if (items == NULL || names == NULL)
        goto out;
    for (i = 0; i < sk_OPENSSL_STRING_num(items); i++) {
        const char *s = sk_OPENSSL_STRING_value(items, i);

        if (strcmp(s, "critical") == 0) {
            *critical = 1;
            continue;
        }
        if ((n = san_item(s)) == NULL) {
            app_err("bad syntax of Subject Alternative Name '%s'", s);
            goto out;
        }
        if (!sk_GENERAL_NAME_push(names, n))
            goto out;
        n = NULL; /* transferred */
    }
    ret = names;
    names = NULL; /* transferred */
out:
    GENERAL_NAME_free(n);
    GENERAL_NAMES_free(names);
    app_list_free(items);
    return ret;
}

STACK_OF(ASN1_OBJECT) *app_parse_oids(const char *list, const char *desc)
{
    STACK_OF(OPENSSL_STRING) *items = app_split_list(list);
    STACK_OF(ASN1_OBJECT) *oids = sk_ASN1_OBJECT_new_null(), *ret = NULL;
    ASN1_OBJECT *oid = NULL;
    int i;

    if (items == NULL || oids == NULL)
        goto out;
    for (i = 0; i < sk_OPENSSL_STRING_num(items); i++) {
        const char *s = sk_OPENSSL_STRING_value(items, i);

        /* numeric only, as openssl cmp reads -policy_oids */
        if ((oid = OBJ_txt2obj(s, 1)) == NULL) {
            app_err("unknown %s OID '%s'", desc, s);
            goto out;
        }
        if (!sk_ASN1_OBJECT_push(oids, oid))
            goto out;
        oid = NULL; /* transferred */
    }
    ret = oids;
    oids = NULL; /* transferred */
out:
    ASN1_OBJECT_free(oid);
    sk_ASN1_OBJECT_pop_free(oids, ASN1_OBJECT_free);
    app_list_free(items);
    return ret;
}

ASN1_INTEGER *app_parse_serial(const char *s)
{
    ASN1_INTEGER *ret = NULL;
    const char *p = s + (s[0] == '-');
    int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    size_t digits = hex ? strspn(p + 2, "0123456789abcdefABCDEF") : strspn(p, "0123456789");

    /* s2i_ASN1_INTEGER() would accept what follows the digits */
    if (digits == 0 || (hex ? p[2 + digits] : p[digits]) != '\0'
        || (ret = s2i_ASN1_INTEGER(NULL, s)) == NULL)
        app_err("cannot parse serial number '%s' (decimal, or hex with 0x)", s);
    return ret;
}

/* The id-it names of RFC 9810 and RFC 9480 that OpenSSL 3.0's object table
 * may not have, by the last arc under id-it (1.3.6.1.5.5.7.4). */
static const struct {
    const char *name;
    int arc;
} infotypes[] = {
    {"caProtEncCert", 1}, {"signKeyPairTypes", 2}, {"encKeyPairTypes", 3},
    {"preferredSymmAlg", 4}, {"caKeyUpdateInfo", 5}, {"currentCRL", 6},
    {"unsupportedOIDs", 7}, {"keyPairParamReq", 10}, {"keyPairParamRep", 11},
    {"revPassphrase", 12}, {"implicitConfirm", 13}, {"confirmWaitTime", 14},
    {"origPKIMessage", 15}, {"suppLangTags", 16}, {"caCerts", 17},
    {"rootCaKeyUpdate", 18}, {"certReqTemplate", 19}, {"rootCaCert", 20},
    {"certProfile", 21}, {"crlStatusList", 22}, {"crls", 23}, {"KemCiphertextInfo", 24},
};

ASN1_OBJECT *app_infotype_oid(const char *name)
{
    char buf[64];
    size_t i;
    int nid;

    for (i = 0; i < sizeof(infotypes) / sizeof(infotypes[0]); i++) {
        if (strcmp(infotypes[i].name, name) == 0) {
            snprintf(buf, sizeof(buf), "1.3.6.1.5.5.7.4.%d", infotypes[i].arc);
            return OBJ_txt2obj(buf, 1);
        }
    }
    /* others as openssl cmp: "id-it-" + name must be a known short name */
    snprintf(buf, sizeof(buf), "id-it-%s", name);
    if (strlen(name) < sizeof(buf) - 6 && (nid = OBJ_sn2nid(buf)) != NID_undef)
        return OBJ_nid2obj(nid);
    app_err("unknown OID name in -infotype option: '%s'", name);
    return NULL;
}

void app_itavs_free(struct app_itav *items, int n)
{
    int i;

    for (i = 0; i < n && items != NULL; i++) {
        ASN1_OBJECT_free(items[i].type);
        ASN1_TYPE_free(items[i].value);
    }
    OPENSSL_free(items);
}

/* The value of one -geninfo item after "OID:" into *value; *sp is moved
 * past it and its ','. Returns 1, or 0 after printing an error. */
static int geninfo_value(const char **sp, ASN1_TYPE **value)
{
    const char *p = *sp, *end;
    char *iend = NULL;
    ASN1_INTEGER *i = NULL;
    ASN1_UTF8STRING *s = NULL;
    long v;

    if (strncasecmp(p, "int:", 4) == 0) {
        errno = 0;
        v = strtol(p += 4, &iend, 10);
        end = iend;
        if (end == p || errno != 0) {
            app_err("cannot parse int in -geninfo arg %.40s", p);
            return 0;
        }
        end += strspn(end, " \t");
        if (*end != ',' && *end != '\0') {
            app_err("missing ',' or end of -geninfo arg after int at %.40s", end);
            return 0;
        }
        if ((i = ASN1_INTEGER_new()) == NULL || !ASN1_INTEGER_set(i, v)
            || (*value = ASN1_TYPE_new()) == NULL) {
            ASN1_INTEGER_free(i);
            return 0;
        }
        ASN1_TYPE_set(*value, V_ASN1_INTEGER, i);
    } else if (strncasecmp(p, "str:", 4) == 0) {
        if ((end = strchr(p += 4, ',')) == NULL)
            end = p + strlen(p);
        if ((s = ASN1_UTF8STRING_new()) == NULL || !ASN1_STRING_set(s, p, (int)(end - p))
            || (*value = ASN1_TYPE_new()) == NULL) {
            ASN1_UTF8STRING_free(s);
            return 0;
        }
        ASN1_TYPE_set(*value, V_ASN1_UTF8STRING, s);
    } else {
        app_err("missing 'int:' or 'str:' in -geninfo arg %.40s", p);
        return 0;
    }
    *sp = *end == ',' ? end + 1 : end;
    return 1;
}

int app_parse_geninfo(const char *spec, struct app_itav **items, int *n)
{
    const char *p = spec, *colon;
    struct app_itav *tmp;
    char *oid = NULL;
    int ret = 0;

    *items = NULL;
    *n = 0;
    while (*(p += strspn(p, " \t")) != '\0') {
        if ((colon = strchr(p, ':')) == NULL) {
            app_err("missing ':' in -geninfo arg %.40s", p);
            goto out;
        }
        if ((tmp = OPENSSL_realloc(*items, sizeof(**items) * (size_t)(*n + 1))) == NULL)
            goto out;
        *items = tmp;
        memset(&tmp[*n], 0, sizeof(*tmp));
        (*n)++;
        if ((oid = OPENSSL_strndup(p, (size_t)(colon - p))) == NULL)
            goto out;
        if ((tmp[*n - 1].type = OBJ_txt2obj(oid, 0)) == NULL) {
            app_err("invalid OID in -geninfo arg %.40s", p);
            goto out;
        }
        OPENSSL_free(oid);
        oid = NULL;
        p = colon + 1;
        if (!geninfo_value(&p, &tmp[*n - 1].value))
            goto out;
    }
    ret = 1;
out:
    OPENSSL_free(oid);
    if (!ret) {
        app_itavs_free(*items, *n);
        *items = NULL;
        *n = 0;
    }
    return ret;
}

int app_load_reqexts(const struct cmp_opts *o, X509_REQ *csr,
                     STACK_OF(X509_EXTENSION) **exts)
{
    X509V3_CTX ctx;

    *exts = NULL;
    if (o->reqexts == NULL && o->policies == NULL)
        return 1;
    if (o->conf == NULL) {
        app_err("-reqexts and -policies name sections of the configuration file; there is none");
        return 0;
    }
    if ((*exts = sk_X509_EXTENSION_new_null()) == NULL)
        return 0;
    X509V3_set_ctx(&ctx, NULL, NULL, csr, NULL, X509V3_CTX_REPLACE);
    X509V3_set_nconf(&ctx, o->conf);
    if (o->reqexts != NULL && !X509V3_EXT_add_nconf_sk(o->conf, &ctx, o->reqexts, exts)) {
        app_err("cannot load certificate request extension section '%s'", o->reqexts);
        goto err;
    }
    if (o->policies != NULL && !X509V3_EXT_add_nconf_sk(o->conf, &ctx, o->policies, exts)) {
        app_err("cannot load policy cert request extension section '%s'", o->policies);
        goto err;
    }
    return 1;
err:
    sk_X509_EXTENSION_pop_free(*exts, X509_EXTENSION_free);
    *exts = NULL;
    return 0;
}

int app_exts_have_san(const STACK_OF(X509_EXTENSION) *exts)
{
    return X509v3_get_ext_by_NID(exts, NID_subject_alt_name, -1) >= 0;
}
