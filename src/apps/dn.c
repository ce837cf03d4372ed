/*
 * dn.c - distinguished names in openssl's "/type0=value0/type1=value1"
 * form (-subject, -issuer, -recipient, -expect_sender): a backslash
 * escapes the next character, "+" joins attributes into one multi-valued
 * RDN, types are short names, long names or registered OIDs, values are
 * UTF-8. As openssl, an unknown type or an empty value skips that
 * attribute with a warning.
 */
#include <string.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include "apps.h"

/*
 * Copies the next token of *sp into buf, up to an unescaped character of
 * stops or the end, removing escapes; *sp then points at that character.
 * Returns 1, or 0 if a backslash ends the string.
 */
static int token(const char **sp, const char *stops, char *buf)
{
    const char *s = *sp;
    size_t n = 0;

    while (*s != '\0' && strchr(stops, *s) == NULL) {
        if (*s == '\\' && *++s == '\0')
            return 0;
        buf[n++] = *s++;
    }
    buf[n] = '\0';
    *sp = s;
    return 1;
}

/* Adds type=value, joined to the previous RDN if multi. 1, or 0 on error. */
static int add_attr(const struct cmp_opts *o, X509_NAME *name, const char *type,
                    const char *value, int multi, const char *desc)
{
    int nid = OBJ_txt2nid(type);

    if (nid == NID_undef) {
        app_warn(o, "skipping unknown %s name attribute \"%s\"", desc, type);
        return 1;
    }
    if (value[0] == '\0') {
        app_warn(o, "no value given for %s name attribute \"%s\", skipped", desc, type);
        return 1;
    }
    if (!X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, (const unsigned char *)value,
                                    -1, -1, multi ? -1 : 0)) {
        app_err("cannot add %s name attribute %s=%s", desc, type, value);
        return 0;
    }
    return 1;
}

X509_NAME *app_parse_name(const struct cmp_opts *o, const char *dn, const char *desc)
{
    X509_NAME *name = NULL, *ret = NULL;
    char *buf = NULL, *type, *value;
    const char *s = dn;
    int multi = 0, next_multi;

    if (*s++ != '/') {
        app_err("%s name is expected in the form /type0=value0/type1=value1/type2=... "
                "where characters may be escaped by \\; this is not: '%s'", desc, dn);
        goto out;
    }
    /* every token is shorter than the input */
    if ((buf = OPENSSL_malloc(2 * strlen(dn) + 2)) == NULL || (name = X509_NAME_new()) == NULL)
        goto out;
    type = buf;
    value = buf + strlen(dn) + 1;
    while (*s != '\0') {
        if (!token(&s, "=", type) || *s != '=') {
            app_err("%s name '%s': no '=' after attribute type \"%s\"", desc, dn, type);
            goto out;
        }
        s++;
        if (!token(&s, "/+", value)) {
            app_err("%s name '%s' ends with an escape character", desc, dn);
            goto out;
        }
        next_multi = *s == '+';
        if (*s != '\0')
            s++;
        if (!add_attr(o, name, type, value, multi, desc))
            goto out;
        multi = next_multi;
    }
    ret = name;
    name = NULL; /* transferred */
out:
    OPENSSL_free(buf);
    X509_NAME_free(name);
    return ret;
}
