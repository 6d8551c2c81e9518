#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H

// Typed wrappers for curl's variadic calls (curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt), which
// Swift cannot call, and for reading the multi handle's messages.

#include <curl/curl.h>

static inline const char *cogsync_curl_version(void) { return curl_version_info(CURLVERSION_NOW)->version; }
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
