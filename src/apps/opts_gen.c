/*
 * opts_gen.c - the option table, second part: credential formats,
 * providers, random state, TLS, client-side debugging, the mock server, the
 * certificate verification options (../shared/openssl-cmp-options.md
 * 1.8-1.13), and the options pkixcmp adds (server extras, message
 * inspection).
 */
#include <stdint.h>
#include "opts_tab.h"

static const struct opt_def formats[] = {
    STR("certform", certform, "PEM|DER", "Format of certificates to save (default PEM)"),
    STR("crlform", crlform, "PEM|DER", "Format of CRLs to save (default DER)"),
    STR("keyform", keyform, "PEM|DER|P12|ENGINE",
        "Key format; ENGINE loads keys via -engine, others are detected"),
    STR("otherpass", otherpass, "arg", "Pass phrase source of the other certificate inputs"),
    STR("engine", engine, "id", "Crypto engine to use (deprecated in OpenSSL 3)"),
};

static const struct opt_def providers[] = {
    STR("provider-path", provider_path, "path", "Where to look for providers"),
    LIST("provider", provider, "name", "Provider to load (may be repeated)"),
    LIST("provparam", provparam, "[name:]key=value",
         "Configuration parameter of a provider (may be repeated)"),
    STR("propquery", propquery, "query", "Property query for algorithm fetches"),
};

static const struct opt_def random_state[] = {
    STR("rand", rand, "files", "Files to seed the random generator from, ':' separated"),
    OUT("writerand", writerand, "file", "Where to save random state at the end"),
};

static const struct opt_def tls[] = {
    FLAG("tls_used", tls_used, "Use HTTPS (implied by an https:// -server)"),
    STR("tls_cert", tls_cert, "filename|uri", "Client TLS certificate (and its chain)"),
    STR("tls_key", tls_key, "filename|uri", "Client TLS private key"),
    STR("tls_keypass", tls_keypass, "arg", "Pass phrase source of -tls_key (and -tls_cert)"),
    STR("tls_extra", tls_extra, "filenames|uris", "Extra certificates to send in the handshake"),
    STR("tls_trusted", tls_trusted, "filenames|uris",
        "Trust anchors for the TLS server; enables the host check"),
    STR("tls_host", tls_host, "name", "Host name or IP to check instead of the -server host"),
};

static const struct opt_def debugging[] = {
    FLAG("batch", batch, "Never prompt for a pass phrase"),
    POS("repeat", repeat, "number", 1, "Run the transaction this many times"),
    STR("reqin", reqin, "filenames", "Send requests read from these DER files"),
    FLAG("reqin_new_tid", reqin_new_tid, "Give -reqin requests a fresh transactionID"),
    STR("reqout", reqout, "filenames", "Save requests to these DER files"),
    OUT("reqout_only", reqout_only, "file", "Save the first request and stop, sending nothing"),
    STR("rspin", rspin, "filenames", "Take responses from these DER files"),
    STR("rspout", rspout, "filenames", "Save responses to these DER files"),
    FLAG("use_mock_srv", use_mock_srv, "Use the in-process mock server instead of HTTP"),
};

static const struct opt_def mock[] = {
    STR("port", port, "number", "Run as HTTP mock server on this port (0 = any free port)"),
    NONNEG("max_msgs", max_msgs, "number", INT_MAX, 0,
           "Stop the server after this many requests; 0 = never"),
    STR("srv_ref", srv_ref, "value", "Server reference (senderKID) for MAC protection"),
    STR("srv_secret", srv_secret, "arg", "Pass phrase source of the server MAC secret"),
    STR("srv_cert", srv_cert, "filename|uri", "Server certificate for signing"),
    STR("srv_key", srv_key, "filename|uri", "Server private key for signing"),
    STR("srv_keypass", srv_keypass, "arg", "Pass phrase source of -srv_key (and -srv_cert)"),
    STR("srv_trusted", srv_trusted, "filenames|uris", "Trust anchors for signed requests"),
    STR("srv_untrusted", srv_untrusted, "filenames|uris",
        "Intermediate certificates for request chains"),
    STR("ref_cert", ref_cert, "filename|uri", "Certificate expected in rr and kur oldCertId"),
    STR("rsp_cert", rsp_cert, "filename|uri", "Certificate to return in certificate responses"),
    STR("rsp_key", rsp_key, "filename|uri", "Private key to return for central key generation"),
    STR("rsp_keypass", rsp_keypass, "arg", "Pass phrase source of -rsp_cert and -rsp_key"),
    STR("rsp_crl", rsp_crl, "filename|uri", "CRL to return in a genp crls"),
    STR("rsp_extracerts", rsp_extracerts, "filenames|uris",
        "extraCerts of certificate responses"),
    STR("rsp_capubs", rsp_capubs, "filenames|uris", "caPubs of ip (and genp caCerts)"),
    STR("rsp_newwithnew", rsp_newwithnew, "filename|uri", "newWithNew of rootCaKeyUpdate"),
    STR("rsp_newwithold", rsp_newwithold, "filename|uri", "newWithOld of rootCaKeyUpdate"),
    STR("rsp_oldwithnew", rsp_oldwithnew, "filename|uri", "oldWithNew of rootCaKeyUpdate"),
    NONNEG("poll_count", poll_count, "number", INT_MAX, 0,
           "Number of polls before the final response"),
    NONNEG("check_after", check_after, "number", INT_MAX, 1, "checkAfter seconds of pollRep"),
    FLAG("grant_implicitconf", grant_implicitconf, "Grant implicit confirmation if requested"),
    NONNEG("pkistatus", pkistatus, "number", 6, 0, "PKIStatus of responses, 0..6"),
    NONNEG("failure", failure, "number", 26, INT_MIN, "failInfo bit number of responses, 0..26"),
    NONNEG("failurebits", failurebits, "number", (1L << 27) - 1, 0,
           "failInfo bits of responses; wins over -failure"),
    STR("statusstring", statusstring, "text", "statusString of responses"),
    FLAG("send_error", send_error, "Answer every request with an error message"),
    FLAG("send_unprotected", send_unprotected, "Send responses without protection"),
    FLAG("send_unprot_err", send_unprot_err, "Send negative responses without protection"),
    FLAG("accept_unprotected", accept_unprotected,
         "Accept requests without valid protection"),
    FLAG("accept_unprot_err", accept_unprot_err, "Accept unprotected error messages"),
    FLAG("accept_raverified", accept_raverified, "Accept RAVERIFIED proof of possession"),
};

