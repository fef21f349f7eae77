// CTimerFD: Linux's timerfd API, which Swift's Glibc module does not export. Header only:
// the daemon sleeps on a CLOCK_REALTIME timerfd (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET),
// which fires on time after a suspend and reports wall-clock jumps.
#ifndef FUQ_CTIMERFD_H
#define FUQ_CTIMERFD_H
#include <sys/timerfd.h>
#endif
