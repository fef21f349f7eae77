// CCurl: the only C in fuq. libcurl's curl_easy_setopt/getinfo are variadic and cannot be
// called from Swift, so each argument kind gets one typed, one-line wrapper. Nothing else.
#ifndef FUQ_CCURL_H
#define FUQ_CCURL_H

#include <curl/curl.h>

typedef size_t (*fuq_curl_io_callback)(char *buffer, size_t size, size_t nitems, void *userdata);
typedef int (*fuq_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

CURLcode fuq_curl_setopt_long(CURL *curl, CURLoption option, long value);
CURLcode fuq_curl_setopt_string(CURL *curl, CURLoption option, const char *value);
CURLcode fuq_curl_setopt_pointer(CURL *curl, CURLoption option, void *value);
CURLcode fuq_curl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *value);
CURLcode fuq_curl_setopt_io_callback(CURL *curl, CURLoption option, fuq_curl_io_callback value);
CURLcode fuq_curl_setopt_debug_callback(CURL *curl, CURLoption option, fuq_curl_debug_callback value);
CURLcode fuq_curl_setopt_sockopt_callback(CURL *curl, CURLoption option, curl_sockopt_callback value);
CURLcode fuq_curl_setopt_closesocket_callback(CURL *curl, CURLoption option, curl_closesocket_callback value);
CURLcode fuq_curl_setopt_opensocket_callback(CURL *curl, CURLoption option, curl_opensocket_callback value);
CURLcode fuq_curl_getinfo_long(CURL *curl, CURLINFO info, long *value);
CURLcode fuq_curl_getinfo_double(CURL *curl, CURLINFO info, double *value);
CURLcode fuq_curl_getinfo_string(CURL *curl, CURLINFO info, char **value);
CURLcode fuq_curl_getinfo_off_t(CURL *curl, CURLINFO info, curl_off_t *value);

#endif
