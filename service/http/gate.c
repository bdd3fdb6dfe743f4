/*
 * gate.c — FIFO admission of heavy requests (see gate.h).
 *
 * Waiters queue in arrival order, each on its own condition variable: the
 * one leaving hands its slot to the head of the queue.  One shared
 * condition variable would wake waiters in no particular order and bring
 * the lottery back.  A waiter that times out takes itself out of the
 * queue; if a slot was handed to it meanwhile (the flag is set under the
 * lock), it keeps it.
 */
#include "http/gate.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "domain/timespec.h"

struct waiter {
	struct waiter *prev, *next;
	pthread_cond_t *wake;
	bool queued; /* in the queue: unlinked when admitted or gone */
	bool admitted;
};

static struct {
	pthread_mutex_t lock;
	pthread_condattr_t clock; /* CLOCK_MONOTONIC: deadlines ignore the wall clock */
	struct waiter *head, *tail;
	unsigned slots, busy, waiting;
	unsigned wait_ms;
	uint64_t admitted, refused;
	bool ready;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

unsigned gate_default_slots(const char *cpu_max, long online)
{
	unsigned n = online > 0 ? (unsigned)online : 1;
	if (!cpu_max)
		return n;
	/* a container limited to 2 CPUs on a 64-CPU host sees 64 online */
	char *end;
	errno = 0;
	long long quota = strtoll(cpu_max, &end, 10);
	if (errno || end == cpu_max || *end != ' ' || quota <= 0)
		return n; /* "max": no quota */
	const char *rest = end + 1;
	long long period = strtoll(rest, &end, 10);
	if (errno || end == rest || period <= 0)
		return n;
	long long cpus = (quota + period - 1) / period;
	return cpus < (long long)n ? (unsigned)cpus : n;
}

/* The text of the cgroup (v2) cpu.max of this process, or NULL. */
static char *read_cpu_max(char *buf, size_t size)
{
	FILE *f = fopen("/sys/fs/cgroup/cpu.max", "r");
	if (!f)
		return NULL;
	char *line = fgets(buf, (int)size, f);
	fclose(f);
	return line;
}

bool gate_init(unsigned slots, unsigned wait_ms)
{
	if (!slots) {
		char buf[64];
		slots = gate_default_slots(read_cpu_max(buf, sizeof buf),
					   sysconf(_SC_NPROCESSORS_ONLN));
	}
	if (pthread_condattr_init(&g.clock) != 0)
		return false;
	if (pthread_condattr_setclock(&g.clock, CLOCK_MONOTONIC) != 0) {
		pthread_condattr_destroy(&g.clock);
		return false;
	}
	g.slots = slots;
	g.wait_ms = wait_ms;
	g.busy = g.waiting = 0;
	g.admitted = g.refused = 0;
	g.head = g.tail = NULL;
	g.ready = true;
	return true;
}

void gate_free(void)
{
	if (g.ready)
		pthread_condattr_destroy(&g.clock);
	g.ready = false;
}

static struct timespec deadline_in(unsigned ms)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return timespec_plus_ms(now, ms);
}

static void unlink_waiter(struct waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		g.head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		g.tail = w->prev;
	w->prev = w->next = NULL;
	w->queued = false;
	g.waiting--;
}

/* Hands free slots to the queue's head, in order.  Under the lock. */
static void admit_waiters(void)
{
	while (g.busy < g.slots && g.head) {
		struct waiter *w = g.head;
		unlink_waiter(w);
		w->admitted = true;
		g.busy++;
		g.admitted++;
		pthread_cond_signal(w->wake);
	}
}

/* Queues the caller and waits for a slot or the deadline.  Under the lock. */
static bool wait_turn(void)
{
	pthread_cond_t wake;
	if (pthread_cond_init(&wake, &g.clock) != 0) {
		g.refused++;
		return false;
	}
	struct waiter w = { .prev = g.tail, .wake = &wake, .queued = true };
	if (g.tail)
		g.tail->next = &w;
	else
		g.head = &w;
	g.tail = &w;
	g.waiting++;
	struct timespec until = deadline_in(g.wait_ms);
	int rc = 0;
	while (!w.admitted && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&wake, &g.lock, &until);
	if (w.queued) /* timed out: its turn never came */
		unlink_waiter(&w);
	if (!w.admitted)
		g.refused++;
	pthread_cond_destroy(&wake);
	return w.admitted;
}

bool gate_enter(void)
{
	if (!g.ready)
		return true; /* no gate set up (a tool, a unit test): admit */
	pthread_mutex_lock(&g.lock);
	bool in;
	if (g.busy < g.slots && !g.head) {
		g.busy++;
		g.admitted++;
		in = true;
	} else {
		in = wait_turn();
	}
	pthread_mutex_unlock(&g.lock);
	return in;
}

void gate_leave(void)
{
	if (!g.ready)
		return;
	pthread_mutex_lock(&g.lock);
	g.busy--;
	admit_waiters();
	pthread_mutex_unlock(&g.lock);
}

void gate_stats(struct gate_stats *out)
{
	pthread_mutex_lock(&g.lock);
	*out = (struct gate_stats){ g.slots, g.busy, g.waiting, g.admitted, g.refused };
	pthread_mutex_unlock(&g.lock);
}
