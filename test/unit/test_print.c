/*
 * test_print.c - the message printer on the fixtures of test/data and on
 * hand-made values: what it shows, that JSON stays valid, that bad values
 * fall back to hex without leaving errors, and that depth is bounded.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "asn1_types.h"
#include "envdata.h"
#include "print.h"
#include "tap.h"
#include "testutil.h"

/* ------------------------------------------------------------ helpers */

static PKIXCMP_MSG *load(const char *file)
{
    char *path = tu_data_path("test/data", file);
    size_t len = 0;
    unsigned char *der = path != NULL ? tu_read_file(path, &len) : NULL;
    PKIXCMP_MSG *msg = der != NULL ? pkixcmp_msg_decode(der, len, 0) : NULL;

    if (msg == NULL)
        tap_diag("cannot load %s", file);
    free(path);
    free(der);
    return msg;
}

static char *bio_string(BIO *mem)
{
    char *data = NULL;

    if (BIO_write(mem, "", 1) != 1 || BIO_get_mem_data(mem, &data) <= 0)
        return NULL;
    return OPENSSL_strdup(data);
}

static char *print_msg(const PKIXCMP_MSG *msg, int style)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *ret = NULL;

    if (msg != NULL && mem != NULL && pkixcmp_msg_print(mem, msg, style))
        ret = bio_string(mem);
    BIO_free(mem);
    return ret;
}

/* pxc_print_item(root, "v", val, it) rendered as text (or JSON). */
static char *print_value(const void *val, const ASN1_ITEM *it, int json)
{
    PXC_NODE *root = pxc_node_new_root();
    BIO *mem = BIO_new(BIO_s_mem());
    char *ret = NULL;

    if (root != NULL && mem != NULL && pxc_print_item(root, "v", val, it)
        && (json ? pxc_node_render_json(mem, root) : pxc_node_render_text(mem, root)))
        ret = bio_string(mem);
    BIO_free(mem);
    pxc_node_free(root);
    return ret;
}

/* Decodes a value of item it from hex ("30 0A ..."; spaces ignored). */
static ASN1_VALUE *from_hex(const char *hex, const ASN1_ITEM *it)
{
    unsigned char der[512];
    const unsigned char *p = der;
    size_t n = 0;
    unsigned int byte;
    ASN1_VALUE *v;

    for (; *hex != '\0' && n < sizeof(der); hex++) {
        if (isspace((unsigned char)*hex))
            continue;
        if (sscanf(hex, "%2x", &byte) != 1)
            return NULL;
        der[n++] = (unsigned char)byte;
        hex++;
    }
    v = ASN1_item_d2i(NULL, &p, (long)n, it);
    if (v == NULL || p != der + n)
        tap_diag("test value does not decode as %s", it->sname);
    return v;
}

static int contains(const char *haystack, const char *needle)
{
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

static int count_of(const char *haystack, const char *needle)
{
    int n = 0;

    while (haystack != NULL && (haystack = strstr(haystack, needle)) != NULL) {
        n++;
        haystack += strlen(needle);
    }
    return n;
}

/* ------------------------------------------- a small JSON validator */

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static const char *json_string(const char *p)
{
    int i;

    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20) /* also the end of the text */
            return NULL;
        if (*p++ != '\\')
            continue;
        if (*p == 'u') {
            for (i = 1; i <= 4; i++)
                if (!isxdigit((unsigned char)p[i]))
                    return NULL;
            p += 5;
        } else if (*p != '\0' && strchr("\"\\/bfnrt", *p) != NULL) {
            p++;
        } else {
            return NULL;
        }
    }
    return p + 1;
}

static const char *json_container(const char *p, int depth, char close, int members)
{
    p = json_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (members) {
            if ((p = json_string(json_ws(p))) == NULL || *(p = json_ws(p)) != ':')
                return NULL;
            p++;
        }
        if ((p = json_value(p, depth + 1)) == NULL)
            return NULL;
        p = json_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *json_value(const char *p, int depth)
{
    static const char *const words[] = {"true", "false", "null"};
    size_t i;

    p = json_ws(p);
    if (depth > 500)
        return NULL;
    if (*p == '{' || *p == '[')
        return json_container(p, depth, *p == '{' ? '}' : ']', *p == '{');
    if (*p == '"')
        return json_string(p);
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strncmp(p, words[i], strlen(words[i])) == 0)
            return p + strlen(words[i]);
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return NULL;
    while (isdigit((unsigned char)*p))
        p++;
    return p;
}

