#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H

// libcurl, opened on first use (see curl_options.c): its functions as Swift calls them, typed wrappers for its
// variadic calls (curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt), which Swift cannot call, and reading the
// multi handle's messages. The header gives the types and constants; nothing links against the library.

#include <curl/curl.h>

/// 1 once libcurl has been loaded into the process (by the first handle, error text or version asked for).
int cogsync_curl_loaded(void);
const char *cogsync_curl_version(void);
CURL *cogsync_curl_easy_init(void);
void cogsync_curl_easy_cleanup(CURL *h);
void cogsync_curl_easy_reset(CURL *h);
const char *cogsync_curl_easy_strerror(CURLcode code);
CURLM *cogsync_curl_multi_init(void);
CURLMcode cogsync_curl_multi_cleanup(CURLM *m);
CURLMcode cogsync_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode cogsync_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMcode cogsync_curl_multi_socket_action(CURLM *m, curl_socket_t s, int events, int *running);
CURLMcode cogsync_curl_multi_assign(CURLM *m, curl_socket_t s, void *socketp);
struct curl_slist *cogsync_curl_slist_append(struct curl_slist *list, const char *text);
void cogsync_curl_slist_free_all(struct curl_slist *list);

CURLcode cogsync_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode cogsync_curl_setopt_ptr(CURL *h, CURLoption o, void *v);
CURLcode cogsync_curl_setopt_str(CURL *h, CURLoption o, const char *v);
CURLcode cogsync_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
typedef size_t (*cogsync_curl_data_fn)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode cogsync_curl_setopt_write(CURL *h, cogsync_curl_data_fn fn, void *userdata);
CURLcode cogsync_curl_setopt_header(CURL *h, cogsync_curl_data_fn fn, void *userdata);
/// Installs the pre-request callback (run just before each request goes out on a connection).
CURLcode cogsync_curl_setopt_prereq(CURL *h, curl_prereq_callback fn, void *userdata);
CURLcode cogsync_curl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode cogsync_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v);
CURLMcode cogsync_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v);
CURLMcode cogsync_curl_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v);
/// Reads the next completed transfer: returns 1 and fills handle/result, or 0 when none is left.
int cogsync_curl_multi_next_done(CURLM *m, CURL **handle, CURLcode *result);

/// Resolves a redirect's `Location` against the URL that answered it, as curl does when it follows one itself
/// (relative references resolved, spaces and unsafe bytes encoded) into `*resolved`, freed with
/// `cogsync_curl_free`; or says why it is not a URL.
CURLUcode cogsync_curl_redirect_url(const char *from, const char *location, char **resolved);
/// curl's text for a URL API result.
const char *cogsync_curl_url_strerror(CURLUcode code);
/// 1 when two absolute URLs share scheme, host (case-insensitively) and port: the test curl applies before sending
/// a custom `Authorization` header to a redirect's target.
int cogsync_curl_same_origin(const char *a, const char *b);
void cogsync_curl_free(void *p);

/// Drives a multi handle through curl's socket interface: curl names the sockets and the one timer it needs, an
/// epoll set watches them, and only the transfers whose socket is ready or whose time is up run. One owner thread
/// runs it; `cogsync_curl_events_wakeup` may be called from any thread.
typedef struct cogsync_curl_events cogsync_curl_events;
/// Attaches to `m` (its socket and timer callbacks); NULL when the epoll set or wake-up descriptor cannot be made.
cogsync_curl_events *cogsync_curl_events_new(CURLM *m);
/// Releases the descriptors; call after `curl_multi_cleanup`, which may still report sockets.
void cogsync_curl_events_free(cogsync_curl_events *ev);
/// Runs the transfers whose timer is due (a transfer just added is due at once), without waiting.
void cogsync_curl_events_run_due(cogsync_curl_events *ev);
/// Waits at most `timeout_ms` (less when curl's timer falls due sooner) for socket activity or a wake-up, then runs
/// the transfers that became ready and those whose timer is due.
void cogsync_curl_events_wait(cogsync_curl_events *ev, int timeout_ms);
/// Ends a wait on the owner's thread; safe from any thread.
void cogsync_curl_events_wakeup(cogsync_curl_events *ev);

#endif
