/*
 * bench/floor.c - the crypto floor of one MAC-protected enrollment on this
 * machine: what a CA server must compute for an ir with implicitConfirm,
 * done the cheapest way libcrypto allows (algorithms fetched once, contexts
 * reused, each PBM hash started from a copy of an initialised context),
 * with none of the ASN.1, HTTP or bookkeeping around it:
 *
 *  - verify the request's PBM protection: 500 iterations of the OWF
 *    (SHA-256) over secret || salt, then HMAC-SHA1 over the ProtectedPart;
 *  - verify the POP: one ECDSA P-256 (SHA-256) signature over the
 *    certificate request;
 *  - issue: one signature with the CA key over the TBSCertificate;
 *  - protect the ip: PBM again (500 iterations, HMAC-SHA1).
 *
 * Sizes are those of a real exchange (ProtectedPart of the ir about 450
 * bytes, of the ip about 2.5 KB with the chain, TBSCertificate about 350
 * bytes), and bench_server.sh gives the iteration count and digest the
 * servers use.
 *
 *   floor -cakey FILE [-seconds 2] [-iterations 500]
 *
 * Prints microseconds per step and per enrollment, and a last line
 * "FLOOR us=... pbm_us=... pop_us=... sign_us=..." for scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

struct floor_ctx {
    EVP_MD *sha256;
    EVP_MD_CTX *mdctx, *fresh; /* fresh: initialised once, copied per hash */
    EVP_MAC *hmac;
    EVP_PKEY *ee_key, *ca_key;
    unsigned char req[450], rsp[2500], tbs[350], pop_sig[80], salt[16];
    size_t pop_sig_len;
    long iterations;
};

static double now_mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* PBM (RFC 4211 4.4): OWF iterated over secret || salt, then HMAC-SHA1. */
static int pbm(struct floor_ctx *f, const unsigned char *data, size_t len)
{
    static const char secret[] = "test1234";
    unsigned char key[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
    unsigned int klen = 0;
    size_t mlen = 0;
    OSSL_PARAM params[2];
    EVP_MAC_CTX *mctx = NULL;
    long i;
    int ok = 0;

    if (!EVP_MD_CTX_copy_ex(f->mdctx, f->fresh)
        || !EVP_DigestUpdate(f->mdctx, secret, sizeof(secret) - 1)
        || !EVP_DigestUpdate(f->mdctx, f->salt, sizeof(f->salt))
        || !EVP_DigestFinal_ex(f->mdctx, key, &klen))
        return 0;
    for (i = 1; i < f->iterations; i++)
        if (!EVP_MD_CTX_copy_ex(f->mdctx, f->fresh)
            || !EVP_DigestUpdate(f->mdctx, key, klen)
            || !EVP_DigestFinal_ex(f->mdctx, key, &klen))
            return 0;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA1", 0);
    params[1] = OSSL_PARAM_construct_end();
    if ((mctx = EVP_MAC_CTX_new(f->hmac)) != NULL && EVP_MAC_init(mctx, key, klen, params)
        && EVP_MAC_update(mctx, data, len) && EVP_MAC_final(mctx, mac, &mlen, sizeof(mac)))
        ok = 1;
    EVP_MAC_CTX_free(mctx);
    return ok;
}

/* A SHA-256 signature (or verification) with key over data. */
static int sign(EVP_PKEY *key, const unsigned char *data, size_t len, unsigned char *sig,
                size_t *siglen, int verify)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok;

    ok = c != NULL
        && (verify ? EVP_DigestVerifyInit_ex(c, NULL, "SHA256", NULL, NULL, key, NULL)
                         && EVP_DigestVerify(c, sig, *siglen, data, len) == 1
                   : EVP_DigestSignInit_ex(c, NULL, "SHA256", NULL, NULL, key, NULL)
                         && EVP_DigestSign(c, sig, siglen, data, len));
    EVP_MD_CTX_free(c);
    return ok;
}

static int step_pbm_req(struct floor_ctx *f)
{
    return pbm(f, f->req, sizeof(f->req));
}

static int step_pop(struct floor_ctx *f)
{
    return sign(f->ee_key, f->req, 300, f->pop_sig, &f->pop_sig_len, 1);
}

static int step_sign(struct floor_ctx *f)
{
    unsigned char sig[1024];
    size_t len = sizeof(sig);

    return sign(f->ca_key, f->tbs, sizeof(f->tbs), sig, &len, 0);
}

