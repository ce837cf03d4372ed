/*
 * pass.c - pass phrase arguments as openssl reads them
 * (../shared/openssl-cmp-options.md 2.3): pass:text, env:VAR, file:path,
 * fd:N and stdin, the last three giving their first line without the '\n';
 * at most APP_PASS_MAX - 1 bytes of it, as openssl does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include "apps.h"

#define APP_PASS_MAX 1024

/*
 * Reads one line (without '\n') from fd into buf, byte by byte so that the
 * next line stays for the next reader of the same descriptor. Returns 1, 0
 * at end of input before any byte, -1 on a read error.
 */
static int read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    int any = 0;
    char c;

    for (;;) {
        ssize_t r = read(fd, &c, 1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        any = 1;
        if (c == '\n')
            break;
        buf[n++] = c;
        if (n + 1 == size)
            break; /* as openssl: the rest of a long line is not read */
    }
    buf[n] = '\0';
    return any;
}

/* Why reading failed, for the caller to print as an error or warning. */
struct why {
    char text[256];
};

#define WHY(w, ...) snprintf((w)->text, sizeof((w)->text), __VA_ARGS__)

/* The first line of fd as a new string, or NULL with w set. */
static char *line_from_fd(int fd, const char *what, struct why *w)
{
    char buf[APP_PASS_MAX];
    char *ret = NULL;
    int r = read_line(fd, buf, sizeof(buf));

    if (r < 0)
        WHY(w, "cannot read pass phrase from %s: %s", what, strerror(errno));
    else if (r == 0)
        WHY(w, "cannot read pass phrase from %s: no input", what);
    else if ((ret = OPENSSL_strdup(buf)) == NULL)
        WHY(w, "out of memory");
    OPENSSL_cleanse(buf, sizeof(buf));
    return ret;
}

static char *from_file(const char *path, struct why *w)
{
    char *ret;
    int fd = open(path, O_RDONLY);

    if (fd < 0) {
        WHY(w, "cannot open pass phrase file %s: %s", path, strerror(errno));
        return NULL;
    }
    ret = line_from_fd(fd, path, w);
    close(fd);
    return ret;
}

static char *from_fd(const char *num, struct why *w)
{
    char *end = NULL;
    long fd;

    errno = 0;
    fd = strtol(num, &end, 10);
    if (end == num || *end != '\0' || errno != 0 || fd < 0 || fd > INT_MAX) {
        WHY(w, "invalid file descriptor in pass phrase argument fd:%s", num);
        return NULL;
    }
    return line_from_fd((int)fd, "the file descriptor", w);
}

static char *from_env(const char *var, struct why *w)
{
    const char *v = getenv(var);
    char *ret;

    if (v == NULL) {
        WHY(w, "no environment variable %s (for a pass phrase)", var);
        return NULL;
    }
    if ((ret = OPENSSL_strdup(v)) == NULL)
        WHY(w, "out of memory");
    return ret;
}

static char *read_source(const char *source, struct why *w)
{
    const char *colon;
    char *ret;

    if (strncmp(source, "pass:", 5) == 0) {
        if ((ret = OPENSSL_strdup(source + 5)) == NULL)
            WHY(w, "out of memory");
        return ret;
    }
    if (strncmp(source, "env:", 4) == 0)
        return from_env(source + 4, w);
    if (strncmp(source, "file:", 5) == 0)
        return from_file(source + 5, w);
    if (strncmp(source, "fd:", 3) == 0)
        return from_fd(source + 3, w);
    if (strcmp(source, "stdin") == 0)
        return line_from_fd(STDIN_FILENO, "standard input", w);
    /* say no more than the kind of source: the argument may be a secret */
    colon = strchr(source, ':');
    if (colon == NULL || colon - source > 5)
        WHY(w, "invalid pass phrase argument: no pass:, env:, file:, fd: or stdin");
    else
        WHY(w, "invalid pass phrase argument starting with \"%.*s\"",
            (int)(colon - source + 1), source);
    return NULL;
}

char *app_pass_read(const char *source)
{
    struct why w;
    char *ret = read_source(source, &w);

    if (ret == NULL)
        app_err("%s", w.text);
    return ret;
}

char *app_pass_get(const struct cmp_opts *o, const char *source, const char *desc)
{
    struct why w;
    char *ret;

    if (source == NULL)
        return NULL;
    if ((ret = read_source(source, &w)) != NULL)
        return ret;
    /* openssl cmp's quirk, which scripts rely on: the literal argument */
    app_warn(o, "%s", w.text);
    app_warn(o, "cannot get pass phrase for %s", desc);
    app_warn(o, "Trying plain input string (better precede with 'pass:')");
    if ((ret = OPENSSL_strdup(source)) == NULL)
        app_err("out of memory");
    return ret;
}

void app_pass_free(char *pass)
{
    if (pass != NULL)
        OPENSSL_clear_free(pass, strlen(pass));
}
