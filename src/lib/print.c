/*
 * print.c - the template-driven printer of print.h, its leaf printers and
 * pkixcmp_msg_print().
 *
 * The walker reads the public template tables of openssl/asn1t.h (item
 * type, templates, field names, offsets) the way OpenSSL's own encoder
 * does, but through value slots: a template field is a slot in its parent
 * structure that holds a pointer to the value, except for BOOLEAN (an int
 * in the slot itself), primitives with their own functions (e.g. LONG, kept
 * in the slot) and EMBED fields (the structure itself in the parent). Passing
 * slots rather than values lets one function handle all of them.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include "asn1_types.h"
#include "print.h"
#include "typed_oid.h"

/* Nesting depth of the print_slot() calls of this thread: pxc_print_item()
 * is re-entered from the hooks, so the bound cannot be a parameter. */
static _Thread_local int print_depth;

typedef int item_printer(PXC_NODE *parent, const char *name,
                         const ASN1_VALUE *const *slot, const ASN1_ITEM *it);

static int print_slot(PXC_NODE *parent, const char *name,
                      const ASN1_VALUE *const *slot, const ASN1_ITEM *it);

/* ------------------------------------------------------- small helpers */

int pxc_bio_put_text(BIO *b, const unsigned char *data, size_t len)
{
    static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
    size_t start = 0, i;
    int ret = 0;

    for (i = 0; i <= len; i++) {
        if (i < len && data[i] != 0)
            continue;
        if (i > start && BIO_write(b, data + start, (int)(i - start)) != (int)(i - start))
            goto out;
        if (i < len && BIO_write(b, replacement, 3) != 3)
            goto out;
        start = i + 1;
    }
    ret = 1;
out:
    return ret;
}

PXC_NODE *pxc_node_add_bio(PXC_NODE *parent, const char *name, BIO *b)
{
    char *p = NULL;

    /* the memory BIO's data is not NUL-terminated */
    if (BIO_write(b, "", 1) != 1 || BIO_get_mem_data(b, &p) <= 0)
        return NULL;
    return pxc_node_add_string(parent, name, p);
}

int pxc_integer_value(const ASN1_STRING *a, long long *v)
{
    uint64_t mag = 0;
    int i, ret = 0, neg = (a->type & V_ASN1_NEG) != 0;

    /* by hand rather than ASN1_INTEGER_get_int64(), which would leave an
     * error on the queue for every large serial number */
    if (a->length > 8)
        goto out;
    for (i = 0; i < a->length; i++)
        mag = (mag << 8) | a->data[i];
    if (mag > (uint64_t)INT64_MAX + (uint64_t)neg)
        goto out;
    /* -(mag - 1) - 1: no overflow for -2^63 */
    *v = neg && mag > 0 ? -(long long)(mag - 1) - 1 : (long long)mag;
    ret = 1;
out:
    return ret;
}

