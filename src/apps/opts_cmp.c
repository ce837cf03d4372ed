/*
 * opts_cmp.c - the option table, first part: the general options and the
 * CMP client options of `openssl cmp` (../shared/openssl-cmp-options.md
 * 1.1-1.7), grouped and ordered as its -help shows them.
 */
#include "opts_tab.h"

static const struct opt_def general[] = {
    {"help", OPT_FLAG, NULL, O(help), 0, 0, 0, OPTF_NO_CONFIG, "Display this summary"},
    {"config", OPT_STR, "file", O(config), 0, 0, 0, OPTF_NO_CONFIG | OPTF_EARLY,
     "Configuration file to use; \"\" = none (default: $OPENSSL_CONF or openssl.cnf)"},
    {"section", OPT_STR, "names", O(section), 0, 0, 0, OPTF_NO_CONFIG | OPTF_EARLY,
     "Configuration file section(s), comma/space separated (default: cmp)"},
    {"verbosity", OPT_NONNEG, "level", O(verbosity), 0, 8, 6, OPTF_EARLY,
     "Log level: 3 = ERR, 4 = WARN, 6 = INFO (default), 7 = DEBUG, 8 = TRACE"},
};

static const struct opt_def generic[] = {
    STR("cmd", cmd, "ir|cr|kur|p10cr|rr|genm", "CMP request to send"),
    STR("infotype", infotype, "name",
        "InfoType name for genm without the id-it- prefix, e.g. signKeyPairTypes"),
    STR("profile", profile, "name", "certProfile to place in the generalInfo of requests"),
    STR("geninfo", geninfo, "spec",
        "generalInfo items: comma-separated OID:int:N or OID:str:text"),
    OUT("template", template, "file", "Where to save the CertTemplate of a certReqTemplate genp"),
    OUT("keyspec", keyspec, "file", "Where to save the keySpec of a certReqTemplate genp"),
};

static const struct opt_def enroll[] = {
    STR("newkey", newkey, "file|uri",
        "Key to certify (default: -csr key, reference cert key, then -key)"),
    STR("newkeypass", newkeypass, "arg", "Pass phrase source of -newkey (and -newkeyout)"),
    FLAG("centralkeygen", centralkeygen, "Ask the server to generate the new key"),
    OUT("newkeyout", newkeyout, "file", "Where to save a centrally generated key (PEM)"),
    STR("subject", subject, "name", "Subject DN /type0=value0/... of the template and sender"),
    NONNEG("days", days, "number", INT_MAX, 0, "Requested validity in days from now"),
    STR("reqexts", reqexts, "name", "Configuration section of extensions to request"),
    STR("sans", sans, "spec",
        "SANs (DNS, IP, URI, email); the item \"critical\" marks them critical"),
    FLAG("san_nodefault", san_nodefault, "Do not take the SANs of the reference cert"),
    STR("policies", policies, "name", "Configuration section of certificatePolicies"),
    STR("policy_oids", policy_oids, "names", "Certificate policy OIDs, comma/space separated"),
    FLAG("policy_oids_critical", policy_oids_critical, "Mark the -policy_oids critical"),
    INT("popo", popo, "number", -1, 2, -2,
        "Proof of possession: -1 NONE, 0 RAVERIFIED, 1 SIGNATURE (default), 2 KEYENC"),
    STR("csr", csr, "filename", "PKCS#10 CSR for p10cr, to convert for ir/cr/kur, or for rr"),
    STR("out_trusted", out_trusted, "filenames|uris", "Trust anchors for the new certificate"),
    FLAG("implicit_confirm", implicit_confirm, "Request implicit confirmation"),
    FLAG("disable_confirm", disable_confirm, "Do not send certConf (violates RFC 9810)"),
    OUT("certout", certout, "file", "Where to save the new certificate"),
    OUT("chainout", chainout, "file", "Where to save the chain of the new certificate"),
};

static const struct opt_def revoke[] = {
    STR("oldcert", oldcert, "file|uri",
        "Certificate to update (kur) or revoke (rr); reference for defaults"),
    STR("issuer", issuer, "name", "Issuer DN of the template (ir/cr/kur/rr); fallback recipient"),
    STR("serial", serial, "number", "Serial number of the certificate to revoke (needs -issuer)"),
    INT("revreason", revreason, "number", -1, 10, -1,
        "CRL reason code 0..6, 8..10 for rr; -1 = none (default)"),
};

