/*
 * certconf.c - the certificate hash of certConf (RFC 9810 section 5.3.18):
 * choosing the hash from the certificate's signature algorithm, hashing the
 * certificate, building a CertStatus and checking a received one.
 *
 * RFC 9810 section 5.3.18, CertStatus:
 *   certHash OCTET STRING,
 *   -- the hash of the certificate, using the same hash algorithm
 *   -- as is used to create and verify the certificate signature
 *   hashAlg [0] AlgorithmIdentifier{DIGEST-ALGORITHM, {...}} OPTIONAL
 *   -- the hash algorithm to use for calculating certHash
 *   -- SHOULD NOT be used in all cases where the AlgorithmIdentifier
 *   -- of the certificate signature specifies a hash algorithm
 */
#include <string.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include "certconf.h"

/* RFC 9481 section 2.2 (RFC 8702): certHash with SHAKE256 has 512 bits. */
#define CERTHASH_SHAKE256_LEN 64

/*
 * The digests a peer may name in hashAlg: SHA-1 (for old certificates
 * signed with it) and those of RFC 9481 section 2 that OpenSSL 3.0 offers
 * for certHash. Anything else is refused rather than guessed at.
 */
static const int known_hashalgs[] = {
    NID_sha1, NID_sha224, NID_sha256, NID_sha384, NID_sha512, NID_shake256,
};

/* The name of md for messages. */
static const char *md_text(const EVP_MD *md)
{
    return md != NULL ? EVP_MD_get0_name(md) : "(none)";
}

/*
 * The hash of an RSASSA-PSS signature: RFC 4055 section 3.1 puts it in the
 * parameters, "hashAlgorithm [0] HashAlgorithm DEFAULT sha1Identifier".
 */
static int pss_md_nid(const X509 *cert, int *md_nid)
{
    const X509_ALGOR *sigalg = NULL;
    const ASN1_OBJECT *obj = NULL;
    const void *pval = NULL;
    RSA_PSS_PARAMS *pss = NULL;
    int ptype = V_ASN1_UNDEF;
    int ret = 0;

    X509_get0_signature(NULL, &sigalg, cert);
    X509_ALGOR_get0(&obj, &ptype, &pval, sigalg);
    /* RFC 4055 3.1: "the parameters MUST be present" with a signature. */
    if (ptype != V_ASN1_SEQUENCE
        || (pss = ASN1_item_unpack(pval, ASN1_ITEM_rptr(RSA_PSS_PARAMS))) == NULL) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM,
                "RSASSA-PSS certificate signature without readable parameters");
        goto out;
    }
    *md_nid = pss->hashAlgorithm == NULL ? NID_sha1
                                         : OBJ_obj2nid(pss->hashAlgorithm->algorithm);
    ret = 1;
out:
    RSA_PSS_PARAMS_free(pss);
    return ret;
}

/*
 * The NID of the certHash digest of cert, by the rule of certconf.h;
 * *needs_hashalg = 1 where the signature algorithm names no hash.
 */
static int certhash_md_nid(const X509 *cert, int *md_nid, int *needs_hashalg)
{
    int sig_nid = X509_get_signature_nid(cert);
    int pk_nid = NID_undef;
    int ret = 0;

    *md_nid = NID_undef;
    *needs_hashalg = 0;
    if (!OBJ_find_sigid_algs(sig_nid, md_nid, &pk_nid)) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "certificate signature algorithm %s",
                OBJ_nid2ln(sig_nid) != NULL ? OBJ_nid2ln(sig_nid) : "(unknown OID)");
        goto out;
    }
    if (*md_nid != NID_undef) {
        ret = 1;
        goto out;
    }
    if (pk_nid == NID_rsassaPss) {
        ret = pss_md_nid(cert, md_nid);
        goto out;
    }
    /*
     * EdDSA names no hash: RFC 9481 (sections 2 and 3.3, see oids.md) has
     * certHash of Ed25519-signed certificates use SHA-512 and of
     * Ed448-signed ones SHAKE256 with 512 bits of output; hashAlg then
     * tells the receiver which.
     */
    if (pk_nid == NID_ED25519)
        *md_nid = NID_sha512;
    else if (pk_nid == NID_ED448)
        *md_nid = NID_shake256;
    *needs_hashalg = *md_nid != NID_undef;
    if (*md_nid == NID_undef)
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "no certHash digest for signature algorithm %s",
                OBJ_nid2ln(sig_nid));
    ret = *md_nid != NID_undef;
out:
    return ret;
}

/* The digest of nid fetched with the context's library context. */
static EVP_MD *fetch_nid(const PKIXCMP_CTX *ctx, int nid)
{
    const char *name = OBJ_nid2sn(nid);
    EVP_MD *md = NULL;

    if (nid == NID_undef || name == NULL
        || (md = EVP_MD_fetch(ctx->libctx, name, ctx->propq)) == NULL)
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "certHash digest %s is not available",
                name != NULL ? name : "(unknown OID)");
    return md;
}