const char *pxc_field_name(const ASN1_TEMPLATE *tt, char *buf, size_t len)
{
    const char *name = tt->field_name != NULL ? tt->field_name : "?", *dot;
    size_t n;

    /* ("?" if OpenSSL was built without field names) CHOICE arms are
     * "value.arm" */
    if ((dot = strrchr(name, '.')) != NULL)
        name = dot + 1;
    n = strlen(name);
    /* members named after a C keyword carry a trailing '_' ("int_") */
    if (n > 1 && name[n - 1] == '_')
        n--;
    if (n >= len)
        n = len - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

/* ------------------------------------------------------------ OID text */

/* Names of OIDs used with CMP that OpenSSL 3.0 does not know (see
 * shared/spec/oids.md; id-it and id-regCtrl ones come from typed_oid.c), and
 * the RFC names of the two CMP MACs that OpenSSL names in prose. */
static const struct {
    const char *dotted;
    const char *name;
} extra_oids[] = {
    {"1.2.840.113533.7.66.13", "id-PasswordBasedMac"},
    {"1.2.840.113533.7.66.30", "id-DHBasedMac"},
    {"1.2.840.113533.7.66.16", "id-KemBasedMac"},
    {"2.16.840.1.101.3.4.1.9", "id-aes128-GMAC"},
    {"2.16.840.1.101.3.4.1.29", "id-aes192-GMAC"},
    {"2.16.840.1.101.3.4.1.49", "id-aes256-GMAC"},
    {"1.2.840.113549.1.9.16.3.28", "id-alg-hkdf-with-sha256"},
    {"1.2.840.113549.1.9.16.3.29", "id-alg-hkdf-with-sha384"},
    {"1.2.840.113549.1.9.16.3.30", "id-alg-hkdf-with-sha512"},
    {"1.2.840.113549.1.9.16.1.21", "id-ct-encKeyWithID"},
    {"2.16.840.1.101.2.1.2.78.5", "id-ct-KP-aKeyPackage"},
    {"1.2.840.113549.1.9.16.13.3", "id-ori-kem"},
    {"1.3.6.1.5.5.7.6.30", "id-RSASSA-PSS-SHAKE128"},
    {"1.3.6.1.5.5.7.6.31", "id-RSASSA-PSS-SHAKE256"},
    {"1.3.6.1.5.5.7.6.32", "id-ecdsa-with-shake128"},
    {"1.3.6.1.5.5.7.6.33", "id-ecdsa-with-shake256"},
    {"1.3.132.1.15.0", "mqvSinglePass-sha224kdf-scheme"},
    {"1.3.132.1.15.1", "mqvSinglePass-sha256kdf-scheme"},
    {"1.3.132.1.15.2", "mqvSinglePass-sha384kdf-scheme"},
    {"1.3.132.1.15.3", "mqvSinglePass-sha512kdf-scheme"},
    {"2.16.840.1.101.3.4.4.1", "id-alg-ml-kem-512"},
    {"2.16.840.1.101.3.4.4.2", "id-alg-ml-kem-768"},
    {"2.16.840.1.101.3.4.4.3", "id-alg-ml-kem-1024"},
    {"2.16.840.1.101.3.4.3.17", "id-ml-dsa-44"},
    {"2.16.840.1.101.3.4.3.18", "id-ml-dsa-65"},
    {"2.16.840.1.101.3.4.3.19", "id-ml-dsa-87"},
};

/* The dotted form of oid, or NULL (not an OID, or out of memory). */
static char *oid_dotted(const ASN1_OBJECT *oid)
{
    char small[128], *buf = NULL;
    int len;

    len = OBJ_obj2txt(small, sizeof(small), oid, 1);
    if (len <= 0)
        goto out;
    if ((size_t)len < sizeof(small)) {
        buf = OPENSSL_strdup(small);
        goto out;
    }
    /* a long OID (attackers send those): ask again with room for it */
    if ((buf = OPENSSL_malloc((size_t)len + 1)) != NULL
        && OBJ_obj2txt(buf, len + 1, oid, 1) != len) {
        OPENSSL_free(buf);
        buf = NULL;
    }
out:
    return buf;
}

/* The name of an OID: pkixcmp's CMP names first (they are the RFC's), then
 * OpenSSL's long name; NULL if none. */
static const char *oid_name(const ASN1_OBJECT *oid, const char *dotted)
{
    const PXC_TYPED_OID *row;
    int nid;
    size_t i;

    if ((row = pxc_itav_lookup(oid)) != NULL || (row = pxc_attr_lookup(oid)) != NULL)
        return row->name;
    for (i = 0; i < PXC_NELEM(extra_oids); i++)
        if (strcmp(extra_oids[i].dotted, dotted) == 0)
            return extra_oids[i].name;
    if ((nid = OBJ_obj2nid(oid)) != NID_undef && OBJ_nid2ln(nid) != NULL)
        return OBJ_nid2ln(nid);
    return NULL;
}

char *pxc_oid_text(const ASN1_OBJECT *oid, int with_dotted)
{
    char *dotted = NULL, *ret = NULL;
    const char *name;
    size_t len;

    ERR_set_mark();
    dotted = oid != NULL ? oid_dotted(oid) : NULL;
    ERR_pop_to_mark();
    if (dotted == NULL) {
        ret = OPENSSL_strdup("(invalid OID)");
        goto out;
    }
    name = oid_name(oid, dotted);
    if (name == NULL) {
        ret = dotted;
        dotted = NULL; /* transferred */
        goto out;
    }
    if (!with_dotted) {
        ret = OPENSSL_strdup(name);
        goto out;
    }
    len = strlen(name) + strlen(dotted) + 4;
    if ((ret = OPENSSL_malloc(len)) != NULL)
        snprintf(ret, len, "%s (%s)", name, dotted);
out:
    OPENSSL_free(dotted);
    return ret;
}

int pxc_print_oid(PXC_NODE *parent, const char *name, const ASN1_OBJECT *oid)
{
    char *text = pxc_oid_text(oid, 1);
    int ret = text != NULL && pxc_node_add_string(parent, name, text) != NULL;

    OPENSSL_free(text);
    return ret;
}

/* ------------------------------------------------------- leaf printers */

int pxc_print_integer(PXC_NODE *parent, const char *name, const ASN1_STRING *a)
{
    static const char digits[] = "0123456789ABCDEF";
    long long v;
    char *buf = NULL;
    size_t n = 0;
    int i, ret = 0;

    if (pxc_integer_value(a, &v)) {
        ret = pxc_node_add_int(parent, name, v) != NULL;
        goto out;
    }
    /* too large for a number: "0x" and the magnitude in hex, as serials */
    if ((buf = OPENSSL_malloc((size_t)a->length * 2 + 4)) == NULL)
        goto out;
    if (a->type & V_ASN1_NEG)
        buf[n++] = '-';
    buf[n++] = '0';
    buf[n++] = 'x';
    for (i = 0; i < a->length; i++) {
        buf[n++] = digits[a->data[i] >> 4];
        buf[n++] = digits[a->data[i] & 0x0F];
    }
    buf[n] = '\0';
    ret = pxc_node_add_string(parent, name, buf) != NULL;
out:
    OPENSSL_free(buf);
    return ret;
}

int pxc_print_time(PXC_NODE *parent, const char *name, const ASN1_STRING *t)
{
    struct tm tm;
    int ok;

    ERR_set_mark();
    ok = ASN1_TIME_to_tm(t, &tm);
    ERR_pop_to_mark();
    if (!ok) /* not a valid time: show what it says */
        return pxc_print_text(parent, name, t);
    return pxc_node_add_stringf(parent, name, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                tm.tm_hour, tm.tm_min, tm.tm_sec) != NULL;
}

int pxc_print_text(PXC_NODE *parent, const char *name, const ASN1_STRING *s)
{
    /* string types whose bytes are not (a superset of) ASCII/UTF-8 */
    static const int convert[] = {V_ASN1_BMPSTRING, V_ASN1_UNIVERSALSTRING, V_ASN1_T61STRING};
    unsigned char *utf8 = NULL;
    const unsigned char *data = s->data;
    BIO *b = NULL;
    size_t i;
    int len = s->length, ret = 0;

    for (i = 0; i < PXC_NELEM(convert); i++) {
        if (s->type != convert[i])
            continue;
        ERR_set_mark();
        len = ASN1_STRING_to_UTF8(&utf8, s);
        ERR_pop_to_mark();
        /* badly encoded: show the raw bytes, the tree escapes them */
        if (len < 0)
            len = s->length;
        else
            data = utf8;
    }
    if ((b = BIO_new(BIO_s_mem())) == NULL || !pxc_bio_put_text(b, data, (size_t)len))
        goto out;
    ret = pxc_node_add_bio(parent, name, b) != NULL;
out:
    BIO_free(b);
    OPENSSL_free(utf8);
    return ret;
}

static int print_hex_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    const ASN1_STRING *s = v;

    return pxc_node_add_hex(parent, name, s->data, (size_t)s->length) != NULL;
}

