/*
 * listen_local.h - the listener's layout, shared by listen.c (lifecycle:
 * sockets, threads, stopping) and listen_http.c (one HTTP exchange).
 *
 * Threads: the caller's thread configures, starts and waits; each worker
 * thread owns its event_base, evhttp and everything on them, and no libevent
 * object is touched from another thread. Workers learn about a stop from a
 * pipe (see listen.c); the only shared mutable state is the atomic request
 * counter.
 */
#ifndef PKIXCMP_LISTEN_LOCAL_H
#define PKIXCMP_LISTEN_LOCAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <pkixcmp/listen.h>
#include "internal.h"

struct event_base;
struct event;
struct evhttp;
struct evhttp_bound_socket;

enum listen_state { LISTEN_NEW, LISTEN_RUNNING, LISTEN_DONE };

struct listen_worker {
    struct pkixcmp_listener_st *l;
    pthread_t thread;
    int joinable;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound; /* NULL once accepting stopped */
    struct event *wake;                /* the stop pipe became readable */
    struct event *grace;               /* stop waiting for responses in flight */
    struct event *rearm;               /* accept again after taking one */
    int stopping;
    int accept_paused;                 /* after an accept error, see on_timer */
    /* balancing (pxc_listen_should_move): when this worker last got a
     * request (monotonic ms; the other workers read it), and the last two
     * connections it got requests on, with their times */
    atomic_llong last_req_ms;
    const void *conn_last, *conn_prev;
    long long t_last, t_prev;
    long inflight; /* responses handed to evhttp, not yet sent or lost */
};

struct pkixcmp_listener_st {
    /* configuration */
    char *host;
    int port;
    int threads;
    size_t max_body;
    long timeout_ms;
    unsigned long max_msgs;
    SSL_CTX *ssl_ctx;
    pkixcmp_listen_handler_fn *handler;
    void *handler_arg;
    int on_signals;

    /* state */
    enum listen_state state;
    int stop_pipe[2]; /* [1] written by stop(); [0] watched by every worker */
    int fd;           /* the listening socket, -1 if none */
    struct sockaddr_storage addr;
    socklen_t addr_len;
    struct event *sig[2]; /* SIGINT, SIGTERM on worker 0's base */
    struct listen_worker *workers;
    atomic_ulong served;
};

/* Installs the request callback and, with a TLS context, the TLS
 * bufferevent factory on w's evhttp. */
int pxc_listen_http_setup(struct listen_worker *w) PXC_MUST_CHECK;

/* Called when a response of w's is sent or its connection is lost. */
void pxc_listen_reply_finished(struct listen_worker *w);

/* A request came on connection conn of w (in w's thread): 1 if w should
 * close conn after its response so that the client reconnects to an idle
 * worker, because w is serving another connection too. */
int pxc_listen_should_move(struct listen_worker *w, const void *conn);

/* Connection conn of w is closed (or closing): no longer one to balance. */
void pxc_listen_forget_connection(struct listen_worker *w, const void *conn);

/* w's evhttp took a new connection: w lets the other workers take the
 * next ones until its next loop iteration. */
void pxc_listen_took_connection(struct listen_worker *w);

#endif
