/*
 * openapi.h — the contract as JSON, from the YAML we write it in.
 *
 * api-spec/openapi.yaml is the document people edit; /openapi.json serves
 * the same document converted once at start with libyaml, using the YAML 1.2
 * core schema for plain scalars (so `200` is a number and `'200'` a string),
 * which is what OpenAPI tools assume.
 */
#ifndef THIDUA_HTTP_OPENAPI_H
#define THIDUA_HTTP_OPENAPI_H

#include <jansson.h>
#include <stddef.h>

/* Converts a YAML document to JSON; new reference, or NULL with err set. */
json_t *yaml_to_json_new(const char *yaml, size_t len, char *err, size_t errlen);

#endif
