/*
 * registry.h — the registry of answers (answers.def): problem types,
 * messages by code, and the constraints a write can break.
 *
 * The http layer builds every problem from a problem type here; the api
 * layer answers a procedure's refusal (a message code with arguments) and a
 * broken constraint through the same tables.  Pure data and look-ups.
 */
#ifndef THIDUA_ANSWERS_REGISTRY_H
#define THIDUA_ANSWERS_REGISTRY_H

#include <stddef.h>

enum problem_id {
#define PROBLEM(id, slug, status, title) P_##id,
#define MESSAGE(code, problem, template)
#define MESSAGE_OF(code, problem, member, template)
#define CONSTRAINT(name, code, pointer)
#include "answers/answers.def"
#undef PROBLEM
#undef MESSAGE
#undef MESSAGE_OF
#undef CONSTRAINT
	P_COUNT
};

struct problem_type {
	const char *slug; /* urn:thidua:problem:<slug> */
	int status;
	const char *title; /* English msgid */
};

struct message {
	const char *code;
	enum problem_id problem;
	const char *template; /* English msgid with {name} placeholders */
	const char *id_member; /* the member naming the object refused, or NULL */
};

struct constraint_answer {
	const char *name;
	const char *code; /* of its message */
	const char *pointer;
};

extern const struct problem_type problem_types[P_COUNT];
extern const struct message messages[];
extern const size_t messages_count;
extern const struct constraint_answer constraint_answers[];
extern const size_t constraint_answers_count;

const struct problem_type *problem_type_of(enum problem_id id);
/* NULL when the code, slug or constraint is not registered. */
const struct message *message_find(const char *code);
const struct problem_type *problem_type_find(const char *slug);
const struct constraint_answer *constraint_find(const char *name);

#endif
