/*
 * bench/load.h - shared parts of the load generator (load.c: options,
 * client threads, results; load_raw.c: plain-socket HTTP for idle
 * connections and replayed requests).
 */
#ifndef BENCH_LOAD_H
#define BENCH_LOAD_H

#include <stddef.h>
#include <pkixcmp/pkixcmp.h>

struct opts {
    const char *host, *path, *ref, *secret, *key_file, *idle_mode, *label;
    long port, threads, duration, count, warmup, keep_alive, idle, pid, msg_timeout, replay,
        check_every;
};

/* A request recorded for replay: its DER and the decoded message. */
struct recorded {
    unsigned char *der;
    size_t len;
    PKIXCMP_MSG *msg;
};

/* A TCP connection to the server (IPv4 -host), -1 on error (errno set). */
int raw_connect(const struct opts *o);

/* POSTs der over *fd (connecting first if *fd < 0) and returns the 200
 * response body (free()), NULL on any error. With close_after the request
 * asks for "Connection: close" and *fd is closed and set to -1 after. */
unsigned char *raw_post(int *fd, const struct opts *o, const unsigned char *der, size_t len,
                        size_t *rsp_len, int close_after);

/* Opens o->idle connections into fds; with idle_mode "request" each does
 * one genm transaction first. 0 after printing the error. */
int idle_open(const struct opts *o, int *fds);

/* How many of the n connections in fds the server has not closed. */
long idle_still_open(const int *fds, long n);

/* Records n distinct ir requests of ctx (transactions that are cut off
 * after the request is built) into rec[0..n-1]. */
int replay_record(PKIXCMP_CTX *ctx, struct recorded *rec, long n);

/* Sends rec over *fd and checks the answer: an ip with status accepted
 * or grantedWithMods; with full_check also decoded and passing
 * pkixcmp_msg_check_response() with ctx (MAC, transactionID, nonces).
 * 0 with errors on the queue. */
int replay_one(PKIXCMP_CTX *ctx, const struct opts *o, int *fd, const struct recorded *rec,
               int full_check);

void replay_free(struct recorded *rec, long n);

/* Prints and clears this thread's error queue on stderr. */
void print_errors(void);

#endif
