/*
 * test_envdata.c - EnvelopedData DER <-> CMS_ContentInfo: an EnvelopedData
 * made by OpenSSL's CMS API survives the trip through the CMP form (with an
 * IMPLICIT tag) and still decrypts; garbage is refused with PKIXCMP_E_CMS.
 */
#include <stdlib.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "envdata.h"
#include "tap.h"
#include "testutil.h"

int main(void)
{
    char *crt = tu_data_path("test/certs", "client_rsa.crt");
    char *keyf = tu_data_path("test/certs", "client_rsa.key");
    BIO *in = BIO_new_file(crt, "r");
    X509 *cert = PEM_read_bio_X509(in, NULL, NULL, NULL);
    BIO *kin = BIO_new_file(keyf, "r");
    EVP_PKEY *key = PEM_read_bio_PrivateKey(kin, NULL, NULL, NULL);
    STACK_OF(X509) *recips = sk_X509_new_null();
    BIO *data = BIO_new_mem_buf("secret key bytes", 16), *plain = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = NULL, *back = NULL;
    ASN1_STRING *env = NULL, *env2 = NULL, *junk = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
    char *p = NULL;
    long n;

    ok(cert != NULL && key != NULL, "test PKI RSA client cert and key load");
    sk_X509_push(recips, cert);
    cms = CMS_encrypt(recips, data, EVP_aes_128_cbc(), CMS_BINARY);
    ok(cms != NULL, "CMS_encrypt makes an EnvelopedData");

    env = pxc_envdata_from_cms(cms, 0xA0);
    ok(env != NULL && ASN1_STRING_length(env) > 100 && ASN1_STRING_get0_data(env)[0] == 0xA0,
       "from_cms gives the DER with the IMPLICIT [0] tag octet");
    back = env != NULL ? pxc_envdata_to_cms(env) : NULL;
    ok(back != NULL, "to_cms reads it back");
    ok(back != NULL && CMS_decrypt(back, key, cert, NULL, plain, CMS_BINARY) == 1,
       "the round-tripped EnvelopedData decrypts");
    n = BIO_get_mem_data(plain, &p);
    ok(n == 16 && memcmp(p, "secret key bytes", 16) == 0, "to the original content");
    env2 = back != NULL ? pxc_envdata_from_cms(back, 0x30) : NULL;
    ok(env2 != NULL && ASN1_STRING_length(env2) == ASN1_STRING_length(env)
       && memcmp(ASN1_STRING_get0_data(env2) + 1, ASN1_STRING_get0_data(env) + 1,
                 (size_t)ASN1_STRING_length(env) - 1) == 0,
       "and encodes to the same bytes again");

    ERR_clear_error();
    ASN1_STRING_set(junk, "\x30\x03\x02\x01\x05", 5);
    ok(pxc_envdata_to_cms(junk) == NULL && pkixcmp_err_peek_last() == PKIXCMP_E_CMS,
       "a SEQUENCE that is no EnvelopedData is refused with PKIXCMP_E_CMS");
    ERR_clear_error();
    {
        CMS_ContentInfo *signed_cms = CMS_sign(cert, key, NULL, data, CMS_BINARY);

        ok(signed_cms != NULL && pxc_envdata_from_cms(signed_cms, 0x30) == NULL
           && pkixcmp_err_peek_last() == PKIXCMP_E_CMS,
           "a SignedData is refused with PKIXCMP_E_CMS");
        CMS_ContentInfo_free(signed_cms);
    }
    ERR_clear_error();

    ASN1_STRING_free(junk);
    ASN1_STRING_free(env);
    ASN1_STRING_free(env2);
    CMS_ContentInfo_free(cms);
    CMS_ContentInfo_free(back);
    sk_X509_free(recips);
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(in);
    BIO_free(kin);
    BIO_free(data);
    BIO_free(plain);
    free(crt);
    free(keyf);
    return tap_done();
}
