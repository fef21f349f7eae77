// CLinux: the Linux and glibc calls the daemon needs that Swift's Glibc module does not export.
// - timerfd: the daemon sleeps on a CLOCK_REALTIME timerfd (TFD_TIMER_ABSTIME |
//   TFD_TIMER_CANCEL_ON_SET), which fires on time after a suspend and reports wall-clock jumps;
// - O_TMPFILE, for the status table's unnamed spool file;
// - malloc_trim, and fuq_release_read_only_segments (CLinux.c): before a long wait the daemon
//   hands back the heap's free pages and the pages of its code (IdleMemory).
#ifndef FUQ_CLINUX_H
#define FUQ_CLINUX_H
#include <stddef.h>
#include <fcntl.h>
#include <sys/timerfd.h>
#include <malloc.h>

/// open(2)'s O_TMPFILE (an unnamed file in a folder), a macro Swift cannot import: the status
/// table's spool (RecordSpool).
static const int fuq_O_TMPFILE = __O_TMPFILE;  // glibc: 020000000 | O_DIRECTORY

/// Unmaps from this process (madvise MADV_DONTNEED) the resident pages of every loaded ELF
/// object's read-only PT_LOAD segments: code and constant data, which are clean copies of the
/// file and come back from the page cache when touched. Left alone: writable segments, the
/// RELRO range, objects with text relocations (their code was patched in memory) and the vDSO.
/// Runs under the dynamic loader's lock, so no object is unloaded (and its range reused) meanwhile.
/// Returns the bytes of the ranges it unmapped (not only the resident ones).
size_t fuq_release_read_only_segments(void);
#endif
