/*
 * listen.c - the listener's lifecycle (see include/pkixcmp/listen.h):
 * configuration, binding the socket, the worker threads, stopping.
 *
 * Each worker has its own event_base and evhttp with an evconnlistener on
 * the one shared listening socket; the kernel gives each connection to
 * whichever worker accepts first, so a worker busy in the handler takes no
 * new connections. Stopping goes through a pipe: stop() writes one byte
 * that is never read, so the read end stays readable and every worker's
 * loop sees it, however late it looks (async-signal-safe, no cross-thread
 * libevent calls, no lost wake-ups).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include "listen_local.h"

#define LISTEN_DEFAULT_THREADS 4
#define LISTEN_DEFAULT_MAX_BODY ((size_t)1 << 20)
#define LISTEN_DEFAULT_TIMEOUT_MS 30000L
#define LISTEN_ACCEPT_RETRY_MS 100 /* pause after accept() fails, e.g. EMFILE */
#define LISTEN_MAX_HEADERS 16384    /* request line and header fields; CMP needs few */

/* ----------------------------------------------------------- settings */

PKIXCMP_LISTENER *pkixcmp_listener_new(void)
{
    PKIXCMP_LISTENER *l = calloc(1, sizeof(*l)), *ret = NULL;
    int i;

    if (l == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "listener");
        goto out;
    }
    l->stop_pipe[0] = l->stop_pipe[1] = l->fd = -1;
    l->threads = LISTEN_DEFAULT_THREADS;
    l->max_body = LISTEN_DEFAULT_MAX_BODY;
    l->timeout_ms = LISTEN_DEFAULT_TIMEOUT_MS;
    atomic_init(&l->served, 0);
    if (pipe(l->stop_pipe) != 0) {
        PXC_ERR(PKIXCMP_E_IO, "cannot make the stop pipe: %s", strerror(errno));
        goto out;
    }
    for (i = 0; i < 2; i++) {
        if (fcntl(l->stop_pipe[i], F_SETFD, FD_CLOEXEC) != 0
            || fcntl(l->stop_pipe[i], F_SETFL, O_NONBLOCK) != 0) {
            PXC_ERR(PKIXCMP_E_IO, "cannot set up the stop pipe: %s", strerror(errno));
            goto out;
        }
    }
    ret = l;
    l = NULL; /* transferred */
out:
    pkixcmp_listener_free(l);
    return ret;
}

/* 1 if l may still be configured, else raises an error. */
static int configurable(const PKIXCMP_LISTENER *l, const char *what)
{
    if (l->state == LISTEN_NEW)
        return 1;
    PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "cannot set %s: the listener was started", what);
    return 0;
}

int pkixcmp_listener_set1_host(PKIXCMP_LISTENER *l, const char *host)
{
    char *copy = NULL;

    if (!configurable(l, "the host"))
        return 0;
    if (host != NULL && host[0] != '\0' && (copy = OPENSSL_strdup(host)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "host name");
        return 0;
    }
    OPENSSL_free(l->host);
    l->host = copy;
    return 1;
}

int pkixcmp_listener_set_port(PKIXCMP_LISTENER *l, int port)
{
    if (!configurable(l, "the port"))
        return 0;
    if (port < 0 || port > 65535) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "port %d is not in 0..65535", port);
        return 0;
    }
    l->port = port;
    return 1;
}

int pkixcmp_listener_set_threads(PKIXCMP_LISTENER *l, int threads)
{
    if (!configurable(l, "the threads"))
        return 0;
    if (threads < 1 || threads > PKIXCMP_LISTEN_MAX_THREADS) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "%d threads: not in 1..%d", threads,
                PKIXCMP_LISTEN_MAX_THREADS);
        return 0;
    }
    l->threads = threads;
    return 1;
}

int pkixcmp_listener_set_max_body(PKIXCMP_LISTENER *l, size_t max_body)
{
    if (!configurable(l, "max_body"))
        return 0;
    if (max_body == 0 || max_body > (size_t)SSIZE_MAX) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "max_body %zu: not in 1..SSIZE_MAX", max_body);
        return 0;
    }
    l->max_body = max_body;
    return 1;
}

int pkixcmp_listener_set_timeout(PKIXCMP_LISTENER *l, long timeout_ms)
{
    if (!configurable(l, "the timeout"))
        return 0;
    if (timeout_ms < 1) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "timeout %ld ms: must be at least 1", timeout_ms);
        return 0;
    }
    l->timeout_ms = timeout_ms;
    return 1;
}

