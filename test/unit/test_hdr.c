/*
 * test_hdr.c - header checks (hdr_check.c) on the request/response pairs
 * that `openssl cmp` made (test/data), each check failing with its own
 * code when the decoded response or request is altered; and the table from
 * error codes to PKIFailureInfo bits (failinfo.c).
 */
#include <stdlib.h>
#include <openssl/err.h>
#include <pkixcmp/protect.h>
#include "protect_local.h"
#include "tap.h"
#include "testutil.h"

static PKIXCMP_MSG *load(const char *file)
{
    char *path = tu_data_path("test/data", file);
    unsigned char *der = NULL;
    PKIXCMP_MSG *msg = NULL;
    size_t len = 0;

    if (path != NULL && (der = tu_read_file(path, &len)) != NULL)
        msg = pkixcmp_msg_decode(der, len, 0);
    if (msg == NULL)
        tap_diag("cannot load %s", file);
    free(der);
    free(path);
    return msg;
}

/* 1 if the last error has code and its printed text contains want (if
 * not NULL); clears the error queue. */
static int failed_with(int code, const char *want)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *text = NULL;
    int code_ok = pkixcmp_err_peek_last() == code, text_ok = 0;

    if (mem != NULL) {
        pkixcmp_err_print(mem);
        if (BIO_write(mem, "", 1) == 1 && BIO_get_mem_data(mem, &text) > 0)
            text_ok = want == NULL || strstr(text, want) != NULL;
        if (!code_ok || !text_ok)
            tap_diag("want %s with \"%s\", got: %s", pkixcmp_err_name(code),
                     want != NULL ? want : "", text != NULL ? text : "");
    }
    BIO_free(mem);
    ERR_clear_error();
    return code_ok && text_ok;
}

/* ------------------------------------------------- the real pairs */

/* Requests and the responses that answered them (same transactionID). */
static const char *const pairs[][2] = {
    {"ir_mac.der", "ip_mac.der"},
    {"certConf_mac.der", "pkiConf_mac.der"},
    {"cr_mac.der", "cp_mac.der"},
    {"kur_mac.der", "kup_mac.der"},
    {"p10cr_mac.der", "cp_p10cr_mac.der"},
    {"rr_mac.der", "rp_mac.der"},
    {"genm_mac.der", "genp_mac.der"},
    {"genm_signKeyPairTypes_mac.der", "genp_signKeyPairTypes_mac.der"},
    {"pollReq_mac.der", "pollRep_mac.der"},
    {"ir_implicitconf_mac.der", "ip_implicitconf_mac.der"},
    {"ir_popo_rsa_mac.der", "ip_popo_rsa_mac.der"},
    {"ir_popo_ed25519_mac.der", "ip_popo_ed25519_mac.der"},
    {"ir_sig.der", "ip_sig.der"},
    {"certConf_sig.der", "pkiConf_sig.der"},
    {"cr_sig.der", "cp_sig.der"},
    {"kur_sig.der", "kup_sig.der"},
    {"p10cr_sig.der", "cp_p10cr_sig.der"},
    {"rr_sig.der", "rp_sig.der"},
    {"genm_sig.der", "genp_sig.der"},
    {"genm_signKeyPairTypes_sig.der", "genp_signKeyPairTypes_sig.der"},
    {"pollReq_sig.der", "pollRep_sig.der"},
    {"ir_sig_rsa.der", "ip_sig_rsa.der"},
    {"ir_sig_p384.der", "ip_sig_p384.der"},
};

static const char *const requests[] = {
    "ir_mac.der", "certConf_mac.der", "cr_mac.der", "kur_mac.der", "p10cr_mac.der",
    "rr_mac.der", "genm_mac.der", "pollReq_mac.der", "ir_sig.der", "certConf_sig.der",
    "p10cr_sig.der", "rr_sig.der", "genm_sig.der", "pollReq_sig.der", "ir_unprotected.der",
};

/* The injected clock: *(time_t *)arg. */
static time_t fake_now(void *arg)
{
    return *(const time_t *)arg;
}

/* messageTime of msg as time_t. */
static time_t msg_time(const PKIXCMP_MSG *msg)
{
    ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
    int days = 0, secs = 0;

    if (epoch == NULL || msg->header->messageTime == NULL
        || !ASN1_TIME_diff(&days, &secs, epoch, msg->header->messageTime))
        tap_diag("no messageTime");
    ASN1_TIME_free(epoch);
    return (time_t)days * 86400 + secs;
}