static int json_valid(const char *text)
{
    const char *end = text != NULL ? json_value(text, 0) : NULL;

    return end != NULL && *json_ws(end) == '\0';
}

/* ----------------------------------------------------------- fixtures */

/* A fixture, and lines its text output must contain. */
static const struct {
    const char *file;
    const char *want[6];
} fixtures[] = {
    {"ir_mac.der",
     {"header:\n  pvno: 2\n", "body:\n  type: ir\n",
      "  protectionAlg:\n    algorithm: id-PasswordBasedMac (1.2.840.113533.7.66.13)\n"
      "    parameters:\n",
      "      owf: sha256 (2.16.840.1.101.3.4.2.1)\n      iterationCount: 500\n"
      "      mac: hmac-sha1 (1.3.6.1.5.5.8.1.2)\n",
      "  senderKID: 34:37:31:31\n",
      "          subject: /C=DE/O=pkixcmp test/CN=pkixcmp test client P-256\n"}},
    {"ip_rejected_mac.der",
     {"  type: ip\n", "status:\n          status: rejection\n",
      "          statusString:\n            [0]: test rejection\n",
      "          failInfo:\n            [0]: badPOP\n"}},
    {"ip_mac.der",
     {"  sender: DirName:\n", "status: accepted\n",
      "            certificate:\n"
      "              subject: /C=DE/O=pkixcmp test/CN=pkixcmp test client P-256\n"
      "              issuer: /C=DE/O=pkixcmp test/CN=pkixcmp test intermediate CA\n",
      "              serialNumber: 0x76E870B645A73B3C83C43CB0BC5F8EB0\n",
      "                curve: prime256v1\n", "[0]: X509v3 Basic Constraints\n"}},
    {"genp_signKeyPairTypes_mac.der",
     {"  type: genp\n", "      infoType: id-it-signKeyPairTypes (1.3.6.1.5.5.7.4.2)\n"}},
    {"certConf_mac.der",
     {"  type: certConf\n", "      certHash:\n", "      certReqId: 0\n",
      "      statusInfo:\n        status: accepted\n"}},
    {"error_mac.der",
     {"  type: error\n", "    pKIStatusInfo:\n      status: rejection\n",
      "      failInfo:\n        [0]: badRequest\n", "    errorCode: ",
      "    errorDetails:\n      [0]: "}},
    {"pollRep_mac.der", {"  type: pollRep\n", "      certReqId: 0\n      checkAfter: 0\n"}},
    {"rr_mac.der",
     {"  type: rr\n",
      "      certDetails:\n        serialNumber: 0x76E870B645A73B3C83C43CB0BC5F8EB0\n"}},
    {"rp_mac.der",
     {"    revCerts:\n      [0]:\n"
      "        issuer: DirName:/C=DE/O=pkixcmp test/CN=pkixcmp test intermediate CA\n"}},
    {"p10cr_mac.der",
     {"  type: p10cr\n", "    signatureAlgorithm: ecdsa-with-SHA256 (1.2.840.10045.4.3.2)\n"}},
    {"kur_mac.der", {"            type: id-regCtrl-oldCertID (1.3.6.1.5.5.7.5.1.5)\n"}},
    {"ir_implicitconf_mac.der",
     {"      infoType: id-it-implicitConfirm (1.3.6.1.5.5.7.4.13)\n      infoValue: NULL\n"}},
    {"pkiConf_mac.der", {"  type: pkiconf\n  content: NULL\n"}},
    {"ip_sig.der",
     {"extraCerts:\n  [0]:\n    subject: /C=DE/O=pkixcmp test/CN=pkixcmp test CMP server\n",
      "  protectionAlg: ecdsa-with-SHA256 (1.2.840.10045.4.3.2)\n"}},
    {"ir_popo_rsapss_mac.der",
     {"              maskGenAlgorithm:\n                algorithm: mgf1 (1.2.840.113549.1.1.8)\n"
      "                parameters: sha256 (2.16.840.1.101.3.4.2.1)\n",
      "              saltLength: 222\n"}},
    {"ir_unprotected.der", {"  type: ir\n"}},
};

