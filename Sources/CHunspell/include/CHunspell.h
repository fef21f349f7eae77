// CHunspell: libhunspell's C API (Debian libhunspell-dev), for fuq's spelling check.
// Nothing is wrapped: the calls fuq uses are not variadic.
#ifndef FUQ_CHUNSPELL_H
#define FUQ_CHUNSPELL_H

#include <hunspell/hunspell.h>

#endif