static int print_bits_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    const ASN1_BIT_STRING *s = v;
    long unused = (s->flags & ASN1_STRING_FLAG_BITS_LEFT) ? (s->flags & 0x07) : 0;
    PXC_NODE *obj;

    if (unused == 0)
        return print_hex_leaf(parent, name, v);
    return (obj = pxc_node_add_object(parent, name)) != NULL
           && pxc_node_add_hex(obj, "bits", s->data, (size_t)s->length) != NULL
           && pxc_node_add_int(obj, "unusedBits", unused) != NULL;
}

static int print_int_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    return pxc_print_integer(parent, name, v);
}

static int print_oid_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    return pxc_print_oid(parent, name, v);
}

static int print_null_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    (void)v;
    return pxc_node_add_null(parent, name) != NULL;
}

static int print_time_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    return pxc_print_time(parent, name, v);
}

static int print_text_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    return pxc_print_text(parent, name, v);
}

static int print_any_leaf(PXC_NODE *parent, const char *name, const void *v)
{
    return pxc_print_any(parent, name, v);
}

typedef int leaf_printer(PXC_NODE *parent, const char *name, const void *v);

/* Universal type -> printer. The value is an ASN1_STRING for every type but
 * OBJECT (ASN1_OBJECT), ANY (ASN1_TYPE) and NULL (not read); types not
 * listed (SEQUENCE, SET, OTHER: the whole TLV) are shown as hex. */
