/*
 * openapi.c — YAML → JSON with libyaml's document loader (see openapi.h).
 *
 * Anchors and aliases are resolved by libyaml; recursion is bounded so a
 * malformed document cannot exhaust the stack.
 */
#include "http/openapi.h"

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

static bool matches(const char *pattern, const char *s)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* YAML 1.2 core schema resolution of a plain scalar. */
static json_t *plain_scalar_new(const char *s)
{
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	    !strcmp(s, "NULL"))
		return json_null();
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_true();
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_false();
	if (matches("^[-+]?[0-9]+$", s))
		return json_integer(strtoll(s, NULL, 10));
	if (matches("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", s))
		return json_real(strtod(s, NULL));
	return json_string(s);
}

static json_t *node_new(yaml_document_t *doc, yaml_node_t *node, int depth)
{
	if (!node || depth > MAX_DEPTH)
		return NULL;
	switch (node->type) {
	case YAML_SCALAR_NODE: {
		const char *v = (const char *)node->data.scalar.value;
		/* libyaml tags untagged plain scalars !!str too, so style decides */
		return node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
			       ? plain_scalar_new(v)
			       : json_stringn(v, node->data.scalar.length);
	}
	case YAML_SEQUENCE_NODE: {
		json_t *arr = json_array();
		for (yaml_node_item_t *it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top; it++) {
			json_t *v = node_new(doc, yaml_document_get_node(doc, *it), depth + 1);
			if (!v || json_array_append_new(arr, v) != 0) {
				json_decref(arr);
				return NULL;
			}
		}
		return arr;
	}
	case YAML_MAPPING_NODE: {
		json_t *obj = json_object();
		for (yaml_node_pair_t *p = node->data.mapping.pairs.start;
		     p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			json_t *v = node_new(doc, yaml_document_get_node(doc, p->value), depth + 1);
			if (!k || k->type != YAML_SCALAR_NODE || !v ||
			    json_object_set_new(obj, (const char *)k->data.scalar.value, v) != 0) {
				json_decref(v);
				json_decref(obj);
				return NULL;
			}
		}
		return obj;
	}
	case YAML_NO_NODE:
		break;
	}
	return NULL;
}

json_t *yaml_to_json_new(const char *yaml, size_t len, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "cannot initialise the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "YAML error at line %zu: %s", parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "unknown");
		yaml_parser_delete(&parser);
		return NULL;
	}
	json_t *out = node_new(&doc, yaml_document_get_root_node(&doc), 0);
	if (!out)
		snprintf(err, errlen, "YAML document is empty, too deep, or has a non-scalar key");
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return out;
}
