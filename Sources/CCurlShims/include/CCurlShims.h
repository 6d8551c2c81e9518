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
CURLMcode cogsync_curl_multi_perform(CURLM *m, int *running);
/// Waits for activity on the multi handle's sockets or a wake-up, at most `timeout_ms`.
CURLMcode cogsync_curl_multi_poll(CURLM *m, int timeout_ms, int *ready);
/// Wakes a poll on another thread; safe to call from any thread.
CURLMcode cogsync_curl_multi_wakeup(CURLM *m);
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
CURLMcode cogsync_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v);
/// Reads the next completed transfer: returns 1 and fills handle/result, or 0 when none is left.
int cogsync_curl_multi_next_done(CURLM *m, CURL **handle, CURLcode *result);

#endif
