#!/usr/bin/env python3
"""Build hand-made DER fixtures of CMP (RFC 9810) / CRMF (RFC 4211) messages.

Usage:  mkv3.py CERTDIR TMPDIR OUTDIR     (normally called by mkv3.sh)
        mkv3.py --body FILE.der           (print the PKIBody CHOICE element)

Python 3 standard library only, plus the openssl CLI (env OPENSSL) for
signatures, RSA key transport, AES, ECDH and CMS. Every structure is
written out field by field following PKIXCMP-2023.asn (EXPLICIT TAGS) and
PKIXCRMF-2005.asn (IMPLICIT TAGS; tags on CHOICE types explicit). The
comments name the ASN.1 field for every tag.
"""
import base64
import hashlib
import hmac
import os
import subprocess
import sys

OPENSSL = os.environ.get("OPENSSL", "openssl")

# ====================================================================
# DER helpers
# ====================================================================


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    """One element with a single-octet tag (all tags here are < 31)."""
    return bytes([tag]) + enc_len(len(content)) + content


def cat(*parts):
    """Concatenate; None stands for an absent OPTIONAL component."""
    return b"".join(p for p in parts if p is not None)


def SEQ(*items):
    return tlv(0x30, cat(*items))


def SET(*items):
    """SET OF: DER orders the element encodings."""
    return tlv(0x31, b"".join(sorted(i for i in items if i is not None)))