static void test_fixtures(void)
{
    size_t i, j;
    PKIXCMP_MSG *msg;
    char *text;

    for (i = 0; i < PXC_NELEM(fixtures); i++) {
        msg = load(fixtures[i].file);
        text = print_msg(msg, PKIXCMP_PRINT_TEXT);
        ok(text != NULL, "%s prints", fixtures[i].file);
        for (j = 0; j < PXC_NELEM(fixtures[i].want) && fixtures[i].want[j] != NULL; j++)
            if (!ok(contains(text, fixtures[i].want[j]), "%s shows expected text %zu",
                    fixtures[i].file, j))
                tap_diag("want:\n%s\noutput:\n%s", fixtures[i].want[j],
                         text != NULL ? text : "(none)");
        OPENSSL_free(text);
        pkixcmp_msg_free(msg);
    }
    msg = load("ir_mac.der");
    text = print_msg(msg, PKIXCMP_PRINT_TEXT);
    ok(!contains(text, "recipNonce") && !contains(text, "extraCerts"),
       "absent OPTIONAL fields are omitted");
    OPENSSL_free(text);
    pkixcmp_msg_free(msg);
}

static void test_fixtures_json(void)
{
    static const char *const want[] = {
        "{\n  \"header\": {\n    \"pvno\": 2,\n",
        "  \"body\": {\n    \"type\": \"ir\",\n    \"content\": [\n",
        "\"algorithm\": \"id-PasswordBasedMac (1.2.840.113533.7.66.13)\"",
        "\"iterationCount\": 500,",
        "\"transactionID\": \"",
        "\"protection\": \"",
    };
    PKIXCMP_MSG *msg = load("ir_mac.der");
    char *json = print_msg(msg, PKIXCMP_PRINT_JSON);
    size_t i;

    ok(json_valid(json), "ir_mac.der as JSON is valid JSON");
    for (i = 0; i < PXC_NELEM(want); i++)
        if (!ok(contains(json, want[i]), "ir_mac.der JSON shows expected text %zu", i))
            tap_diag("want:\n%s", want[i]);
    OPENSSL_free(json);
    pkixcmp_msg_free(msg);
    msg = load("ip_rejected_mac.der");
    json = print_msg(msg, PKIXCMP_PRINT_JSON);
    ok(contains(json, "\"status\": \"rejection\"")
           && contains(json, "\"failInfo\": [\n              \"badPOP\"\n            ]"),
       "ip_rejected_mac.der JSON shows status and failInfo array");
    OPENSSL_free(json);
    pkixcmp_msg_free(msg);
}

/* Every fixture prints in both styles, to valid JSON, leaving no error. */
static void test_all_fixtures(void)
{
    char *dir = tu_data_path("test", "data");
    DIR *d = dir != NULL ? opendir(dir) : NULL;
    struct dirent *e;
    PKIXCMP_MSG *msg;
    char *text, *json;
    int n = 0, good = 0;
    size_t len;

    while (d != NULL && (e = readdir(d)) != NULL) {
        len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".der") != 0)
            continue;
        n++;
        ERR_clear_error();
        msg = load(e->d_name);
        text = print_msg(msg, PKIXCMP_PRINT_TEXT);
        json = print_msg(msg, PKIXCMP_PRINT_JSON);
        if (text != NULL && json_valid(json) && ERR_peek_error() == 0)
            good++;
        else
            tap_diag("%s: text %s, JSON %s", e->d_name, text ? "ok" : "failed",
                     json_valid(json) ? "valid" : "invalid");
        OPENSSL_free(text);
        OPENSSL_free(json);
        pkixcmp_msg_free(msg);
    }
    if (d != NULL)
        closedir(d);
    free(dir);
    ok(n >= 60, "found the fixtures (%d)", n);
    is_int(good, n, "every fixture prints as text and valid JSON, no error left");
}

/* ------------------------------------------------- hand-made values */