/* pkixcmp only: what the -port listener serves beyond openssl cmp -port
 * (server_run.c, server_endpoints.c, server_tls.c) */
static const struct opt_def srv_extras[] = {
    STR("srv_bind", srv_bind, "address", "Listen on this address only (default: all interfaces)"),
    STR("srv_endpoints", srv_endpoints, "sections",
        "Config sections, each an endpoint with its srv_path and mock server options"),
    STR("srv_tls_cert", srv_tls_cert, "filename|uri",
        "Serve HTTPS with this TLS certificate (and its chain)"),
    STR("srv_tls_key", srv_tls_key, "filename|uri", "Private key of -srv_tls_cert"),
    STR("srv_tls_keypass", srv_tls_keypass, "arg", "Pass phrase source of -srv_tls_key"),
    STR("srv_tls_trusted", srv_tls_trusted, "filenames|uris",
        "Require TLS client certificates and validate them with these"),
};

static const struct opt_def verify[] = {
    LIST("policy", policy, "oid", "Policy OID for chain validation (may be repeated)"),
    STR("purpose", purpose, "name", "Certificate purpose to check, e.g. sslserver"),
    STR("verify_name", verify_name, "name", "Named verification parameter set"),
    INT("verify_depth", verify_depth, "int", INT_MIN, INT_MAX, -1, "Largest chain depth"),
    INT("auth_level", auth_level, "int", INT_MIN, INT_MAX, -1,
        "Minimum security level of chain keys"),
    {"attime", OPT_INTMAX, "intmax", O(attime), 0, 0, 0, 0,
     "Check validity at this time (seconds since 1970)"},
    STR("verify_hostname", verify_hostname, "hostname", "Host name the new certificate must match"),
    STR("verify_email", verify_email, "email", "Email the new certificate must match"),
    STR("verify_ip", verify_ip, "ip", "IP address the new certificate must match"),
    FLAG("ignore_critical", ignore_critical, "Ignore unknown critical extensions"),
    FLAG("issuer_checks", issuer_checks, "No effect (deprecated)"),
    FLAG("crl_check", crl_check, "Check the CRL of the leaf certificate"),
    FLAG("crl_check_all", crl_check_all, "Check the CRLs of the whole chain"),
    FLAG("policy_check", policy_check, "Check certificate policies"),
    FLAG("explicit_policy", explicit_policy, "Require an explicit policy"),
    FLAG("inhibit_any", inhibit_any, "Inhibit anyPolicy"),
    FLAG("inhibit_map", inhibit_map, "Inhibit policy mapping"),
    FLAG("x509_strict", x509_strict, "Strict X.509 checks"),
    FLAG("extended_crl", extended_crl, "Extended CRL features (indirect CRLs, ...)"),
    FLAG("use_deltas", use_deltas, "Use delta CRLs"),
    FLAG("policy_print", policy_print, "Print policy processing diagnostics"),
    FLAG("check_ss_sig", check_ss_sig, "Check the signature of the root certificate"),
    FLAG("trusted_first", trusted_first, "Search trust anchors first (the default)"),
    FLAG("suiteB_128_only", suiteB_128_only, "Suite B 128-bit only mode"),
    FLAG("suiteB_128", suiteB_128, "Suite B 128-bit mode allowing 192-bit algorithms"),
    FLAG("suiteB_192", suiteB_192, "Suite B 192-bit only mode"),
    FLAG("partial_chain", partial_chain, "Accept chains anchored at an intermediate"),
    FLAG("no_alt_chains", no_alt_chains, "No alternative chains (deprecated)"),
    FLAG("no_check_time", no_check_time, "Do not check validity times"),
    FLAG("allow_proxy_certs", allow_proxy_certs, "Allow proxy certificates"),
};

static const struct opt_def inspect[] = {
    STR("inspect", inspect, "file", "Print the PKIMessage in file (DER, PEM or base64) as a tree"),
    STR("inspect_format", inspect_format, "text|json",
        "Output style of -inspect: text (default) or json"),
    NONNEG("max_msg_size", max_msg_size, "bytes", INT_MAX, 0,
           "Refuse messages larger than this (default 4194304)"),
};

const struct opt_group app_groups_gen[] = {
    OPT_GROUP("Credentials format options", formats),
    OPT_GROUP("Provider options", providers),
    OPT_GROUP("Random state options", random_state),
    OPT_GROUP("TLS connection options", tls),
    OPT_GROUP("Client-side debugging options", debugging),
    OPT_GROUP("Mock server options", mock),
    OPT_GROUP("Server extras (pkixcmp only)", srv_extras),
    OPT_GROUP("Validation options", verify),
    OPT_GROUP("Message inspection (pkixcmp)", inspect),
};
const size_t app_groups_gen_count = sizeof(app_groups_gen) / sizeof(app_groups_gen[0]);
