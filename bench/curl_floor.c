/* What libcurl alone costs per request: one pre-signed request replayed COUNT times with CONCURRENCY in flight,
   through curl's multi socket interface driven by epoll, set up as cogsync-lua's transport sets up a request sent as
   origin and target (the origin as the URL and the path as the request target; its connection options; a header, a
   pre-request and a write callback, the last keeping each body in memory), with one header list made once where the
   transport makes one per request, and nothing else: no Lua, no signing, no parsing. bench/client.py runs it beside
   cogsync-lua's W2, so the figures show how much of the client's CPU per request is libcurl's and how much is the
   client's own.

   Usage: curl_floor URL COUNT CONCURRENCY [HEADER...]   (HEADER as "Name: value")
   Prints "requests=N bytes=B" (the responses and their body bytes in all) and exits 0 when every response was a 200;
   names the first failure and exits 1 otherwise, a request that takes over a minute included. */
#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

struct loop {
    CURLM *multi;
    int epoll_fd;
    /* curl's one timer on the monotonic clock; armed says whether there is one. */
    int armed;
    int64_t deadline_ns;
};

struct transfer {
    char *bytes;
    size_t length, capacity;
    char error[CURL_ERROR_SIZE];
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Marks a socket as already in the epoll set, in curl's per-socket slot, as the transport does. */
static char registered;

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy;
    struct loop *loop = userp;
    struct epoll_event event = {0};
    event.data.fd = s;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    if (what & CURL_POLL_IN) event.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
    if (socketp != NULL) {
        epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, s, &event);
        return 0;
    }
    if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, s, &event) != 0 && errno == EEXIST) {
        epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, s, &event);
    }
    curl_multi_assign(loop->multi, s, &registered);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    struct loop *loop = userp;
    loop->armed = timeout_ms >= 0;
    if (loop->armed) loop->deadline_ns = now_ns() + (int64_t)timeout_ms * 1000000;
    return 0;
}

/* Runs curl's timer when it is due; disarmed first, as the call may set it again. */
static void run_due(struct loop *loop, int *running) {
    if (!loop->armed || now_ns() < loop->deadline_ns) return;
    loop->armed = 0;
    curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, running);
}

static size_t on_body(char *data, size_t size, size_t count, void *userp) {
    struct transfer *t = userp;
    size_t n = size * count;
    if (t->length + n > t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 4096;
        while (capacity < t->length + n) capacity *= 2;
        char *grown = realloc(t->bytes, capacity);
        if (grown == NULL) return 0;
        t->bytes = grown;
        t->capacity = capacity;
    }
    memcpy(t->bytes + t->length, data, n);
    t->length += n;
    return n;
}

/* The transport reads each header line; here curl only hands them over. */
static size_t on_header(char *data, size_t size, size_t count, void *userp) {
    (void)data;
    (void)userp;
    return size * count;
}

static int on_prereq(void *userp, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port) {
    (void)userp;
    (void)conn_primary_ip;
    (void)conn_local_ip;
    (void)conn_primary_port;
    (void)conn_local_port;
    return CURL_PREREQFUNC_OK;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: curl_floor URL COUNT CONCURRENCY [HEADER...]\n");
        return 2;
    }
    const char *url = argv[1];
    long count = strtol(argv[2], NULL, 10), concurrency = strtol(argv[3], NULL, 10);
    const char *scheme_end = strstr(url, "://");
    const char *path = scheme_end ? strchr(scheme_end + 3, '/') : NULL;
    if (path == NULL || count < 1 || concurrency < 1) {
        fprintf(stderr, "curl_floor: need an absolute URL with a path, a COUNT and a CONCURRENCY above 0\n");
        return 2;
    }
    char origin[512];
    snprintf(origin, sizeof origin, "%.*s/", (int)(path - url), url);
    struct curl_slist *headers = NULL;
    for (int i = 4; i < argc; i++) headers = curl_slist_append(headers, argv[i]);
    headers = curl_slist_append(headers, "Accept:");

    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct loop loop = {curl_multi_init(), epoll_create1(EPOLL_CLOEXEC), 0, 0};
    curl_multi_setopt(loop.multi, CURLMOPT_MAXCONNECTS, 64L);
    curl_multi_setopt(loop.multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(loop.multi, CURLMOPT_SOCKETDATA, &loop);
    curl_multi_setopt(loop.multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(loop.multi, CURLMOPT_TIMERDATA, &loop);

    long started = 0, finished = 0;
    long long body_bytes = 0;
    int running = 0;
    struct transfer *transfers = calloc((size_t)concurrency, sizeof *transfers);
    for (long i = 0; i < concurrency && started < count; i++, started++) {
        CURL *easy = curl_easy_init();
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfers[i].error);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 60000L);
        curl_easy_setopt(easy, CURLOPT_URL, origin);
        curl_easy_setopt(easy, CURLOPT_REQUEST_TARGET, path);
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfers[i]);
        curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, on_prereq);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfers[i]);
        curl_multi_add_handle(loop.multi, easy);
    }
    while (finished < count) {
        struct epoll_event events[64];
        int wait = 1000;
        if (loop.armed) {
            /* Rounded up, so the timer is never run before it is due. */
            int64_t left = loop.deadline_ns - now_ns();
            int64_t ms = left <= 0 ? 0 : (left + 999999) / 1000000;
            if (ms < wait) wait = (int)ms;
        }
        int ready = epoll_wait(loop.epoll_fd, events, 64, wait);
        for (int i = 0; i < ready; i++) {
            int bits = 0;
            if (events[i].events & (EPOLLIN | EPOLLHUP)) bits |= CURL_CSELECT_IN;
            if (events[i].events & EPOLLOUT) bits |= CURL_CSELECT_OUT;
            if (events[i].events & EPOLLERR) bits |= CURL_CSELECT_ERR;
            curl_multi_socket_action(loop.multi, events[i].data.fd, bits, &running);
        }
        run_due(&loop, &running);
        CURLMsg *message;
        int left;
        while ((message = curl_multi_info_read(loop.multi, &left)) != NULL) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            char *private = NULL;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private);
            struct transfer *t = (struct transfer *)private;
            if (message->data.result != CURLE_OK || status != 200) {
                fprintf(stderr, "curl_floor: request %ld failed: %s%s%s, HTTP status %ld: %.*s\n", finished + 1,
                        curl_easy_strerror(message->data.result), t->error[0] ? ": " : "", t->error, status,
                        (int)t->length, t->bytes ? t->bytes : "");
                return 1;
            }
            finished++;
            body_bytes += (long long)t->length;
            t->length = 0;
            curl_multi_remove_handle(loop.multi, easy);
            if (started < count) {
                started++;
                curl_multi_add_handle(loop.multi, easy);
            }
        }
    }
    printf("requests=%ld bytes=%lld\n", finished, body_bytes);
    return 0;
}
