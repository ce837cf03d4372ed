/*
 * tcp_relay_proxy.c - the HTTP forward proxy of tcp_relay: parses the
 * client's requests as they stream in, rewrites absolute-form request
 * lines ("POST http://host:port/path HTTP/1.1") to origin form, drops
 * Proxy-* headers, forwards Content-Length bodies as they are, and turns
 * CONNECT into a tunnel. All requests of one client connection must name
 * the same host and port.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tcp_relay.h"

/* A header line's value if its name is name, else NULL. */
static const char *header_is(const char *line, const char *name)
{
    size_t n = strlen(name);

    if (strncasecmp(line, name, n) != 0 || line[n] != ':')
        return NULL;
    return line + n + 1 + strspn(line + n + 1, " \t");
}

/* "http://host[:port][/path]" into authority (port 80 by default) and
 * the path for the origin form ("" for "/"); NULL if not an http URL. */
static const char *absolute_target(const char *url, char *authority, size_t size)
{
    const char *h, *path, *rb;
    int len;

    if (strncasecmp(url, "http://", 7) != 0)
        return NULL;
    h = url + 7;
    path = h + strcspn(h, "/?#");
    len = (int)(path - h);
    if (len == 0 || (size_t)len + 4 >= size)
        return NULL;
    rb = *h == '[' ? memchr(h, ']', (size_t)len) : h;
    if (rb == NULL)
        return NULL;
    snprintf(authority, size, "%.*s%s", len, h,
             memchr(rb, ':', (size_t)(path - rb)) != NULL ? "" : ":80");
    return path;
}

/* A complete request head: the request line rewritten to origin form,
 * Proxy-* headers dropped, Content-Length noted; out of the first one the
 * target. Returns 0 for a request the proxy refuses (px->error). */
static int proxy_head(struct conn *c, struct dir *d)
{
    struct proxy *px = d->px;
    char *line, *next, *sp1, *sp2, authority[300];
    const char *path = NULL, *v;
    int first = 1;

    px->head[px->hlen] = '\0';
    px->body_left = 0;
    px->error = "400 Bad Request";
    for (line = px->head; *line != '\0'; line = next, first = 0) {
        if ((next = strstr(line, "\r\n")) == NULL)
            return 0;
        *next = '\0';
        next += 2;
        if (*line == '\0')
            break; /* the empty line ending the head */
        if (!first) {
            if (header_is(line, "Proxy-Connection") != NULL
                || header_is(line, "Proxy-Authorization") != NULL)
                continue;
            if ((v = header_is(line, "Transfer-Encoding")) != NULL) {
                px->error = "501 Not Implemented";
                return 0;
            }
            if ((v = header_is(line, "Content-Length")) != NULL)
                px->body_left = strtoull(v, NULL, 10);
            if (!relay_put(d, line, strlen(line)) || !relay_put(d, "\r\n", 2))
                return 0;
            continue;
        }
        if ((sp1 = strchr(line, ' ')) == NULL || (sp2 = strchr(sp1 + 1, ' ')) == NULL)
            return 0;
        *sp1 = *sp2 = '\0';
        relay_log("request %d %s %s", c->id, line, sp1 + 1);
        if (strcmp(line, "CONNECT") == 0) {
            if (px->target[0] != '\0' || strlen(sp1 + 1) >= sizeof(px->target))
                return 0;
            snprintf(px->target, sizeof(px->target), "%s", sp1 + 1);
            px->need_connect = px->tunnel = 1;
            px->state = P_TUNNEL;
            return 1; /* the CONNECT head itself is not forwarded */
        }
        if ((path = absolute_target(sp1 + 1, authority, sizeof(authority))) == NULL)
            return 0; /* origin form: we are not the origin */
        if (px->target[0] == '\0') {
            snprintf(px->target, sizeof(px->target), "%s", authority);
            px->need_connect = 1;
        } else if (strcasecmp(px->target, authority) != 0) {
            return 0;
        }
        if (!relay_put(d, line, strlen(line)) || !relay_put(d, " ", 1) || (*path != '/' && !relay_put(d, "/", 1))
            || !relay_put(d, path, strlen(path)) || !relay_put(d, " ", 1) || !relay_put(d, sp2 + 1, strlen(sp2 + 1)) || !relay_put(d, "\r\n", 2))
            return 0;
    }
    px->state = px->body_left > 0 ? P_BODY : P_HEAD;
    return relay_put(d, "\r\n", 2);
}

/* Bytes from the client through the request parser into d's output. */
int relay_proxy_feed(struct conn *c, struct dir *d, const unsigned char *in, size_t n)
{
    struct proxy *px = d->px;
    size_t k;

    while (n > 0) {
        if (px->state == P_TUNNEL)
            return relay_put(d, in, n);
        if (px->state == P_BODY) {
            k = n < px->body_left ? n : (size_t)px->body_left;
            if (!relay_put(d, in, k))
                return 0;
            in += k;
            n -= k;
            if ((px->body_left -= k) == 0)
                px->state = P_HEAD;
            continue;
        }
        px->head[px->hlen++] = (char)*in++;
        n--;
        if (px->hlen >= 4 && memcmp(px->head + px->hlen - 4, "\r\n\r\n", 4) == 0) {
            if (!proxy_head(c, d))
                return 0;
            px->hlen = 0;
        } else if (px->hlen == HEAD_MAX) {
            px->error = "431 Request Header Fields Too Large";
            return 0;
        }
    }
    return 1;
}

/* The first request named the target: connect, and for CONNECT say so. */
int relay_proxy_connect(struct conn *c)
{
    char answer[128];

    c->px.need_connect = 0;
    if ((c->backend.fd = relay_connect(c->px.target)) < 0) {
        relay_log("backend %d %s failed: %s", c->id, c->px.target, strerror(errno));
        snprintf(answer, sizeof(answer), "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                 "Connection: close\r\n\r\n");
        relay_say(&c->client, answer);
        return 0;
    }
    relay_log("%s %d %s", c->px.tunnel ? "tunnel" : "backend", c->id, c->px.target);
    if (c->px.tunnel)
        {
        static const char ok200[] = "HTTP/1.1 200 Connection established\r\n\r\n";

        relay_put(&c->down, ok200, sizeof(ok200) - 1);
    }
    return 1;
}