static void test_pairs(PKIXCMP_CTX *ctx, time_t *clock)
{
    PKIXCMP_MSG *req, *rsp;
    size_t i;

    for (i = 0; i < PXC_NELEM(pairs); i++) {
        req = load(pairs[i][0]);
        rsp = load(pairs[i][1]);
        if (rsp != NULL)
            *clock = msg_time(rsp) + 5; /* within the 60 s skew set by main() */
        ok(req != NULL && rsp != NULL && pxc_hdr_check_response(ctx, req, rsp) == 1,
           "%s answers %s", pairs[i][1], pairs[i][0]);
        ERR_print_errors_fp(stdout);
        pkixcmp_msg_free(req);
        pkixcmp_msg_free(rsp);
    }
    for (i = 0; i < PXC_NELEM(requests); i++) {
        req = load(requests[i]);
        if (req != NULL)
            *clock = msg_time(req) - 5;
        ok(req != NULL && pxc_hdr_check_request(ctx, req) == 1, "request %s passes",
           requests[i]);
        ERR_print_errors_fp(stdout);
        pkixcmp_msg_free(req);
    }
}

/* ----------------------------------------------- altered responses */

static void set_octets(ASN1_OCTET_STRING **s, const char *data, int len)
{
    if (*s == NULL)
        *s = ASN1_OCTET_STRING_new();
    if (*s == NULL || !ASN1_OCTET_STRING_set(*s, (const unsigned char *)data, len))
        tap_diag("cannot set octets");
}

static void flip_first(ASN1_OCTET_STRING *s)
{
    if (s != NULL && s->length > 0)
        s->data[0] ^= 0x01;
}

static void set_dn(GENERAL_NAME **gn, const char *cn)
{
    X509_NAME *name = X509_NAME_new();

    GENERAL_NAME_free(*gn);
    *gn = GENERAL_NAME_new();
    if (name == NULL || *gn == NULL
        || !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                                       -1, -1, 0))
        tap_diag("cannot make a name");
    GENERAL_NAME_set0_value(*gn, GEN_DIRNAME, name);
}

static void m_tid_flip(PKIXCMP_PKIHeader *h) { flip_first(h->transactionID); }
static void m_tid_absent(PKIXCMP_PKIHeader *h)
{
    ASN1_OCTET_STRING_free(h->transactionID);
    h->transactionID = NULL;
}
static void m_tid_empty(PKIXCMP_PKIHeader *h) { set_octets(&h->transactionID, "", 0); }
static void m_recip_flip(PKIXCMP_PKIHeader *h) { flip_first(h->recipNonce); }
static void m_recip_absent(PKIXCMP_PKIHeader *h)
{
    ASN1_OCTET_STRING_free(h->recipNonce);
    h->recipNonce = NULL;
}
static void m_sender_absent(PKIXCMP_PKIHeader *h)
{
    ASN1_OCTET_STRING_free(h->senderNonce);
    h->senderNonce = NULL;
}
static void m_sender_short(PKIXCMP_PKIHeader *h) { set_octets(&h->senderNonce, "\x01\x02\x03", 3); }
static void m_sender_15(PKIXCMP_PKIHeader *h) { set_octets(&h->senderNonce, "0123456789abcde", 15); }
static void m_pvno_1(PKIXCMP_PKIHeader *h) { ASN1_INTEGER_set(h->pvno, 1); }
static void m_pvno_3(PKIXCMP_PKIHeader *h) { ASN1_INTEGER_set(h->pvno, 3); }
static void m_pvno_4(PKIXCMP_PKIHeader *h) { ASN1_INTEGER_set(h->pvno, 4); }
static void m_name_other(PKIXCMP_PKIHeader *h) { set_dn(&h->sender, "somebody else"); }
static void m_name_uri(PKIXCMP_PKIHeader *h)
{
    ASN1_IA5STRING *uri = ASN1_IA5STRING_new();

    GENERAL_NAME_free(h->sender);
    h->sender = GENERAL_NAME_new();
    if (uri == NULL || h->sender == NULL || !ASN1_STRING_set(uri, "http://ca.example", -1))
        tap_diag("cannot make a URI");
    GENERAL_NAME_set0_value(h->sender, GEN_URI, uri);
}

