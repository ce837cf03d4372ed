/*
 * der_locate.c - where did the input stop matching the schema?
 *
 * OpenSSL's template decoder does not say where it failed; pxc_der_locate()
 * re-walks the input against the ASN.1 templates to name the field, the
 * expected and found tags and the byte offset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/x509.h>
#include "der.h"
#include "der_tlv.h"
#include "cert_der.h"
#include "spki.h"

/* ---------------------------------------------------------------------- */
/* pxc_der_locate                                                         */

#define LOC_PATH_MAX 512
#define LOC_MSG_MAX 768
#define LOC_MAX_ALTS 10

/*
 * Stand-ins for EXTERN items (OpenSSL's and ours), whose own decoders hide
 * their structure from the templates. They are only walked, never decoded:
 * Name ::= SEQUENCE OF SET OF AttributeTypeAndValue,
 * SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING },
 * and PXC_CERT walks as the Certificate it is.
 */
ASN1_ITEM_TEMPLATE(RelativeDistinguishedName) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_OF, 0, RelativeDistinguishedName, X509_NAME_ENTRY)
static_ASN1_ITEM_TEMPLATE_END(RelativeDistinguishedName)

ASN1_ITEM_TEMPLATE(RDNSequence) =
    ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, RDNSequence, RelativeDistinguishedName)
static_ASN1_ITEM_TEMPLATE_END(RDNSequence)

typedef struct {
    X509_ALGOR *algorithm;
    ASN1_BIT_STRING *subjectPublicKey;
} SubjectPublicKeyInfo;

ASN1_SEQUENCE(SubjectPublicKeyInfo) = {
    ASN1_SIMPLE(SubjectPublicKeyInfo, algorithm, X509_ALGOR),
    ASN1_SIMPLE(SubjectPublicKeyInfo, subjectPublicKey, ASN1_BIT_STRING)
} static_ASN1_SEQUENCE_END(SubjectPublicKeyInfo)

/* The walkable stand-in of an EXTERN item, or NULL if there is none. */
static const ASN1_ITEM *extern_standin(const ASN1_ITEM *it)
{
    if (it == ASN1_ITEM_rptr(X509_NAME))
        return ASN1_ITEM_rptr(RDNSequence);
    if (it == ASN1_ITEM_rptr(X509_PUBKEY) || it == ASN1_ITEM_rptr(PXC_PUBKEY))
        return ASN1_ITEM_rptr(SubjectPublicKeyInfo);
    if (it == ASN1_ITEM_rptr(PXC_CERT))
        return ASN1_ITEM_rptr(X509);
    return NULL;
}

struct loc {
    const unsigned char *der;
    char path[LOC_PATH_MAX];   /* field path of the element being walked */
    size_t plen;
    int found;                 /* a tag mismatch is in off/msg */
    size_t off;
    char msg[LOC_MSG_MAX];
    int content;               /* 0 none, 1 DER-only, 2 OpenSSL rejects it too */
    size_t coff;
    char cmsg[LOC_MSG_MAX];
};

/* Text accumulator for "expected ..." lists; truncates, never overflows. */
struct sbuf {
    char buf[192];
    size_t len;
    int alts;                  /* alternatives written so far */
};

static void sb_add(struct sbuf *b, const char *s)
{
    int n = snprintf(b->buf + b->len, sizeof(b->buf) - b->len, "%s", s);

    if (n < 0 || (size_t)n >= sizeof(b->buf) - b->len)
        b->len = sizeof(b->buf) - 1;
    else
        b->len += (size_t)n;
}

/* Adds one alternative, with " or " between, and "..." once too many. */
static void sb_alt(struct sbuf *b, const char *s)
{
    if (b->alts > LOC_MAX_ALTS)
        return;
    if (b->alts > 0)
        sb_add(b, " or ");
    sb_add(b, b->alts == LOC_MAX_ALTS ? "..." : s);
    b->alts++;
}

static void sb_alt_tag(struct sbuf *b, unsigned cls, long num)
{
    char s[40];

    pxc_tag_text(s, sizeof(s), cls, num);
    sb_alt(b, s);
}

/* The last component of a C field name such as "d.dirn" or "value.ir". */
static const char *short_name(const char *field)
{
    const char *dot;

    if (field == NULL)
        return "?";
    dot = strrchr(field, '.');
    return dot != NULL ? dot + 1 : field;
}

