/*
 * bench/load.c - load generator for CMP servers over HTTP (RFC 9811),
 * built on libpkixcmp's client; used by bench/bench_server.sh.
 *
 * T threads, each with its own PKIXCMP_CTX (MAC protection with -ref and
 * -secret, its own P-256 key or the -key file, implicitConfirm requested,
 * keep-alive as -keep_alive says), enroll with ir in a loop against
 * http://HOST:PORT/PATH for -duration seconds or -count enrollments each.
 * Each thread first does -warmup enrollments that are not counted (they
 * open the connection); then all start together.
 *
 * With -replay M, each thread instead records M ir requests of its context
 * beforehand and sends them in turn over a plain socket (load_raw.c),
 * checking that each answer is an ip with status accepted and, every
 * -check_every-th one, decoding it and checking MAC, transactionID and
 * nonces. That costs the load generator about a tenth of a client
 * transaction, so the server's throughput shows even where both share few
 * cores. Servers must accept a transactionID again once its transaction
 * ended (with implicitConfirm: at once), as pkixcmp's and openssl's do.
 *
 * With -pid, the server's CPU time (/proc/PID/stat) over the measured
 * window and its VmRSS are reported too: on a machine the load generator
 * shares with the server, CPU time per enrollment is what tells the
 * server's efficiency. With -idle K, K extra connections are opened first
 * and held idle during the load: "silent" ones send nothing, "request"
 * ones complete one genm transaction each (over our own minimal HTTP/1.1
 * code, so the server sees a kept-alive connection after a request) and
 * then idle; VmRSS before and after tells what an idle connection costs.
 *
 * Every failed enrollment is counted and the first ones are printed with
 * their errors; any failure makes the exit status 1. The last output line
 * is "RESULT key=value ..." for scripts.
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pkixcmp/pkixcmp.h>
#include "load.h"

#define MAX_THREADS 256
#define MAX_IDLE 100000
#define ERRS_SHOWN 3 /* failures printed in full per thread */


/* One client thread; written by its thread only until it is joined. */
struct worker {
    const struct opts *o;
    int id;
    pthread_t th;
    PKIXCMP_CTX *ctx;
    struct recorded *rec; /* -replay: the requests to send in turn */
    int fd;               /* -replay: the connection, -1 if none */
    unsigned long ok, fail;
    uint32_t *lat; /* microseconds per successful enrollment */
    size_t nlat, cap;
    double end; /* when it finished (monotonic seconds) */
    int setup_ok;
};

/* threads and main meet at ready (all warmed up), main notes the start,
 * then all pass go */
static pthread_barrier_t ready, go;
static double t_stop; /* monotonic seconds; set by main between the two */
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static double now_mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ options */

static void usage(void)
{
    fprintf(stderr,
            "usage: load -port P [-host 127.0.0.1] [-path pkix/] [-threads 1]\n"
            "            [-duration 5 | -count N] [-warmup 1] [-keep_alive 1]\n"
            "            [-ref 4711] [-secret test1234] [-key FILE] [-msg_timeout 30]\n"
            "            [-pid SERVER_PID] [-idle K] [-idle_mode silent|request]\n"
            "            [-replay M [-check_every 1]] [-label TEXT]\n");
}