static int step_pbm_rsp(struct floor_ctx *f)
{
    return pbm(f, f->rsp, sizeof(f->rsp));
}

/*
 * Microseconds per call of step: the best of ROUNDS rounds of secs/ROUNDS
 * seconds each, so that other work on a shared machine inflates the floor
 * as little as possible. -1 on error.
 */
#define ROUNDS 5
static double time_step(struct floor_ctx *f, int (*step)(struct floor_ctx *), double secs)
{
    double best = -1;
    int r;

    for (r = 0; r < ROUNDS; r++) {
        double t0 = now_mono(), t, us;
        long n = 0;

        do {
            int i;

            for (i = 0; i < 10; i++, n++)
                if (!step(f))
                    return -1;
            t = now_mono();
        } while (t - t0 < secs / ROUNDS);
        us = (t - t0) * 1e6 / (double)n;
        if (best < 0 || us < best)
            best = us;
    }
    return best;
}

static EVP_PKEY *load_key(const char *file)
{
    FILE *fp = fopen(file, "r");
    EVP_PKEY *k;

    if (fp == NULL)
        return NULL;
    k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
    fclose(fp);
    return k;
}

int main(int argc, char **argv)
{
    struct floor_ctx f = { .iterations = 500, .pop_sig_len = sizeof(f.pop_sig) };
    const char *cakey = NULL;
    double secs = 2, pbm_us, pop_us, sign_us, pbm2_us;
    int i, ret = 1;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-cakey") == 0)
            cakey = argv[i + 1];
        else if (strcmp(argv[i], "-seconds") == 0)
            secs = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "-iterations") == 0)
            f.iterations = strtol(argv[i + 1], NULL, 10);
        else
            break;
    }
    if (cakey == NULL || i != argc || secs <= 0 || f.iterations < 1) {
        fprintf(stderr, "usage: floor -cakey FILE [-seconds 2] [-iterations 500]\n");
        return 2;
    }
    if ((f.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL
        || (f.mdctx = EVP_MD_CTX_new()) == NULL || (f.fresh = EVP_MD_CTX_new()) == NULL
        || !EVP_DigestInit_ex(f.fresh, f.sha256, NULL) || (f.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL
        || (f.ca_key = load_key(cakey)) == NULL
        || (f.ee_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL
        || RAND_bytes(f.req, sizeof(f.req)) != 1 || RAND_bytes(f.rsp, sizeof(f.rsp)) != 1
        || RAND_bytes(f.tbs, sizeof(f.tbs)) != 1 || RAND_bytes(f.salt, sizeof(f.salt)) != 1
        || !sign(f.ee_key, f.req, 300, f.pop_sig, &f.pop_sig_len, 0))
        goto out;
    if ((pbm_us = time_step(&f, step_pbm_req, secs / 4)) < 0
        || (pop_us = time_step(&f, step_pop, secs / 4)) < 0
        || (sign_us = time_step(&f, step_sign, secs / 4)) < 0
        || (pbm2_us = time_step(&f, step_pbm_rsp, secs / 4)) < 0)
        goto out;
    printf("crypto floor of one enrollment, CA key %s (%d bits), PBM %ld iterations:\n",
           EVP_PKEY_get0_type_name(f.ca_key), EVP_PKEY_get_bits(f.ca_key), f.iterations);
    printf("  PBM of the ir %.1f us, POP verify (P-256) %.1f us, CA signature %.1f us, "
           "PBM of the ip %.1f us\n", pbm_us, pop_us, sign_us, pbm2_us);
    printf("  total %.1f us = %.0f enrollments/s per core\n", pbm_us + pop_us + sign_us + pbm2_us,
           1e6 / (pbm_us + pop_us + sign_us + pbm2_us));
    printf("FLOOR us=%.1f pbm_us=%.1f pop_us=%.1f sign_us=%.1f\n",
           pbm_us + pop_us + sign_us + pbm2_us, pbm_us + pbm2_us, pop_us, sign_us);
    ret = 0;
out:
    if (ret != 0) {
        fprintf(stderr, "floor: failed\n");
        ERR_print_errors_fp(stderr);
    }
    EVP_MD_free(f.sha256);
    EVP_MD_CTX_free(f.mdctx);
    EVP_MD_CTX_free(f.fresh);
    EVP_MAC_free(f.hmac);
    EVP_PKEY_free(f.ca_key);
    EVP_PKEY_free(f.ee_key);
    return ret;
}
