#include "CCurlShims.h"

#include <CDynamicLibrary.h>
#include <pthread.h>
#include <strings.h>

/* libcurl is opened on first use instead of being linked: Debian's libcurl brings some forty libraries with it
   (TLS, Kerberos, LDAP, SSH, IDN, ...), and loading and relocating them took about half of every start-up, which a
   script that sends no request never needs. */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
    CURLMcode (*multi_assign)(CURLM *, curl_socket_t, void *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    curl_version_info_data *(*version_info)(CURLversion);
    CURLU *(*url)(void);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    const char *(*url_strerror)(CURLUcode);
    void (*free)(void *);
} api;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    static const struct cogsync_library libcurl = {"libcurl.so.4", "libcurl", "libcurl4"};
#define SYMBOL(field) {"curl_" #field, (void **)&api.field}
    const struct cogsync_symbol symbols[] = {
        SYMBOL(global_init),
        SYMBOL(easy_init),
        SYMBOL(easy_cleanup),
        SYMBOL(easy_reset),
        SYMBOL(easy_setopt),
        SYMBOL(easy_getinfo),
        SYMBOL(easy_strerror),
        SYMBOL(multi_init),
        SYMBOL(multi_cleanup),
        SYMBOL(multi_setopt),
        SYMBOL(multi_add_handle),
        SYMBOL(multi_remove_handle),
        SYMBOL(multi_socket_action),
        SYMBOL(multi_assign),
        SYMBOL(multi_info_read),
        SYMBOL(slist_append),
        SYMBOL(slist_free_all),
        SYMBOL(version_info),
        SYMBOL(url),
        SYMBOL(url_cleanup),
        SYMBOL(url_set),
        SYMBOL(url_get),
        SYMBOL(url_strerror),
        SYMBOL(free),
    };
#undef SYMBOL
    cogsync_library_load(&libcurl, symbols, sizeof symbols / sizeof *symbols);
    api.global_init(CURL_GLOBAL_DEFAULT);
}

/* Every entry point that can be the first to touch curl loads it; the others run only on handles made after. */
static void ensure_loaded(void) { pthread_once(&loaded, load); }

int cogsync_curl_loaded(void) { return api.easy_init != NULL; }

const char *cogsync_curl_version(void) {
    ensure_loaded();
    return api.version_info(CURLVERSION_NOW)->version;
}

CURL *cogsync_curl_easy_init(void) {
    ensure_loaded();
    return api.easy_init();
}

CURLM *cogsync_curl_multi_init(void) {
    ensure_loaded();
    return api.multi_init();
}

const char *cogsync_curl_easy_strerror(CURLcode code) {
    ensure_loaded();
    return api.easy_strerror(code);
}

void cogsync_curl_easy_cleanup(CURL *h) { api.easy_cleanup(h); }
void cogsync_curl_easy_reset(CURL *h) { api.easy_reset(h); }
CURLMcode cogsync_curl_multi_cleanup(CURLM *m) { return api.multi_cleanup(m); }
CURLMcode cogsync_curl_multi_add_handle(CURLM *m, CURL *h) { return api.multi_add_handle(m, h); }
CURLMcode cogsync_curl_multi_remove_handle(CURLM *m, CURL *h) { return api.multi_remove_handle(m, h); }
CURLMcode cogsync_curl_multi_socket_action(CURLM *m, curl_socket_t s, int events, int *running) {
    return api.multi_socket_action(m, s, events, running);
}
CURLMcode cogsync_curl_multi_assign(CURLM *m, curl_socket_t s, void *socketp) { return api.multi_assign(m, s, socketp); }
struct curl_slist *cogsync_curl_slist_append(struct curl_slist *list, const char *text) {
    ensure_loaded();
    return api.slist_append(list, text);
}
void cogsync_curl_slist_free_all(struct curl_slist *list) {
    if (list) api.slist_free_all(list);
}