/* A value (DER in hex) of an item and the text it must print as. */
static const struct {
    const char *what;
    ASN1_ITEM_EXP *item;
    const char *hex;
    const char *want;
} values[] = {
    {"ITAV with an algorithm list", ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue),
     "30 1F 06 08 2B06010505070402 30 13 30 0A 06 08 2A8648CE3D040302 30 05 06 03 2B6570",
     "v:\n  infoType: id-it-signKeyPairTypes (1.3.6.1.5.5.7.4.2)\n  infoValue:\n"
     "    [0]: ecdsa-with-SHA256 (1.2.840.10045.4.3.2)\n    [1]: ED25519 (1.3.101.112)\n"},
    {"ITAV value not of its type: raw hex", ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue),
     "30 0D 06 08 2B06010505070411 02 01 05",
     "v:\n  infoType: id-it-caCerts (1.3.6.1.5.5.7.4.17)\n  infoValue: 02:01:05\n"},
    {"ITAV of an unknown OID: raw hex", ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue),
     "30 09 06 03 2A0304 0C 02 6869",
     "v:\n  infoType: 1.2.3.4\n  infoValue: 0C:02:68:69\n"},
    {"ITAV without value", ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue), "30 0A 06 08 2B06010505070411",
     "v:\n  infoType: id-it-caCerts (1.3.6.1.5.5.7.4.17)\n"},
    {"ITAV id-it-certProfile, unknown to OpenSSL 3.0", ASN1_ITEM_ref(PKIXCMP_InfoTypeAndValue),
     "30 10 06 08 2B06010505070415 30 04 0C 02 7031",
     "v:\n  infoType: id-it-certProfile (1.3.6.1.5.5.7.4.21)\n  infoValue:\n    [0]: p1\n"},
    {"control id-regCtrl-rsaKeyLen", ASN1_ITEM_ref(PKIXCMP_AttributeTypeAndValue),
     "30 0F 06 09 2B060105050705010C 02 02 0800",
     "v:\n  type: id-regCtrl-rsaKeyLen (1.3.6.1.5.5.7.5.1.12)\n  value: 2048\n"},
    {"PKIStatus by name", ASN1_ITEM_ref(PKIXCMP_PKIStatus), "02 01 03", "v: waiting\n"},
    {"PKIStatus unknown", ASN1_ITEM_ref(PKIXCMP_PKIStatus), "02 01 09", "v: 9\n"},
    {"PKIFailureInfo bits 0, 26 and 30", ASN1_ITEM_ref(PKIXCMP_PKIFailureInfo), "03 05 01 80000022",
     "v:\n  [0]: badAlg\n  [1]: duplicateCertReq\n  [2]: bit 30\n"},
    {"INTEGER INT64_MIN", ASN1_ITEM_ref(ASN1_INTEGER),
     "02 08 8000000000000000", "v: -9223372036854775808\n"},
    {"INTEGER 2^63", ASN1_ITEM_ref(ASN1_INTEGER),
     "02 09 00 8000000000000000", "v: 0x8000000000000000\n"},
    {"INTEGER -2^71", ASN1_ITEM_ref(ASN1_INTEGER),
     "02 09 80 0000000000000000", "v: -0x800000000000000000\n"},
    {"BIT STRING with unused bits", ASN1_ITEM_ref(ASN1_BIT_STRING), "03 02 03 A8",
     "v:\n  bits: A8\n  unusedBits: 3\n"},
    {"GeneralName dNSName", ASN1_ITEM_ref(GENERAL_NAME),
     "82 09 612E6578616D706C65", "v: DNS:a.example\n"},
    {"GeneralName IPv4", ASN1_ITEM_ref(GENERAL_NAME), "87 04 C0000201", "v: IP:192.0.2.1\n"},
    {"GeneralName IPv6", ASN1_ITEM_ref(GENERAL_NAME), "87 10 20010DB8000000000000000000000001",
     "v: IP:2001:DB8:0:0:0:0:0:1\n"},
    {"GeneralName URI", ASN1_ITEM_ref(GENERAL_NAME), "86 05 683A2F2F78", "v: URI:h://x\n"},
    {"GeneralName email", ASN1_ITEM_ref(GENERAL_NAME), "81 03 612340", "v: email:a#@\n"},
    {"GeneralName RID", ASN1_ITEM_ref(GENERAL_NAME), "88 03 2A0304", "v: RID:1.2.3.4\n"},
    {"GeneralName otherName as hex", ASN1_ITEM_ref(GENERAL_NAME), "A0 0A 06 03 2A0304 A0 03 020105",
     "v: othername:A00A06032A0304A003020105\n"},
    {"GeneralName with an escape sequence", ASN1_ITEM_ref(GENERAL_NAME), "82 05 1B5B326A78",
     "v: DNS:\\u001B[2jx\n"},
    {"BOOLEAN CHOICE arm", ASN1_ITEM_ref(PKIXCMP_PKIArchiveOptions), "82 01 FF",
     "v:\n  archiveRemGenPrivKey: true\n"},
    {"PBMAC1 with PBKDF2 parameters", ASN1_ITEM_ref(X509_ALGOR),
     "30 45 06 09 2A864886F70D01050E 30 38"
     " 30 28 06 09 2A864886F70D01050C 30 1B 04 04 01020304 02 02 03E8 02 01 20"
     " 30 0C 06 08 2A864886F70D0209 0500"
     " 30 0C 06 08 2A864886F70D020B 0500",
     "v:\n  algorithm: PBMAC1 (1.2.840.113549.1.5.14)\n  parameters:\n"
     "    keyDerivationFunc:\n      algorithm: PBKDF2 (1.2.840.113549.1.5.12)\n"
     "      parameters:\n        salt: 01:02:03:04\n        iterationCount: 1000\n"
     "        keyLength: 32\n        prf: hmacWithSHA256 (1.2.840.113549.2.9)\n"
     "    messageAuthScheme: hmacWithSHA512 (1.2.840.113549.2.11)\n"},
    {"DHBasedMac parameters", ASN1_ITEM_ref(X509_ALGOR),
     "30 27 06 09 2A864886F67D07421E 30 1A 30 0B 06 09 608648016503040201"
     " 30 0B 06 09 608648016503040202",
     "v:\n  algorithm: id-DHBasedMac (1.2.840.113533.7.66.30)\n  parameters:\n"
     "    owf: sha256 (2.16.840.1.101.3.4.2.1)\n    mac: sha384 (2.16.840.1.101.3.4.2.2)\n"},
    {"id-KemBasedMac, unknown to OpenSSL 3.0", ASN1_ITEM_ref(X509_ALGOR),
     "30 0B 06 09 2A864886F67D074210",
     "v: id-KemBasedMac (1.2.840.113533.7.66.16)\n"},
    {"PasswordBasedMac with bad parameters", ASN1_ITEM_ref(X509_ALGOR),
     "30 0E 06 09 2A864886F67D07420D 02 01 05",
     "v:\n  algorithm: id-PasswordBasedMac (1.2.840.113533.7.66.13)\n  parameters: 5\n"},
    {"algorithm with an OID parameter", ASN1_ITEM_ref(X509_ALGOR),
     "30 13 06 07 2A8648CE3D0201 06 08 2A8648CE3D030107",
     "v:\n  algorithm: id-ecPublicKey (1.2.840.10045.2.1)\n"
     "  parameters: prime256v1 (1.2.840.10045.3.1.7)\n"},
    {"EnvelopedData that is none", ASN1_ITEM_ref(ASN1_SEQUENCE), "30 03 020105",
     "v:\n  bytes: 5\n  prefix: 30:03:02:01:05\n"},
    {"PKIFreeText with bidi override and invalid UTF-8", ASN1_ITEM_ref(PKIXCMP_PKIFreeText),
     "30 09 0C 07 61E280AE62FF00",
     "v:\n  [0]: a\\u202Eb\\xFF\xEF\xBF\xBD\n"},
};

