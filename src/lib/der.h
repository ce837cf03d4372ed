/*
 * der.h - strict DER checks run around OpenSSL's (BER-tolerant) decoder.
 *
 * Offsets in error details and from pxc_der_locate() count bytes from the
 * start of the input and name an element's first identifier octet, as the
 * offset column of `openssl asn1parse` does.
 */
#ifndef PKIXCMP_DER_H
#define PKIXCMP_DER_H

#include <stddef.h>
#include <openssl/asn1t.h>
#include "internal.h"

/* Hard cap on pxc_der_check's max_depth; larger values are lowered to it. */
#define PXC_DER_MAX_DEPTH 256

/* Nesting bound of pxc_der_locate's walk; deeper elements are not examined. */
#define PXC_DER_LOCATE_MAX_DEPTH 64

/*
 * Returns 1 if der[0..len) is exactly one strictly DER-encoded TLV, nested at
 * most max_depth deep (the outer TLV is depth 1), with len <= max_size. Else
 * raises one PKIXCMP_E_DER_* or PKIXCMP_E_ASN1_DECODE error whose detail
 * starts with type_name and gives the offset, and returns 0.
 */
int pxc_der_check(const unsigned char *der, size_t len, size_t max_size,
                  int max_depth, const char *type_name) PXC_MUST_CHECK;

/*
 * Walks der (which passed pxc_der_check) against item it without decoding.
 * Returns 1 at the first tag that does not fit the schema, with *offset and
 * path ("Type.field(Type)...: expected X, found 0xNN (Y)") saying where.
 * Else returns 0, with path and *offset naming a bad content (padded INTEGER,
 * bad OID, ...) or a DER-only slip d2i tolerates, or path "" and *offset 0.
 * Raises no errors; field names are shortened to their last component.
 */
int pxc_der_locate(const ASN1_ITEM *it, const unsigned char *der, size_t len,
                   size_t *offset, char *path, size_t pathlen);

#endif
