/*
 * plan_body.h — validation of a plan document (POST and PATCH /v1/plans).
 *
 * Separate from the handlers so the fuzzer can drive it without a
 * database: it reads only the parsed JSON.
 */
#ifndef THIDUA_API_PLAN_BODY_H
#define THIDUA_API_PLAN_BODY_H

#include <jansson.h>
#include <stdbool.h>

#include "http/problem.h"

/* NULL when body is a valid plan (partial: the fields a patch names), else
 * the 400 (unknown field) or 422 with a pointer per error; new. */
struct problem *plan_body_problem(const json_t *body, bool partial);

#endif
