/*
 * msg_read.c - reading a PKIMessage from a BIO or file as DER, PEM (any
 * label) or bare base64, with the input size bounded before decoding.
 */
#include <limits.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include "internal.h"

/* Reads all of in, at most limit bytes; more is an error. */
static int read_all(BIO *in, size_t limit, unsigned char **data, size_t *len)
{
    BUF_MEM *buf = BUF_MEM_new();
    size_t used = 0;
    int n, ret = 0;

    *data = NULL;
    *len = 0;
    if (buf == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "input buffer");
        goto out;
    }
    for (;;) {
        /* BUF_MEM_grow sets buf->length to the new size: track used apart */
        if (BUF_MEM_grow(buf, used + 4096) == 0) {
            PXC_ERR(PKIXCMP_E_MALLOC, "input buffer of %zu bytes", used + 4096);
            goto out;
        }
        n = BIO_read(in, buf->data + used, 4096);
        if (n <= 0)
            break;
        used += (size_t)n;
        if (used > limit) {
            PXC_ERR(PKIXCMP_E_DER_TOO_LARGE, "PKIMessage: input exceeds the limit of %zu bytes",
                    limit);
            goto out;
        }
    }
    *data = (unsigned char *)buf->data;
    *len = used;
    buf->data = NULL; /* transferred */
    ret = 1;
out:
    BUF_MEM_free(buf);
    return ret;
}

/* Decodes base64 text (whitespace allowed) into a new buffer. */
static int base64_decode(const unsigned char *text, size_t len, unsigned char **out,
                         size_t *outlen)
{
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    unsigned char *bin = OPENSSL_malloc(len / 4 * 3 + 4);
    int n1 = 0, n2 = 0, ret = 0;

    *out = NULL;
    if (ctx == NULL || bin == NULL || len > INT_MAX) {
        PXC_ERR(PKIXCMP_E_MALLOC, "base64 buffer");
        goto out;
    }
    EVP_DecodeInit(ctx);
    if (EVP_DecodeUpdate(ctx, bin, &n1, text, (int)len) < 0
        || EVP_DecodeFinal(ctx, bin + n1, &n2) != 1 || n1 + n2 == 0) {
        PXC_ERR(PKIXCMP_E_BAD_INPUT_FORMAT, "input is neither DER, PEM nor valid base64");
        goto out;
    }
    *out = bin;
    *outlen = (size_t)(n1 + n2);
    bin = NULL; /* transferred */
    ret = 1;
out:
    OPENSSL_free(bin);
    EVP_ENCODE_CTX_free(ctx);
    return ret;
}

/* Decodes the first PEM block (whatever its label) of text. */
static int pem_decode(const unsigned char *text, size_t len, unsigned char **out,
                      size_t *outlen)
{
    BIO *mem = BIO_new_mem_buf(text, (int)len);
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long n = 0;
    int ret = 0;

    *out = NULL;
    if (mem == NULL || PEM_read_bio(mem, &name, &header, &data, &n) != 1 || n <= 0) {
        PXC_ERR(PKIXCMP_E_BAD_INPUT_FORMAT, "PEM input has no valid block");
        goto out;
    }
    *out = data;
    *outlen = (size_t)n;
    data = NULL; /* transferred */
    ret = 1;
out:
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    BIO_free(mem);
    return ret;
}

static int has_pem_armour(const unsigned char *text, size_t len)
{
    static const char armour[] = "-----BEGIN ";
    size_t i, n = sizeof(armour) - 1;

    for (i = 0; i + n <= len; i++)
        if (memcmp(text + i, armour, n) == 0)
            return 1;
    return 0;
}

PKIXCMP_MSG *pkixcmp_msg_read(BIO *in, size_t max_size)
{
    unsigned char *raw = NULL, *der = NULL;
    size_t rawlen = 0, derlen = 0, limit;
    PKIXCMP_MSG *msg = NULL;

    if (max_size == 0)
        max_size = PKIXCMP_DEFAULT_MAX_MSG_SIZE;
    /* base64 and PEM take 4/3 the size plus line breaks and armour */
    limit = max_size / 3 * 4 + max_size / 32 + 1024;
    if (!read_all(in, limit, &raw, &rawlen))
        goto out;
    if (rawlen > 0 && raw[0] == 0x30) {
        msg = pkixcmp_msg_decode(raw, rawlen, max_size);
        goto out;
    }
    if (has_pem_armour(raw, rawlen)) {
        if (!pem_decode(raw, rawlen, &der, &derlen))
            goto out;
    } else if (!base64_decode(raw, rawlen, &der, &derlen)) {
        goto out;
    }
    msg = pkixcmp_msg_decode(der, derlen, max_size);
out:
    OPENSSL_free(raw);
    OPENSSL_free(der);
    return msg;
}

PKIXCMP_MSG *pkixcmp_msg_read_file(const char *path, size_t max_size)
{
    BIO *in = BIO_new_file(path, "rb");
    PKIXCMP_MSG *msg;

    if (in == NULL) {
        PXC_ERR(PKIXCMP_E_IO, "cannot open %s", path);
        return NULL;
    }
    msg = pkixcmp_msg_read(in, max_size);
    BIO_free(in);
    return msg;
}
