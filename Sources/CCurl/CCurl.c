#include "CCurl.h"

CURLcode fuq_curl_setopt_long(CURL *curl, CURLoption option, long value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_string(CURL *curl, CURLoption option, const char *value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_pointer(CURL *curl, CURLoption option, void *value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_slist(CURL *curl, CURLoption option, struct curl_slist *value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_io_callback(CURL *curl, CURLoption option, fuq_curl_io_callback value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_debug_callback(CURL *curl, CURLoption option, fuq_curl_debug_callback value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_sockopt_callback(CURL *curl, CURLoption option, curl_sockopt_callback value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_closesocket_callback(CURL *curl, CURLoption option, curl_closesocket_callback value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_setopt_opensocket_callback(CURL *curl, CURLoption option, curl_opensocket_callback value) { return curl_easy_setopt(curl, option, value); }
CURLcode fuq_curl_getinfo_long(CURL *curl, CURLINFO info, long *value) { return curl_easy_getinfo(curl, info, value); }
CURLcode fuq_curl_getinfo_double(CURL *curl, CURLINFO info, double *value) { return curl_easy_getinfo(curl, info, value); }
CURLcode fuq_curl_getinfo_string(CURL *curl, CURLINFO info, char **value) { return curl_easy_getinfo(curl, info, value); }
CURLcode fuq_curl_getinfo_off_t(CURL *curl, CURLINFO info, curl_off_t *value) { return curl_easy_getinfo(curl, info, value); }