EVP_MD *pxc_certhash_md(const PKIXCMP_CTX *ctx, const X509 *cert, int *needs_hashalg)
{
    int md_nid = NID_undef;
    EVP_MD *md = NULL;

    if (certhash_md_nid(cert, &md_nid, needs_hashalg))
        md = fetch_nid(ctx, md_nid);
    return md;
}

/*
 * Finishes the digest in mctx into out. SHAKE256 is an XOF: its certHash
 * length is fixed by RFC 9481 section 2.2; other XOFs have no rule here.
 */
static int certhash_final(EVP_MD_CTX *mctx, const EVP_MD *md, unsigned char *out,
                          size_t *outlen)
{
    unsigned int len = 0;
    int ret = 0;

    if (EVP_MD_is_a(md, "SHAKE256")) {
        if (!EVP_DigestFinalXOF(mctx, out, CERTHASH_SHAKE256_LEN))
            goto err;
        *outlen = CERTHASH_SHAKE256_LEN;
    } else if ((EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) != 0) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "no certHash length for %s", md_text(md));
        goto out;
    } else {
        if (!EVP_DigestFinal_ex(mctx, out, &len))
            goto err;
        *outlen = len;
    }
    ret = 1;
    goto out;
err:
    PXC_ERR(PKIXCMP_E_INTERNAL, "hashing the certificate with %s failed", md_text(md));
out:
    return ret;
}

int pxc_certhash(const PKIXCMP_CTX *ctx, const X509 *cert, const EVP_MD *md,
                 unsigned char *out, size_t *outlen)
{
    unsigned char *der = NULL;
    EVP_MD_CTX *mctx = NULL;
    int derlen, ret = 0;

    (void)ctx; /* md was fetched with the context already */
    *outlen = 0;
    /* certHash is "the hash of the certificate": its whole DER encoding. */
    if ((derlen = i2d_X509(cert, &der)) <= 0) {
        PXC_ERR(PKIXCMP_E_ASN1_ENCODE, "cannot encode the certificate to hash");
        goto out;
    }
    if ((mctx = EVP_MD_CTX_new()) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "digest context");
        goto out;
    }
    if (!EVP_DigestInit_ex2(mctx, md, NULL)
        || !EVP_DigestUpdate(mctx, der, (size_t)derlen)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "hashing the certificate with %s failed", md_text(md));
        goto out;
    }
    if (!certhash_final(mctx, md, out, outlen))
        goto out;
    ret = 1;
out:
    EVP_MD_CTX_free(mctx);
    OPENSSL_free(der);
    return ret;
}

/*
 * hashAlg naming md, parameters absent: RFC 5754 section 2 "Implementations
 * MUST generate SHA2 AlgorithmIdentifiers with absent parameters"; RFC 8702
 * has SHAKE256's parameters absent too.
 */
static int set_hashalg(PKIXCMP_CertStatus *cs, const EVP_MD *md)
{
    ASN1_OBJECT *obj = OBJ_nid2obj(EVP_MD_get_type(md));
    int ret = 0;

    if (obj == NULL || (cs->hashAlg = X509_ALGOR_new()) == NULL
        || !X509_ALGOR_set0(cs->hashAlg, obj, V_ASN1_UNDEF, NULL)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "hashAlg for %s", md_text(md));
        goto out;
    }
    ret = 1;
out:
    return ret;
}

/* Sets certHash (and hashAlg where needed) of cs for cert. */
static int set_certhash(const PKIXCMP_CTX *ctx, PKIXCMP_CertStatus *cs, const X509 *cert)
{
    unsigned char hash[EVP_MAX_MD_SIZE];
    size_t len = 0;
    int needs_hashalg = 0;
    EVP_MD *md = NULL;
    int ret = 0;

    if ((md = pxc_certhash_md(ctx, cert, &needs_hashalg)) == NULL
        || !pxc_certhash(ctx, cert, md, hash, &len))
        goto out;
    if (!ASN1_OCTET_STRING_set(cs->certHash, hash, (int)len)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "certHash");
        goto out;
    }
    /*
     * hashAlg "SHOULD NOT be used in all cases where the AlgorithmIdentifier
     * of the certificate signature specifies a hash algorithm": only for
     * signatures without one (EdDSA), where it makes the message pvno 3.
     */
    if (needs_hashalg && !set_hashalg(cs, md))
        goto out;
    ret = 1;
out:
    EVP_MD_free(md);
    return ret;
}