static void test_values(void)
{
    ASN1_VALUE *v;
    char *text, *json;
    size_t i;

    for (i = 0; i < PXC_NELEM(values); i++) {
        ERR_clear_error();
        v = from_hex(values[i].hex, ASN1_ITEM_ptr(values[i].item));
        text = print_value(v, ASN1_ITEM_ptr(values[i].item), 0);
        json = print_value(v, ASN1_ITEM_ptr(values[i].item), 1);
        is_str(text, values[i].want, values[i].what);
        ok(json_valid(json) && ERR_peek_error() == 0, "%s: valid JSON, no error left",
           values[i].what);
        OPENSSL_free(text);
        OPENSSL_free(json);
        ASN1_item_free(v, ASN1_ITEM_ptr(values[i].item));
    }
}

/* Separators inside values are escaped, multi-valued RDNs joined by "+". */
static void test_name(void)
{
    X509_NAME *n = X509_NAME_new();
    char *text;

    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
                               (const unsigned char *)"a/b\x1b[0m", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)"x", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_UTF8, (const unsigned char *)"y+z", -1, -1, -1);
    X509_NAME_add_entry_by_txt(n, "1.2.3.4", MBSTRING_UTF8,
                               (const unsigned char *)"\xc3\xa4", -1, -1, 0);
    text = print_value(n, ASN1_ITEM_rptr(X509_NAME), 0);
    /* the text form shows the name's escaping backslash escaped */
    is_str(text, "v: /CN=a\\\\/b\\u001B[0m/O=x+OU=y\\\\+z/1.2.3.4=\xc3\xa4\n",
           "Name: separators and controls escaped, RDN sets, unknown types dotted");
    OPENSSL_free(text);
    X509_NAME_free(n);
}