static const struct {
    int utype;
    leaf_printer *print;
} leaf_table[] = {
    {V_ASN1_INTEGER, print_int_leaf},
    {V_ASN1_NEG_INTEGER, print_int_leaf},
    {V_ASN1_ENUMERATED, print_int_leaf},
    {V_ASN1_NEG_ENUMERATED, print_int_leaf},
    {V_ASN1_BIT_STRING, print_bits_leaf},
    {V_ASN1_OCTET_STRING, print_hex_leaf},
    {V_ASN1_OBJECT, print_oid_leaf},
    {V_ASN1_NULL, print_null_leaf},
    {V_ASN1_UTCTIME, print_time_leaf},
    {V_ASN1_GENERALIZEDTIME, print_time_leaf},
    {V_ASN1_UTF8STRING, print_text_leaf},
    {V_ASN1_PRINTABLESTRING, print_text_leaf},
    {V_ASN1_IA5STRING, print_text_leaf},
    {V_ASN1_T61STRING, print_text_leaf},
    {V_ASN1_VIDEOTEXSTRING, print_text_leaf},
    {V_ASN1_VISIBLESTRING, print_text_leaf},
    {V_ASN1_NUMERICSTRING, print_text_leaf},
    {V_ASN1_GRAPHICSTRING, print_text_leaf},
    {V_ASN1_GENERALSTRING, print_text_leaf},
    {V_ASN1_UNIVERSALSTRING, print_text_leaf},
    {V_ASN1_BMPSTRING, print_text_leaf},
    {V_ASN1_OBJECT_DESCRIPTOR, print_text_leaf},
    {V_ASN1_ANY, print_any_leaf},
};

static int print_leaf(PXC_NODE *parent, const char *name, int utype, const void *v)
{
    leaf_printer *print = print_hex_leaf;
    size_t i;

    for (i = 0; i < PXC_NELEM(leaf_table); i++)
        if (leaf_table[i].utype == utype)
            print = leaf_table[i].print;
    /* a NULL value only comes from structures built by code (an ANY of
     * V_ASN1_UNDEF), never from the decoder */
    if (v == NULL)
        print = print_null_leaf;
    return print(parent, name, v);
}