def int_content(n):
    c = n.to_bytes(max(1, (n.bit_length() + 8) // 8), "big", signed=True)
    while len(c) > 1 and ((c[0] == 0 and c[1] < 0x80) or (c[0] == 0xFF and c[1] >= 0x80)):
        c = c[1:]
    return c


def INT(n):
    return tlv(0x02, int_content(n))


def ENUM(n):
    return tlv(0x0A, int_content(n))


def OID(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray()
    for i, a in enumerate([arcs[0] * 40 + arcs[1]] + arcs[2:]):
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def OCT(b):
    return tlv(0x04, b)


def BITS(b, unused=0):
    return tlv(0x03, bytes([unused]) + b)


def NAMED_BITS(*bits):
    """BIT STRING with named bits, DER: trailing zero bits removed."""
    if not bits:
        return BITS(b"")
    top = max(bits)
    nbytes = top // 8 + 1
    v = bytearray(nbytes)
    for b in bits:
        v[b // 8] |= 0x80 >> (b % 8)
    return BITS(bytes(v), nbytes * 8 - (top + 1))


NULL = b"\x05\x00"


def BOOL(v):
    return tlv(0x01, b"\xff" if v else b"\x00")


def UTF8(s):
    return tlv(0x0C, s.encode("utf-8"))


def PRINTABLE(s):
    return tlv(0x13, s.encode("ascii"))


def IA5(s):
    return tlv(0x16, s.encode("ascii"))


def UTC(s):
    return tlv(0x17, s.encode("ascii"))


def GT(s):
    return tlv(0x18, s.encode("ascii"))


def EXP(n, inner):
    """[n] EXPLICIT: constructed context tag around the complete inner TLV."""
    return tlv(0xA0 | n, inner)


def IMP(n, inner):
    """[n] IMPLICIT: replace the tag octet of inner, keep constructed bit."""
    return bytes([0x80 | (inner[0] & 0x20) | n]) + inner[1:]


def ALG(oid, params=None):
    return SEQ(OID(oid), params)


def FREETEXT(*strings):  # PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String
    return SEQ(*[UTF8(s) for s in strings])


# ---- parsing (for certificates, CMS output and the checker)


def read_tlv(b, off=0):
    """-> (tag, header_len, content_len); raises on non-DER length forms."""
    tag = b[off]
    if tag & 0x1F == 0x1F:
        raise ValueError("multi-octet tag at %d" % off)
    l0 = b[off + 1]
    if l0 < 0x80:
        return tag, 2, l0
    n = l0 & 0x7F
    if n == 0:
        raise ValueError("indefinite length at %d" % (off + 1))
    if n > 4:
        raise ValueError("length too long at %d" % (off + 1))
    ln = int.from_bytes(b[off + 2:off + 2 + n], "big")
    if ln < 0x80 or b[off + 2] == 0:
        raise ValueError("non-minimal length at %d" % (off + 1))
    return tag, 2 + n, ln


def content(elem):
    _, hl, ln = read_tlv(elem)
    return elem[hl:hl + ln]


def children(elem):
    c = content(elem)
    out, off = [], 0
    while off < len(c):
        _, hl, ln = read_tlv(c, off)
        out.append(c[off:off + hl + ln])
        off += hl + ln
    return out


def der_check(b, where="", top=True):
    """Strict DER walk of everything that is not inside an OCTET/BIT STRING."""
    off = 0
    while off < len(b):
        tag, hl, ln = read_tlv(b, off)
        if off + hl + ln > len(b):
            raise ValueError("%s: element at %d runs past its parent" % (where, off))
        c = b[off + hl:off + hl + ln]
        if tag in (0x23, 0x24, 0x2C):
            raise ValueError("%s: constructed string at %d" % (where, off))
        if tag == 0x02 or tag == 0x0A:
            if ln == 0 or (ln > 1 and ((c[0] == 0 and c[1] < 0x80) or (c[0] == 0xFF and c[1] >= 0x80))):
                raise ValueError("%s: non-minimal INTEGER at %d" % (where, off))
        if tag == 0x01 and (ln != 1 or c[0] not in (0, 0xFF)):
            raise ValueError("%s: bad BOOLEAN at %d" % (where, off))
        if tag == 0x05 and ln:
            raise ValueError("%s: bad NULL at %d" % (where, off))
        if tag == 0x03:
            if ln == 0 or c[0] > 7 or (ln == 1 and c[0]) or (ln > 1 and c[-1] & ((1 << c[0]) - 1)):
                raise ValueError("%s: bad BIT STRING at %d" % (where, off))
        if tag & 0x20:
            if tag == 0x31:
                kids = children(b[off:off + hl + ln])
                if kids != sorted(kids):
                    raise ValueError("%s: SET OF not sorted at %d" % (where, off))
            der_check(c, where, False)
        off += hl + ln
        if top and off != len(b):
            raise ValueError("%s: %d trailing bytes" % (where, len(b) - off))


# ====================================================================
# OIDs
# ====================================================================
ID_PKIX = "1.3.6.1.5.5.7"


def ID_IT(n):
    return "%s.4.%d" % (ID_PKIX, n)


def ID_REGCTRL(n):
    return "%s.5.1.%d" % (ID_PKIX, n)


def ID_REGINFO(n):
    return "%s.5.2.%d" % (ID_PKIX, n)


SHA256 = "2.16.840.1.101.3.4.2.1"
SHA256_RSA = "1.2.840.113549.1.1.11"
RSA_ENC = "1.2.840.113549.1.1.1"
EC_PUBKEY = "1.2.840.10045.2.1"
P256 = "1.2.840.10045.3.1.7"
P384 = "1.3.132.0.34"
ED25519 = "1.3.101.112"
X25519 = "1.3.101.110"
AES128_CBC = "2.16.840.1.101.3.4.1.2"
AES256_CBC = "2.16.840.1.101.3.4.1.42"
PBM = "1.2.840.113533.7.66.13"
DHBM = "1.2.840.113533.7.66.30"
KEMBM = "1.2.840.113533.7.66.16"
PBMAC1 = "1.2.840.113549.1.5.14"
PBKDF2 = "1.2.840.113549.1.5.12"
HMAC_SHA256 = "1.2.840.113549.2.9"
HKDF_SHA256 = "1.2.840.113549.1.9.16.3.28"
ML_KEM_768 = "2.16.840.1.101.3.4.4.2"
ID_DATA = "1.2.840.113549.1.7.1"
ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
ID_CT_ENCKEYWITHID = "1.2.840.113549.1.9.16.1.21"
ID_CT_KP_AKEYPACKAGE = "2.16.840.1.101.2.1.2.78.5"
CE_KEYUSAGE = "2.5.29.15"
CE_SAN = "2.5.29.17"
CE_BASICCONSTRAINTS = "2.5.29.19"
CE_CRLNUMBER = "2.5.29.20"
CE_CRLREASON = "2.5.29.21"
CE_INVALIDITYDATE = "2.5.29.24"
AT_CN, AT_C, AT_O = "2.5.4.3", "2.5.4.6", "2.5.4.10"
UNKNOWN_OID = "1.2.3.4.5"

# ====================================================================
# Test PKI material
# ====================================================================


class Cert:
    def __init__(self, path):
        with open(path) as f:
            pem = f.read()
        body = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
        self.der = base64.b64decode(body)
        self.path = path
        tbs = children(self.der)[0]
        f = children(tbs)
        i = 1 if f[0][0] == 0xA0 else 0
        self.serial = int.from_bytes(content(f[i]), "big", signed=True)
        self.issuer, self.subject, self.spki = f[i + 2], f[i + 4], f[i + 5]
        self.skid = None
        for e in f[i + 6:]:
            if e[0] != 0xA3:
                continue
            for ext in children(children(e)[0]):
                parts = children(ext)
                if parts[0] == OID("2.5.29.14"):
                    self.skid = content(content(parts[-1]))


def read_der(path):
    with open(path, "rb") as f:
        return f.read()


def ossl(args, data=None):
    return subprocess.run([OPENSSL] + args, input=data, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=True).stdout


def rsa_sign(keyfile, data):
    """sha256WithRSAEncryption (PKCS#1 v1.5, deterministic)."""
    return ossl(["dgst", "-sha256", "-sign", keyfile], data)


def rsa_encrypt(certfile, data):
    return ossl(["pkeyutl", "-encrypt", "-certin", "-inkey", certfile], data)


def aes128_cbc(key, iv, data):
    return ossl(["enc", "-aes-128-cbc", "-K", key.hex(), "-iv", iv.hex()], data)


def pkcs8(keyfile):
    return ossl(["pkey", "-in", keyfile, "-outform", "DER"])


def ecdh(keyfile, peer_certfile, tmp):
    pub = os.path.join(tmp, "peer_pub.pem")
    with open(pub, "wb") as f:
        f.write(ossl(["x509", "-in", peer_certfile, "-noout", "-pubkey"]))
    return ossl(["pkeyutl", "-derive", "-inkey", keyfile, "-peerkey", pub])


def contentinfo_inner(ci):
    """ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT content } -> content."""
    oid, wrapped = children(ci)
    return content(wrapped)


def cms_envelope(data, recip_certfile, content_type=None, rid=None):
    """Real CMS EnvelopedData (ktri, AES-256-CBC) from `openssl cms -encrypt`,
    taken out of its ContentInfo. content_type replaces the
    encryptedContentInfo.contentType (openssl cms -encrypt always writes
    id-data; the field is not covered by the encryption); rid replaces the
    KeyTransRecipientInfo.rid (RFC 9810 5.2.8.3.3 wants NULL-DN + certReqId
    for encryptedRand)."""
    ci = ossl(["cms", "-encrypt", "-binary", "-aes-256-cbc", "-recip", recip_certfile,
               "-outform", "DER"], data)
    ed = contentinfo_inner(ci)
    parts = children(ed)
    for i, p in enumerate(parts):
        if p[0] == 0x31 and rid is not None:          # recipientInfos SET
            ktri = children(children(p)[0])           # version, rid, keyEncAlg, encKey
            ktri[1] = rid
            parts[i] = SET(SEQ(*ktri))
        if p[0] == 0x30 and content_type is not None:  # encryptedContentInfo
            eci = children(p)
            eci[0] = OID(content_type)
            parts[i] = SEQ(*eci)
    return SEQ(*parts)


def cms_sign(data, signer_cert, signer_key, econtent_type):
    ci = ossl(["cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-econtent_type",
               econtent_type, "-signer", signer_cert, "-inkey", signer_key, "-outform", "DER"],
              data)
    return contentinfo_inner(ci)


def fixed(label, n=16):
    """Deterministic 'random' bytes."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"pkixcmp-v3|%s|%d" % (label.encode(), i)).digest()
        i += 1
    return out[:n]


# ====================================================================
# X.509 / CRMF / CMP building blocks
# ====================================================================


def NAME(*rdns):
    """Name from (oid, value-TLV) pairs, one attribute per RDN."""
    return SEQ(*[SET(SEQ(OID(o), v)) for o, v in rdns])


def GN_DIR(name):   # GeneralName directoryName [4] Name (CHOICE -> explicit)
    return EXP(4, name)


def GN_URI(s):      # GeneralName uniformResourceIdentifier [6] IMPLICIT IA5String
    return tlv(0x86, s.encode("ascii"))


def GN_DNS(s):      # GeneralName dNSName [2] IMPLICIT IA5String
    return tlv(0x82, s.encode("ascii"))


def EXTENSION(oid, value_der, critical=False):
    return SEQ(OID(oid), BOOL(True) if critical else None, OCT(value_der))


def STATUS(status, strings=None, fail_bits=None):
    """PKIStatusInfo ::= SEQUENCE { status, statusString OPT, failInfo OPT }"""
    return SEQ(INT(status),
               FREETEXT(*strings) if strings else None,
               NAMED_BITS(*fail_bits) if fail_bits else None)


def CERTID(issuer_name, serial):
    """CertId ::= SEQUENCE { issuer GeneralName, serialNumber INTEGER }"""
    return SEQ(GN_DIR(issuer_name), INT(serial))


def ATV(oid, value=None):
    """CRMF AttributeTypeAndValue / CMP InfoTypeAndValue (value OPTIONAL)."""
    return SEQ(OID(oid), value)


def CERT_TEMPLATE(version=None, serial=None, signing_alg=None, issuer=None,
                  not_before=None, not_after=None, subject=None, spki=None,
                  issuer_uid=None, subject_uid=None, extensions=None):
    """CertTemplate (CRMF, IMPLICIT TAGS)."""
    validity = None
    if not_before is not None or not_after is not None:
        # validity [4] IMPLICIT OptionalValidity; notBefore/notAfter [0]/[1]
        # are tags on the CHOICE Time -> explicit
        validity = tlv(0xA4, cat(EXP(0, not_before) if not_before else None,
                                 EXP(1, not_after) if not_after else None))
    return SEQ(
        tlv(0x80, int_content(version)) if version is not None else None,  # [0] IMPLICIT Version
        tlv(0x81, int_content(serial)) if serial is not None else None,    # [1] IMPLICIT INTEGER
        IMP(2, signing_alg) if signing_alg else None,                      # [2] IMPLICIT AlgId
        EXP(3, issuer) if issuer else None,                                # [3] Name -> explicit
        validity,                                                          # [4] IMPLICIT
        EXP(5, subject) if subject else None,                              # [5] Name -> explicit
        IMP(6, spki) if spki else None,                                    # [6] IMPLICIT SPKI
        IMP(7, issuer_uid) if issuer_uid else None,                        # [7] IMPLICIT BIT STRING
        IMP(8, subject_uid) if subject_uid else None,                      # [8] IMPLICIT BIT STRING
        IMP(9, extensions) if extensions else None)                        # [9] IMPLICIT Extensions


def CERT_REQUEST(req_id, template, controls=None):
    """CertRequest ::= SEQUENCE { certReqId, certTemplate, controls OPT }"""
    return SEQ(INT(req_id), template, SEQ(*controls) if controls else None)


def CERT_REQ_MSG(cert_request, popo=None, reg_info=None):
    return SEQ(cert_request, popo, SEQ(*reg_info) if reg_info else None)


def POP_RA_VERIFIED():
    return b"\x80\x00"                       # raVerified [0] IMPLICIT NULL


def POP_SIGNATURE(alg, sig, poposk_input=None):
    """signature [1] IMPLICIT POPOSigningKey
       { poposkInput [0] IMPLICIT POPOSigningKeyInput OPT, algId, signature }"""
    return tlv(0xA1, cat(IMP(0, poposk_input) if poposk_input else None, alg, BITS(sig)))


def ENCRYPTED_VALUE(enc_value, intended_alg=None, symm_alg=None, enc_symm_key=None,
                    key_alg=None, value_hint=None):
    """EncryptedValue (CRMF, IMPLICIT): [0] A0, [1] A1, [2] 82, [3] A3, [4] 84."""
    return SEQ(IMP(0, intended_alg) if intended_alg else None,
               IMP(1, symm_alg) if symm_alg else None,
               IMP(2, BITS(enc_symm_key)) if enc_symm_key is not None else None,
               IMP(3, key_alg) if key_alg else None,
               IMP(4, OCT(value_hint)) if value_hint is not None else None,
               BITS(enc_value))


def EK_ENVELOPED(ed):
    """EncryptedKey envelopedData [0] IMPLICIT EnvelopedData (30 -> A0)."""
    return IMP(0, ed)


def CERTIFIED_KEY_PAIR(cert_or_enc_cert, private_key=None, publication_info=None):
    """CMP, EXPLICIT: privateKey [0] EncryptedKey, publicationInfo [1]."""
    return SEQ(cert_or_enc_cert,
               EXP(0, private_key) if private_key else None,
               EXP(1, publication_info) if publication_info else None)


def COEC_CERT(cert_der):        # CertOrEncCert certificate [0] CMPCertificate
    return EXP(0, cert_der)


def COEC_ENC(encrypted_key):    # CertOrEncCert encryptedCert [1] EncryptedKey
    return EXP(1, encrypted_key)


def CERT_RESPONSE(req_id, status, ckp=None, rsp_info=None):
    return SEQ(INT(req_id), status, ckp, OCT(rsp_info) if rsp_info is not None else None)


def CERT_REP_MESSAGE(responses, ca_pubs=None):
    """CertRepMessage ::= SEQUENCE { caPubs [1] SEQUENCE OF Cert OPT, response }"""
    return SEQ(EXP(1, SEQ(*ca_pubs)) if ca_pubs else None, SEQ(*responses))


def ROOT_CA_KEY_UPDATE(new_with_new, new_with_old=None, old_with_new=None):
    return SEQ(new_with_new,
               EXP(0, new_with_old) if new_with_old else None,
               EXP(1, old_with_new) if old_with_new else None)


def BODY(n, inner):             # PKIBody: every arm [n] EXPLICIT
    return EXP(n, inner)


# ---- protection -----------------------------------------------------

SECRET = b"test1234"
KID = b"4711"


def pbm_key(secret, salt, iterations, owf=hashlib.sha256):
    k = owf(secret + salt).digest()
    for _ in range(iterations - 1):
        k = owf(k).digest()
    return k


class Protection:
    """protectionAlg, senderKID and a function ProtectedPart-DER -> bits."""

    def __init__(self, alg, kid, fn):
        self.alg, self.kid, self.fn = alg, kid, fn


def prot_pbm(label, iterations=500):
    salt = fixed("salt|" + label)
    alg = ALG(PBM, SEQ(OCT(salt), ALG(SHA256), INT(iterations), ALG(HMAC_SHA256)))
    key = pbm_key(SECRET, salt, iterations)
    return Protection(alg, KID, lambda d: hmac.new(key, d, hashlib.sha256).digest())


def prot_sig(cert, keyfile):
    return Protection(ALG(SHA256_RSA, NULL), cert.skid, lambda d: rsa_sign(keyfile, d))


def pkimessage(pvno, sender, recipient, body, prot=None, extra_certs=None, label="",
               time="20260101120000Z", recip_nonce=True, free_text=None, general_info=None,
               tid=None):
    """PKIMessage with PKIHeader fields in module order; [n] all EXPLICIT."""
    tid = tid if tid is not None else fixed("tid|" + label)
    header = SEQ(
        INT(pvno),
        sender,
        recipient,
        EXP(0, GT(time)) if time else None,                           # messageTime
        EXP(1, prot.alg) if prot else None,                           # protectionAlg
        EXP(2, OCT(prot.kid)) if prot and prot.kid else None,         # senderKID
        None,                                                         # recipKID [3]
        EXP(4, OCT(tid)),                                             # transactionID
        EXP(5, OCT(fixed("senderNonce|" + label))),                   # senderNonce
        EXP(6, OCT(fixed("recipNonce|" + label))) if recip_nonce else None,  # recipNonce
        EXP(7, FREETEXT(*free_text)) if free_text else None,          # freeText
        EXP(8, SEQ(*general_info)) if general_info else None)         # generalInfo
    protection = prot.fn(SEQ(header, body)) if prot else None        # over ProtectedPart
    return SEQ(header, body,
               EXP(0, BITS(protection)) if protection is not None else None,
               EXP(1, SEQ(*extra_certs)) if extra_certs else None)


# ====================================================================
# The fixtures
# ====================================================================


def build(certdir, tmp):
    C = {n: Cert(os.path.join(certdir, n + ".crt")) for n in
         ("root", "interm", "server", "client_rsa", "client_p256", "untrusted_root")}
    K = {n: os.path.join(certdir, n + ".key") for n in C}
    crl_interm = read_der(os.path.join(tmp, "interm.crl.der"))
    crl_root = read_der(os.path.join(tmp, "root.crl.der"))
    new_with_old = Cert(os.path.join(tmp, "newWithOld.pem")).der
    old_with_new = Cert(os.path.join(tmp, "oldWithNew.pem")).der
    new_with_new = C["untrusted_root"].der

    CLIENT = GN_DIR(C["client_rsa"].subject)
    CLIENT256 = GN_DIR(C["client_p256"].subject)
    SERVER = GN_DIR(C["server"].subject)
    CA = GN_DIR(C["interm"].subject)
    ROOT = GN_DIR(C["root"].subject)
    NEWROOT = GN_DIR(C["untrusted_root"].subject)
    chain = [C["interm"].der, C["root"].der]
    rsa_pop_alg = ALG(SHA256_RSA, NULL)
    out = {}

    def ee_name(cn):
        return NAME((AT_C, PRINTABLE("DE")), (AT_O, UTF8("pkixcmp test")), (AT_CN, UTF8(cn)))

    # ---------------------------------------------------------------- 1 krr / krp
    cr = CERT_REQUEST(0, CERT_TEMPLATE(subject=C["client_rsa"].subject,
                                       spki=C["client_rsa"].spki),
                      controls=[ATV(ID_REGCTRL(5), CERTID(C["interm"].subject,
                                                          C["client_rsa"].serial))])
    krr = BODY(9, SEQ(CERT_REQ_MSG(cr, POP_SIGNATURE(rsa_pop_alg, rsa_sign(K["client_rsa"], cr)))))
    out["krr_v2"] = pkimessage(2, CLIENT, CA, krr, prot_sig(C["client_rsa"], K["client_rsa"]),
                               [C["client_rsa"].der] + chain, "krr_v2", recip_nonce=False)

    # krp: recovered private key as EncryptedValue (AES-128-CBC, key
    # transported with RSA PKCS#1 v1.5 to client_rsa), all optional fields
    symkey, iv = fixed("krp symkey"), fixed("krp iv")
    ev_priv = ENCRYPTED_VALUE(
        aes128_cbc(symkey, iv, pkcs8(K["client_rsa"])),
        intended_alg=ALG(RSA_ENC, NULL),
        symm_alg=ALG(AES128_CBC, OCT(iv)),
        enc_symm_key=rsa_encrypt(C["client_rsa"].path, symkey),
        key_alg=ALG(RSA_ENC, NULL),
        value_hint=b"PKCS#8 PrivateKeyInfo")
    krp = BODY(10, SEQ(
        STATUS(0),
        EXP(0, C["client_rsa"].der),                      # newSigCert [0]
        EXP(1, SEQ(*chain)),                              # caCerts [1]
        EXP(2, SEQ(                                       # keyPairHist [2]
            CERTIFIED_KEY_PAIR(COEC_CERT(C["client_rsa"].der), private_key=ev_priv),
            CERTIFIED_KEY_PAIR(COEC_CERT(C["client_p256"].der))))))
    out["krp"] = pkimessage(2, CA, CLIENT, krp, prot_pbm("krp"), label="krp")

    # ---------------------------------------------------------------- 2 ccr / ccp
    cr = CERT_REQUEST(0, CERT_TEMPLATE(subject=C["untrusted_root"].subject,
                                       spki=C["untrusted_root"].spki,
                                       extensions=SEQ(EXTENSION(CE_BASICCONSTRAINTS,
                                                                SEQ(BOOL(True)), True))))
    ccr = BODY(13, SEQ(CERT_REQ_MSG(cr, POP_SIGNATURE(rsa_pop_alg,
                                                      rsa_sign(K["untrusted_root"], cr)))))
    out["ccr"] = pkimessage(2, NEWROOT, ROOT, ccr, prot_sig(C["untrusted_root"],
                                                            K["untrusted_root"]),
                            [C["untrusted_root"].der], "ccr", recip_nonce=False)
    ccp = BODY(14, CERT_REP_MESSAGE(
        [CERT_RESPONSE(0, STATUS(0), CERTIFIED_KEY_PAIR(COEC_CERT(new_with_old)))],
        ca_pubs=[C["root"].der]))
    out["ccp"] = pkimessage(2, ROOT, NEWROOT, ccp, prot_sig(C["root"], K["root"]),
                            [C["root"].der], "ccp")

    # ---------------------------------------------------------------- 3 ckuann
    v2 = SEQ(old_with_new, new_with_old, new_with_new)   # CAKeyUpdAnnContent, untagged arm
    out["ckuann_v2"] = pkimessage(2, ROOT, CLIENT, BODY(15, v2),
                                  prot_sig(C["root"], K["root"]), [C["root"].der],
                                  "ckuann_v2", recip_nonce=False)
    v3 = EXP(0, ROOT_CA_KEY_UPDATE(new_with_new, new_with_old, old_with_new))  # cAKeyUpdAnnV3 [0]
    out["ckuann_v3"] = pkimessage(3, ROOT, CLIENT, BODY(15, v3),
                                  prot_sig(C["root"], K["root"]), [C["root"].der],
                                  "ckuann_v3", recip_nonce=False)

    # ---------------------------------------------------------------- 4 cann / rann / crlann
    ca_sig = prot_sig(C["interm"], K["interm"])
    out["cann"] = pkimessage(2, CA, CLIENT, BODY(16, C["client_p256"].der), ca_sig, chain,
                             "cann", recip_nonce=False)
    rann = BODY(17, SEQ(
        INT(5),                                                  # revocationNotification
        CERTID(C["interm"].subject, C["client_rsa"].serial),
        GT("20260101000000Z"),                                   # willBeRevokedAt
        GT("20251201000000Z"),                                   # badSinceDate
        SEQ(EXTENSION(CE_CRLNUMBER, INT(1000)),                  # crlDetails
            EXTENSION(CE_CRLREASON, ENUM(1)),
            EXTENSION(CE_INVALIDITYDATE, GT("20251201000000Z")))))
    out["rann"] = pkimessage(2, CA, CLIENT, rann, ca_sig, chain, "rann", recip_nonce=False)
    out["crlann"] = pkimessage(2, CA, CLIENT, BODY(18, SEQ(crl_interm, crl_root)), ca_sig, chain,
                               "crlann", recip_nonce=False)

    # ---------------------------------------------------------------- 5 nested
    cr = CERT_REQUEST(0, CERT_TEMPLATE(subject=C["client_rsa"].subject,
                                       spki=C["client_rsa"].spki))
    inner_ir = pkimessage(2, CLIENT, CA, BODY(0, SEQ(CERT_REQ_MSG(
        cr, POP_SIGNATURE(rsa_pop_alg, rsa_sign(K["client_rsa"], cr))))),
        prot_pbm("nested-ir"), label="nested-ir", recip_nonce=False)
    inner_genm = pkimessage(2, CLIENT, CA, BODY(21, SEQ(ATV(ID_IT(17)))),
                            prot_pbm("nested-genm"), label="nested-genm", recip_nonce=False)
    out["nested"] = pkimessage(2, SERVER, CA, BODY(20, SEQ(inner_ir, inner_genm)),
                               prot_pbm("nested"), label="nested", recip_nonce=False)

    # ---------------------------------------------------------------- 6 popdecc / popdecr
    rand_a = int.from_bytes(fixed("rand A", 8), "big")
    rand = SEQ(INT(rand_a), CA)                 # Rand { int, sender GeneralName }
    witness = hashlib.sha256(int_content(rand_a)).digest()
    chall_v2 = SEQ(ALG(SHA256), OCT(witness), OCT(rsa_encrypt(C["client_rsa"].path, rand)))
    out["popdecc_v2"] = pkimessage(2, CA, CLIENT, BODY(5, SEQ(chall_v2)), prot_pbm("popdecc_v2"),
                                   label="popdecc_v2")
    ed_rand = cms_envelope(rand, C["client_rsa"].path,
                           rid=SEQ(SEQ(), INT(0)))   # IssuerAndSerialNumber {NULL-DN, certReqId}
    chall_v3 = SEQ(ALG(SHA256), OCT(witness), OCT(b""), EXP(0, ed_rand))  # encryptedRand [0]
    out["popdecc_v3"] = pkimessage(3, CA, CLIENT, BODY(5, SEQ(chall_v3)), prot_pbm("popdecc_v3"),
                                   label="popdecc_v3")
    out["popdecr"] = pkimessage(2, CLIENT, CA, BODY(6, SEQ(INT(rand_a))), prot_pbm("popdecr"),
                                label="popdecr")

    # ---------------------------------------------------------------- 7 ir POP variants
    # keyEncipherment [2] POPOPrivKey (explicit) . encryptedKey [4] IMPLICIT EnvelopedData
    enckey = SEQ(pkcs8(K["client_rsa"]), UTF8("pkixcmp test client RSA"))   # EncKeyWithID
    ed_key = cms_envelope(enckey, C["interm"].path, content_type=ID_CT_ENCKEYWITHID)
    cr = CERT_REQUEST(0, CERT_TEMPLATE(subject=C["client_rsa"].subject,
                                       spki=C["client_rsa"].spki))
    out["ir_v3_popo_encryptedkey"] = pkimessage(
        3, CLIENT, CA, BODY(0, SEQ(CERT_REQ_MSG(cr, EXP(2, IMP(4, ed_key))))),
        prot_pbm("ir_v3_popo_encryptedkey"), label="ir_v3_popo_encryptedkey", recip_nonce=False)

    # keyAgreement [3] POPOPrivKey (explicit) . agreeMAC [3] IMPLICIT PKMACValue
    # MAC: id-DHBasedMac, key = SHA-256(ECDH(client_p256, server)), over DER(certReq)
    cr = CERT_REQUEST(0, CERT_TEMPLATE(subject=C["client_p256"].subject,
                                       spki=C["client_p256"].spki))
    z = ecdh(K["client_p256"], C["server"].path, tmp)
    agree_mac = hmac.new(hashlib.sha256(z).digest(), cr, hashlib.sha256).digest()
    pkmac = SEQ(ALG(DHBM, SEQ(ALG(SHA256), ALG(HMAC_SHA256))), BITS(agree_mac))
    out["ir_v3_agreemac"] = pkimessage(
        3, CLIENT256, SERVER, BODY(0, SEQ(CERT_REQ_MSG(cr, EXP(3, IMP(3, pkmac))))),
        prot_pbm("ir_v3_agreemac"), label="ir_v3_agreemac", recip_nonce=False)

    # ir_controls: every CertTemplate field, every control, both regInfo
    exts = SEQ(EXTENSION(CE_KEYUSAGE, NAMED_BITS(0, 2), True),
               EXTENSION(CE_SAN, SEQ(GN_DNS("client.example"), GN_URI("urn:pkixcmp:client"))))
    tmpl = CERT_TEMPLATE(
        version=2, serial=0x1234, signing_alg=ALG(SHA256_RSA, NULL),
        issuer=C["interm"].subject,
        not_before=UTC("260101000000Z"), not_after=GT("20560101000000Z"),
        subject=C["client_rsa"].subject, spki=C["client_rsa"].spki,
        issuer_uid=BITS(b"\x01\x02", 0), subject_uid=BITS(b"\x0a\x0b\x0c", 0),
        extensions=exts)
    controls = [
        ATV(ID_REGCTRL(1), UTF8("regtoken-4711")),                       # regToken
        ATV(ID_REGCTRL(2), UTF8("authenticator-secret")),                # authenticator
        ATV(ID_REGCTRL(3), SEQ(INT(1), SEQ(                              # pkiPublicationInfo
            SEQ(INT(2), GN_URI("http://repo.example/certs")),
            SEQ(INT(1), GN_DIR(C["interm"].subject))))),
        ATV(ID_REGCTRL(4), tlv(0x82, b"\xff")),       # pkiArchiveOptions archiveRemGenPrivKey [2] TRUE
        ATV(ID_REGCTRL(5), CERTID(C["interm"].subject, C["client_rsa"].serial)),  # oldCertID
        ATV(ID_REGCTRL(6), C["client_p256"].spki),                       # protocolEncrKey
        ATV(ID_REGCTRL(11), ALG(EC_PUBKEY, OID(P256))),                  # algId
        ATV(ID_REGCTRL(12), INT(2048)),                                  # rsaKeyLen
    ]
    cr0 = CERT_REQUEST(0, tmpl, controls)
    reg_info = [
        ATV(ID_REGINFO(1), UTF8("version?1%corp_company?pkixcmp%org_unit?test%")),  # utf8Pairs
        ATV(ID_REGINFO(2), CERT_REQUEST(7, CERT_TEMPLATE(subject=ee_name("regInfo certReq")))),
    ]
    msg0 = CERT_REQ_MSG(cr0, POP_SIGNATURE(rsa_pop_alg, rsa_sign(K["client_rsa"], cr0)), reg_info)
    # certReqId 1: template without subject -> poposkInput with authInfo sender [0]
    cr1 = CERT_REQUEST(1, CERT_TEMPLATE(spki=C["client_rsa"].spki))
    psk_in = SEQ(EXP(0, CLIENT), C["client_rsa"].spki)
    msg1 = CERT_REQ_MSG(cr1, POP_SIGNATURE(rsa_pop_alg, rsa_sign(K["client_rsa"], psk_in),
                                           poposk_input=psk_in))
    # certReqId 2: poposkInput with authInfo publicKeyMAC (PBM over DER(SPKI))
    cr2 = CERT_REQUEST(2, CERT_TEMPLATE(spki=C["client_rsa"].spki))
    salt = fixed("salt|publicKeyMAC")
    pkm_key = pbm_key(SECRET, salt, 500)
    pkm = SEQ(ALG(PBM, SEQ(OCT(salt), ALG(SHA256), INT(500), ALG(HMAC_SHA256))),
              BITS(hmac.new(pkm_key, C["client_rsa"].spki, hashlib.sha256).digest()))
    psk_in2 = SEQ(pkm, C["client_rsa"].spki)
    msg2 = CERT_REQ_MSG(cr2, POP_SIGNATURE(rsa_pop_alg, rsa_sign(K["client_rsa"], psk_in2),
                                           poposk_input=psk_in2))
    out["ir_controls"] = pkimessage(2, CLIENT, CA, BODY(0, SEQ(msg0, msg1, msg2)),
                                    prot_pbm("ir_controls"), label="ir_controls",
                                    recip_nonce=False, free_text=["ir with all controls"],
                                    general_info=[ATV(ID_IT(13), NULL),
                                                  ATV(ID_IT(21), SEQ(UTF8("profile-1")))])

    # ---------------------------------------------------------------- 8 ip encrypted cert / key
    ed_cert = cms_envelope(C["client_rsa"].der, C["client_rsa"].path)
    akp = SEQ(pkcs8(K["client_rsa"]))               # AsymmetricKeyPackage (RFC 5958)
    sd = cms_sign(akp, C["server"].path, K["server"], ID_CT_KP_AKEYPACKAGE)
    ed_priv = cms_envelope(sd, C["client_rsa"].path, content_type=ID_SIGNED_DATA)
    # SinglePubInfo without the OPTIONAL pubLocation (OpenSSL 3.0's template
    # wrongly requires it, so this case is kept out of OpenSSL-decodable files)
    pubinfo = SEQ(INT(1), SEQ(SEQ(INT(0))))
    ip = BODY(1, CERT_REP_MESSAGE([CERT_RESPONSE(0, STATUS(0), CERTIFIED_KEY_PAIR(
        COEC_ENC(EK_ENVELOPED(ed_cert)),            # encryptedCert [1] { [0] IMPLICIT ED }
        private_key=EK_ENVELOPED(ed_priv),          # privateKey [0] { [0] IMPLICIT ED }
        publication_info=pubinfo))],                # publicationInfo [1]
        ca_pubs=[C["root"].der]))
    out["ip_v3_envelopeddata"] = pkimessage(3, CA, CLIENT, ip, prot_pbm("ip_v3_envelopeddata"),
                                            chain, "ip_v3_envelopeddata")

    symkey, iv = fixed("ip symkey"), fixed("ip iv")
    ev_cert = ENCRYPTED_VALUE(
        aes128_cbc(symkey, iv, C["client_rsa"].der),
        intended_alg=ALG(RSA_ENC, NULL),
        symm_alg=ALG(AES128_CBC, OCT(iv)),
        enc_symm_key=rsa_encrypt(C["client_rsa"].path, symkey),
        key_alg=ALG(RSA_ENC, NULL),
        value_hint=b"certificate")
    pubinfo = SEQ(INT(1), SEQ(SEQ(INT(3), GN_URI("ldap://ldap.example/cn=client"))))
    ip = BODY(1, CERT_REP_MESSAGE([CERT_RESPONSE(0, STATUS(1, ["granted with mods"]),
                                                 CERTIFIED_KEY_PAIR(COEC_ENC(ev_cert),
                                                                    publication_info=pubinfo),
                                                 rsp_info=b"rspInfo utf8Pairs?x%")]))
    out["ip_encryptedvalue"] = pkimessage(2, CA, CLIENT, ip, prot_pbm("ip_encryptedvalue"),
                                          chain, "ip_encryptedvalue")

    # ---------------------------------------------------------------- 9 certConf hashAlg
    out["certConf_v3_hashalg"] = pkimessage(3, CLIENT, CA, CERTCONF_BODY(C["client_rsa"].der),
                                            prot_pbm("certConf_v3_hashalg"),
                                            label="certConf_v3_hashalg")

    # ---------------------------------------------------------------- 10 KEM
    kem_ctx = b"kemContext-ukm"
    ct = fixed("ML-KEM-768 ct", 1088)
    kem_tid = fixed("tid|genm_kem")
    ss = fixed("dummy KEM shared secret", 32)
    kem_other_info = SEQ(FREETEXT("CMP-KEM"), OCT(kem_tid), EXP(0, OCT(kem_ctx)))
    prk = hmac.new(b"\x00" * 32, ss, hashlib.sha256).digest()          # HKDF, no salt
    ssk = hmac.new(prk, kem_other_info + b"\x01", hashlib.sha256).digest()  # L = 32
    kem_prot = Protection(
        ALG(KEMBM, SEQ(ALG(HKDF_SHA256), EXP(0, OCT(kem_ctx)), INT(32), ALG(HMAC_SHA256))),
        KID, lambda d: hmac.new(ssk, d, hashlib.sha256).digest())
    genm = BODY(21, SEQ(ATV(ID_IT(24), SEQ(ALG(ML_KEM_768), OCT(ct))),  # KemCiphertextInfo
                        ATV(ID_IT(24))))
    out["genm_kem"] = pkimessage(3, CLIENT, CA, genm, kem_prot, label="genm_kem", tid=kem_tid,
                                 recip_nonce=False)

    # ---------------------------------------------------------------- 11 genp / genm all
    # dpn [0] EXPLICIT DistributionPointName . fullName [0] IMPLICIT GeneralNames
    crl_src_dpn = EXP(0, IMP(0, SEQ(GN_URI("http://crl.example/interm.crl"))))
    crl_src_iss = EXP(1, SEQ(CA))
    cert_req_template = SEQ(
        CERT_TEMPLATE(subject=ee_name("template"),
                      extensions=SEQ(EXTENSION(CE_KEYUSAGE, NAMED_BITS(0), True))),
        SEQ(ATV(ID_REGCTRL(11), ALG(EC_PUBKEY, OID(P256))),             # keySpec Controls
            ATV(ID_REGCTRL(12), INT(2048))))
    itavs = [
        (1, C["interm"].der),                                           # caProtEncCert
        (2, SEQ(ALG(RSA_ENC, NULL), ALG(EC_PUBKEY, OID(P256)), ALG(ED25519))),
        (3, SEQ(ALG(RSA_ENC, NULL), ALG(X25519))),                      # encKeyPairTypes
        (4, ALG(AES256_CBC)),                                           # preferredSymmAlg
        (6, crl_interm),                                                # currentCRL
        (7, SEQ(OID(UNKNOWN_OID), OID("1.2.3.4.6"))),                   # unsupportedOIDs
        (10, OID(EC_PUBKEY)),                                           # keyPairParamReq
        (11, ALG(EC_PUBKEY, OID(P384))),                                # keyPairParamRep
        (13, NULL),                                                     # implicitConfirm
        (14, GT("20260101121500Z")),                                    # confirmWaitTime
        (16, SEQ(UTF8("en"), UTF8("de"))),                              # suppLangTags
        (17, SEQ(*chain)),                                              # caCerts
        (18, ROOT_CA_KEY_UPDATE(new_with_new, new_with_old, old_with_new)),  # rootCaKeyUpdate
        (19, cert_req_template),                                        # certReqTemplate
        (20, C["root"].der),                                            # rootCaCert
        (21, SEQ(UTF8("profile-1"), UTF8("profile-2"))),                # certProfile
        (22, SEQ(SEQ(crl_src_dpn, UTC("260101120000Z")),                # crlStatusList
                 SEQ(crl_src_iss, UTC("260101120000Z")),
                 SEQ(crl_src_dpn))),
        (23, SEQ(crl_interm, crl_root)),                                # crls
    ]
    genp = BODY(22, SEQ(*([ATV(ID_IT(n), v) for n, v in itavs]
                          + [ATV(UNKNOWN_OID, UTF8("value of an unknown infoType"))])))
    out["genp_v3_all"] = pkimessage(2, CA, CLIENT, genp, prot_pbm("genp_v3_all"), chain,
                                    "genp_v3_all")
    genm = BODY(21, SEQ(*([ATV(ID_IT(n)) for n, _ in itavs] + [ATV(UNKNOWN_OID)])))
    out["genm_v3_all"] = pkimessage(2, CLIENT, CA, genm, prot_pbm("genm_v3_all"),
                                    label="genm_v3_all", recip_nonce=False)

    # ---------------------------------------------------------------- 12 PBMAC1 / DHBM
    salt = fixed("salt|pbmac1")
    pbmac1_alg = ALG(PBMAC1, SEQ(
        ALG(PBKDF2, SEQ(OCT(salt), INT(10000), INT(32), ALG(HMAC_SHA256, NULL))),
        ALG(HMAC_SHA256, NULL)))
    pbmac1_key = hashlib.pbkdf2_hmac("sha256", SECRET, salt, 10000, 32)
    out["pbmac1"] = pkimessage(2, CLIENT, CA, BODY(21, SEQ(ATV(ID_IT(17)))),
                               Protection(pbmac1_alg, KID, lambda d: hmac.new(
                                   pbmac1_key, d, hashlib.sha256).digest()),
                               label="pbmac1", recip_nonce=False)

    dh_key = hashlib.sha256(ecdh(K["client_p256"], C["server"].path, tmp)).digest()
    dhbm = Protection(ALG(DHBM, SEQ(ALG(SHA256), ALG(HMAC_SHA256))), C["client_p256"].skid,
                      lambda d: hmac.new(dh_key, d, hashlib.sha256).digest())
    out["dhbm"] = pkimessage(2, CLIENT256, SERVER, BODY(21, SEQ(ATV(ID_IT(17)))), dhbm,
                             [C["client_p256"].der] + chain, "dhbm", recip_nonce=False)

    # ---------------------------------------------------------------- 13 error / pollRep
    out["error_full"] = pkimessage(2, CA, CLIENT, ERROR_BODY(), prot_pbm("error_full"),
                                   label="error_full")
    out["pollRep_reason"] = pkimessage(2, CA, CLIENT, POLLREP_BODY(), prot_pbm("pollRep_reason"),
                                       label="pollRep_reason")

    # ---------------------------------------------------------------- 14 rr / rp
    rr = BODY(11, SEQ(SEQ(
        CERT_TEMPLATE(serial=C["client_rsa"].serial, issuer=C["interm"].subject),
        SEQ(EXTENSION(CE_CRLREASON, ENUM(1)),                   # crlEntryDetails
            EXTENSION(CE_INVALIDITYDATE, GT("20251201000000Z"))))))
    out["rr_full"] = pkimessage(2, CLIENT, CA, rr, prot_sig(C["client_rsa"], K["client_rsa"]),
                                [C["client_rsa"].der] + chain, "rr_full", recip_nonce=False)
    rp = BODY(12, SEQ(
        SEQ(STATUS(0)),                                                      # status
        EXP(0, SEQ(CERTID(C["interm"].subject, C["client_rsa"].serial))),    # revCerts [0]
        EXP(1, SEQ(crl_interm))))                                            # crls [1]
    out["rp_full"] = pkimessage(2, CA, CLIENT, rp, prot_pbm("rp_full"), label="rp_full")
    return out


# Bodies also rebuilt from genconf/*.cnf (kept free of randomness)

def CERTCONF_BODY(cert_der):
    """certConf [24]: CertStatus { certHash, certReqId, statusInfo, hashAlg [0] }"""
    return BODY(24, SEQ(SEQ(
        OCT(hashlib.sha256(cert_der).digest()),
        INT(0),
        STATUS(2, ["certificate not accepted"], [19]),        # rejection, badCertTemplate
        EXP(0, ALG(SHA256)))))                                # A0 0D 30 0B 06 09 ...


def ERROR_BODY():
    """error [23] ErrorMsgContent, failInfo bits 0, 9, 22, 26."""
    return BODY(23, SEQ(
        STATUS(2, ["request rejected", "second status string"], [0, 9, 22, 26]),
        INT(4711),
        FREETEXT("error detail 1", "error detail 2")))


def POLLREP_BODY():
    return BODY(26, SEQ(SEQ(INT(0), INT(60), FREETEXT("CA is busy, retry later")),
                        SEQ(INT(1), INT(3600))))


# ====================================================================
# Malformed messages (test/data/v3/bad)
# ====================================================================


def bad_messages():
    """Small pkiconf-based messages, no certificates, so offsets are stable.
    Returns [(name, bytes, description-with-offset)]."""
    sender = GN_DIR(NAME((AT_CN, UTF8("bad sender"))))
    recip = GN_DIR(NAME((AT_CN, UTF8("bad recipient"))))
    tid, nonce = fixed("bad tid"), fixed("bad nonce")
    pkiconf = BODY(19, NULL)

    def hdr_fields(pvno=INT(2), kid=OCT(b"kid01"), snonce=None):
        return [pvno, sender, recip, EXP(0, GT("20260101120000Z")),
                EXP(2, kid), EXP(4, OCT(tid)),
                EXP(5, snonce if snonce is not None else OCT(nonce))]

    good_hdr = SEQ(*hdr_fields())
    good = SEQ(good_hdr, pkiconf)
    der_check(good, "bad base")
    res = []

    # 1 indefinite length header
    hc = cat(*hdr_fields())
    hdr = b"\x30\x80" + hc + b"\x00\x00"
    m = SEQ(hdr, pkiconf)
    off = len(m) - len(hdr) - len(pkiconf) + 1
    res.append(("indefinite_header", m,
                "PKIHeader SEQUENCE uses the indefinite length form: byte 0x80 at offset %d "
                "(header tag 0x30 at %d), closed by end-of-contents 00 00 at offset %d; BER, "
                "not DER" % (off, off - 1, off + 1 + len(hc))))

    # 2 trailing garbage
    res.append(("trailing_byte", good + b"\x00",
                "a complete valid PKIMessage (%d bytes) followed by one extra byte 0x00 at "
                "offset %d" % (len(good), len(good))))

    # 3 non-minimal length: senderKID OCTET STRING 04 81 05 ...
    f = hdr_fields(kid=b"\x04\x81\x05kid01")
    m = SEQ(SEQ(*f), pkiconf)
    off = m.index(b"\x04\x81\x05kid01") + 1
    res.append(("nonminimal_length", m,
                "senderKID OCTET STRING (5 bytes) has the long-form length 0x81 0x05 at offset "
                "%d (DER: 0x05)" % off))

    # 4 wrong body tag [27]
    body = b"\xbb\x02\x05\x00"
    m = SEQ(good_hdr, body)
    res.append(("body_tag27", m,
                "PKIBody tag 0xBB = [27] at offset %d; PKIBody only has [0]..[26] (a pkiconf "
                "with B3 changed to BB)" % (len(m) - 4)))

    # 5 pvno OCTET STRING
    m = SEQ(SEQ(*hdr_fields(pvno=OCT(b"\x02"))), pkiconf)
    off = read_tlv(m)[1] + read_tlv(m, read_tlv(m)[1])[1]   # outer + header TL octets
    assert m[off:off + 3] == b"\x04\x01\x02"
    res.append(("pvno_octetstring", m,
                "PKIHeader.pvno encoded as OCTET STRING 04 01 02 at offset %d instead of "
                "INTEGER 02 01 02" % (off,)))

    # 6 truncated
    hl = read_tlv(good)[1]
    res.append(("truncated", good[:-1],
                "valid pkiconf PKIMessage of %d bytes with its last byte removed: the outer "
                "SEQUENCE length (offset 1) promises %d content bytes, only %d follow; "
                "pkiconf B3 02 05 00 at offset %d lacks its last byte (NULL 05 00 cut to 05)" %
                (len(good), len(good) - hl, len(good) - hl - 1, len(good) - 4)))

    # 7 INTEGER with leading zero: pvno 02 02 00 02
    m = SEQ(SEQ(*hdr_fields(pvno=b"\x02\x02\x00\x02")), pkiconf)
    off = read_tlv(m)[1] + read_tlv(m, read_tlv(m)[1])[1]
    assert m[off:off + 4] == b"\x02\x02\x00\x02"
    res.append(("integer_leading_zero", m,
                "PKIHeader.pvno INTEGER 02 02 00 02 at offset %d: the 0x00 at offset %d is a "
                "non-minimal padding byte (DER: 02 01 02)" % (off, off + 2)))

    # 8 constructed OCTET STRING in senderNonce
    cons = tlv(0x24, OCT(nonce[:8]) + OCT(nonce[8:]))
    m = SEQ(SEQ(*hdr_fields(snonce=cons)), pkiconf)
    off = m.index(cons)
    res.append(("constructed_octetstring", m,
                "senderNonce [5] contains a constructed OCTET STRING (tag 0x24 at offset %d) "
                "made of two 8-byte primitive segments; DER requires primitive 0x04" % off))

    # 9 BIT STRING with non-zero padding bit (extra)
    st = SEQ(INT(2), tlv(0x03, b"\x07\x81"))     # 7 unused bits, but bit 7 of 0x81 set
    m = SEQ(good_hdr, BODY(23, SEQ(st)))
    off = m.index(b"\x03\x02\x07\x81")
    res.append(("bitstring_padding", m,
                "error body: failInfo BIT STRING 03 02 07 81 at offset %d says 7 unused bits but "
                "the last unused bit (byte at offset %d) is 1; DER needs zero padding bits "
                "(badAlg alone is 03 02 07 80)" % (off, off + 3)))

    # 10 BOOLEAN not 0xFF (extra)
    arch = SEQ(OID(ID_REGCTRL(4)), b"\x82\x01\x01")
    tmpl = SEQ(EXP(5, NAME((AT_CN, UTF8("x")))))
    ir = BODY(0, SEQ(SEQ(SEQ(INT(0), tmpl, SEQ(arch)))))
    m = SEQ(good_hdr, ir)
    off = m.index(b"\x82\x01\x01") + 2
    res.append(("boolean_not_ff", m,
                "ir with control pkiArchiveOptions archiveRemGenPrivKey [2] IMPLICIT BOOLEAN "
                "82 01 01: value byte 0x01 at offset %d; DER TRUE is 0xFF" % off))
    return res


# ====================================================================


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--body":
        msg = read_der(sys.argv[2])
        sys.stdout.buffer.write(children(msg)[1])
        return
    certdir, tmp, outdir = sys.argv[1:4]
    msgs = build(certdir, tmp)
    for name, der in msgs.items():
        der_check(der, name)
        write(os.path.join(outdir, name + ".der"), der)
    baddir = os.path.join(outdir, "bad")
    os.makedirs(baddir, exist_ok=True)
    lines = ["# Malformed CMP messages",
             "",
             "Written by `../mkv3.sh` (`mkv3.py`, function `bad_messages`). Each file is a small",
             "PKIMessage (mostly a pkiconf, pvno 2, sender/recipient directoryName, no",
             "protection) with exactly one defect. A strict DER decoder must reject all of",
             "them. Offsets are 0-based byte offsets into the file.",
             "",
             "| File | What is wrong |",
             "|---|---|"]
    for name, der, desc in bad_messages():
        write(os.path.join(baddir, name + ".der"), der)
        try:
            der_check(der, name)
            ok = True
        except (ValueError, IndexError):
            ok = False
        if ok and name not in ("body_tag27", "pvno_octetstring", "boolean_not_ff"):
            raise SystemExit("bad fixture %s passes the DER check" % name)
        lines.append("| `%s.der` | %s |" % (name, desc))
    lines += ["",
              "`body_tag27` and `pvno_octetstring` are well-formed DER and wrong only for",
              "the schema; `boolean_not_ff` breaks DER once the schema says that the",
              "implicitly tagged `82` is a BOOLEAN; the others break DER on their own.",
              "",
              "For comparison, OpenSSL 3.0.19 `d2i_OSSL_CMP_MSG` (a BER decoder) accepts",
              "`indefinite_header`, `nonminimal_length`, `constructed_octetstring`,",
              "`bitstring_padding`, `boolean_not_ff` (it decodes pkiArchiveOptions as ANY)",
              "and `trailing_byte` (it stops after the message, the caller must notice the",
              "extra byte); it rejects `body_tag27`, `pvno_octetstring`,",
              "`integer_leading_zero` and `truncated`."]
    write(os.path.join(baddir, "README.md"), ("\n".join(lines) + "\n").encode())


if __name__ == "__main__":
    main()
