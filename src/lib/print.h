/*
 * print.h - the template-driven printer: turns any value of an ASN.1 item
 * into nodes of a PXC_NODE tree (tree.h), following the item's templates and
 * using a custom printer (print_hooks.c) for well-known types.
 *
 * Everything printed may come from an attacker: the printers never trust a
 * length, a CHOICE selector or a nesting depth, and a value that cannot be
 * shown as its type is shown as hex rather than failing. They fail (return
 * 0) only when the tree cannot be built (out of memory).
 */
#ifndef PKIXCMP_PRINT_H
#define PKIXCMP_PRINT_H

#include <openssl/asn1t.h>
#include "tree.h"

/* Nesting bound of pxc_print_item (counting every item, across hooks):
 * deeper values are shown as a marker string. Bounds stack use and the work
 * on values nested in values (origPKIMessage in a nested message ...). */
#define PXC_PRINT_MAX_DEPTH 64

/* Elements of one SEQUENCE OF shown; the rest are counted ("(n more)"), so
 * a list of a million tiny elements does not become a million nodes. */
#define PXC_PRINT_MAX_ELEMENTS 1000

/*
 * Adds val, a value of item it, to parent as member name (ignored if parent
 * is an array): a SEQUENCE as an object of its present fields, a CHOICE as
 * an object with the selected arm, a SEQUENCE OF as an array, leaves by
 * type. val NULL is shown as null. Returns 1, or 0 if out of memory.
 */
int pxc_print_item(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                   const ASN1_ITEM *it);

/* Adds the present fields of val, a SEQUENCE of item it, to the object obj
 * (no object of its own: for the top of a tree). */
int pxc_print_members(PXC_NODE *obj, const ASN1_VALUE *val, const ASN1_ITEM *it);

/*
 * The arm selected in val, a CHOICE of item it: returns its template and
 * sets *slot to the arm's value slot, or returns NULL if the selector is out
 * of range.
 */
const ASN1_TEMPLATE *pxc_choice_arm(const ASN1_VALUE *val, const ASN1_ITEM *it,
                                    const ASN1_VALUE *const **slot);

/* Adds the value in slot, of template tt, as member name. */
int pxc_print_template(PXC_NODE *parent, const char *name,
                       const ASN1_VALUE *const *slot, const ASN1_TEMPLATE *tt);

/* The field name of tt as the RFC spells it ("value.sender" -> "sender",
 * "int_" -> "int") in buf. */
const char *pxc_field_name(const ASN1_TEMPLATE *tt, char *buf, size_t len);

/* Leaf printers, also for the hooks. Each returns 1, or 0 if out of memory. */
int pxc_print_oid(PXC_NODE *parent, const char *name, const ASN1_OBJECT *oid);
int pxc_print_integer(PXC_NODE *parent, const char *name, const ASN1_STRING *a);
int pxc_print_time(PXC_NODE *parent, const char *name, const ASN1_STRING *t);
int pxc_print_text(PXC_NODE *parent, const char *name, const ASN1_STRING *s);
int pxc_print_any(PXC_NODE *parent, const char *name, const ASN1_TYPE *a);
/* Hex of val's DER; "(not encodable)" if it cannot be encoded. */
int pxc_print_der(PXC_NODE *parent, const char *name, const ASN1_VALUE *val,
                  const ASN1_ITEM *it);

/*
 * The OID as "name (dotted)" (with_dotted) or "name", or just "dotted" if no
 * name is known. Names: pkixcmp's RFC names for CMP OIDs (typed_oid.c and
 * the OIDs OpenSSL 3.0 lacks), else OpenSSL's long name. Returns a string
 * to free with OPENSSL_free(), or NULL if out of memory.
 */
char *pxc_oid_text(const ASN1_OBJECT *oid, int with_dotted);

/* The value of INTEGER or ENUMERATED a in *v; 0 if it does not fit. */
int pxc_integer_value(const ASN1_STRING *a, long long *v);

/* Appends len bytes of data to the memory BIO b, a NUL byte as U+FFFD (the
 * tree's strings are C strings). Returns 1 or 0. */
int pxc_bio_put_text(BIO *b, const unsigned char *data, size_t len);

/* Adds the content of the memory BIO b as a string member. */
PXC_NODE *pxc_node_add_bio(PXC_NODE *parent, const char *name, BIO *b);

/* The custom printer of item it, or NULL (print_hooks.c). */
typedef int pxc_print_hook(PXC_NODE *parent, const char *name,
                           const ASN1_VALUE *val, const ASN1_ITEM *it);
pxc_print_hook *pxc_print_hook_find(const ASN1_ITEM *it);

#endif
