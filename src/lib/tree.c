/*
 * tree.c - the printable tree of tree.h and its two renderings.
 *
 * Every string in the tree may come from an attacker's message, so both
 * renderings treat node names and values as arbitrary bytes: JSON output is
 * always valid UTF-8 with every control character escaped, and the text form
 * shows only printable characters, so no byte of a message can reach a
 * terminal as a control sequence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include "tree.h"

typedef enum {
    NODE_OBJECT, NODE_ARRAY, NODE_STRING, NODE_INT, NODE_BOOL, NODE_NULL, NODE_HEX
} node_kind;

struct pxc_node_st {
    node_kind kind;
    char *name;             /* NULL for array elements and the root */
    char *str;              /* NODE_STRING */
    unsigned char *data;    /* NODE_HEX */
    size_t len;             /* NODE_HEX */
    long long num;          /* NODE_INT, NODE_BOOL */
    PXC_NODE *first, *last; /* children of objects and arrays */
    PXC_NODE *next;         /* next sibling */
    size_t count;
};

/* Rendering recursion bound; the printer nests far less deeply than this. */
#define RENDER_MAX_DEPTH 200
/* Bytes per line of a wrapped hex value in the text form. */
#define HEX_PER_LINE 16

static PXC_NODE *node_new(node_kind kind)
{
    PXC_NODE *n = OPENSSL_zalloc(sizeof(*n));

    if (n != NULL)
        n->kind = kind;
    return n;
}

PXC_NODE *pxc_node_new_root(void)
{
    return node_new(NODE_OBJECT);
}

void pxc_node_free(PXC_NODE *node)
{
    PXC_NODE *child, *next;

    if (node == NULL)
        return;
    /* children are freed recursively, but the tree is only as deep as the
     * printer made it (bounded there) */
    for (child = node->first; child != NULL; child = next) {
        next = child->next;
        pxc_node_free(child);
    }
    OPENSSL_free(node->name);
    OPENSSL_free(node->str);
    OPENSSL_free(node->data);
    OPENSSL_free(node);
}

static int is_container(const PXC_NODE *n)
{
    return n != NULL && (n->kind == NODE_OBJECT || n->kind == NODE_ARRAY);
}

/* Links a new child of the given kind under parent, named unless parent is
 * an array. */
static PXC_NODE *add_child(PXC_NODE *parent, const char *name, node_kind kind)
{
    PXC_NODE *ret = NULL, *n = NULL;

    if (!is_container(parent))
        goto out;
    if ((n = node_new(kind)) == NULL)
        goto out;
    if (parent->kind == NODE_OBJECT) {
        n->name = OPENSSL_strdup(name != NULL ? name : "");
        if (n->name == NULL)
            goto out;
    }
    if (parent->last != NULL)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    parent->count++;
    ret = n;
    n = NULL; /* transferred */
out:
    pxc_node_free(n);
    return ret;
}

PXC_NODE *pxc_node_add_object(PXC_NODE *parent, const char *name)
{
    return add_child(parent, name, NODE_OBJECT);
}

PXC_NODE *pxc_node_add_array(PXC_NODE *parent, const char *name)
{
    return add_child(parent, name, NODE_ARRAY);
}

PXC_NODE *pxc_node_add_string(PXC_NODE *parent, const char *name, const char *value)
{
    PXC_NODE *n = NULL;
    char *copy = OPENSSL_strdup(value != NULL ? value : "");

    if (copy != NULL && (n = add_child(parent, name, NODE_STRING)) != NULL) {
        n->str = copy;
        copy = NULL; /* transferred */
    }
    OPENSSL_free(copy);
    return n;
}

PXC_NODE *pxc_node_add_stringf(PXC_NODE *parent, const char *name, const char *fmt, ...)
{
    PXC_NODE *ret = NULL;
    char *buf = NULL;
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || (buf = OPENSSL_malloc((size_t)len + 1)) == NULL)
        goto out;
    va_start(ap, fmt);
    len = vsnprintf(buf, (size_t)len + 1, fmt, ap);
    va_end(ap);
    if (len < 0)
        goto out;
    ret = pxc_node_add_string(parent, name, buf);
out:
    OPENSSL_free(buf);
    return ret;
}

PXC_NODE *pxc_node_add_int(PXC_NODE *parent, const char *name, long long value)
{
    PXC_NODE *n = add_child(parent, name, NODE_INT);

    if (n != NULL)
        n->num = value;
    return n;
}

PXC_NODE *pxc_node_add_bool(PXC_NODE *parent, const char *name, int value)
{
    PXC_NODE *n = add_child(parent, name, NODE_BOOL);

    if (n != NULL)
        n->num = value != 0;
    return n;
}

PXC_NODE *pxc_node_add_null(PXC_NODE *parent, const char *name)
{
    return add_child(parent, name, NODE_NULL);
}

