/*
 * typed_oid.h - tables from an OID to the ASN.1 type of the value it
 * introduces: InfoTypeAndValue (id-it 1..24), CRMF controls (id-regCtrl) and
 * regInfo (id-regInfo). One row per OID: name, value item, printer.
 */
#ifndef PKIXCMP_TYPED_OID_H
#define PKIXCMP_TYPED_OID_H

#include <openssl/asn1t.h>
#include "tree.h"

/* A custom printer for a decoded value; NULL in a row means the generic
 * template printer. */
typedef int pxc_value_printer(PXC_NODE *parent, const char *name,
                              const ASN1_VALUE *value, const ASN1_ITEM *it);

typedef struct {
    const unsigned char *oid; /* content octets of the OID (no tag, length) */
    size_t oidlen;
    const char *name;         /* e.g. "id-it-caCerts" */
    ASN1_ITEM_EXP *item;      /* type of the value; NULL: not typed (kept raw) */
    pxc_value_printer *print; /* NULL: generic printer */
} PXC_TYPED_OID;

/* The row of an id-it OID, or NULL if it is not one of id-it 1..24. */
const PXC_TYPED_OID *pxc_itav_lookup(const ASN1_OBJECT *oid);

/* The row of a control (id-regCtrl) or regInfo (id-regInfo) OID, or NULL. */
const PXC_TYPED_OID *pxc_attr_lookup(const ASN1_OBJECT *oid);

/* The row of an id-it given by its name with or without "id-it-", or NULL. */
const PXC_TYPED_OID *pxc_itav_by_name(const char *name);

/*
 * Decodes value as the row's type. Returns the decoded value (free with
 * ASN1_item_free(v, ASN1_ITEM_ptr(row->item))), or NULL with an error
 * PKIXCMP_E_ITAV_VALUE naming where (for the message) if it is not of that
 * type or not DER.
 */
ASN1_VALUE *pxc_typed_value_decode(const PXC_TYPED_OID *row,
                                   const ASN1_TYPE *value, const char *where);

#endif