static void test_extension(void)
{
    X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name,
                                              "DNS:a.example,IP:192.0.2.1");
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
                                             "critical,CA:TRUE,pathlen:0");
    char *text;

    text = print_value(san, ASN1_ITEM_rptr(X509_EXTENSION), 0);
    is_str(text,
           "v:\n  name: X509v3 Subject Alternative Name (2.5.29.17)\n  critical: false\n"
           "  value: DNS:a.example, IP Address:192.0.2.1\n",
           "Extension: name, critical, OpenSSL's text");
    OPENSSL_free(text);
    text = print_value(bc, ASN1_ITEM_rptr(X509_EXTENSION), 0);
    is_str(text,
           "v:\n  name: X509v3 Basic Constraints (2.5.29.19)\n  critical: true\n"
           "  value: CA:TRUE, pathlen:0\n",
           "Extension: multi-line text joined on one line");
    OPENSSL_free(text);
    X509_EXTENSION_free(san);
    X509_EXTENSION_free(bc);
}

static void test_crl(void)
{
    X509_CRL *crl = X509_CRL_new();
    X509_NAME *issuer = X509_NAME_new();
    X509_REVOKED *rev = X509_REVOKED_new();
    ASN1_TIME *t = ASN1_TIME_new();
    ASN1_INTEGER *serial = ASN1_INTEGER_new();
    char *text;

    ASN1_TIME_set_string(t, "260102030405Z");
    X509_NAME_add_entry_by_txt(issuer, "CN", MBSTRING_UTF8, (const unsigned char *)"CA", -1, -1, 0);
    X509_CRL_set_issuer_name(crl, issuer);
    X509_CRL_set1_lastUpdate(crl, t);
    ASN1_INTEGER_set(serial, 7);
    X509_REVOKED_set_serialNumber(rev, serial);
    X509_REVOKED_set_revocationDate(rev, t);
    X509_CRL_add0_revoked(crl, rev);
    text = print_value(crl, ASN1_ITEM_rptr(X509_CRL), 0);
    ok(contains(text, "v:\n  issuer: /CN=CA\n  lastUpdate: 2026-01-02T03:04:05Z\n  revoked: 1\n"),
       "CRL: issuer, lastUpdate (UTCTime), revoked count");
    OPENSSL_free(text);
    ERR_clear_error();
    X509_CRL_free(crl);
    X509_NAME_free(issuer);
    ASN1_TIME_free(t);
    ASN1_INTEGER_free(serial);
}

/* The DER of a real EnvelopedData for client_rsa.crt (made by
 * CMS_encrypt), tagged [4] IMPLICIT as POPOPrivKey.encryptedKey is. */
static ASN1_STRING *make_envdata(void)
{
    char *path = tu_data_path("test/certs", "client_rsa.crt");
    FILE *f = path != NULL ? fopen(path, "r") : NULL;
    X509 *cert = f != NULL ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    STACK_OF(X509) *certs = sk_X509_new_null();
    BIO *in = BIO_new_mem_buf("secret", 6);
    CMS_ContentInfo *cms = NULL;
    ASN1_STRING *env = NULL;

    if (f != NULL)
        fclose(f);
    if (cert != NULL && sk_X509_push(certs, cert) > 0) {
        cert = NULL; /* transferred */
        cms = CMS_encrypt(certs, in, EVP_aes_128_cbc(), CMS_BINARY);
    }
    if (cms != NULL)
        env = pxc_envdata_from_cms(cms, 0xA4);
    CMS_ContentInfo_free(cms);
    BIO_free(in);
    X509_free(cert);
    sk_X509_pop_free(certs, X509_free);
    free(path);
    return env;
}

