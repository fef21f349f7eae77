// CLinux: the Linux and glibc calls the daemon needs that Swift's Glibc module does not export.
// - timerfd: the daemon sleeps on a CLOCK_REALTIME timerfd (TFD_TIMER_ABSTIME |
//   TFD_TIMER_CANCEL_ON_SET), which fires on time after a suspend and reports wall-clock jumps;
// - O_TMPFILE, for the status table's unnamed spool file;
// - malloc_trim: before a long wait the daemon hands back the heap's free pages (IdleMemory).
#ifndef FUQ_CLINUX_H
#define FUQ_CLINUX_H
#include <stddef.h>
#include <fcntl.h>
#include <sys/timerfd.h>
#include <malloc.h>

/// open(2)'s O_TMPFILE (an unnamed file in a folder), a macro Swift cannot import: the status
/// table's spool (RecordSpool).
static const int fuq_O_TMPFILE = __O_TMPFILE;  // glibc: 020000000 | O_DIRECTORY

#endif
