/*
 * asn1_names.c - ASN.1 names of ASN.1 items, for error messages and the
 * printer. pkixcmp's own items are named PKIXCMP_<ASN.1 name>; OpenSSL's get
 * the name their RFC gives them.
 */
#include <string.h>
#include <openssl/asn1t.h>
#include "internal.h"

static const struct {
    const char *sname;
    const char *asn1;
} openssl_names[] = {
    {"X509", "Certificate"},
    {"X509_CINF", "TBSCertificate"},
    {"X509_VAL", "Validity"},
    {"ASN1_PRINTABLE", "DirectoryString"},
    {"X509_CRL", "CertificateList"},
    {"X509_REQ", "CertificationRequest"},
    {"X509_NAME", "Name"},
    {"X509_ALGOR", "AlgorithmIdentifier"},
    {"X509_PUBKEY", "SubjectPublicKeyInfo"},
    {"PXC_PUBKEY", "SubjectPublicKeyInfo"},
    {"PXC_CERT", "Certificate"},
    {"X509_EXTENSION", "Extension"},
    {"X509_EXTENSIONS", "Extensions"},
    {"X509_ATTRIBUTE", "Attribute"},
    {"GENERAL_NAME", "GeneralName"},
    {"GENERAL_NAMES", "GeneralNames"},
    {"DIST_POINT_NAME", "DistributionPointName"},
    {"PKCS8_PRIV_KEY_INFO", "PrivateKeyInfo"},
    {"ASN1_INTEGER", "INTEGER"},
    {"ASN1_OCTET_STRING", "OCTET STRING"},
    {"ASN1_BIT_STRING", "BIT STRING"},
    {"ASN1_OBJECT", "OBJECT IDENTIFIER"},
    {"ASN1_NULL", "NULL"},
    {"ASN1_BOOLEAN", "BOOLEAN"},
    {"ASN1_UTF8STRING", "UTF8String"},
    {"ASN1_GENERALIZEDTIME", "GeneralizedTime"},
    {"ASN1_TIME", "Time"},
    {"ASN1_ANY", "ANY"},
    {"ASN1_SEQUENCE", "SEQUENCE"},
    {"ASN1_IA5STRING", "IA5String"},
    {"ASN1_PRINTABLESTRING", "PrintableString"},
    {"ASN1_UTCTIME", "UTCTime"},
    {"ASN1_ENUMERATED", "ENUMERATED"},
    {"OTHERNAME", "OtherName"},
    {"EDIPARTYNAME", "EDIPartyName"},
    {"X509_NAME_ENTRY", "AttributeTypeAndValue"},
};

const char *pxc_item_name(const ASN1_ITEM *it)
{
    size_t i;

    if (it == NULL || it->sname == NULL)
        return "?";
    if (strncmp(it->sname, "PKIXCMP_", 8) == 0)
        return it->sname + 8;
    for (i = 0; i < PXC_NELEM(openssl_names); i++)
        if (strcmp(openssl_names[i].sname, it->sname) == 0)
            return openssl_names[i].asn1;
    return it->sname;
}