PXC_NODE *pxc_node_add_hex(PXC_NODE *parent, const char *name,
                           const unsigned char *data, size_t len)
{
    PXC_NODE *n = NULL;
    /* one extra byte so that an empty value still gets a real allocation */
    unsigned char *copy = OPENSSL_malloc(len + 1);

    if (copy == NULL || (len > 0 && data == NULL))
        goto out;
    if (len > 0)
        memcpy(copy, data, len);
    if ((n = add_child(parent, name, NODE_HEX)) == NULL)
        goto out;
    n->data = copy;
    n->len = len;
    copy = NULL; /* transferred */
out:
    OPENSSL_free(copy);
    return n;
}

size_t pxc_node_count(const PXC_NODE *node)
{
    return is_container(node) ? node->count : 0;
}

/* ------------------------------------------------------------- output */

/* Buffered writer: escaping works byte by byte, and one BIO_write per byte
 * would be slow; the first write error sticks. */
typedef struct {
    BIO *bio;
    size_t n;
    int err;
    char buf[4096];
} sink;

static void sink_flush(sink *s)
{
    if (s->n > 0 && !s->err && BIO_write(s->bio, s->buf, (int)s->n) != (int)s->n)
        s->err = 1;
    s->n = 0;
}

static void sink_putc(sink *s, char c)
{
    if (s->n == sizeof(s->buf))
        sink_flush(s);
    s->buf[s->n++] = c;
}

static void sink_puts(sink *s, const char *str)
{
    while (*str != '\0')
        sink_putc(s, *str++);
}

static void sink_printf(sink *s, const char *fmt, ...) PXC_PRINTF(2, 3);
static void sink_printf(sink *s, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= sizeof(tmp))
        s->err = 1; /* only used for short numbers and escapes */
    else
        sink_puts(s, tmp);
}

static void sink_indent(sink *s, int level)
{
    int i;

    for (i = 0; i < level; i++)
        sink_puts(s, "  ");
}

