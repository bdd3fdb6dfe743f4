/*
 * registry.c — the tables of answers.def and their look-ups.
 *
 * Look-ups are linear: the tables hold a few hundred rows and are read on
 * the way out of a failed request only.
 */
#include "answers/registry.h"

#include <assert.h>
#include <string.h>

#include "answers/lang.h"

const struct problem_type problem_types[P_COUNT] = {
#define PROBLEM(id, slug, status, title) [P_##id] = { slug, status, title },
#define MESSAGE(code, problem, template)
#define MESSAGE_OF(code, problem, member, template)
#define CONSTRAINT(name, code, pointer)
#include "answers/answers.def"
#undef PROBLEM
#undef MESSAGE
#undef MESSAGE_OF
#undef CONSTRAINT
};

const struct message messages[] = {
#define PROBLEM(id, slug, status, title)
#define MESSAGE(code, problem, template) { code, P_##problem, template, NULL },
#define MESSAGE_OF(code, problem, member, template) { code, P_##problem, template, member },
#define CONSTRAINT(name, code, pointer)
#include "answers/answers.def"
#undef PROBLEM
#undef MESSAGE
#undef MESSAGE_OF
#undef CONSTRAINT
};
const size_t messages_count = sizeof messages / sizeof messages[0];

const struct constraint_answer constraint_answers[] = {
#define PROBLEM(id, slug, status, title)
#define MESSAGE(code, problem, template)
#define MESSAGE_OF(code, problem, member, template)
#define CONSTRAINT(name, code, pointer) { name, code, pointer },
#include "answers/answers.def"
#undef PROBLEM
#undef MESSAGE
#undef MESSAGE_OF
#undef CONSTRAINT
};
const size_t constraint_answers_count = sizeof constraint_answers / sizeof constraint_answers[0];

const struct problem_type *problem_type_of(enum problem_id id)
{
	assert((unsigned)id < P_COUNT);
	return &problem_types[(unsigned)id < P_COUNT ? id : P_INTERNAL];
}

const struct message *message_find(const char *code)
{
	for (size_t i = 0; code && i < messages_count; i++)
		if (strcmp(messages[i].code, code) == 0)
			return &messages[i];
	return NULL;
}

const struct problem_type *problem_type_find(const char *slug)
{
	for (size_t i = 0; slug && i < P_COUNT; i++)
		if (strcmp(problem_types[i].slug, slug) == 0)
			return &problem_types[i];
	return NULL;
}

const struct constraint_answer *constraint_find(const char *name)
{
	for (size_t i = 0; name && i < constraint_answers_count; i++)
		if (strcmp(constraint_answers[i].name, name) == 0)
			return &constraint_answers[i];
	return NULL;
}
