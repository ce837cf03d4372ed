/*
 * cert_der.h - a certificate encoded once.
 *
 * OpenSSL keeps the DER of a certificate it parsed, but not of one it
 * built: every encoding of a new certificate encodes its TBSCertificate
 * again, and inside a PKIMessage OpenSSL's encoder walks it once more for
 * each enclosing SEQUENCE (a freshly signed certificate costs about 3 us to
 * encode alone and about three times that as the certificate of an ip).
 * pxc_cert_keep_der() encodes a finished certificate once and keeps the DER
 * with it; PXC_CERT and pxc_cert_i2d() then copy that DER.
 */
#ifndef PKIXCMP_CERT_DER_H
#define PKIXCMP_CERT_DER_H

#include <openssl/asn1t.h>
#include <openssl/x509.h>

/* CMPCertificate as an X509 (on the wire and in memory): encodes as the
 * DER kept by pxc_cert_keep_der() if there is one, else as X509 does. */
DECLARE_ASN1_ITEM(PXC_CERT)

/* Encodes x and keeps the DER with it for later encodings; 1 on success.
 * Only for a certificate that is not changed afterwards (one just signed):
 * a change would not show in its encodings. */
int pxc_cert_keep_der(X509 *x);

/* The DER kept with x (borrowed, its length in *len), or NULL if none. */
const unsigned char *pxc_cert_get0_der(const X509 *x, int *len);

/* i2d_X509(), from the kept DER if there is one. */
int pxc_cert_i2d(const X509 *x, unsigned char **out);

#endif