struct alteration {
    const char *req, *rsp;              /* rsp NULL: a request check */
    void (*alter)(PKIXCMP_PKIHeader *h); /* of the message under check */
    int code;                            /* PKIXCMP_E_NONE: still passes */
    const char *detail;                  /* part of the error text */
};

static const struct alteration alterations[] = {
    {"ir_mac.der", "ip_mac.der", m_tid_flip, PKIXCMP_E_WRONG_TRANSACTIONID,
     "ip: transactionID B85536F981D757F4A8E88FCF48A845DB (16 bytes), expected the ir's "
     "transactionID B95536F981D757F4A8E88FCF48A845DB (16 bytes)"},
    {"ir_mac.der", "ip_mac.der", m_tid_absent, PKIXCMP_E_WRONG_TRANSACTIONID,
     "transactionID (absent)"},
    {"ir_mac.der", "ip_mac.der", m_recip_flip, PKIXCMP_E_WRONG_RECIPNONCE,
     "expected the ir's senderNonce"},
    {"ir_mac.der", "ip_mac.der", m_recip_absent, PKIXCMP_E_WRONG_RECIPNONCE,
     "ip: recipNonce (absent)"},
    {"ir_mac.der", "ip_mac.der", m_sender_absent, PKIXCMP_E_MISSING_SENDERNONCE,
     "ip: senderNonce (absent), expected at least 16 bytes"},
    {"ir_mac.der", "ip_mac.der", m_sender_short, PKIXCMP_E_MISSING_SENDERNONCE,
     "senderNonce 010203 (3 bytes)"},
    {"certConf_mac.der", "pkiConf_mac.der", m_sender_15, PKIXCMP_E_MISSING_SENDERNONCE,
     "pkiconf: senderNonce"},
    {"ir_mac.der", "ip_mac.der", m_pvno_3, PKIXCMP_E_WRONG_PVNO, "ip: pvno 3, expected the ir's 2"},
    {"genm_sig.der", "genp_sig.der", m_pvno_1, PKIXCMP_E_WRONG_PVNO, "pvno 1"},
    /* without -expect_sender or -srvcert any responder may answer (an RA
     * for the CA named as recipient); its signature is checked elsewhere */
    {"ir_sig.der", "ip_sig.der", m_name_other, PKIXCMP_E_NONE, NULL},
    /* a MAC-protected request: the shared secret authenticates the server */
    {"ir_mac.der", "ip_mac.der", m_name_other, PKIXCMP_E_NONE, NULL},
    /* requests */
    {"ir_mac.der", NULL, m_pvno_1, PKIXCMP_E_WRONG_PVNO, "ir: pvno 1, expected 2 (cmp2000) or 3"},
    {"ir_mac.der", NULL, m_pvno_4, PKIXCMP_E_WRONG_PVNO, "pvno 4"},
    {"ir_mac.der", NULL, m_pvno_3, PKIXCMP_E_NONE, NULL},
    {"certConf_sig.der", NULL, m_tid_absent, PKIXCMP_E_WRONG_TRANSACTIONID,
     "certConf: transactionID absent"},
    {"genm_mac.der", NULL, m_tid_empty, PKIXCMP_E_WRONG_TRANSACTIONID, "transactionID empty"},
    {"pollReq_mac.der", NULL, m_sender_absent, PKIXCMP_E_MISSING_SENDERNONCE,
     "pollReq: senderNonce (absent)"},
    {"rr_sig.der", NULL, m_sender_15, PKIXCMP_E_MISSING_SENDERNONCE, "(15 bytes)"},
    {"p10cr_mac.der", NULL, m_name_uri, PKIXCMP_E_SENDER_MISMATCH,
     "p10cr: sender URI:http://ca.example, expected a directoryName"},
    {"ir_unprotected.der", NULL, m_name_other, PKIXCMP_E_NONE, NULL},
};

