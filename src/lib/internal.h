/*
 * internal.h - cross-file declarations of libpkixcmp (the pxc_ tier).
 * Nothing here is exported from the shared library.
 */
#ifndef PKIXCMP_INTERNAL_H
#define PKIXCMP_INTERNAL_H

#include <stddef.h>
#include <openssl/asn1.h>
#include <pkixcmp/pkixcmp.h>

#if defined(__GNUC__) || defined(__clang__)
#define PXC_MUST_CHECK __attribute__((warn_unused_result))
#define PXC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PXC_MUST_CHECK
#define PXC_PRINTF(f, a)
#endif

/*
 * Pushes pkixcmp error code onto OpenSSL's error queue with a detail text
 * (printf format). Use through the PXC_ERR macro, which adds file and line.
 */
void pxc_err_raise(const char *file, int line, const char *func, int code,
                   const char *fmt, ...) PXC_PRINTF(5, 6);
#define PXC_ERR(code, ...) \
    pxc_err_raise(__FILE__, __LINE__, __func__, (code), __VA_ARGS__)

/* Number of elements of an array. */
#define PXC_NELEM(x) (sizeof(x) / sizeof((x)[0]))

struct ASN1_ITEM_st;
/*
 * The ASN.1 name of an item for messages: "PKIHeader" for PKIXCMP_PKIHeader,
 * "GeneralName" for OpenSSL's GENERAL_NAME, and so on; never NULL.
 */
const char *pxc_item_name(const struct ASN1_ITEM_st *it);

/* For error details: an octet string as "7B7C574D (4 bytes)" (long ones
 * elided with "...", NULL as "(absent)"), a name as "/C=DE/O=..." (empty or
 * NULL as "NULL-DN"). Both write into buf and return it. */
struct asn1_string_st;
struct X509_name_st;
const char *pxc_hex_text(const struct asn1_string_st *s, char *buf, size_t size);
const char *pxc_dn_text(const struct X509_name_st *name, char *buf, size_t size);

#endif
