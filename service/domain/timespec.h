/*
 * timespec.h — arithmetic on struct timespec, for the deadlines of waits
 * (pthread_cond_timedwait takes an instant, not a duration).  Pure: the
 * caller reads the clock.
 */
#ifndef THIDUA_DOMAIN_TIMESPEC_H
#define THIDUA_DOMAIN_TIMESPEC_H

#include <stdint.h>
#include <time.h>

/* t plus ms milliseconds, normalised (0 <= tv_nsec < 1e9). */
struct timespec timespec_plus_ms(struct timespec t, unsigned ms);
/* later - earlier in milliseconds, truncated toward zero; negative when
 * "later" is the earlier one. */
int64_t timespec_diff_ms(const struct timespec *later, const struct timespec *earlier);

#endif