static void test_alterations(PKIXCMP_CTX *ctx)
{
    const struct alteration *a;
    PKIXCMP_MSG *req, *rsp;
    size_t i;
    int ret;

    for (i = 0; i < PXC_NELEM(alterations); i++) {
        a = &alterations[i];
        req = load(a->req);
        rsp = a->rsp != NULL ? load(a->rsp) : NULL;
        if (req == NULL || (a->rsp != NULL && rsp == NULL)) {
            ok(0, "alteration %zu: fixtures load", i);
            goto next;
        }
        a->alter(rsp != NULL ? rsp->header : req->header);
        ret = rsp != NULL ? pxc_hdr_check_response(ctx, req, rsp) : pxc_hdr_check_request(ctx, req);
        if (a->code == PKIXCMP_E_NONE)
            ok(ret == 1, "alteration %zu of %s still passes", i, a->rsp ? a->rsp : a->req);
        else
            ok(ret == 0 && failed_with(a->code, a->detail), "alteration %zu of %s: %s", i,
               a->rsp ? a->rsp : a->req, pkixcmp_err_name(a->code));
        ERR_clear_error();
    next:
        pkixcmp_msg_free(req);
        pkixcmp_msg_free(rsp);
    }
}

/* -------------------------------------------- context-dependent checks */

static X509_NAME *dn(const char *cn)
{
    X509_NAME *name = X509_NAME_new();

    if (name == NULL
        || !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
                                       -1, -1, 0))
        tap_diag("cannot make a name");
    return name;
}

static void test_expected_sender(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *ir_mac = load("ir_mac.der"), *ip_mac = load("ip_mac.der");
    PKIXCMP_MSG *ir_sig = load("ir_sig.der"), *ip_sig = load("ip_sig.der");
    X509_NAME *other = dn("pkixcmp test CMP server");

    /* ip_mac's sender is NULL-DN, as the openssl cmp mock server sends it */
    ok(pkixcmp_ctx_set1_expected_sender(ctx, other), "expected sender set");
    ok(!pxc_hdr_check_response(ctx, ir_mac, ip_mac)
       && failed_with(PKIXCMP_E_SENDER_MISMATCH,
                      "ip: sender NULL-DN, expected /CN=pkixcmp test CMP server (-expect_sender)"),
       "MAC-protected answer from the wrong sender when one is expected");
    ok(!pxc_hdr_check_response(ctx, ir_sig, ip_sig)
       && failed_with(PKIXCMP_E_SENDER_MISMATCH, "(-expect_sender)"),
       "the expected sender applies to signed answers");
    ok(pkixcmp_ctx_set1_expected_sender(ctx, ip_sig->header->sender->d.directoryName),
       "expected sender = ip_sig's sender");
    ok(pxc_hdr_check_response(ctx, ir_sig, ip_sig), "answer from the expected sender passes");
    ERR_print_errors_fp(stdout);
    {
        /* without -expect_sender, the subject of -srvcert is expected */
        X509 *srvcert = tu_cert("client_rsa.crt");

        ok(pkixcmp_ctx_set1_expected_sender(ctx, NULL) && pkixcmp_ctx_set1_srvcert(ctx, srvcert),
           "srvcert set, no expected sender");
        ok(!pxc_hdr_check_response(ctx, ir_sig, ip_sig)
           && failed_with(PKIXCMP_E_SENDER_MISMATCH, "(the subject of -srvcert)"),
           "an answer not from the -srvcert subject fails");
        ERR_clear_error();
        X509_free(srvcert);
    }
    X509_NAME_free(other);
    pkixcmp_msg_free(ir_mac);
    pkixcmp_msg_free(ip_mac);
    pkixcmp_msg_free(ir_sig);
    pkixcmp_msg_free(ip_sig);
    pkixcmp_ctx_free(ctx);
}

/* Offsets of the clock from messageTime and whether the check passes
 * with a skew of 300 s. */
static const struct {
    long offset;
    int passes;
    const char *detail;
} clock_cases[] = {
    {0, 1, NULL},
    {300, 1, NULL},
    {-300, 1, NULL},
    {301, 0, "ip: messageTime 20261123193454Z is 301 s behind our clock 20261123193955Z "
             "(allowed skew 300 s)"},
    {-3600, 0, "is 3600 s ahead of our clock 20261123183454Z"},
    {86400 * 400L, 0, "is 34560000 s behind"},
};

