/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *
 *   int main(void) { ok(1 + 1 == 2, "addition"); ...; return tap_done(); }
 *
 * Each check prints "ok N - what" or "not ok N - what" (with file:line);
 * tap_done() prints the plan and returns the exit status (0 when all passed).
 */
#ifndef PKIXCMP_TEST_TAP_H
#define PKIXCMP_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int tap_check(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5), unused));
static int tap_check(int cond, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    tap_n++;
    printf("%sok %d - ", cond ? "" : "not ", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond) {
        tap_failed++;
        printf("# failed at %s:%d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, what)                                               \
    do {                                                                      \
        long long g_ = (long long)(got), w_ = (long long)(want);              \
        if (!ok(g_ == w_, "%s", what))                                        \
            printf("#   got %lld, want %lld\n", g_, w_);                      \
    } while (0)
#define is_str(got, want, what)                                               \
    do {                                                                      \
        const char *g_ = (got), *w_ = (want);                                 \
        if (!ok(g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0, "%s", what)) \
            printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)",       \
                   w_ ? w_ : "(null)");                                       \
    } while (0)

static void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2), unused));
static void tap_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    if (tap_failed)
        printf("# %d of %d checks failed\n", tap_failed, tap_n);
    return tap_failed != 0 || tap_n == 0;
}

#endif
