/*
 * gate.h — heavy requests computed on a few threads of their own, in the
 * order they came.
 *
 * A checked list judges a thousand people and writes 620 KB.  Computed on
 * the libmicrohttpd worker that read it, it held that worker, and every
 * other connection the worker had accepted waited behind it: libmicrohttpd
 * accepts up to ten connections per wake-up, so eight clients of a pool of
 * eight sat 3-2-2-1-0-0-0-0 (read off /proc/PID/fdinfo of the workers'
 * epoll descriptors), and a list behind two others took three lists' time.
 * The HTTP layer now suspends such a connection and hands the request to
 * the gate: N threads (one per CPU the process may use) take the requests
 * first come, first served, and resume the connection with the answer.
 * The workers stay free for everything else, at most N heavy answers are
 * in memory and at most N database connections are held for them, and a
 * request that waited longer than the gate's limit is answered 503 with
 * Retry-After instead of piling up.
 */
#ifndef THIDUA_HTTP_GATE_H
#define THIDUA_HTTP_GATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A request handed to the gate.  run is called once, on a gate thread:
 * in_time false when the job waited longer than the limit (then it must
 * only answer that it could not be served).  The job must stay valid until
 * run returns. */
struct gate_job {
	struct gate_job *next;
	void (*run)(struct gate_job *job, bool in_time);
	struct timespec queued; /* CLOCK_MONOTONIC, set by gate_submit */
};

/* The default number of threads: the CPUs this process may use — the
 * online CPUs, or fewer when the cgroup's cpu.max (its text, NULL when
 * there is none) sets a quota: "200000 100000" is two CPUs, "150000
 * 100000" rounds up to two, "max 100000" sets none.  At least 1. */
unsigned gate_default_slots(const char *cpu_max, long online);

/* Starts slots threads (0: gate_default_slots of this process); wait_ms:
 * the longest a job waits for a thread.  False on failure. */
bool gate_init(unsigned slots, unsigned wait_ms);
/* True between gate_init and gate_free. */
bool gate_running(void);
/* Queues job (the gate must be running). */
void gate_submit(struct gate_job *job);
/* Runs, with in_time false, the jobs that have waited longer than the
 * limit — so that they are answered at their deadline, not when a thread
 * frees up (the server's reaper calls it). */
void gate_sweep(void);
/* Lets the threads finish what is queued, then stops them. */
void gate_free(void);

/* Threads, the jobs running and waiting now, and the jobs run in time and
 * too late so far (for /metrics). */
struct gate_stats {
	unsigned slots, busy, waiting;
	uint64_t admitted, refused;
};
void gate_stats(struct gate_stats *out);

#endif