static void test_message_time(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *req = load("ir_mac.der"), *rsp = load("ip_mac.der");
    time_t clock = 0, base = msg_time(rsp);
    size_t i;

    ok(pkixcmp_ctx_set_clock(ctx, fake_now, &clock), "clock injected");
    clock = base + 86400 * 400L;
    ok(pxc_hdr_check_response(ctx, req, rsp), "no skew check by default (skew -1)");
    ok(pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MSG_TIME_SKEW, 300), "skew 300 s");
    for (i = 0; i < PXC_NELEM(clock_cases); i++) {
        clock = base + clock_cases[i].offset;
        if (clock_cases[i].passes)
            ok(pxc_hdr_check_response(ctx, req, rsp) == 1, "clock %+ld s: passes",
               clock_cases[i].offset);
        else
            ok(pxc_hdr_check_response(ctx, req, rsp) == 0
               && failed_with(PKIXCMP_E_MESSAGE_TIME, clock_cases[i].detail),
               "clock %+ld s: messageTime refused", clock_cases[i].offset);
    }
    clock = base + 3600;
    ok(pxc_hdr_check_request(ctx, req) == 0 && failed_with(PKIXCMP_E_MESSAGE_TIME, "ir: messageTime"),
       "the request check applies the skew too");
    ASN1_GENERALIZEDTIME_free(rsp->header->messageTime);
    rsp->header->messageTime = NULL;
    ok(pxc_hdr_check_response(ctx, req, rsp) == 1, "no messageTime, nothing to check");
    pkixcmp_msg_free(req);
    pkixcmp_msg_free(rsp);
    pkixcmp_ctx_free(ctx);
}

/*
 * An error with unsupportedVersion may carry another pvno: error_mac.der
 * made the answer to ir_mac.der (transactionID and recipNonce copied), with
 * pvno 3 and failInfo bit 22.
 */
static void test_unsupported_version(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *req = load("ir_mac.der"), *rsp = load("error_mac.der");
    PKIXCMP_PKIStatusInfo *si;

    if (req == NULL || rsp == NULL || rsp->body->value.error->pKIStatusInfo == NULL) {
        ok(0, "fixtures for the unsupportedVersion exception");
        goto out;
    }
    ASN1_OCTET_STRING_free(rsp->header->transactionID);
    ASN1_OCTET_STRING_free(rsp->header->recipNonce);
    rsp->header->transactionID = ASN1_OCTET_STRING_dup(req->header->transactionID);
    rsp->header->recipNonce = ASN1_OCTET_STRING_dup(req->header->senderNonce);
    ok(pxc_hdr_check_response(ctx, req, rsp) == 1, "error_mac as the answer to ir_mac passes");
    ASN1_INTEGER_set(rsp->header->pvno, 3);
    ok(pxc_hdr_check_response(ctx, req, rsp) == 0
       && failed_with(PKIXCMP_E_WRONG_PVNO, "error: pvno 3, expected the ir's 2"),
       "error with pvno 3 without unsupportedVersion is refused");
    si = rsp->body->value.error->pKIStatusInfo;
    if (si->failInfo == NULL)
        si->failInfo = ASN1_BIT_STRING_new();
    ok(si->failInfo != NULL && ASN1_BIT_STRING_set_bit(si->failInfo, 22, 1),
       "failInfo unsupportedVersion set");
    ok(pxc_hdr_check_response(ctx, req, rsp) == 1,
       "error with unsupportedVersion may carry the server's pvno");
    ASN1_OCTET_STRING_free(rsp->header->recipNonce);
    rsp->header->recipNonce = NULL;
    ok(pxc_hdr_check_response(ctx, req, rsp) == 0
       && failed_with(PKIXCMP_E_WRONG_RECIPNONCE, "error: recipNonce (absent)"),
       "the other checks still apply to it");
    ok(pxc_hdr_check_response(ctx, rsp, req) == 0 && failed_with(PKIXCMP_E_WRONG_PVNO, "ir: pvno 2"),
       "the exception is for error responses only");
out:
    pkixcmp_msg_free(req);
    pkixcmp_msg_free(rsp);
    pkixcmp_ctx_free(ctx);
}

static void test_arguments(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    PKIXCMP_MSG *req = load("ir_mac.der");

    ok(pxc_hdr_check_response(ctx, req, NULL) == 0
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, NULL), "response check without a response");
    ok(pxc_hdr_check_request(NULL, req) == 0
       && failed_with(PKIXCMP_E_INVALID_ARGUMENT, NULL), "request check without a context");
    pkixcmp_msg_free(req);
    pkixcmp_ctx_free(ctx);
}