static int parse_long(const char *name, const char *s, long min, long max, long *v)
{
    char *end;

    errno = 0;
    *v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || *v < min || *v > max) {
        fprintf(stderr, "load: %s: expected a number in %ld..%ld, got '%s'\n", name, min, max, s);
        return 0;
    }
    return 1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct { const char *name; long min, max; size_t off; } nums[] = {
        { "-port", 1, 65535, offsetof(struct opts, port) },
        { "-threads", 1, MAX_THREADS, offsetof(struct opts, threads) },
        { "-duration", 1, 3600, offsetof(struct opts, duration) },
        { "-count", 1, 100000000, offsetof(struct opts, count) },
        { "-warmup", 0, 1000, offsetof(struct opts, warmup) },
        { "-keep_alive", 0, 2, offsetof(struct opts, keep_alive) },
        { "-idle", 0, MAX_IDLE, offsetof(struct opts, idle) },
        { "-pid", 1, 1L << 30, offsetof(struct opts, pid) },
        { "-msg_timeout", 0, 3600, offsetof(struct opts, msg_timeout) },
        { "-replay", 0, 1000000, offsetof(struct opts, replay) },
        { "-check_every", 1, 1000000, offsetof(struct opts, check_every) },
    };
    static const struct { const char *name; size_t off; } strs[] = {
        { "-host", offsetof(struct opts, host) }, { "-path", offsetof(struct opts, path) },
        { "-ref", offsetof(struct opts, ref) }, { "-secret", offsetof(struct opts, secret) },
        { "-key", offsetof(struct opts, key_file) },
        { "-idle_mode", offsetof(struct opts, idle_mode) },
        { "-label", offsetof(struct opts, label) },
    };
    size_t k;
    int i;

    *o = (struct opts){ .host = "127.0.0.1", .path = "pkix/", .ref = "4711",
                        .secret = "test1234", .idle_mode = "request", .label = "load",
                        .threads = 1, .duration = 5, .warmup = 1, .keep_alive = 1,
                        .msg_timeout = 30, .check_every = 1 };
    for (i = 1; i < argc; i += 2) { /* every option takes a value */
        int found = 0;

        if (i + 1 >= argc) {
            usage();
            return 0;
        }
        for (k = 0; k < sizeof(nums) / sizeof(nums[0]) && !found; k++)
            if (strcmp(argv[i], nums[k].name) == 0) {
                if (!parse_long(nums[k].name, argv[i + 1], nums[k].min, nums[k].max,
                                (long *)((char *)o + nums[k].off)))
                    return 0;
                found = 1;
            }
        for (k = 0; k < sizeof(strs) / sizeof(strs[0]) && !found; k++)
            if (strcmp(argv[i], strs[k].name) == 0) {
                *(const char **)((char *)o + strs[k].off) = argv[i + 1];
                found = 1;
            }
        if (!found) {
            fprintf(stderr, "load: unknown option %s\n", argv[i]);
            usage();
            return 0;
        }
    }
    if (o->port == 0 || (strcmp(o->idle_mode, "silent") != 0
                         && strcmp(o->idle_mode, "request") != 0)) {
        usage();
        return 0;
    }
    return 1;
}

/* ------------------------------------------------- the server process */

