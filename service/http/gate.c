/*
 * gate.c — the threads of heavy requests (see gate.h).
 *
 * One FIFO queue under a mutex; the threads wait on one condition variable
 * and always take the head, so the order is the queue's whatever thread
 * wakes.  A job's waiting time is checked when it is taken and by
 * gate_sweep, which runs the expired ones outside the lock.
 */
#include "http/gate.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "domain/timespec.h"

#define GATE_MAX_THREADS 64

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct gate_job *head, *tail;
	pthread_t threads[GATE_MAX_THREADS];
	unsigned slots, busy, waiting;
	unsigned wait_ms;
	uint64_t admitted, refused;
	_Atomic bool running; /* read by gate_running without the lock */
	bool stopping;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER };

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

static struct timespec monotonic_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

/* Whether a job queued at q is still in time at now. */
static bool in_time(struct timespec q, struct timespec now)
{
	struct timespec due = timespec_plus_ms(q, g.wait_ms);
	return now.tv_sec < due.tv_sec || (now.tv_sec == due.tv_sec && now.tv_nsec <= due.tv_nsec);
}

/* Takes the queue's head.  Under the lock. */
static struct gate_job *pop(void)
{
	struct gate_job *j = g.head;
	g.head = j->next;
	if (!g.head)
		g.tail = NULL;
	j->next = NULL;
	g.waiting--;
	return j;
}

static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g.lock);
	for (;;) {
		while (!g.head && !g.stopping)
			pthread_cond_wait(&g.work, &g.lock);
		if (!g.head)
			break; /* stopping, and nothing left */
		struct gate_job *j = pop();
		bool ok = in_time(j->queued, monotonic_now());
		if (ok) {
			g.busy++;
			g.admitted++;
		} else {
			g.refused++;
		}
		pthread_mutex_unlock(&g.lock);
		j->run(j, ok);
		pthread_mutex_lock(&g.lock);
		if (ok)
			g.busy--;
	}
	pthread_mutex_unlock(&g.lock);
	return NULL;
}

bool gate_init(unsigned slots, unsigned wait_ms)
{
	if (!slots) {
		char buf[64];
		slots = gate_default_slots(read_cpu_max(buf, sizeof buf),
					   sysconf(_SC_NPROCESSORS_ONLN));
	}
	if (slots > GATE_MAX_THREADS)
		slots = GATE_MAX_THREADS;
	pthread_mutex_lock(&g.lock);
	g.wait_ms = wait_ms;
	g.busy = g.waiting = 0;
	g.admitted = g.refused = 0;
	g.head = g.tail = NULL;
	g.stopping = false;
	g.slots = 0;
	pthread_mutex_unlock(&g.lock);
	for (unsigned i = 0; i < slots; i++) {
		if (pthread_create(&g.threads[i], NULL, worker_main, NULL) != 0) {
			gate_free();
			return false;
		}
		g.slots++;
	}
	g.running = true;
	return true;
}

bool gate_running(void)
{
	return atomic_load(&g.running);
}

void gate_submit(struct gate_job *job)
{
	job->next = NULL;
	job->queued = monotonic_now();
	pthread_mutex_lock(&g.lock);
	if (g.tail)
		g.tail->next = job;
	else
		g.head = job;
	g.tail = job;
	g.waiting++;
	pthread_cond_signal(&g.work);
	pthread_mutex_unlock(&g.lock);
}

void gate_sweep(void)
{
	struct timespec now = monotonic_now();
	for (;;) {
		/* the head waited longest: when it is in time, all are */
		pthread_mutex_lock(&g.lock);
		struct gate_job *j = g.head && !in_time(g.head->queued, now) ? pop() : NULL;
		if (j)
			g.refused++;
		pthread_mutex_unlock(&g.lock);
		if (!j)
			return;
		j->run(j, false);
	}
}

void gate_free(void)
{
	pthread_mutex_lock(&g.lock);
	g.stopping = true;
	pthread_cond_broadcast(&g.work);
	unsigned n = g.slots;
	pthread_mutex_unlock(&g.lock);
	for (unsigned i = 0; i < n; i++)
		pthread_join(g.threads[i], NULL);
	pthread_mutex_lock(&g.lock);
	g.slots = 0; /* a second call joins nothing */
	g.running = false;
	pthread_mutex_unlock(&g.lock);
}

void gate_stats(struct gate_stats *out)
{
	pthread_mutex_lock(&g.lock);
	*out = (struct gate_stats){ g.slots, g.busy, g.waiting, g.admitted, g.refused };
	pthread_mutex_unlock(&g.lock);
}