CURLcode cogsync_curl_setopt_long(CURL *h, CURLoption o, long v) { return api.easy_setopt(h, o, v); }
CURLcode cogsync_curl_setopt_ptr(CURL *h, CURLoption o, void *v) { return api.easy_setopt(h, o, v); }
CURLcode cogsync_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return api.easy_setopt(h, o, v); }
CURLcode cogsync_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return api.easy_setopt(h, o, v); }

CURLcode cogsync_curl_setopt_write(CURL *h, cogsync_curl_data_fn fn, void *userdata) {
    CURLcode rc = api.easy_setopt(h, CURLOPT_WRITEFUNCTION, fn);
    return rc != CURLE_OK ? rc : api.easy_setopt(h, CURLOPT_WRITEDATA, userdata);
}

CURLcode cogsync_curl_setopt_header(CURL *h, cogsync_curl_data_fn fn, void *userdata) {
    CURLcode rc = api.easy_setopt(h, CURLOPT_HEADERFUNCTION, fn);
    return rc != CURLE_OK ? rc : api.easy_setopt(h, CURLOPT_HEADERDATA, userdata);
}

CURLcode cogsync_curl_setopt_prereq(CURL *h, curl_prereq_callback fn, void *userdata) {
    CURLcode rc = api.easy_setopt(h, CURLOPT_PREREQFUNCTION, fn);
    return rc != CURLE_OK ? rc : api.easy_setopt(h, CURLOPT_PREREQDATA, userdata);
}

CURLcode cogsync_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return api.easy_getinfo(h, i, v); }
CURLcode cogsync_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return api.easy_getinfo(h, i, v); }
CURLMcode cogsync_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return api.multi_setopt(m, o, v); }
CURLMcode cogsync_curl_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v) { return api.multi_setopt(m, o, v); }

int cogsync_curl_multi_next_done(CURLM *m, CURL **handle, CURLcode *result) {
    int left = 0;
    CURLMsg *msg;
    while ((msg = api.multi_info_read(m, &left)) != NULL) {
        if (msg->msg == CURLMSG_DONE) {
            *handle = msg->easy_handle;
            *result = msg->data.result;
            return 1;
        }
    }
    return 0;
}

CURLUcode cogsync_curl_redirect_url(const char *from, const char *location, char **resolved) {
    ensure_loaded();
    *resolved = NULL;
    CURLU *u = api.url();
    if (u == NULL) return CURLUE_OUT_OF_MEMORY;
    /* The flags curl itself follows a redirect with. */
    CURLUcode code = api.url_set(u, CURLUPART_URL, from, 0);
    if (code == CURLUE_OK) code = api.url_set(u, CURLUPART_URL, location, CURLU_URLENCODE | CURLU_ALLOW_SPACE);
    if (code == CURLUE_OK) code = api.url_get(u, CURLUPART_URL, resolved, 0);
    api.url_cleanup(u);
    return code;
}

const char *cogsync_curl_url_strerror(CURLUcode code) {
    ensure_loaded();
    return api.url_strerror(code);
}

/* Scheme, host and port (the scheme's default when none is given) of an absolute URL, each freed by the caller. */
static int origin_parts(const char *url, char **parts) {
    static const CURLUPart which[3] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
    for (int i = 0; i < 3; i++) parts[i] = NULL;
    CURLU *u = api.url();
    if (u == NULL) return 0;
    int ok = api.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK;
    for (int i = 0; i < 3; i++) {
        if (ok) ok = api.url_get(u, which[i], &parts[i], i == 2 ? CURLU_DEFAULT_PORT : 0) == CURLUE_OK;
    }
    api.url_cleanup(u);
    return ok;
}

int cogsync_curl_same_origin(const char *a, const char *b) {
    ensure_loaded();
    char *left[3], *right[3];
    int same = origin_parts(a, left) & origin_parts(b, right);
    for (int i = 0; i < 3; i++) {
        if (same) same = strcasecmp(left[i], right[i]) == 0;
        api.free(left[i]);
        api.free(right[i]);
    }
    return same;
}

void cogsync_curl_free(void *p) { api.free(p); }
