/*
 * tree.h - a small printable tree (objects, arrays, scalar leaves) that the
 * message printer builds once and renders as indented text or as JSON, so
 * both outputs always show the same content.
 */
#ifndef PKIXCMP_TREE_H
#define PKIXCMP_TREE_H

#include <openssl/bio.h>
#include "internal.h"

typedef struct pxc_node_st PXC_NODE;

/* A new empty object node to use as a root; NULL on allocation failure. */
PXC_NODE *pxc_node_new_root(void);

/* Frees node and all its children; NULL is a no-op. */
void pxc_node_free(PXC_NODE *node);

/*
 * Adds a child to parent (an object or array node). name is the member name
 * (copied); it is ignored (may be NULL) when parent is an array. Each returns
 * the new child (owned by parent), or NULL on allocation failure.
 */
PXC_NODE *pxc_node_add_object(PXC_NODE *parent, const char *name);
PXC_NODE *pxc_node_add_array(PXC_NODE *parent, const char *name);
PXC_NODE *pxc_node_add_string(PXC_NODE *parent, const char *name, const char *value);
PXC_NODE *pxc_node_add_stringf(PXC_NODE *parent, const char *name,
                               const char *fmt, ...) PXC_PRINTF(3, 4);
PXC_NODE *pxc_node_add_int(PXC_NODE *parent, const char *name, long long value);
PXC_NODE *pxc_node_add_bool(PXC_NODE *parent, const char *name, int value);
PXC_NODE *pxc_node_add_null(PXC_NODE *parent, const char *name);
/* A hex string of the bytes, e.g. "0A1B2C" (JSON string, text as 0A:1B:2C). */
PXC_NODE *pxc_node_add_hex(PXC_NODE *parent, const char *name,
                           const unsigned char *data, size_t len);

/* Number of children of an object or array node. */
size_t pxc_node_count(const PXC_NODE *node);

/*
 * Renders the tree. Text: one "name: value" line per leaf, children indented
 * by two spaces under "name:", array elements named "[i]". JSON: one object,
 * UTF-8, strings escaped per RFC 8259, pretty-printed with 2-space indent.
 */
int pxc_node_render_text(BIO *out, const PXC_NODE *root);
int pxc_node_render_json(BIO *out, const PXC_NODE *root);

#endif
