// CICal: libical 3 (Debian libical-dev), for `fuq new` (drafting an interview file from a
// calendar invitation). Reading needs no variadic call; the one helper sets libical's errors
// non-fatal, so malformed input can never abort fuq.
#ifndef FUQ_CICAL_H
#define FUQ_CICAL_H

#include <libical/ical.h>

/// Errors in the input are reported, never fatal (libical may otherwise abort()).
void fuq_ical_setup(void);

#endif
