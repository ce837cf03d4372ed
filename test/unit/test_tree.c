/* test_tree.c - the printable tree and its text and JSON renderings,
 * including the escaping of bytes that come from attackers. */
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include "tree.h"
#include "tap.h"

/* Renders root with render into a new NUL-terminated string (or NULL). */
static char *render(int (*fn)(BIO *, const PXC_NODE *), const PXC_NODE *root)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *data = NULL, *ret = NULL;
    long len;

    if (mem == NULL || !fn(mem, root) || BIO_write(mem, "", 1) != 1)
        goto out;
    len = BIO_get_mem_data(mem, &data);
    if (len > 0)
        ret = OPENSSL_strdup(data);
out:
    BIO_free(mem);
    return ret;
}

static const unsigned char hex3[] = {0x0A, 0x1B, 0x2C};

/* One of each kind of node, and strings that need escaping. */
static PXC_NODE *build_tree(void)
{
    PXC_NODE *root = pxc_node_new_root(), *arr, *obj;
    unsigned char longhex[20];
    size_t i;
    int ok;

    for (i = 0; i < sizeof(longhex); i++)
        longhex[i] = (unsigned char)i;
    ok = root != NULL
         && pxc_node_add_string(root, "name", "plain") != NULL
         && pxc_node_add_string(root, "quote", "say \"hi\" \\ ok") != NULL
         && pxc_node_add_string(root, "ctrl", "a\nb\t\x01\x1b[31mred\x7f") != NULL
         && pxc_node_add_string(root, "bad", "x\xff\xc3(y") != NULL
         && pxc_node_add_string(root, "utf8", "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac") != NULL
         && pxc_node_add_string(root, "bidi", "a\xe2\x80\xae" "b") != NULL
         && pxc_node_add_string(root, "c1", "\xc2\x9b") != NULL
         && pxc_node_add_string(root, "invalid", "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80") != NULL
         && pxc_node_add_stringf(root, "fmt", "%s-%d", "x", 7) != NULL
         && pxc_node_add_int(root, "n", 42) != NULL
         && pxc_node_add_int(root, "neg", -7) != NULL
         && pxc_node_add_bool(root, "t", 5) != NULL
         && pxc_node_add_bool(root, "f", 0) != NULL
         && pxc_node_add_null(root, "z") != NULL
         && pxc_node_add_hex(root, "hex", hex3, sizeof(hex3)) != NULL
         && pxc_node_add_string(root, "empty", "") != NULL
         && pxc_node_add_hex(root, "emptyhex", NULL, 0) != NULL
         && pxc_node_add_object(root, "obj") != NULL
         && (arr = pxc_node_add_array(root, "arr")) != NULL
         && pxc_node_add_int(arr, "ignored", 1) != NULL
         && pxc_node_add_string(arr, NULL, "two") != NULL
         && (obj = pxc_node_add_object(arr, NULL)) != NULL
         && pxc_node_add_string(obj, "k", "v") != NULL
         && pxc_node_add_array(arr, NULL) != NULL
         && pxc_node_add_hex(root, "long", longhex, sizeof(longhex)) != NULL;
    if (!ok) {
        pxc_node_free(root);
        root = NULL;
    }
    return root;
}

static const char want_text[] =
    "name: plain\n"
    "quote: say \"hi\" \\\\ ok\n"
    "ctrl: a\\nb\\t\\u0001\\u001B[31mred\\u007F\n"
    "bad: x\\xFF\\xC3(y\n"
    "utf8: Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac\n"
    "bidi: a\\u202Eb\n"
    "c1: \\u009B\n"
    "invalid: \\xC0\\xAF \\xED\\xA0\\x80 \\xF4\\x90\\x80\\x80\n"
    "fmt: x-7\n"
    "n: 42\n"
    "neg: -7\n"
    "t: true\n"
    "f: false\n"
    "z: NULL\n"
    "hex: 0A:1B:2C\n"
    "empty: \"\"\n"
    "emptyhex: \"\"\n"
    "obj: {}\n"
    "arr:\n"
    "  [0]: 1\n"
    "  [1]: two\n"
    "  [2]:\n"
    "    k: v\n"
    "  [3]: []\n"
    "long:\n"
    "  00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:\n"
    "  10:11:12:13\n";

