/*
 * pkixcmp.h - umbrella header of libpkixcmp, the Certificate Management
 * Protocol (RFC 9810, CRMF RFC 4211) on OpenSSL 3.
 *
 * Conventions (every other header relies on them):
 *
 *  - Names. Public functions are pkixcmp_<object>_<verb>(); public types are
 *    PKIXCMP_<OBJECT>. Nothing else is exported from the shared library.
 *  - Return values. Functions returning int return 1 on success and 0 on
 *    failure unless their comment says otherwise. Functions returning a
 *    pointer return NULL on failure. On failure a pkixcmp error, and below it
 *    any OpenSSL or libcurl reason that caused it, is on OpenSSL's
 *    thread-local error queue (see err.h).
 *  - Ownership (OpenSSL's grammar). _new() allocates, _free() releases and
 *    _free(NULL) is a no-op, _dup() makes an independent deep copy. set1
 *    copies or up-references its argument: the caller keeps its own. get0
 *    returns a borrowed pointer, valid while the owning object lives and is
 *    not modified. get1 returns a reference the caller must free.
 *  - NULL. Pointer arguments must not be NULL unless the comment says
 *    "may be NULL".
 *  - Sizes are size_t and bounded at creation: every decoder takes or uses a
 *    maximum input size.
 *  - Thread safety. Distinct objects may be used from distinct threads
 *    without locking; one object must not be used from two threads at once.
 */
#ifndef PKIXCMP_PKIXCMP_H
#define PKIXCMP_PKIXCMP_H

#include <pkixcmp/err.h>
#include <pkixcmp/msg.h>
#include <pkixcmp/ctx.h>
#include <pkixcmp/protect.h>
#include <pkixcmp/client.h>
#include <pkixcmp/listen.h>
#include <pkixcmp/http.h>
#include <pkixcmp/server.h>
#include <pkixcmp/mock.h>

#define PKIXCMP_VERSION_STR "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version string, e.g. "0.1.0". */
const char *pkixcmp_version(void);

#ifdef __cplusplus
}
#endif
#endif