int pkixcmp_listener_set_max_msgs(PKIXCMP_LISTENER *l, unsigned long max_msgs)
{
    if (!configurable(l, "max_msgs"))
        return 0;
    l->max_msgs = max_msgs;
    return 1;
}

int pkixcmp_listener_set1_ssl_ctx(PKIXCMP_LISTENER *l, SSL_CTX *ctx)
{
    if (!configurable(l, "the TLS context"))
        return 0;
    if (ctx != NULL && !SSL_CTX_up_ref(ctx)) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "SSL_CTX_up_ref failed");
        return 0;
    }
    SSL_CTX_free(l->ssl_ctx);
    l->ssl_ctx = ctx;
    return 1;
}

int pkixcmp_listener_set_handler(PKIXCMP_LISTENER *l, pkixcmp_listen_handler_fn *fn, void *arg)
{
    if (!configurable(l, "the handler"))
        return 0;
    if (fn == NULL) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "no handler function");
        return 0;
    }
    l->handler = fn;
    l->handler_arg = arg;
    return 1;
}

int pkixcmp_listener_stop_on_signals(PKIXCMP_LISTENER *l)
{
    if (!configurable(l, "signal handling"))
        return 0;
    l->on_signals = 1;
    return 1;
}

/* ----------------------------------------------------------- the socket */

/* A listening socket for ai, or -1 (errno set). An IPv6 wildcard socket
 * also takes IPv4 connections unless v6only. */
static int listen_socket(const struct addrinfo *ai, int v6only)
{
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol), on = 1, saved;

    if (fd < 0)
        return -1;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || fcntl(fd, F_SETFL, O_NONBLOCK) != 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0
        || (ai->ai_family == AF_INET6
            && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) != 0)
        || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Binds l->fd to l->host:l->port and records the address bound. */
static int bind_socket(PKIXCMP_LISTENER *l)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port[8];
    int ret = 0, rc, err = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    /* all interfaces: "::" dual-stack first, then "0.0.0.0" */
    hints.ai_family = l->host == NULL ? AF_INET6 : AF_UNSPEC;
    snprintf(port, sizeof(port), "%d", l->port);
    for (;;) {
        if ((rc = getaddrinfo(l->host, port, &hints, &res)) != 0) {
            res = NULL;
            if (l->host == NULL && hints.ai_family == AF_INET6) {
                hints.ai_family = AF_INET;
                continue;
            }
            PXC_ERR(PKIXCMP_E_IO, "cannot resolve %s: %s",
                    l->host != NULL ? l->host : "all interfaces", gai_strerror(rc));
            goto out;
        }
        for (ai = res; ai != NULL && l->fd < 0; ai = ai->ai_next) {
            if ((l->fd = listen_socket(ai, 0)) < 0)
                err = errno;
        }
        if (l->fd >= 0 || l->host != NULL || hints.ai_family == AF_INET)
            break;
        freeaddrinfo(res); /* no IPv6 here: try IPv4 */
        res = NULL;
        hints.ai_family = AF_INET;
    }
    if (l->fd < 0) {
        PXC_ERR(PKIXCMP_E_IO, "cannot listen on %s port %d: %s",
                l->host != NULL ? l->host : "all interfaces", l->port, strerror(err));
        goto out;
    }
    l->addr_len = sizeof(l->addr);
    if (getsockname(l->fd, (struct sockaddr *)&l->addr, &l->addr_len) != 0) {
        PXC_ERR(PKIXCMP_E_IO, "getsockname: %s", strerror(errno));
        goto out;
    }
    ret = 1;
out:
    if (res != NULL)
        freeaddrinfo(res);
    return ret;
}

int pkixcmp_listener_port(const PKIXCMP_LISTENER *l)
{
    const struct sockaddr *sa = (const struct sockaddr *)&l->addr;

    if (l->state == LISTEN_NEW || l->addr_len == 0)
        return 0;
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

int pkixcmp_listener_accept_line(const PKIXCMP_LISTENER *l, char *buf, size_t size)
{
    const struct sockaddr *sa = (const struct sockaddr *)&l->addr;
    char host[INET6_ADDRSTRLEN];
    const void *a;
    int n, v6;

    if (l->state == LISTEN_NEW || l->addr_len == 0) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "the listener was not started");
        return 0;
    }
    v6 = sa->sa_family == AF_INET6;
    a = v6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
           : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (inet_ntop(sa->sa_family, a, host, sizeof(host)) == NULL) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "inet_ntop: %s", strerror(errno));
        return 0;
    }
    n = snprintf(buf, size, "ACCEPT %s%s%s:%d PID=%ld", v6 ? "[" : "", host, v6 ? "]" : "",
                 pkixcmp_listener_port(l), (long)getpid());
    if (n < 0 || (size_t)n >= size) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "buffer of %zu bytes too small for the line", size);
        return 0;
    }
    return 1;
}