int pxc_print_any(PXC_NODE *parent, const char *name, const ASN1_TYPE *a)
{
    int ret;

    /* BOOLEAN is kept in the union itself; an ANY never holds an ANY */
    if (a == NULL || a->type == V_ASN1_ANY)
        ret = pxc_node_add_null(parent, name) != NULL;
    else if (a->type == V_ASN1_BOOLEAN)
        ret = pxc_node_add_bool(parent, name, a->value.boolean) != NULL;
    else
        ret = print_leaf(parent, name, a->type, a->value.ptr);
    return ret;
}

/* Hex of the DER of the value in slot: ASN1_item_ex_i2d() takes a slot,
 * so this also works for values kept in their slot. */
static int print_der_slot(PXC_NODE *parent, const char *name,
                          const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    unsigned char *der = NULL, *p;
    int len, ret = 0;

    ERR_set_mark();
    len = ASN1_item_ex_i2d((const ASN1_VALUE **)slot, NULL, it, -1, 0);
    if (len > 0 && (der = OPENSSL_malloc((size_t)len)) != NULL) {
        p = der;
        len = ASN1_item_ex_i2d((const ASN1_VALUE **)slot, &p, it, -1, 0);
    }
    ERR_pop_to_mark();
    if (len > 0 && der != NULL)
        ret = pxc_node_add_hex(parent, name, der, (size_t)len) != NULL;
    else
        ret = pxc_node_add_string(parent, name, "(not encodable)") != NULL;
    OPENSSL_free(der);
    return ret;
}

int pxc_print_der(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                  const ASN1_ITEM *it)
{
    return print_der_slot(parent, name, &val, it);
}

/* ------------------------------------------------------------- walker */

/* True for items whose value lives in the slot itself, not behind it. */
static int value_in_slot(const ASN1_ITEM *it)
{
    return it->itype == ASN1_ITYPE_PRIMITIVE && it->templates == NULL
           && (it->utype == V_ASN1_BOOLEAN || it->funcs != NULL);
}

static int print_in_slot(PXC_NODE *parent, const char *name,
                         const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    /* BOOLEAN: an int (-1 when absent); others (LONG ...): only their DER
     * is public */
    return it->funcs == NULL
               ? pxc_node_add_bool(parent, name, *(const ASN1_BOOLEAN *)slot) != NULL
               : print_der_slot(parent, name, slot, it);
}

static int print_primitive(PXC_NODE *parent, const char *name,
                           const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    /* an item template (PKIFreeText ...): its one template applies to the
     * item's own slot */
    return it->templates != NULL ? pxc_print_template(parent, name, slot, it->templates)
                                 : print_leaf(parent, name, (int)it->utype, *slot);
}

static int print_mstring(PXC_NODE *parent, const char *name,
                         const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    const ASN1_STRING *s = (const ASN1_STRING *)*slot;

    (void)it;
    /* a CHOICE of string types (Time, DirectoryString): the type says which */
    return print_leaf(parent, name, s->type, s);
}

static int print_sequence(PXC_NODE *parent, const char *name,
                          const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    PXC_NODE *obj = pxc_node_add_object(parent, name);

    return obj != NULL && pxc_print_members(obj, *slot, it);
}

static int print_choice(PXC_NODE *parent, const char *name,
                        const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    const ASN1_VALUE *const *arm = NULL;
    const ASN1_TEMPLATE *tt = pxc_choice_arm(*slot, it, &arm);
    PXC_NODE *obj;
    char fname[64];

    if (tt == NULL)
        return pxc_node_add_string(parent, name, "(no CHOICE arm selected)") != NULL;
    return (obj = pxc_node_add_object(parent, name)) != NULL
           && pxc_print_template(obj, pxc_field_name(tt, fname, sizeof(fname)), arm, tt);
}

