/*
 * gate.h — at most N heavy requests computed at once, admitted in the
 * order they came.
 *
 * A checked list judges a thousand people and writes half a megabyte; the
 * database and the service share a few cores with it.  Left alone, eight
 * such requests time-slice the cores and each one's latency becomes a
 * lottery (measured: p50 23 ms, p99 101 ms at 8 connections on 2 cores).
 * Admitted first come, first served, N at a time, the same work finishes
 * in the same mean time with a short tail, the rest of the service keeps
 * cores for its small requests, and the memory of the heavy answers in
 * flight is bounded by N.  A caller that waits longer than the gate's
 * limit is turned away (the API answers 503 with Retry-After) instead of
 * piling up.
 */
#ifndef THIDUA_HTTP_GATE_H
#define THIDUA_HTTP_GATE_H

#include <stdbool.h>
#include <stdint.h>

/* The default number of slots: the CPUs this process may use — the
 * online CPUs, or fewer when the cgroup's cpu.max (its text, NULL when
 * there is none) sets a quota: "200000 100000" is two CPUs, "150000
 * 100000" rounds up to two, "max 100000" sets none.  At least 1. */
unsigned gate_default_slots(const char *cpu_max, long online);

/* slots: computations at once (0: gate_default_slots of this process);
 * wait_ms: the longest a caller waits for its turn.  False on failure. */
bool gate_init(unsigned slots, unsigned wait_ms);
void gate_free(void);

/* Waits for the caller's turn: true when admitted (then gate_leave once
 * done), false when the wait exceeded the limit (nothing to leave). */
bool gate_enter(void);
void gate_leave(void);

/* The slots in use now, the callers waiting, and those turned away so far
 * (for /metrics). */
struct gate_stats {
	unsigned slots, busy, waiting;
	uint64_t admitted, refused;
};
void gate_stats(struct gate_stats *out);

#endif