/*
 * Decodes one UTF-8 sequence at p (n bytes left). Returns its length and the
 * code point in *cp, or 0 if the bytes are not well-formed UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF).
 */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned long *cp)
{
    static const struct {
        unsigned char lead_mask, lead_bits;
        size_t len;
        unsigned long min;
    } forms[] = {
        {0x80, 0x00, 1, 0x0}, {0xE0, 0xC0, 2, 0x80},
        {0xF0, 0xE0, 3, 0x800}, {0xF8, 0xF0, 4, 0x10000},
    };
    size_t f, i;
    unsigned long v;

    for (f = 0; f < PXC_NELEM(forms); f++)
        if ((p[0] & forms[f].lead_mask) == forms[f].lead_bits)
            break;
    if (f == PXC_NELEM(forms) || forms[f].len > n)
        return 0;
    v = p[0] & (unsigned char)~forms[f].lead_mask;
    for (i = 1; i < forms[f].len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < forms[f].min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return forms[f].len;
}

/* Code points shown escaped in both forms: C0 and C1 controls, DEL, and the
 * bidirectional overrides that can make displayed text lie about its order. */
static int cp_needs_escape(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E)
           || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* Short escapes shared by both forms (JSON's set, RFC 8259 section 7). */
static const char *short_escape(unsigned long cp)
{
    static const struct {
        unsigned long cp;
        const char *esc;
    } table[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\b', "\\b"}, {'\f', "\\f"},
        {'\n', "\\n"}, {'\r', "\\r"}, {'\t', "\\t"},
    };
    size_t i;

    for (i = 0; i < PXC_NELEM(table); i++)
        if (table[i].cp == cp)
            return table[i].esc;
    return NULL;
}

/*
 * Writes str escaped. json: the content of a JSON string (invalid bytes
 * become U+FFFD). Text: backslash escapes as in JSON, invalid bytes as \xNN;
 * quotes are left alone, as the text form does not quote.
 */
static void put_escaped(sink *s, const char *str, int json)
{
    const unsigned char *p = (const unsigned char *)str;
    size_t n = strlen(str), len, i;
    unsigned long cp = 0;
    const char *esc;

    while (n > 0) {
        len = utf8_decode(p, n, &cp);
        if (len == 0) {
            if (json)
                sink_puts(s, "\\uFFFD");
            else
                sink_printf(s, "\\x%02X", p[0]);
            len = 1;
        } else if ((esc = short_escape(cp)) != NULL && (json || cp != '"')) {
            sink_puts(s, esc);
        } else if (cp_needs_escape(cp)) {
            sink_printf(s, "\\u%04lX", cp);
        } else {
            for (i = 0; i < len; i++) /* valid and printable: as it is */
                sink_putc(s, (char)p[i]);
        }
        p += len;
        n -= len;
    }
}

static void put_hex(sink *s, const unsigned char *data, size_t from, size_t to,
                    const char *sep)
{
    static const char digits[] = "0123456789ABCDEF";
    size_t i;

    for (i = from; i < to; i++) {
        if (i > from)
            sink_puts(s, sep);
        sink_putc(s, digits[data[i] >> 4]);
        sink_putc(s, digits[data[i] & 0x0F]);
    }
}

/* ---------------------------------------------------------------- text */

static void text_scalar(sink *s, const PXC_NODE *n)
{
    switch (n->kind) {
    case NODE_STRING:
        if (n->str[0] == '\0')
            sink_puts(s, "\"\"");
        else
            put_escaped(s, n->str, 0);
        break;
    case NODE_INT:
        sink_printf(s, "%lld", n->num);
        break;
    case NODE_BOOL:
        sink_puts(s, n->num ? "true" : "false");
        break;
    case NODE_NULL:
        sink_puts(s, "NULL");
        break;
    case NODE_HEX:
        if (n->len == 0)
            sink_puts(s, "\"\"");
        else
            put_hex(s, n->data, 0, n->len, ":");
        break;
    default:
        s->err = 1;
        break;
    }
}

/* Long hex goes on lines of its own below the name, HEX_PER_LINE bytes each. */
static void text_long_hex(sink *s, const PXC_NODE *n, int level)
{
    size_t i, end;

    for (i = 0; i < n->len; i += HEX_PER_LINE) {
        end = n->len - i > HEX_PER_LINE ? i + HEX_PER_LINE : n->len;
        sink_putc(s, '\n');
        sink_indent(s, level + 1);
        put_hex(s, n->data, i, end, ":");
        if (end < n->len)
            sink_putc(s, ':');
    }
}

static void text_children(sink *s, const PXC_NODE *n, int level);

/* What follows "name:" on a line. */
static void text_value(sink *s, const PXC_NODE *n, int level)
{
    if (is_container(n) && n->first == NULL) {
        sink_puts(s, n->kind == NODE_OBJECT ? " {}\n" : " []\n");
    } else if (is_container(n) && level >= RENDER_MAX_DEPTH) {
        sink_puts(s, " ...\n");
    } else if (is_container(n)) {
        sink_putc(s, '\n');
        text_children(s, n, level + 1);
    } else if (n->kind == NODE_HEX && n->len > HEX_PER_LINE) {
        text_long_hex(s, n, level);
        sink_putc(s, '\n');
    } else {
        sink_putc(s, ' ');
        text_scalar(s, n);
        sink_putc(s, '\n');
    }
}

/* One "name: value" line (or block) per child; array elements are "[i]". */
static void text_children(sink *s, const PXC_NODE *n, int level)
{
    const PXC_NODE *c;
    size_t i = 0;

    for (c = n->first; c != NULL; c = c->next, i++) {
        sink_indent(s, level);
        if (n->kind == NODE_ARRAY)
            sink_printf(s, "[%zu]", i);
        else
            put_escaped(s, c->name, 0);
        sink_putc(s, ':');
        text_value(s, c, level);
    }
}

static void sink_init(sink *s, BIO *out)
{
    s->bio = out;
    s->n = 0;
    s->err = out == NULL;
}

int pxc_node_render_text(BIO *out, const PXC_NODE *root)
{
    sink s;

    sink_init(&s, out);
    if (root == NULL || s.err)
        return 0;
    /* the root has no name: its members start at the left margin */
    if (is_container(root)) {
        text_children(&s, root, 0);
    } else {
        text_scalar(&s, root);
        sink_putc(&s, '\n');
    }
    sink_flush(&s);
    return !s.err;
}

/* ---------------------------------------------------------------- JSON */

static void json_value(sink *s, const PXC_NODE *n, int level);

static void json_container(sink *s, const PXC_NODE *n, int level)
{
    const PXC_NODE *c;
    int obj = n->kind == NODE_OBJECT;

    if (n->first == NULL || level >= RENDER_MAX_DEPTH) {
        sink_puts(s, obj ? "{}" : "[]");
        return;
    }
    sink_putc(s, obj ? '{' : '[');
    for (c = n->first; c != NULL; c = c->next) {
        sink_putc(s, '\n');
        sink_indent(s, level + 1);
        if (obj) {
            sink_putc(s, '"');
            put_escaped(s, c->name, 1);
            sink_puts(s, "\": ");
        }
        json_value(s, c, level + 1);
        if (c->next != NULL)
            sink_putc(s, ',');
    }
    sink_putc(s, '\n');
    sink_indent(s, level);
    sink_putc(s, obj ? '}' : ']');
}

static void json_value(sink *s, const PXC_NODE *n, int level)
{
    switch (n->kind) {
    case NODE_OBJECT:
    case NODE_ARRAY:
        json_container(s, n, level);
        break;
    case NODE_STRING:
        sink_putc(s, '"');
        put_escaped(s, n->str, 1);
        sink_putc(s, '"');
        break;
    case NODE_HEX:
        sink_putc(s, '"');
        put_hex(s, n->data, 0, n->len, "");
        sink_putc(s, '"');
        break;
    case NODE_INT:
        sink_printf(s, "%lld", n->num);
        break;
    case NODE_BOOL:
        sink_puts(s, n->num ? "true" : "false");
        break;
    case NODE_NULL:
        sink_puts(s, "null");
        break;
    default:
        s->err = 1;
        break;
    }
}

int pxc_node_render_json(BIO *out, const PXC_NODE *root)
{
    sink s;

    sink_init(&s, out);
    if (root == NULL || s.err)
        return 0;
    json_value(&s, root, 0);
    sink_putc(&s, '\n');
    sink_flush(&s);
    return !s.err;
}