/* ----------------------------------------------------------- workers */

/* Called when the last response in flight is done, or the grace period is
 * over: ends the worker's loop. */
static void finish(struct listen_worker *w)
{
    event_base_loopbreak(w->base);
}

void pxc_listen_reply_finished(struct listen_worker *w)
{
    if (--w->inflight == 0 && w->stopping)
        finish(w);
}

/* The stop pipe is readable: stop accepting, let responses in flight go out
 * (at most the timeout long), then end the loop. */
static void on_wake(evutil_socket_t fd, short what, void *arg)
{
    struct listen_worker *w = arg;
    struct timeval tv;

    event_del(w->wake);
    w->stopping = 1;
    if (w->bound != NULL)
        evhttp_del_accept_socket(w->http, w->bound);
    w->bound = NULL;
    if (w->inflight == 0) {
        finish(w);
        return;
    }
    tv.tv_sec = w->l->timeout_ms / 1000;
    tv.tv_usec = (w->l->timeout_ms % 1000) * 1000;
    evtimer_add(w->grace, &tv);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    pkixcmp_listener_stop(arg);
}

/* The worker running in this thread: the accept error callback gets only
 * the evhttp as its argument. */
static _Thread_local struct listen_worker *this_worker;

/* accept() failed with something other than EAGAIN (EMFILE, ENOBUFS): pause
 * this worker's accepting instead of spinning on a readable socket. */
static void on_accept_error(struct evconnlistener *lev, void *arg)
{
    struct timeval tv = {0, LISTEN_ACCEPT_RETRY_MS * 1000};

    evconnlistener_disable(lev);
    if (this_worker != NULL && !this_worker->stopping) {
        this_worker->accept_paused = 1;
        evtimer_add(this_worker->grace, &tv); /* see on_timer */
    }
}

/*
 * libevent accepts until the shared socket has no more connections, so the
 * worker woken first by a burst of clients would take them all and, with
 * keep-alive, keep them while the other workers idle. A worker that took a
 * connection therefore ends libevent's accept loop (which stops when its
 * callback disables the listener) and enables the listener again once the
 * callbacks that are due have run: the other workers, woken by the same
 * readiness, take the rest. With the change list the two cost no system
 * call.
 */
void pxc_listen_took_connection(struct listen_worker *w)
{
    if (w->bound == NULL || w->stopping)
        return;
    evconnlistener_disable(evhttp_bound_socket_get_listener(w->bound));
    event_active(w->rearm, EV_TIMEOUT, 0);
}

static void on_rearm(evutil_socket_t fd, short what, void *arg)
{
    struct listen_worker *w = arg;

    (void)fd;
    (void)what;
    if (w->bound != NULL && !w->stopping && !w->accept_paused)
        evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
}

/*
 * Balancing kept-alive connections: the kernel hands a new connection to
 * whichever worker accepts first, and a worker keeps its connections. Two
 * clients that keep theirs may so end up on one worker (one core) while
 * another idles. A worker that gets requests on two open connections in
 * turn (A, B, A: both are in use at once, not one after the other), the
 * other one within LISTEN_BUSY_MS, while some other worker has had no
 * request for LISTEN_IDLE_MS, closes the one it is answering. The client's
 * next connection is then accepted by an idle worker, asleep on the
 * listening socket while this one is busy with the other client. One
 * client alone, clients that connect anew for each request, and a worker
 * busy while all others are too are left as they are.
 */
#define LISTEN_BUSY_MS 5
#define LISTEN_IDLE_MS 20

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 if a worker other than w has had no request for LISTEN_IDLE_MS. */
static int other_idle(const struct listen_worker *w, long long now)
{
    const PKIXCMP_LISTENER *l = w->l;
    int i;

    for (i = 0; i < l->threads; i++)
        if (&l->workers[i] != w && now - atomic_load(&l->workers[i].last_req_ms) > LISTEN_IDLE_MS)
            return 1;
    return 0;
}