static const char want_json[] =
    "{\n"
    "  \"name\": \"plain\",\n"
    "  \"quote\": \"say \\\"hi\\\" \\\\ ok\",\n"
    "  \"ctrl\": \"a\\nb\\t\\u0001\\u001B[31mred\\u007F\",\n"
    "  \"bad\": \"x\\uFFFD\\uFFFD(y\",\n"
    "  \"utf8\": \"Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac\",\n"
    "  \"bidi\": \"a\\u202Eb\",\n"
    "  \"c1\": \"\\u009B\",\n"
    "  \"invalid\": \"\\uFFFD\\uFFFD \\uFFFD\\uFFFD\\uFFFD \\uFFFD\\uFFFD\\uFFFD\\uFFFD\",\n"
    "  \"fmt\": \"x-7\",\n"
    "  \"n\": 42,\n"
    "  \"neg\": -7,\n"
    "  \"t\": true,\n"
    "  \"f\": false,\n"
    "  \"z\": null,\n"
    "  \"hex\": \"0A1B2C\",\n"
    "  \"empty\": \"\",\n"
    "  \"emptyhex\": \"\",\n"
    "  \"obj\": {},\n"
    "  \"arr\": [\n"
    "    1,\n"
    "    \"two\",\n"
    "    {\n"
    "      \"k\": \"v\"\n"
    "    },\n"
    "    []\n"
    "  ],\n"
    "  \"long\": \"000102030405060708090A0B0C0D0E0F10111213\"\n"
    "}\n";

static void test_render(void)
{
    PXC_NODE *root = build_tree();
    char *text = NULL, *json = NULL;

    ok(root != NULL, "tree built");
    if (root == NULL)
        return;
    is_int(pxc_node_count(root), 20, "root has 20 members");
    text = render(pxc_node_render_text, root);
    json = render(pxc_node_render_json, root);
    is_str(text, want_text, "text rendering, escaped");
    is_str(json, want_json, "JSON rendering, escaped");
    /* no raw control byte (ESC in particular) reaches the output */
    ok(text != NULL && strchr(text, 0x1b) == NULL && strchr(text, 0x7f) == NULL,
       "no terminal escape in text");
    ok(json != NULL && strchr(json, 0x1b) == NULL, "no terminal escape in JSON");
    OPENSSL_free(text);
    OPENSSL_free(json);
    pxc_node_free(root);
}

static void test_api_edges(void)
{
    PXC_NODE *root = pxc_node_new_root(), *leaf, *arr;
    char *out;
    BIO *ro;

    leaf = pxc_node_add_int(root, "leaf", 1);
    ok(pxc_node_add_int(leaf, "child", 2) == NULL, "a leaf takes no children");
    ok(pxc_node_add_string(NULL, "x", "y") == NULL, "NULL parent refused");
    is_int(pxc_node_count(leaf), 0, "a leaf counts no children");
    is_int(pxc_node_count(NULL), 0, "NULL counts no children");
    arr = pxc_node_add_array(root, "a");
    ok(pxc_node_add_null(arr, NULL) != NULL, "array element without name");
    is_int(pxc_node_count(arr), 1, "array counts its element");
    ok(pxc_node_add_string(root, NULL, NULL) != NULL, "NULL name and value allowed");
    out = render(pxc_node_render_json, root);
    is_str(out, "{\n  \"leaf\": 1,\n  \"a\": [\n    null\n  ],\n  \"\": \"\"\n}\n",
           "NULL name and value render as empty strings");
    OPENSSL_free(out);
    /* a read-only memory BIO fails every write: rendering reports it */
    ro = BIO_new_mem_buf("x", 1);
    ok(pxc_node_render_text(ro, root) == 0, "text rendering reports write failure");
    ok(pxc_node_render_json(ro, root) == 0, "JSON rendering reports write failure");
    ok(pxc_node_render_text(NULL, root) == 0 && pxc_node_render_json(ro, NULL) == 0,
       "NULL arguments refused");
    BIO_free(ro);
    ERR_clear_error();
    pxc_node_free(root);
    pxc_node_free(NULL);
    ok(1, "pxc_node_free(NULL) is a no-op");
}

/* Rendering flushes its buffer correctly across the 4 KiB boundary. */
static void test_large(void)
{
    PXC_NODE *root = pxc_node_new_root();
    static char big[10001];
    char *json;
    size_t i;

    for (i = 0; i < sizeof(big) - 1; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof(big) - 1] = '\0';
    pxc_node_add_string(root, "big", big);
    json = render(pxc_node_render_json, root);
    ok(json != NULL && strlen(json) == 10000 + 16 && strstr(json, big) != NULL,
       "10000-byte string rendered whole");
    OPENSSL_free(json);
    pxc_node_free(root);
}

/* A tree deeper than the renderers go: cut off, still well-formed. */
static void test_deep(void)
{
    PXC_NODE *root = pxc_node_new_root(), *n = root;
    char *text, *json;
    int i;

    for (i = 0; i < 300 && n != NULL; i++)
        n = pxc_node_add_object(n, "d");
    pxc_node_add_int(n, "leaf", 1);
    text = render(pxc_node_render_text, root);
    json = render(pxc_node_render_json, root);
    ok(text != NULL && strstr(text, "d: ...\n") != NULL && strstr(text, "leaf") == NULL,
       "text rendering stops at its depth bound");
    ok(json != NULL && strstr(json, "\"d\": {}") != NULL && strstr(json, "leaf") == NULL,
       "JSON rendering stops at its depth bound");
    OPENSSL_free(text);
    OPENSSL_free(json);
    pxc_node_free(root);
}

int main(void)
{
    test_render();
    test_api_edges();
    test_large();
    test_deep();
    return tap_done();
}
