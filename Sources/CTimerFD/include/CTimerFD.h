// CTimerFD: the Linux and glibc calls the daemon needs that Swift's Glibc module does not
// export. Header only:
// - timerfd: the daemon sleeps on a CLOCK_REALTIME timerfd (TFD_TIMER_ABSTIME |
//   TFD_TIMER_CANCEL_ON_SET), which fires on time after a suspend and reports wall-clock jumps;
// - malloc_trim: before a long wait the daemon hands the heap's free pages back (IdleMemory).
#ifndef FUQ_CTIMERFD_H
#define FUQ_CTIMERFD_H
#include <sys/timerfd.h>
#include <sys/mman.h>
#include <malloc.h>
#endif