static int print_extern(PXC_NODE *parent, const char *name,
                        const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    /* an OpenSSL type with its own code and no hook: its DER */
    return print_der_slot(parent, name, slot, it);
}

static const struct {
    char itype;
    item_printer *print;
} itype_table[] = {
    {ASN1_ITYPE_PRIMITIVE, print_primitive},
    {ASN1_ITYPE_MSTRING, print_mstring},
    {ASN1_ITYPE_SEQUENCE, print_sequence},
    {ASN1_ITYPE_NDEF_SEQUENCE, print_sequence},
    {ASN1_ITYPE_CHOICE, print_choice},
    {ASN1_ITYPE_EXTERN, print_extern},
};

static int print_by_itype(PXC_NODE *parent, const char *name,
                          const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    size_t i;

    for (i = 0; i < PXC_NELEM(itype_table); i++)
        if (itype_table[i].itype == it->itype)
            return itype_table[i].print(parent, name, slot, it);
    return print_der_slot(parent, name, slot, it);
}

static int print_slot(PXC_NODE *parent, const char *name,
                      const ASN1_VALUE *const *slot, const ASN1_ITEM *it)
{
    pxc_print_hook *hook;
    int ret = 0;

    print_depth++;
    if (print_depth > PXC_PRINT_MAX_DEPTH) {
        ret = pxc_node_add_string(parent, name, "(nested too deep)") != NULL;
        goto out;
    }
    if (value_in_slot(it)) {
        ret = print_in_slot(parent, name, slot, it);
        goto out;
    }
    if (*slot == NULL) {
        ret = pxc_node_add_null(parent, name) != NULL;
        goto out;
    }
    if ((hook = pxc_print_hook_find(it)) != NULL)
        ret = hook(parent, name, *slot, it);
    else
        ret = print_by_itype(parent, name, slot, it);
out:
    print_depth--;
    return ret;
}

int pxc_print_template(PXC_NODE *parent, const char *name,
                       const ASN1_VALUE *const *slot, const ASN1_TEMPLATE *tt)
{
    const OPENSSL_STACK *sk = (const OPENSSL_STACK *)*slot;
    const ASN1_VALUE *elem;
    PXC_NODE *arr;
    int i, ret = 0;

    /* ANY DEFINED BY tables (ADB): none in CMP; their item is not an item */
    if (tt->flags & ASN1_TFLG_ADB_MASK) {
        ret = pxc_node_add_string(parent, name, "(not shown)") != NULL;
        goto out;
    }
    if ((tt->flags & ASN1_TFLG_SK_MASK) == 0) {
        ret = print_slot(parent, name, slot, ASN1_ITEM_ptr(tt->item));
        goto out;
    }
    /* SEQUENCE OF / SET OF: the slot holds a stack of element pointers */
    if ((arr = pxc_node_add_array(parent, name)) == NULL)
        goto out;
    for (i = 0; i < OPENSSL_sk_num(sk) && i < PXC_PRINT_MAX_ELEMENTS; i++) {
        elem = OPENSSL_sk_value(sk, i);
        if (!print_slot(arr, NULL, &elem, ASN1_ITEM_ptr(tt->item)))
            goto out;
    }
    if (OPENSSL_sk_num(sk) > PXC_PRINT_MAX_ELEMENTS
        && pxc_node_add_stringf(arr, NULL, "(%d more)",
                                OPENSSL_sk_num(sk) - PXC_PRINT_MAX_ELEMENTS) == NULL)
        goto out;
    ret = 1;
out:
    return ret;
}

/* Whether the field in slot of template tt holds a value (absent OPTIONAL
 * fields are omitted from the output). */
static int field_present(const ASN1_VALUE *const *slot, const ASN1_TEMPLATE *tt)
{
    const ASN1_ITEM *it;

    if ((tt->flags & (ASN1_TFLG_ADB_MASK | ASN1_TFLG_SK_MASK)) != 0
        || !value_in_slot(it = ASN1_ITEM_ptr(tt->item)))
        return *slot != NULL;
    /* BOOLEAN is -1 when absent; other values in the slot cannot tell */
    return it->funcs != NULL || *(const ASN1_BOOLEAN *)slot != -1;
}

