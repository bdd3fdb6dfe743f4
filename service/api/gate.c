/*
 * gate.c — a FIFO gate per organisation stripe (see gate.h): a ticket lock
 * that lets GATE_WRITERS tickets through at once.
 */
#include "api/gate.h"

#include <pthread.h>

struct stripe {
	pthread_mutex_t lock;
	pthread_cond_t turn;
	uint64_t next; /* the next ticket to hand out */
	uint64_t done; /* tickets that have left */
};

static struct stripe stripes[GATE_STRIPES];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	for (int i = 0; i < GATE_STRIPES; i++) {
		pthread_mutex_init(&stripes[i].lock, NULL);
		pthread_cond_init(&stripes[i].turn, NULL);
	}
}

static struct stripe *stripe_of(int64_t org)
{
	pthread_once(&once, init);
	return &stripes[(uint64_t)org % GATE_STRIPES];
}

void gate_enter(int64_t org)
{
	struct stripe *s = stripe_of(org);
	pthread_mutex_lock(&s->lock);
	uint64_t ticket = s->next++;
	/* tickets leave in any order, but enter in order: at most
	 * GATE_WRITERS tickets past the ones that have left */
	while (ticket >= s->done + GATE_WRITERS)
		pthread_cond_wait(&s->turn, &s->lock);
	pthread_mutex_unlock(&s->lock);
}

void gate_leave(int64_t org)
{
	struct stripe *s = stripe_of(org);
	pthread_mutex_lock(&s->lock);
	s->done++;
	pthread_cond_broadcast(&s->turn);
	pthread_mutex_unlock(&s->lock);
}