/* utime + stime of process pid in seconds, -1 if unknown. */
static double proc_cpu(long pid)
{
    char path[64], buf[1024], *p;
    unsigned long ut, st;
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* the command name may hold spaces: fields count from its ')' */
    if ((p = strrchr(buf, ')')) == NULL
        || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Name:  N kB" line of /proc/pid/status in KiB, -1 if unknown. */
static long proc_status_kb(long pid, const char *name)
{
    char path[64], line[256];
    size_t len = strlen(name);
    long v = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%ld/status", pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            v = strtol(line + len + 1, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

/* ------------------------------------------------------ client threads */

/* Prints and clears this thread's error queue on stderr. */
void print_errors(void)
{
    BIO *err = BIO_new_fp(stderr, BIO_NOCLOSE);

    if (err != NULL)
        pkixcmp_err_print(err);
    BIO_free(err);
    ERR_clear_error();
}

/* The first ERRS_SHOWN failures of a thread with the whole error queue. */
static void report_failure(struct worker *w)
{
    BIO *mem = BIO_new(BIO_s_mem());
    char *text = NULL;
    long n = 0;

    if (w->fail > ERRS_SHOWN || mem == NULL) {
        ERR_clear_error();
        BIO_free(mem);
        return;
    }
    pkixcmp_err_print(mem);
    n = BIO_get_mem_data(mem, &text);
    pthread_mutex_lock(&print_lock);
    fprintf(stderr, "load: %s: thread %d: enrollment failed (failure %lu; status %d):\n%.*s",
            w->o->label, w->id, w->fail, pkixcmp_ctx_get_status(w->ctx), (int)n,
            text != NULL ? text : "");
    pthread_mutex_unlock(&print_lock);
    BIO_free(mem);
}

static EVP_PKEY *load_key(const char *file)
{
    EVP_PKEY *k = NULL;
    FILE *f = fopen(file, "r");

    if (f == NULL) {
        fprintf(stderr, "load: cannot open %s: %s\n", file, strerror(errno));
        return NULL;
    }
    k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return k;
}

/* A client context as `pkixcmp -cmd ir -implicit_confirm` would set up. */
static PKIXCMP_CTX *client_ctx(const struct opts *o, int id)
{
    PKIXCMP_CTX *ctx = pkixcmp_ctx_new(NULL, NULL), *ret = NULL;
    EVP_PKEY *key = NULL;
    X509_NAME *subj = X509_NAME_new();
    PKIXCMP_HTTP *h;
    char url[300], cn[64];

    snprintf(url, sizeof(url), "http://%s:%ld/%s", o->host, o->port,
             o->path[0] == '/' ? o->path + 1 : o->path);
    snprintf(cn, sizeof(cn), "load %s thread %d", o->label, id);
    key = o->key_file != NULL ? load_key(o->key_file) : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (ctx == NULL || key == NULL || subj == NULL
        || !X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
                                       -1, 0)
        || !pkixcmp_ctx_set1_secret(ctx, (const unsigned char *)o->secret, strlen(o->secret))
        || !pkixcmp_ctx_set1_reference(ctx, (const unsigned char *)o->ref, strlen(o->ref))
        || !pkixcmp_ctx_set1_newkey(ctx, key) || !pkixcmp_ctx_set1_subject(ctx, subj)
        || !pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_IMPLICIT_CONFIRM, 1)
        || !pkixcmp_ctx_set_option(ctx, PKIXCMP_OPT_LOG_VERBOSITY, PKIXCMP_LOG_ERR)
        || (h = pkixcmp_ctx_get0_http(ctx)) == NULL || !pkixcmp_http_set1_server(h, url)
        || !pkixcmp_http_set1_proxy(h, "")
        || !pkixcmp_http_set_keep_alive(h, (int)o->keep_alive)
        || !pkixcmp_http_set_msg_timeout(h, (int)o->msg_timeout))
        goto out;
    ret = ctx;
    ctx = NULL; /* transferred */
out:
    pkixcmp_ctx_free(ctx);
    EVP_PKEY_free(key);
    X509_NAME_free(subj);
    return ret;
}

static int add_latency(struct worker *w, double secs)
{
    if (w->nlat == w->cap) {
        size_t cap = w->cap == 0 ? 4096 : 2 * w->cap;
        uint32_t *p = realloc(w->lat, cap * sizeof(*p));

        if (p == NULL)
            return 0;
        w->lat = p;
        w->cap = cap;
    }
    w->lat[w->nlat++] = secs * 1e6 > UINT32_MAX ? UINT32_MAX : (uint32_t)(secs * 1e6);
    return 1;
}

/* One enrollment: a whole ir transaction, or with -replay the next
 * recorded request sent and its answer checked. */
static int enroll(struct worker *w, unsigned long n)
{
    if (w->rec == NULL)
        return pkixcmp_exec_ir(w->ctx);
    return replay_one(w->ctx, w->o, &w->fd, &w->rec[n % (unsigned long)w->o->replay],
                      n % (unsigned long)w->o->check_every == 0);
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    const struct opts *o = w->o;
    unsigned long n = 0;
    long i;

    w->setup_ok = w->ctx != NULL;
    for (i = 0; i < o->warmup && w->setup_ok; i++)
        if (!enroll(w, n++)) {
            w->fail++;
            report_failure(w);
            w->setup_ok = 0;
        }
    pthread_barrier_wait(&ready);
    pthread_barrier_wait(&go);
    while (w->setup_ok) {
        double t0 = now_mono(), t1;

        if (enroll(w, n++)) {
            t1 = now_mono();
            w->ok++;
            if (!add_latency(w, t1 - t0))
                break;
        } else {
            t1 = now_mono();
            w->fail++;
            report_failure(w);
        }
        if (o->count > 0 ? (long)(w->ok + w->fail) >= o->count : t1 >= t_stop)
            break;
    }
    w->end = now_mono();
    ERR_clear_error();
    return NULL;
}

/* ------------------------------------------------------------ results */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Latencies of all workers merged and sorted (caller frees), NULL if none. */
static uint32_t *merged_latencies(const struct worker *w, long n, size_t *total)
{
    uint32_t *all;
    size_t k = 0;
    long i;

    *total = 0;
    for (i = 0; i < n; i++)
        *total += w[i].nlat;
    if (*total == 0 || (all = malloc(*total * sizeof(*all))) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        memcpy(all + k, w[i].lat, w[i].nlat * sizeof(*all));
        k += w[i].nlat;
    }
    qsort(all, *total, sizeof(*all), cmp_u32);
    return all;
}

static uint32_t pct(const uint32_t *v, size_t n, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);

    return n == 0 ? 0 : v[i < n ? i : n - 1];
}