/* ------------------------------------------------------------ failInfo */

static const struct {
    int code, bit;
} failinfo_cases[] = {
    {PKIXCMP_E_UNKNOWN_ALGORITHM, 0}, {PKIXCMP_E_DISALLOWED_ALGORITHM, 0},
    {PKIXCMP_E_WRONG_MAC, 1}, {PKIXCMP_E_BAD_SIGNATURE, 1},
    {PKIXCMP_E_ITERATION_COUNT_TOO_HIGH, 1}, {PKIXCMP_E_SALT_TOO_LONG, 1},
    {PKIXCMP_E_UNPROTECTED, 1}, {PKIXCMP_E_BAD_PROTECTION_PARAMS, 1},
    {PKIXCMP_E_MESSAGE_TIME, 3},
    {PKIXCMP_E_DER_TOO_LARGE, 5}, {PKIXCMP_E_DER_TRUNCATED, 5}, {PKIXCMP_E_ASN1_DECODE, 5},
    {PKIXCMP_E_ITAV_VALUE, 5}, {PKIXCMP_E_SENDER_MISMATCH, 6},
    {PKIXCMP_E_NO_SIGNER, 20}, {PKIXCMP_E_MISSING_SENDERKID, 20},
    {PKIXCMP_E_UNTRUSTED_SIGNER, 20}, {PKIXCMP_E_SIGNER_EXPIRED, 20},
    {PKIXCMP_E_SIGNER_KEY_USAGE, 20}, {PKIXCMP_E_SIGNER_EKU, 20},
    {PKIXCMP_E_WRONG_RECIPNONCE, 13}, {PKIXCMP_E_MISSING_SENDERNONCE, 18},
    {PKIXCMP_E_NONCE_REPLAY, 18}, {PKIXCMP_E_TRANSACTIONID_IN_USE, 21},
    {PKIXCMP_E_WRONG_PVNO, 22}, {PKIXCMP_E_WRONG_INTEGRITY, 12},
    {PKIXCMP_E_WRONG_TRANSACTIONID, 2}, {PKIXCMP_E_INVALID_ARGUMENT, 2},
    {PKIXCMP_E_MALLOC, 25}, {PKIXCMP_E_INTERNAL, 25}, {PKIXCMP_E_IO, 25},
    {PKIXCMP_E_ASN1_ENCODE, 25}, {PKIXCMP_E_SIGN_FAILED, 25},
    {-1, 2}, {PKIXCMP_E_MAX_, 2}, {1000, 2},
};

static void test_failinfo(void)
{
    size_t i;
    int code, bit, bad = 0;

    for (code = 0; code < PKIXCMP_E_MAX_; code++) {
        if (strcmp(pkixcmp_err_name(code), "PKIXCMP_E_UNKNOWN") == 0)
            continue;
        bit = pkixcmp_err_failinfo_bit(code);
        if (bit < 0 || bit > 26) {
            tap_diag("%s maps to bit %d", pkixcmp_err_name(code), bit);
            bad++;
        }
    }
    ok(bad == 0, "every named code maps to a PKIFailureInfo bit 0..26");
    for (i = 0; i < PXC_NELEM(failinfo_cases); i++)
        is_int(pkixcmp_err_failinfo_bit(failinfo_cases[i].code), failinfo_cases[i].bit,
               pkixcmp_err_name(failinfo_cases[i].code));
}

int main(void)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL);
    time_t clock = 0;

    if (!ok(ctx != NULL, "context"))
        return tap_done();
    ok(pkixcmp_ctx_set_clock(ctx, fake_now, &clock)
       && pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_MSG_TIME_SKEW, 60), "clock and 60 s skew");
    test_pairs(ctx, &clock);
    pkixcmp_ctx_free(ctx);
    if ((ctx = pkixcmp_ctx_new(NULL, NULL)) != NULL)
        test_alterations(ctx);
    pkixcmp_ctx_free(ctx);
    test_expected_sender();
    test_message_time();
    test_unsupported_version();
    test_arguments();
    test_failinfo();
    return tap_done();
}