static int tt_set_of(const ASN1_TEMPLATE *tt)
{
    return (tt->flags & ASN1_TFLG_SK_MASK) != ASN1_TFLG_SEQUENCE_OF;
}

static unsigned tt_class(const ASN1_TEMPLATE *tt)
{
    return (unsigned)(tt->flags & ASN1_TFLG_TAG_CLASS);
}

static void desc_item(struct sbuf *b, const ASN1_ITEM *it, int depth);

/* Describes the tags that can start tt (after an EXPLICIT tag if noexp). */
static void desc_tmpl(struct sbuf *b, const ASN1_TEMPLATE *tt, int noexp, int depth)
{
    unsigned long tagging = tt->flags & ASN1_TFLG_TAG_MASK;

    if ((tt->flags & ASN1_TFLG_ADB_MASK) != 0)
        sb_alt(b, "any");
    else if (tagging == ASN1_TFLG_EXPTAG && !noexp)
        sb_alt_tag(b, tt_class(tt), tt->tag);
    else if (tagging == ASN1_TFLG_IMPTAG)
        sb_alt_tag(b, tt_class(tt), tt->tag);
    else if ((tt->flags & ASN1_TFLG_SK_MASK) != 0)
        sb_alt_tag(b, 0, tt_set_of(tt) ? UNIV_SET : UNIV_SEQUENCE);
    else if (depth < PXC_DER_LOCATE_MAX_DEPTH)
        desc_item(b, ASN1_ITEM_ptr(tt->item), depth + 1);
}

static void desc_item(struct sbuf *b, const ASN1_ITEM *it, int depth)
{
    unsigned long bit;
    long i;

    switch (it->itype) {
    case ASN1_ITYPE_PRIMITIVE:
    case ASN1_ITYPE_EXTERN:
        if (it->templates != NULL)
            desc_tmpl(b, it->templates, 0, depth + 1);
        else if (it->utype < 0)
            sb_alt(b, "any");
        else
            sb_alt_tag(b, 0, it->utype);
        break;
    case ASN1_ITYPE_MSTRING:
        /* B_ASN1_UNKNOWN admits a dozen odd types: name them as a group */
        for (i = 1; i <= 30; i++) {
            bit = ASN1_tag2bit((int)i);
            if ((bit & (unsigned long)it->utype) != 0 && bit != B_ASN1_UNKNOWN)
                sb_alt_tag(b, 0, i);
        }
        if (((unsigned long)it->utype & B_ASN1_UNKNOWN) != 0)
            sb_alt(b, "another universal type");
        break;
    case ASN1_ITYPE_CHOICE:
        for (i = 0; i < it->tcount && b->alts <= LOC_MAX_ALTS; i++)
            desc_tmpl(b, &it->templates[i], 0, depth + 1);
        break;
    default:
        sb_alt_tag(b, 0, UNIV_SEQUENCE);
        break;
    }
}

/* "0x30 (SEQUENCE)": the first identifier octet and what it means. */
static void found_text(char *buf, size_t n, const unsigned char *der, const struct tlv *t)
{
    char name[40];

    pxc_tag_text(name, sizeof(name), t->cls, t->num);
    snprintf(buf, n, "0x%02x (%s)", der[t->off], name);
}

static int loc_mismatch(struct loc *L, size_t off, const char *fmt, ...) PXC_PRINTF(3, 4);
static void loc_note(struct loc *L, size_t off, int level, const char *fmt, ...)
    PXC_PRINTF(4, 5);
static size_t path_push(struct loc *L, const char *fmt, ...) PXC_PRINTF(2, 3);

