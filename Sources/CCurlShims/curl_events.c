#include "CCurlShims.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* curl's socket interface instead of curl_multi_perform/curl_multi_poll: those walk every transfer and poll every
   socket of the multi handle on each turn, so with 32 requests in flight each answer cost two polls of 32 sockets and
   a visit to 32 transfers. Here the kernel reports the ready sockets and curl runs only their transfers. */
struct cogsync_curl_events {
    CURLM *multi;
    int epoll_fd;
    int wake_fd;
    /* curl's one timer, on the monotonic clock; armed says whether there is one. */
    int armed;
    int64_t deadline_ns;
};

/* Marks a socket as already in the epoll set, in curl's own per-socket slot. */
static char registered;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy;
    struct cogsync_curl_events *ev = userp;
    if (what == CURL_POLL_REMOVE) {
        /* A socket curl already closed has left the set with it; the error is expected then. */
        epoll_ctl(ev->epoll_fd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.data.fd = s;
    if (what & CURL_POLL_IN) event.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) event.events |= EPOLLOUT;
    if (socketp != NULL) {
        epoll_ctl(ev->epoll_fd, EPOLL_CTL_MOD, s, &event);
        return 0;
    }
    if (epoll_ctl(ev->epoll_fd, EPOLL_CTL_ADD, s, &event) != 0 && errno == EEXIST) {
        epoll_ctl(ev->epoll_fd, EPOLL_CTL_MOD, s, &event);
    }
    cogsync_curl_multi_assign(ev->multi, s, &registered);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    struct cogsync_curl_events *ev = userp;
    ev->armed = timeout_ms >= 0;
    if (ev->armed) ev->deadline_ns = now_ns() + (int64_t)timeout_ms * 1000000;
    return 0;
}

cogsync_curl_events *cogsync_curl_events_new(CURLM *m) {
    struct cogsync_curl_events *ev = calloc(1, sizeof *ev);
    if (ev == NULL) return NULL;
    ev->multi = m;
    ev->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    ev->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event wake = {.events = EPOLLIN, .data.fd = ev->wake_fd};
    if (ev->epoll_fd < 0 || ev->wake_fd < 0 || epoll_ctl(ev->epoll_fd, EPOLL_CTL_ADD, ev->wake_fd, &wake) != 0) {
        int saved = errno;
        cogsync_curl_events_free(ev);
        errno = saved;
        return NULL;
    }
    cogsync_curl_multi_setopt_ptr(m, CURLMOPT_SOCKETFUNCTION, (void *)on_socket);
    cogsync_curl_multi_setopt_ptr(m, CURLMOPT_SOCKETDATA, ev);
    cogsync_curl_multi_setopt_ptr(m, CURLMOPT_TIMERFUNCTION, (void *)on_timer);
    cogsync_curl_multi_setopt_ptr(m, CURLMOPT_TIMERDATA, ev);
    return ev;
}

void cogsync_curl_events_free(cogsync_curl_events *ev) {
    if (ev == NULL) return;
    if (ev->epoll_fd >= 0) close(ev->epoll_fd);
    if (ev->wake_fd >= 0) close(ev->wake_fd);
    free(ev);
}

void cogsync_curl_events_run_due(cogsync_curl_events *ev) {
    if (!ev->armed || now_ns() < ev->deadline_ns) return;
    /* Disarmed first: the call below may set the timer again. */
    ev->armed = 0;
    int running = 0;
    cogsync_curl_multi_socket_action(ev->multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

void cogsync_curl_events_wait(cogsync_curl_events *ev, int timeout_ms) {
    int wait = timeout_ms;
    if (ev->armed) {
        int64_t left = ev->deadline_ns - now_ns();
        int64_t ms = left <= 0 ? 0 : (left + 999999) / 1000000;
        if (ms < wait) wait = (int)ms;
    }
    struct epoll_event events[64];
    int n = epoll_wait(ev->epoll_fd, events, 64, wait);
    int running = 0;
    for (int i = 0; i < n; i++) {
        int fd = events[i].data.fd;
        if (fd == ev->wake_fd) {
            uint64_t count;
            while (read(fd, &count, sizeof count) == sizeof count) {}
            continue;
        }
        uint32_t e = events[i].events;
        int bits = 0;
        if (e & (EPOLLIN | EPOLLHUP)) bits |= CURL_CSELECT_IN;
        if (e & EPOLLOUT) bits |= CURL_CSELECT_OUT;
        if (e & EPOLLERR) bits |= CURL_CSELECT_ERR;
        cogsync_curl_multi_socket_action(ev->multi, fd, bits, &running);
    }
    cogsync_curl_events_run_due(ev);
}

void cogsync_curl_events_wakeup(cogsync_curl_events *ev) {
    uint64_t one = 1;
    /* A full counter already means a wake-up is pending. */
    ssize_t written = write(ev->wake_fd, &one, sizeof one);
    (void)written;
}