static void test_envdata(void)
{
    ASN1_STRING *env = make_envdata();
    const unsigned char *p = env != NULL ? ASN1_STRING_get0_data(env) : NULL;
    ASN1_VALUE *popo = NULL;
    char *text;

    if (p != NULL)
        popo = ASN1_item_d2i(NULL, &p, ASN1_STRING_length(env),
                             ASN1_ITEM_rptr(PKIXCMP_POPOPrivKey));
    ok(popo != NULL, "EnvelopedData made and decoded as POPOPrivKey");
    ERR_clear_error();
    text = print_value(popo, ASN1_ITEM_rptr(PKIXCMP_POPOPrivKey), 0);
    if (!ok(contains(text, "v:\n  encryptedKey:\n    bytes: ")
                && contains(text, "    recipientInfos: 1\n    recipientTypes:\n      [0]: ktri\n"
                                  "    contentType: pkcs7-data (1.2.840.113549.1.7.1)\n"
                                  "    contentEncryptionAlgorithm:\n"
                                  "      algorithm: aes-128-cbc (2.16.840.1.101.3.4.1.2)\n"
                                  "      parameters: "),
            "EnvelopedData: recipients, content type and cipher"))
        tap_diag("%s", text != NULL ? text : "(none)");
    ok(ERR_peek_error() == 0, "EnvelopedData printed without errors");
    OPENSSL_free(text);
    ASN1_item_free(popo, ASN1_ITEM_rptr(PKIXCMP_POPOPrivKey));
    ASN1_STRING_free(env);
}

/* 200 bits set: 27 names, 16 "bit N", then a count, not 200 nodes. */
static void test_failinfo_bound(void)
{
    ASN1_BIT_STRING *bits = ASN1_BIT_STRING_new();
    char *text;
    int i;

    for (i = 0; i < 200; i++)
        ASN1_BIT_STRING_set_bit(bits, i, 1);
    text = print_value(bits, ASN1_ITEM_rptr(PKIXCMP_PKIFailureInfo), 0);
    ok(contains(text, "  [26]: duplicateCertReq\n  [27]: bit 27\n")
           && contains(text, "  [42]: bit 42\n  [43]: (157 more bits)\n")
           && count_of(text, "\n") == 45,
       "PKIFailureInfo: unnamed bits listed up to a bound");
    OPENSSL_free(text);
    ASN1_BIT_STRING_free(bits);
}

/* A list longer than PXC_PRINT_MAX_ELEMENTS: the rest is counted. */
static void test_list_bound(void)
{
    STACK_OF(ASN1_UTF8STRING) *texts = sk_ASN1_UTF8STRING_new_null();
    ASN1_UTF8STRING *s;
    char *json;
    int i;

    for (i = 0; i < PXC_PRINT_MAX_ELEMENTS + 5; i++) {
        s = ASN1_UTF8STRING_new();
        ASN1_STRING_set(s, "t", 1);
        sk_ASN1_UTF8STRING_push(texts, s);
    }
    json = print_value(texts, ASN1_ITEM_rptr(PKIXCMP_PKIFreeText), 1);
    ok(json_valid(json) && count_of(json, "\"t\"") == PXC_PRINT_MAX_ELEMENTS
           && contains(json, "\"t\",\n    \"(5 more)\"\n  ]"),
       "long lists are cut at PXC_PRINT_MAX_ELEMENTS");
    OPENSSL_free(json);
    sk_ASN1_UTF8STRING_pop_free(texts, ASN1_UTF8STRING_free);
}

/* Wraps der (a PKIMessage) into generalInfo origPKIMessage of a copy of base. */
static PKIXCMP_MSG *wrap_orig(const PKIXCMP_MSG *base, const unsigned char *der, int len)
{
    PKIXCMP_MSG *msg = pkixcmp_msg_dup(base);
    PKIXCMP_InfoTypeAndValue *itav = (PKIXCMP_InfoTypeAndValue *)
        ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_InfoTypeAndValue));
    unsigned char *seq = OPENSSL_malloc((size_t)len + 6), *w = seq;
    const unsigned char *p = seq;
    int n = len < 0x100 ? 1 : len < 0x10000 ? 2 : 3, i;

    /* PKIMessages ::= SEQUENCE OF PKIMessage (DER: the shortest length) */
    *w++ = 0x30;
    *w++ = (unsigned char)(0x80 | n);
    for (i = n - 1; i >= 0; i--)
        *w++ = (unsigned char)(len >> (8 * i));
    memcpy(w, der, (size_t)len);
    itav->infoType = OBJ_nid2obj(NID_id_it_origPKIMessage);
    itav->infoValue = d2i_ASN1_TYPE(NULL, &p, len + 2 + n);
    msg->header->generalInfo = sk_PKIXCMP_InfoTypeAndValue_new_null();
    sk_PKIXCMP_InfoTypeAndValue_push(msg->header->generalInfo, itav);
    OPENSSL_free(seq);
    return msg;
}