int pxc_listen_should_move(struct listen_worker *w, const void *conn)
{
    long long now = now_ms(), t_other = w->t_last;
    int back = conn == w->conn_prev; /* A, B, A: both are in use */

    atomic_store(&w->last_req_ms, now);
    if (conn == NULL || conn == w->conn_last) {
        w->t_last = now;
        return 0;
    }
    w->conn_prev = w->conn_last;
    w->t_prev = w->t_last;
    w->conn_last = conn;
    w->t_last = now;
    if (!back || now - t_other > LISTEN_BUSY_MS || !other_idle(w, now))
        return 0;
    /* conn goes: the other one stays, as the only one seen */
    pxc_listen_forget_connection(w, conn);
    return 1;
}

void pxc_listen_forget_connection(struct listen_worker *w, const void *conn)
{
    if (conn == NULL)
        return;
    if (w->conn_last == conn) {
        w->conn_last = w->conn_prev;
        w->t_last = w->t_prev;
        w->conn_prev = NULL;
    } else if (w->conn_prev == conn) {
        w->conn_prev = NULL;
    }
}

/* The worker's one timer: while stopping, the grace period for responses in
 * flight is over; before, accepting may resume after an accept error. */
static void on_timer(evutil_socket_t fd, short what, void *arg)
{
    struct listen_worker *w = arg;

    if (w->stopping) {
        finish(w);
        return;
    }
    w->accept_paused = 0;
    if (w->bound != NULL)
        evconnlistener_enable(evhttp_bound_socket_get_listener(w->bound));
}

/*
 * An event base whose epoll backend applies the changes of one loop
 * iteration at once: a connection's reads and writes are switched on and
 * off several times per request, and without the change list each switch
 * is an epoll_ctl() call. (The change list cannot follow descriptors made
 * with dup(), which the listener does not use.)
 */
static struct event_base *new_base(void)
{
    struct event_config *cfg = event_config_new();
    struct event_base *base;

    if (cfg == NULL)
        return NULL;
    (void)event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

/* The worker's event base, evhttp and listener on the shared socket. */
static int worker_setup(struct listen_worker *w)
{
    PKIXCMP_LISTENER *l = w->l;
    struct evconnlistener *lev;
    struct timeval tv;

    if ((w->base = new_base()) == NULL || (w->http = evhttp_new(w->base)) == NULL
        || (w->wake = event_new(w->base, l->stop_pipe[0], EV_READ | EV_PERSIST, on_wake, w))
               == NULL
        || (w->grace = evtimer_new(w->base, on_timer, w)) == NULL
        || (w->rearm = evtimer_new(w->base, on_rearm, w)) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "event base of a worker");
        return 0;
    }
    /* no LEV_OPT_CLOSE_ON_FREE: the socket is shared, listen.c closes it */
    lev = evconnlistener_new(w->base, NULL, NULL, LEV_OPT_CLOSE_ON_EXEC, 0, l->fd);
    if (lev == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "connection listener");
        return 0;
    }
    if ((w->bound = evhttp_bind_listener(w->http, lev)) == NULL) {
        evconnlistener_free(lev);
        PXC_ERR(PKIXCMP_E_MALLOC, "evhttp listener");
        return 0;
    }
    evconnlistener_set_error_cb(lev, on_accept_error);
    tv.tv_sec = l->timeout_ms / 1000;
    tv.tv_usec = (l->timeout_ms % 1000) * 1000;
    evhttp_set_timeout_tv(w->http, &tv);
    evhttp_set_max_body_size(w->http, (ev_ssize_t)l->max_body);
    evhttp_set_max_headers_size(w->http, LISTEN_MAX_HEADERS); /* evhttp: unbounded */
    if (!pxc_listen_http_setup(w) || event_add(w->wake, NULL) != 0) {
        PXC_ERR(PKIXCMP_E_INTERNAL, "cannot set up a worker");
        return 0;
    }
    return 1;
}

static void *worker_main(void *arg)
{
    struct listen_worker *w = arg;
    sigset_t pipe_only;

    /* writing to a connection the client reset raises SIGPIPE, whose
     * default action ends the process; blocked, the write fails with EPIPE
     * (libevent does not ask for MSG_NOSIGNAL) */
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, NULL);
    this_worker = w;
    event_base_dispatch(w->base);
    /* closes every connection; their close callbacks still see w */
    evhttp_free(w->http);
    w->http = NULL;
    w->bound = NULL;
    return NULL;
}

