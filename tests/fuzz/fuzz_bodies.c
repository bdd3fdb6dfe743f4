/*
 * fuzz_bodies.c — libFuzzer target for the validation of JSON bodies: the
 * input is parsed as the dispatcher parses it and, when it is an object,
 * validated as a new plan and as a patch (nested targets, params, text
 * arrays, two-decimal numbers).  Invariant: a body is either accepted or
 * answered with a problem that has at least one pointer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/plan_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(body)) {
		json_decref(body);
		return 0;
	}
	for (int partial = 0; partial < 2; partial++) {
		struct problem *p = plan_body_problem(body, partial);
		if (p && json_array_size(p->errors) == 0)
			abort();
		if (p)
			problem_free(p);
	}
	json_decref(body);
	return 0;
}