/* origPKIMessage in origPKIMessage ... 40 deep: printing stops at a bound. */
static void test_depth(void)
{
    PKIXCMP_MSG *base = load("pkiConf_mac.der"), *msg = pkixcmp_msg_dup(base), *next;
    unsigned char *der = NULL;
    char *text, *json;
    int i, len;

    for (i = 0; i < 40 && msg != NULL; i++) {
        len = pkixcmp_msg_encode(msg, &der);
        next = len > 0 ? wrap_orig(base, der, len) : NULL;
        OPENSSL_free(der);
        der = NULL;
        pkixcmp_msg_free(msg);
        msg = next;
    }
    ok(msg != NULL, "40 nested origPKIMessages built");
    ERR_clear_error();
    text = print_msg(msg, PKIXCMP_PRINT_TEXT);
    json = print_msg(msg, PKIXCMP_PRINT_JSON);
    ok(contains(text, "(nested too deep)"), "printing stops at the depth bound");
    ok(count_of(text, "id-it-origPKIMessage") > 5 && count_of(text, "id-it-origPKIMessage") < 40,
       "some levels are printed (%d)", count_of(text, "id-it-origPKIMessage"));
    ok(json_valid(json) && ERR_peek_error() == 0, "deep message: valid JSON, no error left");
    OPENSSL_free(text);
    OPENSSL_free(json);
    pkixcmp_msg_free(msg);
    pkixcmp_msg_free(base);
}

/* nested [20]: the inner messages print like the outer one. */
static void test_nested(void)
{
    PKIXCMP_MSG *inner = load("pkiConf_mac.der"), *outer = pkixcmp_msg_dup(inner);
    PKIXCMP_PKIBody *body = (PKIXCMP_PKIBody *)ASN1_item_new(ASN1_ITEM_rptr(PKIXCMP_PKIBody));
    char *text;

    body->type = PKIXCMP_BODY_NESTED;
    body->value.nested = sk_PKIXCMP_PKIMessage_new_null();
    sk_PKIXCMP_PKIMessage_push(body->value.nested, inner);
    ASN1_item_free((ASN1_VALUE *)outer->body, ASN1_ITEM_rptr(PKIXCMP_PKIBody));
    outer->body = body;
    text = print_msg(outer, PKIXCMP_PRINT_TEXT);
    ok(contains(text, "body:\n  type: nested\n  content:\n    [0]:\n      header:\n"
                      "        pvno: 2\n")
           && contains(text, "      body:\n        type: pkiconf\n        content: NULL\n"),
       "nested body shows the inner message");
    OPENSSL_free(text);
    pkixcmp_msg_free(outer);
}

static void test_api(void)
{
    PKIXCMP_MSG *msg = load("pkiConf_mac.der");
    BIO *mem = BIO_new(BIO_s_mem());

    ERR_clear_error();
    ok(pkixcmp_msg_print(mem, msg, 7) == 0, "unknown style refused");
    is_int(pkixcmp_err_peek_last(), PKIXCMP_E_INVALID_ARGUMENT, "with invalid argument error");
    ERR_clear_error();
    ok(pkixcmp_msg_print(NULL, msg, PKIXCMP_PRINT_TEXT) == 0
           && pkixcmp_msg_print(mem, NULL, PKIXCMP_PRINT_JSON) == 0,
       "NULL arguments refused");
    ERR_clear_error();
    BIO_free(mem);
    mem = BIO_new_mem_buf("x", 1); /* read-only: writes fail */
    ok(pkixcmp_msg_print(mem, msg, PKIXCMP_PRINT_TEXT) == 0, "write failure reported");
    is_int(pkixcmp_err_peek_last(), PKIXCMP_E_IO, "as an I/O error");
    ERR_clear_error();
    BIO_free(mem);
    pkixcmp_msg_free(msg);
}

int main(void)
{
    test_fixtures();
    test_fixtures_json();
    test_all_fixtures();
    test_values();
    test_name();
    test_extension();
    test_crl();
    test_envdata();
    test_failinfo_bound();
    test_list_bound();
    test_depth();
    test_nested();
    test_api();
    return tap_done();
}