int pxc_print_members(PXC_NODE *obj, const ASN1_VALUE *val, const ASN1_ITEM *it)
{
    const ASN1_TEMPLATE *tt;
    const ASN1_VALUE *const *slot;
    const ASN1_VALUE *embedded;
    char fname[64];
    long i;
    int ret = 0;

    if (it->itype != ASN1_ITYPE_SEQUENCE && it->itype != ASN1_ITYPE_NDEF_SEQUENCE) {
        ret = pxc_print_item(obj, pxc_item_name(it), val, it);
        goto out;
    }
    for (i = 0; i < it->tcount; i++) {
        tt = &it->templates[i];
        slot = (const ASN1_VALUE *const *)((const char *)val + tt->offset);
        if (tt->flags & ASN1_TFLG_EMBED) {
            /* the structure itself is in the parent: point at it */
            embedded = (const ASN1_VALUE *)((const char *)val + tt->offset);
            slot = &embedded;
        }
        if (field_present(slot, tt)
            && !pxc_print_template(obj, pxc_field_name(tt, fname, sizeof(fname)), slot, tt))
            goto out;
    }
    ret = 1;
out:
    return ret;
}

const ASN1_TEMPLATE *pxc_choice_arm(const ASN1_VALUE *val, const ASN1_ITEM *it,
                                    const ASN1_VALUE *const **slot)
{
    const ASN1_TEMPLATE *tt = NULL;
    int sel;

    if (val == NULL || it->itype != ASN1_ITYPE_CHOICE)
        goto out;
    /* the selector is an int at offset utype of the CHOICE structure; -1
     * (nothing selected) in values made by ASN1_item_new() */
    sel = *(const int *)((const char *)val + it->utype);
    if (sel < 0 || sel >= it->tcount)
        goto out;
    tt = &it->templates[sel];
    *slot = (const ASN1_VALUE *const *)((const char *)val + tt->offset);
out:
    return tt;
}

int pxc_print_item(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                   const ASN1_ITEM *it)
{
    /* val's own variable is its slot (for BOOLEAN it holds the int) */
    return print_slot(parent, name, &val, it);
}

/* ------------------------------------------------------ PKIMessage API */

typedef int tree_renderer(BIO *out, const PXC_NODE *root);

static const struct {
    int style;
    tree_renderer *render;
} renderers[] = {
    {PKIXCMP_PRINT_TEXT, pxc_node_render_text},
    {PKIXCMP_PRINT_JSON, pxc_node_render_json},
};

int pkixcmp_msg_print(BIO *out, const PKIXCMP_MSG *msg, int style)
{
    tree_renderer *render = NULL;
    PXC_NODE *root = NULL;
    size_t i;
    int ret = 0;

    for (i = 0; i < PXC_NELEM(renderers); i++)
        if (renderers[i].style == style)
            render = renderers[i].render;
    if (out == NULL || msg == NULL || render == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "pkixcmp_msg_print: %s",
                render == NULL ? "unknown style" : "NULL argument");
        goto out;
    }
    /* the message's fields are the members of the top object */
    if ((root = pxc_node_new_root()) == NULL
        || !pxc_print_members(root, (const ASN1_VALUE *)msg,
                              ASN1_ITEM_rptr(PKIXCMP_PKIMessage))) {
        PXC_ERR(PKIXCMP_E_MALLOC, "PKIMessage: cannot build the printed tree");
        goto out;
    }
    if (!render(out, root)) {
        PXC_ERR(PKIXCMP_E_IO, "PKIMessage: cannot write the printed message");
        goto out;
    }
    ret = 1;
out:
    pxc_node_free(root);
    return ret;
}
