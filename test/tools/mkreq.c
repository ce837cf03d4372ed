/*
 * mkreq.c - test tool: an ir, cr or kur with one CertReqMsg built by
 * pxc_certreq_new() (signature POP), MAC-protected with
 * pkixcmp_msg_protect(), written as DER. The recipe 32-certreq-interop.sh
 * sends it to `openssl cmp -use_mock_srv`, whose server checks the POP.
 *
 *   mkreq OUT -newkey K -secret S -ref R [-cmd ir|cr|kur] [-subject /A=b/..]
 *         [-recipient /A=b/..] [-oldcert C] [-digest D] [-no_subject] [-tamper]
 *
 * -tamper flips a bit of the POP signature before the message is protected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include "certreq.h"
#include "hdr_build.h"

/* "/C=DE/O=x/CN=y" as an X509_NAME (no escapes: enough for tests). */
static X509_NAME *parse_dn(const char *s)
{
    X509_NAME *n = X509_NAME_new();
    char buf[256];
    char *p = buf, *eq, *next;

    if (n == NULL || s[0] != '/' || strlen(s) >= sizeof(buf))
        goto err;
    memcpy(buf, s + 1, strlen(s));
    while (p != NULL && *p != '\0') {
        if ((next = strchr(p, '/')) != NULL)
            *next++ = '\0';
        if ((eq = strchr(p, '=')) == NULL)
            goto err;
        *eq = '\0';
        if (!X509_NAME_add_entry_by_txt(n, p, MBSTRING_UTF8, (unsigned char *)eq + 1, -1, -1, 0))
            goto err;
        p = next;
    }
    return n;
err:
    X509_NAME_free(n);
    return NULL;
}

static X509 *load_cert(const char *path)
{
    BIO *in = BIO_new_file(path, "r");
    X509 *x = in != NULL ? PEM_read_bio_X509(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    return x;
}

static EVP_PKEY *load_key(const char *path)
{
    BIO *in = BIO_new_file(path, "r");
    EVP_PKEY *k = in != NULL ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;

    BIO_free(in);
    return k;
}

struct opts {
    const char *out, *cmd, *secret, *ref, *digest;
    const char *subject, *recipient, *newkey, *oldcert;
    int no_subject, tamper;
};

static int parse(int argc, char **argv, struct opts *o)
{
    int i;

    o->out = argv[1];
    o->cmd = "ir";
    o->subject = "/CN=pkixcmp mkreq";
    o->recipient = "/CN=pkixcmp test CMP server";
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = NULL;

        if (strcmp(a, "-no_subject") == 0) {
            o->no_subject = 1;
            continue;
        }
        if (strcmp(a, "-tamper") == 0) {
            o->tamper = 1;
            continue;
        }
        dst = strcmp(a, "-cmd") == 0 ? &o->cmd
            : strcmp(a, "-secret") == 0 ? &o->secret
            : strcmp(a, "-ref") == 0 ? &o->ref
            : strcmp(a, "-digest") == 0 ? &o->digest
            : strcmp(a, "-subject") == 0 ? &o->subject
            : strcmp(a, "-recipient") == 0 ? &o->recipient
            : strcmp(a, "-newkey") == 0 ? &o->newkey
            : strcmp(a, "-oldcert") == 0 ? &o->oldcert : NULL;
        if (dst == NULL || v == NULL) {
            fprintf(stderr, "mkreq: bad option %s\n", a);
            return 0;
        }
        *dst = v;
        i++;
    }
    return o->newkey != NULL && o->secret != NULL && o->ref != NULL;
}

static int body_type(const char *cmd)
{
    if (strcmp(cmd, "ir") == 0)
        return PKIXCMP_BODY_IR;
    if (strcmp(cmd, "cr") == 0)
        return PKIXCMP_BODY_CR;
    if (strcmp(cmd, "kur") == 0)
        return PKIXCMP_BODY_KUR;
    return -1;
}

int main(int argc, char **argv)
{
    struct opts o = { 0 };
    struct pxc_certreq_params p = { 0 };
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    X509_NAME *subject = NULL, *recipient = NULL;
    EVP_PKEY *k = NULL;
    X509 *old = NULL;
    PKIXCMP_MSG *msg = NULL;
    PKIXCMP_CertReqMsg *crm = NULL;
    PKIXCMP_CertReqMessages *reqs = NULL;
    BIO *out = NULL, *err = NULL;
    int type, ret = 1;

    if (argc < 2 || !parse(argc, argv, &o) || (type = body_type(o.cmd)) < 0) {
        fprintf(stderr, "usage: mkreq OUT -newkey K -secret S -ref R [-cmd ir|cr|kur] "
                        "[-subject DN] [-recipient DN] [-oldcert C] [-digest D] "
                        "[-no_subject] [-tamper]\n");
        goto out;
    }
    if (ctx == NULL || (k = load_key(o.newkey)) == NULL
        || (o.oldcert != NULL && (old = load_cert(o.oldcert)) == NULL)
        || (subject = parse_dn(o.subject)) == NULL || (recipient = parse_dn(o.recipient)) == NULL
        || !pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)o.secret, strlen(o.secret))
        || !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)o.ref, strlen(o.ref)))
        goto out;
    p.subject = o.no_subject ? NULL : subject;
    p.pubkey = p.popkey = k;
    p.popo = PXC_POPO_SIGNATURE;
    p.oldcert = old;
    p.digest = o.digest;
    if ((crm = pxc_certreq_new(ctx, &p)) == NULL)
        goto out;
    if (o.tamper)
        crm->popo->value.signature->signature->data[0] ^= 1;
    if ((msg = pxc_msg_create(ctx, type, subject, recipient, NULL, NULL)) == NULL
        || (reqs = sk_PKIXCMP_CertReqMsg_new_null()) == NULL
        || !sk_PKIXCMP_CertReqMsg_push(reqs, crm))
        goto out;
    crm = NULL; /* transferred */
    msg->body->value.ir = reqs; /* ir, cr and kur share the type */
    reqs = NULL; /* transferred */
    /*
     * Work-around until protect.c marks the MAC as a BIT STRING without
     * unused bits: else OpenSSL's encoder drops trailing zero bits, and
     * about one MAC in 256 (last byte 0) no longer verifies. The flag set
     * here survives ASN1_BIT_STRING_set() in protect_mac().
     */
    if ((msg->protection = ASN1_BIT_STRING_new()) == NULL)
        goto out;
    msg->protection->flags = ASN1_STRING_FLAG_BITS_LEFT;
    if (!pkixcmp_msg_protect(ctx, msg) || (out = BIO_new_file(o.out, "wb")) == NULL
        || !pkixcmp_msg_write(out, msg))
        goto out;
    ret = 0;
out:
    if (ret != 0 && (err = BIO_new_fp(stderr, BIO_NOCLOSE)) != NULL)
        pkixcmp_err_print(err);
    BIO_free(err);
    BIO_free(out);
    sk_PKIXCMP_CertReqMsg_free(reqs);
    ASN1_item_free((ASN1_VALUE *)crm, ASN1_ITEM_rptr(PKIXCMP_CertReqMsg));
    pkixcmp_msg_free(msg);
    X509_NAME_free(subject);
    X509_NAME_free(recipient);
    X509_free(old);
    EVP_PKEY_free(k);
    pkixcmp_ctx_free(ctx);
    return ret;
}