static double cpu_self(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
        + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

struct window {
    double t0, t1, srv_cpu0, srv_cpu1, cpu0, cpu1;
    long rss0, rss_idle, rss1, hwm, idle_open;
};

static void print_results(const struct opts *o, const struct worker *w, const struct window *win)
{
    unsigned long ok = 0, fail = 0;
    double secs = win->t1 - win->t0, rate, srv_us = -1;
    uint32_t *lat;
    size_t n;
    long i;

    for (i = 0; i < o->threads; i++) {
        ok += w[i].ok;
        fail += w[i].fail;
    }
    rate = secs > 0 ? (double)ok / secs : 0;
    lat = merged_latencies(w, o->threads, &n);
    if (o->pid > 0 && win->srv_cpu0 >= 0 && win->srv_cpu1 >= 0 && ok > 0)
        srv_us = (win->srv_cpu1 - win->srv_cpu0) * 1e6 / (double)ok;
    printf("%s: %s, %ld thread(s), keep_alive %ld: %lu ok, %lu failed in %.2f s: %.1f "
           "enrollments/s\n", o->label, o->replay > 0 ? "replayed requests" : "full clients",
           o->threads, o->keep_alive, ok, fail, secs, rate);
    printf("%s: latency us: p50 %u  p90 %u  p99 %u  max %u\n", o->label, pct(lat, n, 50),
           pct(lat, n, 90), pct(lat, n, 99), n > 0 ? lat[n - 1] : 0);
    if (srv_us >= 0)
        printf("%s: server CPU %.0f us/enrollment (%.2f cores busy); load generator CPU %.0f "
               "us/enrollment\n", o->label, srv_us, (win->srv_cpu1 - win->srv_cpu0) / secs,
               (win->cpu1 - win->cpu0) * 1e6 / (double)(ok > 0 ? ok : 1));
    if (o->pid > 0)
        printf("%s: server VmRSS KiB: %ld before idle, %ld with %ld idle, %ld after load "
               "(VmHWM %ld); idle connections still open: %ld\n", o->label, win->rss0,
               win->rss_idle, o->idle, win->rss1, win->hwm, win->idle_open);
    printf("RESULT label=%s mode=%s threads=%ld keep_alive=%ld ok=%lu fail=%lu secs=%.3f rate=%.1f "
           "p50=%u p90=%u p99=%u srv_cpu_us=%.1f cli_cpu_us=%.1f srv_cores=%.3f rss0=%ld "
           "rss_idle=%ld rss1=%ld idle=%ld idle_open=%ld\n", o->label, o->replay > 0 ? "replay" : "client",
           o->threads, o->keep_alive,
           ok, fail, secs, rate, pct(lat, n, 50), pct(lat, n, 90), pct(lat, n, 99), srv_us,
           (win->cpu1 - win->cpu0) * 1e6 / (double)(ok > 0 ? ok : 1),
           srv_us >= 0 ? (win->srv_cpu1 - win->srv_cpu0) / secs : -1.0, win->rss0,
           win->rss_idle, win->rss1, o->idle, win->idle_open);
    free(lat);
}

/* --------------------------------------------------------------- main */

/* Each worker's context and, with -replay, its recorded requests. */
static int setup_workers(const struct opts *o, struct worker *w)
{
    long i;

    for (i = 0; i < o->threads; i++)
        w[i].fd = -1;
    for (i = 0; i < o->threads; i++) {
        w[i].o = o;
        w[i].id = (int)i;
        if ((w[i].ctx = client_ctx(o, (int)i)) == NULL
            || (o->replay > 0
                && ((w[i].rec = calloc((size_t)o->replay, sizeof(*w[i].rec))) == NULL
                    || !replay_record(w[i].ctx, w[i].rec, o->replay)))) {
            fprintf(stderr, "load: cannot set up client %ld:\n", i);
            print_errors();
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct opts o;
    struct worker *w = NULL;
    struct window win = { .srv_cpu0 = -1, .srv_cpu1 = -1, .rss0 = -1, .rss_idle = -1,
                          .rss1 = -1, .hwm = -1 };
    int *fds = NULL, ret = 1, started = 0;
    unsigned long fail = 0;
    long i;

    if (!parse_opts(argc, argv, &o))
        return 2;
    if ((w = calloc((size_t)o.threads, sizeof(*w))) == NULL
        || (fds = malloc(((size_t)o.idle + 1) * sizeof(*fds))) == NULL)
        goto out;
    for (i = 0; i < o.idle; i++)
        fds[i] = -1;
    if (o.pid > 0)
        win.rss0 = proc_status_kb(o.pid, "VmRSS");
    if (o.idle > 0) {
        if (!idle_open(&o, fds))
            goto out;
        win.rss_idle = o.pid > 0 ? proc_status_kb(o.pid, "VmRSS") : -1;
    }
    if (!setup_workers(&o, w))
        goto out;
    if (pthread_barrier_init(&ready, NULL, (unsigned)o.threads + 1) != 0
        || pthread_barrier_init(&go, NULL, (unsigned)o.threads + 1) != 0)
        goto out;
    for (i = 0; i < o.threads; i++, started++)
        if (pthread_create(&w[i].th, NULL, worker_run, &w[i]) != 0) {
            fprintf(stderr, "load: cannot start thread %ld\n", i);
            abort(); /* the barriers would never open */
        }
    pthread_barrier_wait(&ready);
    win.srv_cpu0 = o.pid > 0 ? proc_cpu(o.pid) : -1;
    win.cpu0 = cpu_self();
    win.t0 = now_mono();
    t_stop = win.t0 + (double)o.duration;
    pthread_barrier_wait(&go);
    win.t1 = win.t0;
    for (i = 0; i < started; i++) {
        pthread_join(w[i].th, NULL);
        if (w[i].end > win.t1)
            win.t1 = w[i].end;
        fail += w[i].fail;
    }
    win.cpu1 = cpu_self();
    if (o.pid > 0) {
        win.srv_cpu1 = proc_cpu(o.pid);
        win.rss1 = proc_status_kb(o.pid, "VmRSS");
        win.hwm = proc_status_kb(o.pid, "VmHWM");
    }
    win.idle_open = idle_still_open(fds, o.idle);
    print_results(&o, w, &win);
    if (o.idle > 0 && win.idle_open != o.idle)
        fprintf(stderr, "load: %s: the server closed %ld of the %ld idle connections\n", o.label,
                o.idle - win.idle_open, o.idle);
    ret = fail == 0 && win.idle_open == o.idle ? 0 : 1;
    pthread_barrier_destroy(&ready);
    pthread_barrier_destroy(&go);
out:
    for (i = 0; w != NULL && i < o.threads; i++) {
        pkixcmp_ctx_free(w[i].ctx);
        replay_free(w[i].rec, o.replay);
        if (w[i].fd >= 0)
            close(w[i].fd);
        free(w[i].lat);
    }
    for (i = 0; fds != NULL && i < o.idle; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(fds);
    free(w);
    return ret;
}
