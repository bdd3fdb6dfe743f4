/*
 * timespec.c — arithmetic on struct timespec (see timespec.h).
 */
#include "domain/timespec.h"

struct timespec timespec_plus_ms(struct timespec t, unsigned ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int64_t timespec_diff_ms(const struct timespec *later, const struct timespec *earlier)
{
	int64_t ns = ((int64_t)later->tv_sec - (int64_t)earlier->tv_sec) * 1000000000 +
		     (later->tv_nsec - earlier->tv_nsec);
	return ns / 1000000;
}
