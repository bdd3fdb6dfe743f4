/* Unit tests: the gate runs heavy jobs on N threads of its own, in the
 * order they came, and answers at its deadline a job that waited too long. */
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

static struct gate_stats stats_now(void)
{
	struct gate_stats s;
	gate_stats(&s);
	return s;
}

/* A job that records when it ran and, while `hold` is set, keeps its thread. */
struct job {
	struct gate_job g;
	int number;
	atomic_bool ran, in_time, hold;
};

static int order[32];
static atomic_int n_order;

static void run_job(struct gate_job *g, bool in_time)
{
	struct job *j = (struct job *)g;
	atomic_store(&j->in_time, in_time);
	if (in_time)
		order[atomic_fetch_add(&n_order, 1)] = j->number;
	while (atomic_load(&j->hold))
		pause_ms(1);
	atomic_store(&j->ran, true);
}

static void submit(struct job *j, int number, bool hold)
{
	*j = (struct job){ .g.run = run_job, .number = number };
	atomic_store(&j->hold, hold);
	gate_submit(&j->g);
}

/* Waits (up to 5 s) until cond holds. */
#define UNTIL(cond)                                          \
	do {                                                 \
		for (int i_ = 0; i_ < 5000 && !(cond); i_++) \
			pause_ms(1);                         \
		assert_true(cond);                           \
	} while (0)

static void test_threads_then_queue(void **state)
{
	(void)state;
	atomic_store(&n_order, 0);
	assert_true(gate_init(2, 5000));
	assert_true(gate_running());
	assert_int_equal(stats_now().slots, 2);
	struct job a, b, c;
	submit(&a, 1, true);
	submit(&b, 2, true);
	UNTIL(stats_now().busy == 2);
	submit(&c, 3, false);
	UNTIL(stats_now().waiting == 1);
	assert_false(atomic_load(&c.ran)); /* both threads held: it waits */
	atomic_store(&a.hold, false);
	UNTIL(atomic_load(&c.ran));
	assert_true(atomic_load(&c.in_time));
	atomic_store(&b.hold, false);
	UNTIL(atomic_load(&b.ran));
	gate_free();
	assert_false(gate_running());
	struct gate_stats s = stats_now();
	assert_int_equal(s.admitted, 3);
	assert_int_equal(s.refused, 0);
	assert_int_equal(s.busy, 0);
	assert_int_equal(s.waiting, 0);
}

/* Eight jobs queued behind a held thread run in the order they came. */
static void test_first_come_first_served(void **state)
{
	(void)state;
	atomic_store(&n_order, 0);
	assert_true(gate_init(1, 5000));
	struct job first, j[8];
	submit(&first, 0, true);
	UNTIL(stats_now().busy == 1);
	for (int i = 0; i < 8; i++)
		submit(&j[i], i + 1, false);
	atomic_store(&first.hold, false);
	UNTIL(atomic_load(&j[7].ran));
	assert_int_equal(atomic_load(&n_order), 9);
	for (int i = 0; i <= 8; i++)
		assert_int_equal(order[i], i);
	gate_free();
}

/* A job that waits past the limit is run at once with in_time false by
 * the sweep, not when a thread frees up; the job behind it, younger, still
 * runs in time. */
static void test_answered_at_its_deadline(void **state)
{
	(void)state;
	atomic_store(&n_order, 0);
	assert_true(gate_init(1, 300));
	struct job busy, old, young;
	submit(&busy, 0, true);
	UNTIL(stats_now().busy == 1);
	submit(&old, 1, false);
	pause_ms(200);
	submit(&young, 2, false);
	gate_sweep(); /* nobody is late yet */
	assert_false(atomic_load(&old.ran));
	pause_ms(150); /* old has waited 350 ms, young 150 */
	gate_sweep();
	assert_true(atomic_load(&old.ran));
	assert_false(atomic_load(&old.in_time));
	assert_false(atomic_load(&young.ran));
	atomic_store(&busy.hold, false);
	UNTIL(atomic_load(&young.ran));
	assert_true(atomic_load(&young.in_time));
	struct gate_stats s = stats_now();
	assert_int_equal(s.refused, 1);
	assert_int_equal(s.admitted, 2);
	gate_free();
	gate_free(); /* twice: harmless */
}

/* One thread per CPU the process may use: a cgroup quota caps the CPUs seen. */
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
		cmocka_unit_test(test_default_slots),
		cmocka_unit_test(test_threads_then_queue),
		cmocka_unit_test(test_first_come_first_served),
		cmocka_unit_test(test_answered_at_its_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