static const struct opt_def transfer[] = {
    STR("server", server, "url", "CMP server: [http[s]://]host[:port][/path]"),
    STR("proxy", proxy, "url", "HTTP(S) proxy (default: $http_proxy, $https_proxy)"),
    STR("no_proxy", no_proxy, "addresses", "Servers not to reach via the proxy (default $no_proxy)"),
    STR("recipient", recipient, "name", "Recipient DN of the request headers"),
    STR("path", path, "remote_path", "HTTP path at the server (default: from -server, else /)"),
    NONNEG("keep_alive", keep_alive, "value", 2, 1,
           "0 = close connections, 1 = ask for keep-alive (default), 2 = require it"),
    NONNEG("msg_timeout", msg_timeout, "number", INT_MAX, -1,
           "Seconds per message exchange; 0 = no limit"),
    NONNEG("total_timeout", total_timeout, "number", INT_MAX, -1,
           "Seconds per transaction, polling included; 0 = no limit (default)"),
};

static const struct opt_def srvauth[] = {
    STR("trusted", trusted, "filenames|uris", "Trust anchors for signed responses"),
    STR("untrusted", untrusted, "filenames|uris", "Intermediate certificates for chains"),
    STR("srvcert", srvcert, "filename|uri", "Server certificate to trust directly"),
    STR("expect_sender", expect_sender, "name", "Required sender DN of responses"),
    FLAG("ignore_keyusage", ignore_keyusage, "Ignore keyUsage of signer certificates"),
    FLAG("unprotected_errors", unprotected_errors,
         "Accept negative responses without valid protection"),
    FLAG("ta_in_ip_extracerts", ta_in_ip_extracerts,
         "Take self-issued ip extraCerts as trust anchors (3GPP)"),
    FLAG("no_cache_extracerts", no_cache_extracerts, "Do not keep received extraCerts"),
    OUT("srvcertout", srvcertout, "file", "Where to save the validated server certificate"),
    OUT("extracertsout", extracertsout, "file", "Where to save the extraCerts of the response"),
    OUT("cacertsout", cacertsout, "file", "Where to save caPubs or genp caCerts"),
    STR("oldwithold", oldwithold, "file", "Root CA certificate for genm rootCaCert"),
    OUT("newwithnew", newwithnew, "file", "Where to save newWithNew of rootCaKeyUpdate"),
    OUT("newwithold", newwithold, "file", "Where to save newWithOld of rootCaKeyUpdate"),
    OUT("oldwithnew", oldwithnew, "file", "Where to save oldWithNew of rootCaKeyUpdate"),
    STR("crlcert", crlcert, "file", "Certificate selecting the CRL for genm crlStatusList"),
    STR("oldcrl", oldcrl, "file", "CRL to update with genm crlStatusList"),
    OUT("crlout", crlout, "file", "Where to save the CRL of a genp crls"),
};

static const struct opt_def cliauth[] = {
    STR("ref", ref, "value", "Reference (senderKID) for MAC protection"),
    STR("secret", secret, "arg", "Pass phrase source of the MAC secret"),
    STR("cert", cert, "file|uri", "Client certificate for signing (and its chain)"),
    STR("own_trusted", own_trusted, "filenames|uris", "Trust anchors for the client's own chain"),
    STR("key", key, "file|uri", "Client private key for signing"),
    STR("keypass", keypass, "arg", "Pass phrase source of -key (and PKCS#12 -cert/-oldcert)"),
    STR("digest", digest, "name", "Digest for signatures and the MAC key derivation"),
    STR("mac", mac, "name", "MAC algorithm of password-based protection"),
    STR("extracerts", extracerts, "filenames|uris", "Certificates to add to extraCerts"),
    FLAG("unprotected_requests", unprotected_requests, "Send requests without protection"),
};

const struct opt_group app_groups_cmp[] = {
    OPT_GROUP("General options", general),
    OPT_GROUP("Generic message options", generic),
    OPT_GROUP("Certificate enrollment options", enroll),
    OPT_GROUP("Certificate enrollment and revocation options", revoke),
    OPT_GROUP("Message transfer options", transfer),
    OPT_GROUP("Server authentication options", srvauth),
    OPT_GROUP("Client authentication options", cliauth),
};
const size_t app_groups_cmp_count = sizeof(app_groups_cmp) / sizeof(app_groups_cmp[0]);