PKIXCMP_CertStatus *pxc_certstatus_new(const PKIXCMP_CTX *ctx, const X509 *cert,
                                       long cert_req_id,
                                       const PKIXCMP_PKIStatusInfo *status)
{
    PKIXCMP_CertStatus *cs = NULL, *ret = NULL;

    if ((cs = (PKIXCMP_CertStatus *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_CertStatus))) == NULL
        || !ASN1_INTEGER_set(cs->certReqId, cert_req_id)) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertStatus");
        goto out;
    }
    if (!set_certhash(ctx, cs, cert))
        goto out;
    /* A rejection carries its status; a confirmation leaves statusInfo
     * out, which RFC 9810 section 5.3.18 takes as acceptance. */
    if (status != NULL
        && (cs->statusInfo = ASN1_item_dup(ASN1_ITEM_rptr(PKIXCMP_PKIStatusInfo), status))
               == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "CertStatus statusInfo");
        goto out;
    }
    ret = cs;
    cs = NULL; /* transferred */
out:
    ASN1_item_free((ASN1_VALUE *)cs, ASN1_ITEM_rptr(PKIXCMP_CertStatus));
    return ret;
}

/* certReqId "to match this confirmation with the corresponding req/rep". */
static int check_certreqid(const PKIXCMP_CertStatus *cs, long cert_req_id)
{
    int64_t got = 0;
    int ret = 0;

    if (cs->certReqId == NULL || !ASN1_INTEGER_get_int64(&got, cs->certReqId)) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "certReqId missing or out of range, expected %ld",
                cert_req_id);
        goto out;
    }
    if (got != (int64_t)cert_req_id) {
        PXC_ERR(PKIXCMP_E_WRONG_CERTREQID, "certReqId %lld received, %ld expected", (long long)got,
                cert_req_id);
        goto out;
    }
    ret = 1;
out:
    return ret;
}

/*
 * The digest a received hashAlg names: one of known_hashalgs, parameters
 * absent, or NULL for SHA-1/SHA-2 (RFC 5754 section 2: "Implementations
 * MUST accept SHA2 AlgorithmIdentifiers with NULL parameters"); RFC 8702
 * leaves SHAKE256 no parameters at all.
 */
static EVP_MD *hashalg_md(const PKIXCMP_CTX *ctx, const X509_ALGOR *alg)
{
    const ASN1_OBJECT *obj = NULL;
    int ptype = V_ASN1_UNDEF, nid;
    EVP_MD *md = NULL;
    size_t i;

    X509_ALGOR_get0(&obj, &ptype, NULL, alg);
    nid = OBJ_obj2nid(obj);
    for (i = 0; i < PXC_NELEM(known_hashalgs); i++)
        if (known_hashalgs[i] == nid)
            break;
    if (i == PXC_NELEM(known_hashalgs)
        || !(ptype == V_ASN1_UNDEF || (ptype == V_ASN1_NULL && nid != NID_shake256))) {
        PXC_ERR(PKIXCMP_E_UNKNOWN_ALGORITHM, "hashAlg %s%s is not a known certHash digest",
                nid != NID_undef ? OBJ_nid2ln(nid) : "(unknown OID)",
                i < PXC_NELEM(known_hashalgs) ? " with parameters" : "");
        goto out;
    }
    md = fetch_nid(ctx, nid);
out:
    return md;
}

/* Raises WRONG_CERTHASH with both hashes (prefixes) and the digest. */
static void certhash_mismatch(const ASN1_OCTET_STRING *got, const unsigned char *want,
                              size_t want_len, const EVP_MD *md)
{
    ASN1_OCTET_STRING expected = { 0 };
    char w[100], g[100];

    expected.type = V_ASN1_OCTET_STRING;
    expected.length = (int)want_len;
    expected.data = (unsigned char *)want;
    PXC_ERR(PKIXCMP_E_WRONG_CERTHASH, "certHash with %s: expected %s, found %s",
            md_text(md), pxc_hex_text(&expected, w, sizeof(w)),
            pxc_hex_text(got, g, sizeof(g)));
}

/* certHash of cs against the hash of cert, with hashAlg if cs has it. */
static int check_certhash(const PKIXCMP_CTX *ctx, const PKIXCMP_CertStatus *cs,
                          const X509 *cert)
{
    unsigned char hash[EVP_MAX_MD_SIZE];
    size_t len = 0;
    int needs_hashalg = 0;
    EVP_MD *md = NULL;
    int ret = 0;

    md = cs->hashAlg != NULL ? hashalg_md(ctx, cs->hashAlg)
                             : pxc_certhash_md(ctx, cert, &needs_hashalg);
    if (md == NULL || !pxc_certhash(ctx, cert, md, hash, &len))
        goto out;
    if (cs->certHash == NULL || (size_t)ASN1_STRING_length(cs->certHash) != len
        || memcmp(ASN1_STRING_get0_data(cs->certHash), hash, len) != 0) {
        certhash_mismatch(cs->certHash, hash, len, md);
        goto out;
    }
    ret = 1;
out:
    EVP_MD_free(md);
    return ret;
}

int pxc_certstatus_check(const PKIXCMP_CTX *ctx, const PKIXCMP_CertStatus *cs,
                         const X509 *cert, long cert_req_id)
{
    int ret = 0;

    if (!check_certreqid(cs, cert_req_id) || !check_certhash(ctx, cs, cert))
        goto out;
    ret = 1;
out:
    return ret;
}
