/* Unit tests: the gate of heavy requests admits N at once, in the order
 * they came, and turns away a caller whose turn does not come in time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "http/gate.h"

static void pause_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

static unsigned waiting_now(void)
{
	struct gate_stats s;
	gate_stats(&s);
	return s.waiting;
}

/* Waits (up to 5 s) until n callers are queued. */
static void until_waiting(unsigned n)
{
	for (int i = 0; i < 5000 && waiting_now() != n; i++)
		pause_ms(1);
	assert_int_equal(waiting_now(), n);
}

/* The order callers got in: each writes its number on entering. */
static int order[16];
static atomic_int n_order;

struct caller {
	int number;
	bool admitted;
	pthread_t thread;
};

static void *enter_and_leave(void *arg)
{
	struct caller *c = arg;
	c->admitted = gate_enter();
	if (c->admitted) {
		order[atomic_fetch_add(&n_order, 1)] = c->number;
		gate_leave();
	}
	return NULL;
}

static void start(struct caller *c, int number)
{
	*c = (struct caller){ .number = number };
	assert_int_equal(pthread_create(&c->thread, NULL, enter_and_leave, c), 0);
}

static void test_slots_then_queue(void **state)
{
	(void)state;
	assert_true(gate_init(2, 5000));
	assert_true(gate_enter());
	assert_true(gate_enter());
	struct gate_stats s;
	gate_stats(&s);
	assert_int_equal(s.slots, 2);
	assert_int_equal(s.busy, 2);
	atomic_store(&n_order, 0);
	struct caller third;
	start(&third, 3);
	until_waiting(1);
	assert_int_equal(atomic_load(&n_order), 0); /* both slots held: it waits */
	gate_leave();
	pthread_join(third.thread, NULL);
	assert_true(third.admitted);
	gate_leave();
	gate_stats(&s);
	assert_int_equal(s.busy, 0);
	assert_int_equal(s.admitted, 3);
	assert_int_equal(s.refused, 0);
	gate_free();
}

/* Eight callers queued one after the other behind a held slot get in in
 * that order: a shared condition variable would wake them in any order. */
static void test_first_come_first_served(void **state)
{
	(void)state;
	assert_true(gate_init(1, 5000));
	assert_true(gate_enter());
	atomic_store(&n_order, 0);
	struct caller c[8];
	for (int i = 0; i < 8; i++) {
		start(&c[i], i + 1);
		until_waiting((unsigned)i + 1);
	}
	gate_leave();
	for (int i = 0; i < 8; i++)
		pthread_join(c[i].thread, NULL);
	assert_int_equal(atomic_load(&n_order), 8);
	for (int i = 0; i < 8; i++) {
		assert_true(c[i].admitted);
		assert_int_equal(order[i], i + 1);
	}
	gate_free();
}

/* A caller whose turn does not come in time gives up and leaves the queue;
 * the one behind it still gets in when a slot frees. */
static void test_turned_away_in_time(void **state)
{
	(void)state;
	assert_true(gate_init(1, 400));
	assert_true(gate_enter());
	atomic_store(&n_order, 0);
	struct caller early;
	start(&early, 1);
	until_waiting(1);
	pause_ms(300);
	struct caller late;
	start(&late, 2);
	until_waiting(2);
	pthread_join(early.thread, NULL); /* its 400 ms are up 300 ms before late's */
	assert_false(early.admitted);
	assert_int_equal(waiting_now(), 1);
	gate_leave();
	pthread_join(late.thread, NULL);
	assert_true(late.admitted);
	assert_int_equal(order[0], 2);
	struct gate_stats s;
	gate_stats(&s);
	assert_int_equal(s.refused, 1);
	assert_int_equal(s.busy, 0);
	assert_int_equal(s.waiting, 0);
	gate_free();
}

/* Without gate_init (a tool, another unit test) every caller gets in. */
static void test_no_gate_admits(void **state)
{
	(void)state;
	assert_true(gate_enter());
	gate_leave();
}

/* One slot per CPU the process may use: a cgroup quota caps the CPUs seen. */
static void test_default_slots(void **state)
{
	(void)state;
	assert_int_equal(gate_default_slots(NULL, 8), 8);
	assert_int_equal(gate_default_slots("max 100000\n", 8), 8);
	assert_int_equal(gate_default_slots("200000 100000\n", 64), 2);
	assert_int_equal(gate_default_slots("150000 100000\n", 64), 2);
	assert_int_equal(gate_default_slots("50000 100000\n", 64), 1);
	assert_int_equal(gate_default_slots("800000 100000\n", 4), 4);
	assert_int_equal(gate_default_slots("garbage", 3), 3);
	assert_int_equal(gate_default_slots(NULL, -1), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_gate_admits),
		cmocka_unit_test(test_default_slots),
		cmocka_unit_test(test_slots_then_queue),
		cmocka_unit_test(test_first_come_first_served),
		cmocka_unit_test(test_turned_away_in_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