static int signals_setup(PKIXCMP_LISTENER *l)
{
    static const int sigs[2] = {SIGINT, SIGTERM};
    size_t i;

    for (i = 0; i < PXC_NELEM(sigs); i++) {
        l->sig[i] = evsignal_new(l->workers[0].base, sigs[i], on_signal, l);
        if (l->sig[i] == NULL || event_add(l->sig[i], NULL) != 0) {
            PXC_ERR(PKIXCMP_E_INTERNAL, "cannot watch signal %d", sigs[i]);
            return 0;
        }
    }
    return 1;
}

/* Frees what the workers had; their threads must have ended. */
static void workers_free(PKIXCMP_LISTENER *l)
{
    struct listen_worker *w;
    size_t i;

    for (i = 0; i < PXC_NELEM(l->sig); i++) {
        if (l->sig[i] != NULL)
            event_free(l->sig[i]);
        l->sig[i] = NULL;
    }
    for (i = 0; l->workers != NULL && i < (size_t)l->threads; i++) {
        w = &l->workers[i];
        if (w->http != NULL)
            evhttp_free(w->http); /* also frees the listener, not the socket */
        if (w->wake != NULL)
            event_free(w->wake);
        if (w->grace != NULL)
            event_free(w->grace);
        if (w->rearm != NULL)
            event_free(w->rearm);
        if (w->base != NULL)
            event_base_free(w->base);
    }
    free(l->workers);
    l->workers = NULL;
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
}

static void workers_join(PKIXCMP_LISTENER *l)
{
    int i;

    for (i = 0; l->workers != NULL && i < l->threads; i++) {
        if (l->workers[i].joinable)
            pthread_join(l->workers[i].thread, NULL);
        l->workers[i].joinable = 0;
    }
}

int pkixcmp_listener_start(PKIXCMP_LISTENER *l)
{
    int i, ret = 0, rc;

    if (!configurable(l, "the state"))
        return 0;
    if (l->handler == NULL) {
        PXC_ERR(PKIXCMP_E_MISSING_PARAMETER, "no handler set");
        return 0;
    }
    l->state = LISTEN_RUNNING;
    if (!bind_socket(l))
        goto out;
    if ((l->workers = calloc((size_t)l->threads, sizeof(*l->workers))) == NULL) {
        PXC_ERR(PKIXCMP_E_MALLOC, "%d workers", l->threads);
        goto out;
    }
    /* all bases are made here, in one thread: libevent's globals need no locks */
    for (i = 0; i < l->threads; i++) {
        l->workers[i].l = l;
        if (!worker_setup(&l->workers[i]))
            goto out;
    }
    if (l->on_signals && !signals_setup(l))
        goto out;
    for (i = 0; i < l->threads; i++) {
        if ((rc = pthread_create(&l->workers[i].thread, NULL, worker_main, &l->workers[i])) != 0) {
            PXC_ERR(PKIXCMP_E_INTERNAL, "cannot start worker thread %d: %s", i, strerror(rc));
            goto out;
        }
        l->workers[i].joinable = 1;
    }
    ret = 1;
out:
    if (!ret) {
        pkixcmp_listener_stop(l);
        workers_join(l);
        workers_free(l);
        l->addr_len = 0;
        l->state = LISTEN_DONE;
    }
    return ret;
}

/* ----------------------------------------------------------- stopping */

void pkixcmp_listener_stop(PKIXCMP_LISTENER *l)
{
    ssize_t n;

    /* async-signal-safe: one write(); a full pipe already holds a byte */
    n = write(l->stop_pipe[1], "", 1);
    (void)n;
}

int pkixcmp_listener_wait(PKIXCMP_LISTENER *l)
{
    if (l->state != LISTEN_RUNNING) {
        PXC_ERR(PKIXCMP_E_INVALID_ARGUMENT, "the listener is not running");
        return 0;
    }
    workers_join(l);
    workers_free(l);
    l->state = LISTEN_DONE;
    return 1;
}

unsigned long pkixcmp_listener_served(const PKIXCMP_LISTENER *l)
{
    unsigned long n = atomic_load(&l->served);

    /* tickets past max_msgs were refused with 503, not served */
    return l->max_msgs > 0 && n > l->max_msgs ? l->max_msgs : n;
}

void pkixcmp_listener_free(PKIXCMP_LISTENER *l)
{
    int i;

    if (l == NULL)
        return;
    if (l->state == LISTEN_RUNNING) {
        pkixcmp_listener_stop(l);
        (void)pkixcmp_listener_wait(l);
    }
    for (i = 0; i < 2; i++) {
        if (l->stop_pipe[i] >= 0)
            close(l->stop_pipe[i]);
    }
    SSL_CTX_free(l->ssl_ctx);
    OPENSSL_free(l->host);
    free(l);
}
