/*
 * envdata.h - EnvelopedData as CMP carries it (its exact DER, possibly with
 * an IMPLICIT context tag in place of the SEQUENCE tag), converted to and from
 * OpenSSL's CMS API for the code that must create or open one.
 */
#ifndef PKIXCMP_ENVDATA_H
#define PKIXCMP_ENVDATA_H

#include <openssl/cms.h>
#include "internal.h"

/*
 * A CMS_ContentInfo (type id-envelopedData) holding the EnvelopedData whose
 * DER is env (as stored by the templates; its first octet may be an IMPLICIT
 * tag, it is read as SEQUENCE). NULL with PKIXCMP_E_CMS on failure.
 */
CMS_ContentInfo *pxc_envdata_to_cms(const ASN1_STRING *env) PXC_MUST_CHECK;

/*
 * The DER of the EnvelopedData inside cms (which must be of type
 * id-envelopedData), with its first octet replaced by tag_octet (0x30 for an
 * untagged or EXPLICITly tagged field, 0xA0 | n for [n] IMPLICIT). A new
 * ASN1_STRING of type V_ASN1_SEQUENCE, or NULL with PKIXCMP_E_CMS.
 */
ASN1_STRING *pxc_envdata_from_cms(const CMS_ContentInfo *cms, unsigned char tag_octet)
    PXC_MUST_CHECK;

#endif