/* Records the mismatch at off with "path: <text>"; returns 1 to stop. */
static int loc_mismatch(struct loc *L, size_t off, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(L->msg, sizeof(L->msg), "%s: ", L->path);

    if (n > 0 && (size_t)n < sizeof(L->msg)) {
        va_start(ap, fmt);
        vsnprintf(L->msg + n, sizeof(L->msg) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    L->found = 1;
    L->off = off;
    return 1;
}

/* Appends to the path; returns the old length for path_pop(). */
static size_t path_push(struct loc *L, const char *fmt, ...)
{
    size_t old = L->plen, room = sizeof(L->path) - L->plen;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(L->path + L->plen, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        L->path[old] = '\0';
    else
        L->plen += (size_t)n < room ? (size_t)n : room - 1;
    return old;
}

static void path_pop(struct loc *L, size_t old)
{
    L->plen = old;
    L->path[old] = '\0';
}

/* Reads the header at pos inside [pos, end); a malformed one is a mismatch. */
static int loc_read(struct loc *L, size_t pos, size_t end, struct tlv *t)
{
    size_t over;

    if (pos < end && pxc_tlv_parse(L->der, pos, end, t, &over) == TF_NONE)
        return 1;
    loc_mismatch(L, pos, "malformed DER (not checked with pxc_der_check?)");
    return 0;
}

/*
 * Notes a problem that d2i does not stop at (level 1: DER-only) or that is
 * not about tags (level 2: OpenSSL rejects the content); the first one of
 * the highest level is kept, and reported only if no tag mismatch is found.
 */
static void loc_note(struct loc *L, size_t off, int level, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (level <= L->content)
        return;
    n = snprintf(L->cmsg, sizeof(L->cmsg), "%s: ", L->path);
    if (n > 0 && (size_t)n < sizeof(L->cmsg)) {
        va_start(ap, fmt);
        vsnprintf(L->cmsg + n, sizeof(L->cmsg) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    L->content = level;
    L->coff = off;
}

/* Notes a content problem of primitive t read as universal type ut. */
static void loc_content(struct loc *L, const struct tlv *t, long ut)
{
    char name[40];
    const char *why;
    int certain;

    if (t->cons || ut < 0)
        return;
    why = pxc_prim_problem(L->der + t->coff, t->clen, ut, &certain);
    if (why == NULL)
        return;
    pxc_tag_text(name, sizeof(name), 0, ut);
    loc_note(L, t->off, certain ? 2 : 1, "%s at offset %zu %s", name, t->off, why);
}

/* How loc_expect() treats the constructed bit. */
enum cons_rule {
    CONS_ANY,          /* not checked */
    CONS_YES,          /* must be constructed */
    CONS_NO,           /* must be primitive */
    CONS_YES_SOFT,     /* DER wants constructed, d2i takes either: only noted */
    CONS_NO_SOFT       /* DER wants primitive, d2i takes either: only noted */
};

/* Checks the tag and the constructed bit of t; returns 1 on a mismatch. */
static int loc_expect(struct loc *L, const struct tlv *t, unsigned cls, long num,
                      enum cons_rule rule)
{
    char want[40], got[64];
    int cons = rule == CONS_YES || rule == CONS_YES_SOFT;

    pxc_tag_text(want, sizeof(want), cls, num);
    found_text(got, sizeof(got), L->der, t);
    if (t->cls != cls || t->num != num)
        return loc_mismatch(L, t->off, "expected %s, found %s", want, got);
    if (rule == CONS_ANY || t->cons == cons)
        return 0;
    if (rule == CONS_YES_SOFT || rule == CONS_NO_SOFT) {
        loc_note(L, t->off, 1, "expected %s %s, found %s %s", cons ? "constructed" : "primitive",
                 want, t->cons ? "constructed" : "primitive", got);
        return 0;
    }
    return loc_mismatch(L, t->off, "expected %s %s, found %s %s",
                        cons ? "constructed" : "primitive", want,
                        t->cons ? "constructed" : "primitive", got);
}

static int item_first_match(const ASN1_ITEM *it, const struct tlv *t, int depth);

/* Whether t can be the first element of template tt (tag and class only). */
static int tmpl_first_match(const ASN1_TEMPLATE *tt, const struct tlv *t, int depth)
{
    if (depth > PXC_DER_LOCATE_MAX_DEPTH || (tt->flags & ASN1_TFLG_ADB_MASK) != 0)
        return 1;
    if ((tt->flags & ASN1_TFLG_TAG_MASK) != 0)
        return t->cls == tt_class(tt) && t->num == tt->tag;
    if ((tt->flags & ASN1_TFLG_SK_MASK) != 0)
        return t->cls == 0 && t->num == (tt_set_of(tt) ? UNIV_SET : UNIV_SEQUENCE);
    return item_first_match(ASN1_ITEM_ptr(tt->item), t, depth + 1);
}

static int item_first_match(const ASN1_ITEM *it, const struct tlv *t, int depth)
{
    long i;

    switch (it->itype) {
    case ASN1_ITYPE_PRIMITIVE:
    case ASN1_ITYPE_EXTERN:
        if (it->templates != NULL)
            return tmpl_first_match(it->templates, t, depth + 1);
        return it->utype < 0 || (t->cls == 0 && t->num == it->utype);
    case ASN1_ITYPE_MSTRING:
        return t->cls == 0 && t->num <= 30
            && (ASN1_tag2bit((int)t->num) & (unsigned long)it->utype) != 0;
    case ASN1_ITYPE_SEQUENCE:
    case ASN1_ITYPE_NDEF_SEQUENCE:
        return t->cls == 0 && t->num == UNIV_SEQUENCE;
    case ASN1_ITYPE_CHOICE:
        for (i = 0; i < it->tcount; i++)
            if (tmpl_first_match(&it->templates[i], t, depth + 1))
                return 1;
        return 0;
    default:
        return 1;
    }
}

static int walk_item(struct loc *L, const ASN1_ITEM *it, const struct tlv *t,
                     long imptag, unsigned impcls, int depth);
static int walk_sk(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                   unsigned cls, long num, int depth);
static int walk_tmpl(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                     int named, int depth);

/* Appends ".field(Type)", or ".field" for SEQUENCE OF (elements add types). */
static size_t path_field(struct loc *L, const ASN1_TEMPLATE *tt)
{
    const ASN1_ITEM *it;

    if ((tt->flags & (ASN1_TFLG_SK_MASK | ASN1_TFLG_ADB_MASK)) != 0)
        return path_push(L, ".%s", short_name(tt->field_name));
    it = ASN1_ITEM_ptr(tt->item);
    return path_push(L, ".%s(%s)", short_name(tt->field_name),
                     pxc_item_name(it));
}

/* A field that is absent although required: expected here, at pos. */
static int walk_missing(struct loc *L, const ASN1_TEMPLATE *tt, size_t pos)
{
    struct sbuf b = { "", 0, 0 };

    desc_tmpl(&b, tt, 0, 0);
    path_field(L, tt);
    return loc_mismatch(L, pos, "expected %s, found end of SEQUENCE", b.buf);
}

/* SEQUENCE: templates in order, skipping OPTIONAL ones that do not match. */
static int walk_seq(struct loc *L, const ASN1_ITEM *it, const struct tlv *t,
                    long imptag, unsigned impcls, int depth)
{
    const ASN1_TEMPLATE *tt;
    size_t pos = t->coff;
    char got[64];
    struct tlv u;
    long i;

    if (loc_expect(L, t, imptag >= 0 ? impcls : 0, imptag >= 0 ? imptag : UNIV_SEQUENCE,
                   CONS_YES))
        return 1;
    for (i = 0; i < it->tcount; i++) {
        tt = &it->templates[i];
        if (pos == t->end) {
            if ((tt->flags & (ASN1_TFLG_OPTIONAL | ASN1_TFLG_ADB_MASK)) == 0)
                return walk_missing(L, tt, pos);
            continue;
        }
        if (!loc_read(L, pos, t->end, &u))
            return 1;
        if ((tt->flags & ASN1_TFLG_OPTIONAL) != 0 && !tmpl_first_match(tt, &u, depth + 1))
            continue;
        if (walk_tmpl(L, tt, &u, 1, depth + 1))
            return 1;
        pos = u.end;
    }
    if (pos == t->end)
        return 0;
    if (!loc_read(L, pos, t->end, &u))
        return 1;
    found_text(got, sizeof(got), L->der, &u);
    return loc_mismatch(L, pos, "unexpected element, found %s", got);
}

/* CHOICE: the arm whose first tag matches t; none is the mismatch. */
static int walk_choice(struct loc *L, const ASN1_ITEM *it, const struct tlv *t, int depth)
{
    struct sbuf b = { "", 0, 0 };
    char got[64];
    long i;

    for (i = 0; i < it->tcount; i++)
        if (tmpl_first_match(&it->templates[i], t, depth + 1))
            return walk_tmpl(L, &it->templates[i], t, 1, depth + 1);
    desc_item(&b, it, depth);
    found_text(got, sizeof(got), L->der, t);
    return loc_mismatch(L, t->off, "expected %s, found %s", b.buf, got);
}

/* Multi-string: any universal tag allowed by the utype bit mask. */
static int walk_mstring(struct loc *L, const ASN1_ITEM *it, const struct tlv *t, int depth)
{
    struct sbuf b = { "", 0, 0 };
    char got[64];

    if (item_first_match(it, t, depth)) {
        loc_content(L, t, t->num);
        return 0;
    }
    desc_item(&b, it, depth);
    found_text(got, sizeof(got), L->der, t);
    return loc_mismatch(L, t->off, "expected %s, found %s", b.buf, got);
}

/* Primitive and EXTERN items: the universal tag is utype unless tagged. */
static int walk_prim(struct loc *L, const ASN1_ITEM *it, const struct tlv *t,
                     long imptag, unsigned impcls)
{
    long ut = it->utype;
    enum cons_rule rule;

    if (ut < 0 && imptag < 0) {
        /* ANY: OpenSSL decodes the content by the universal tag found */
        if (t->cls == 0)
            loc_content(L, t, t->num);
        return 0;
    }
    if (ut == V_ASN1_SEQUENCE || ut == V_ASN1_SET || ut == V_ASN1_OTHER)
        rule = CONS_YES;
    else if (ut < 0 || it->itype == ASN1_ITYPE_EXTERN)
        rule = CONS_ANY;    /* an EXTERN's encoding is its own business */
    else if (ut == V_ASN1_NULL || ut == V_ASN1_BOOLEAN || ut == V_ASN1_OBJECT
             || ut == V_ASN1_INTEGER || ut == V_ASN1_ENUMERATED)
        rule = CONS_NO;
    else
        rule = CONS_NO_SOFT; /* d2i takes BER constructed strings */
    if (loc_expect(L, t, imptag >= 0 ? impcls : 0, imptag >= 0 ? imptag : ut, rule))
        return 1;
    if (it->itype != ASN1_ITYPE_EXTERN)
        loc_content(L, t, ut);
    return 0;
}

/* An item template: its one template, an IMPLICIT tag going to a SEQUENCE OF. */
static int walk_item_template(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                              long imptag, unsigned impcls, int depth)
{
    if (imptag >= 0 && (tt->flags & ASN1_TFLG_SK_MASK) != 0
        && (tt->flags & ASN1_TFLG_TAG_MASK) == 0)
        return walk_sk(L, tt, t, impcls, imptag, depth);
    return walk_tmpl(L, tt, t, 0, depth);
}

/* Matches t against item it, with the IMPLICIT tag imptag (-1: none). */
static int walk_item(struct loc *L, const ASN1_ITEM *it, const struct tlv *t,
                     long imptag, unsigned impcls, int depth)
{
    const ASN1_ITEM *standin;

    if (depth > PXC_DER_LOCATE_MAX_DEPTH)
        return 0;
    switch (it->itype) {
    case ASN1_ITYPE_PRIMITIVE:
        if (it->templates != NULL)
            return walk_item_template(L, it->templates, t, imptag, impcls, depth + 1);
        return walk_prim(L, it, t, imptag, impcls);
    case ASN1_ITYPE_EXTERN:
        standin = extern_standin(it);
        if (standin != NULL)
            return walk_item(L, standin, t, imptag, impcls, depth + 1);
        return walk_prim(L, it, t, imptag, impcls);
    case ASN1_ITYPE_MSTRING:
        return walk_mstring(L, it, t, depth);
    case ASN1_ITYPE_SEQUENCE:
    case ASN1_ITYPE_NDEF_SEQUENCE:
        return walk_seq(L, it, t, imptag, impcls, depth);
    case ASN1_ITYPE_CHOICE:
        return walk_choice(L, it, t, depth);
    default:
        return 0;
    }
}

/* SEQUENCE OF / SET OF: the outer tag (cls, num), then each element. */
static int walk_sk(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                   unsigned cls, long num, int depth)
{
    const ASN1_ITEM *it = ASN1_ITEM_ptr(tt->item);
    size_t pos = t->coff, mark;
    unsigned long i = 0;
    struct tlv u;
    int r;

    /* d2i reads the elements of a primitive SEQUENCE OF, too */
    if (loc_expect(L, t, cls, num, CONS_YES_SOFT))
        return 1;
    while (pos < t->end) {
        if (!loc_read(L, pos, t->end, &u))
            return 1;
        mark = path_push(L, "[%lu](%s)", i, pxc_item_name(it));
        r = walk_item(L, it, &u, -1, 0, depth + 1);
        path_pop(L, mark);
        if (r)
            return 1;
        pos = u.end;
        i++;
    }
    return 0;
}

/* tt without its EXPLICIT tag: SEQUENCE OF, IMPLICIT or plain item. */
static int walk_noexp(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t, int depth)
{
    const ASN1_ITEM *it = ASN1_ITEM_ptr(tt->item);
    int imp = (tt->flags & ASN1_TFLG_TAG_MASK) == ASN1_TFLG_IMPTAG;

    if ((tt->flags & ASN1_TFLG_SK_MASK) != 0)
        return walk_sk(L, tt, t, imp ? tt_class(tt) : 0,
                       imp ? tt->tag : tt_set_of(tt) ? UNIV_SET : UNIV_SEQUENCE, depth);
    if (imp)
        return walk_item(L, it, t, tt->tag, tt_class(tt), depth);
    return walk_item(L, it, t, -1, 0, depth);
}

/* EXPLICIT: a constructed outer tag holding exactly one element. */
static int walk_explicit(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                         int depth)
{
    struct sbuf b = { "", 0, 0 };
    char got[64];
    struct tlv u;

    if (loc_expect(L, t, tt_class(tt), tt->tag, CONS_YES))
        return 1;
    if (t->clen == 0) {
        desc_tmpl(&b, tt, 1, depth);
        return loc_mismatch(L, t->coff, "expected %s inside the EXPLICIT tag, found nothing",
                            b.buf);
    }
    if (!loc_read(L, t->coff, t->end, &u))
        return 1;
    if (walk_noexp(L, tt, &u, depth + 1))
        return 1;
    if (u.end == t->end)
        return 0;
    if (!loc_read(L, u.end, t->end, &u))
        return 1;
    found_text(got, sizeof(got), L->der, &u);
    return loc_mismatch(L, u.off, "unexpected second element in the EXPLICIT tag, found %s",
                        got);
}

/* Matches t against template tt; named adds ".field(Type)" to the path. */
static int walk_tmpl(struct loc *L, const ASN1_TEMPLATE *tt, const struct tlv *t,
                     int named, int depth)
{
    size_t mark = L->plen;
    int r;

    /* ADB: the type depends on another field's value; accept anything */
    if (depth > PXC_DER_LOCATE_MAX_DEPTH || (tt->flags & ASN1_TFLG_ADB_MASK) != 0)
        return 0;
    if (named)
        mark = path_field(L, tt);
    if ((tt->flags & ASN1_TFLG_TAG_MASK) == ASN1_TFLG_EXPTAG)
        r = walk_explicit(L, tt, t, depth);
    else
        r = walk_noexp(L, tt, t, depth);
    path_pop(L, mark);
    return r;
}

/* Copies the result out; path gets "" when there is nothing to report. */
static int loc_result(const struct loc *L, size_t *offset, char *path, size_t pathlen)
{
    const char *text = L->found ? L->msg : L->content ? L->cmsg : "";

    if (offset != NULL)
        *offset = L->found ? L->off : L->content ? L->coff : 0;
    if (path != NULL && pathlen > 0)
        snprintf(path, pathlen, "%s", text);
    return L->found;
}

int pxc_der_locate(const ASN1_ITEM *it, const unsigned char *der, size_t len,
                   size_t *offset, char *path, size_t pathlen)
{
    struct loc L;
    struct tlv t;

    memset(&L, 0, sizeof(L));
    L.der = der;
    if (it != NULL && der != NULL && len > 0) {
        path_push(&L, "%s", pxc_item_name(it));
        if (loc_read(&L, 0, len, &t))
            walk_item(&L, it, &t, -1, 0, 0);
    }
    return loc_result(&L, offset, path, pathlen);
}
