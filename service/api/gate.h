/*
 * gate.h — at most a few writers per organisation into its audit chain.
 *
 * Every write of an organisation appends to its hash chain, whose head row
 * is locked until the transaction commits, WAL flush included: writers of
 * one organisation commit one at a time however many wait.  Waiting inside
 * PostgreSQL costs lock-manager work and wakes waiters in no useful order;
 * measured with pgbench, eight concurrent writers of one organisation
 * commit fewer submissions per second than two.  So bursty writers
 * (machine submissions) queue here instead: first come, first served, at
 * most GATE_WRITERS per organisation stripe at once.
 */
#ifndef THIDUA_API_GATE_H
#define THIDUA_API_GATE_H

#include <stdint.h>

#define GATE_WRITERS 2
#define GATE_STRIPES 64

/* Waits for a turn among the writers of org's stripe. */
void gate_enter(int64_t org);
void gate_leave(int64_t org);

#endif
