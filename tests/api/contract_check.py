"""Every answer of the service checked against the contract (issue 14 §4):
the route and its status documented, the Content-Type one the document
lists, and a JSON body valid against the documented schema — by
jsonschema (Draft 2020-12), a validator that owes nothing to the service.

Test classes check when THIDUA_VALIDATE_RESPONSES=1 (the suite sets it for
every API test, tests/CMakeLists.txt) or when they set
`validate_responses = True` (identity.py): each answer their `call` gets is
checked, and a mismatch fails the test with where the document and the
answer differ."""

import functools
import json
import os
import re
import threading

import jsonschema
import yaml

from harness import SOURCE_DIR

SPEC = os.path.join(SOURCE_DIR, "api-spec", "openapi.yaml")


_LOCK = threading.Lock()
_LOADED = []


def _spec():
    """The document, parsed once per process: thirty-two threads logging in
    at once must not each parse it (seconds of YAML apiece, under the GIL)."""
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                with open(SPEC, encoding="utf-8") as f:
                    _LOADED.append(yaml.safe_load(f))
    return _LOADED[0]


@functools.lru_cache(maxsize=1)
def _routes():
    """[(regex, template, params count)] of the document's paths."""
    out = []
    for template in _spec()["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        out.append((re.compile(pattern), template, template.count("{")))
    # the most specific first: /v1/x/new before /v1/x/{id}
    return sorted(out, key=lambda r: r[2])


def _resolve(node):
    """A component reference ($ref of responses, parameters) followed."""
    while isinstance(node, dict) and "$ref" in node and len(node) <= 2:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise AssertionError(f"contract: external reference {ref}")
        target = _spec()
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@functools.lru_cache(maxsize=512)
def _validator_unlocked(schema_json):
    schema = json.loads(schema_json)
    # the components travel with the schema, so "#/components/..." resolves
    # inside it whatever the jsonschema version's resolver
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "allOf": [schema], "components": _spec().get("components", {})}
    return jsonschema.Draft202012Validator(root)


def _validator(schema_json):
    with _LOCK:
        return _validator_unlocked(schema_json)


def _media_type(value):
    return (value or "").split(";")[0].strip().lower()


def check(method, target, status, headers, body):
    """Raises AssertionError when the answer is not what the contract says."""
    path = target.split("?")[0]
    # what no operation describes: a CORS preflight, the listener's refusal
    # of an oversized request line (before any route is known), and the 404
    # of a path the service does not have
    if method == "OPTIONS" or status in (414, 431):
        return
    for regex, template, _ in _routes():
        if regex.match(path):
            break
    else:
        if status == 404:
            return
        raise AssertionError(f"contract: {method} {path} is not in the document")
    item = _spec()["paths"][template]
    op = item.get(method.lower())
    if op is None:
        if method == "HEAD":
            op = item.get("get")
        if op is None:
            if status in (404, 405):  # the router's own answer for an unknown method
                return
            raise AssertionError(f"contract: {method} {template} is not documented")
    responses = op.get("responses", {})
    resp = responses.get(str(status)) or responses.get(f"{status // 100}XX") or \
        responses.get("default")
    if resp is None:
        raise AssertionError(f"contract: {method} {template} answered {status}, which the "
                             f"document does not list ({sorted(responses)})")
    resp = _resolve(resp)
    content = resp.get("content") or {}
    if not body or method == "HEAD" or status in (204, 304):
        return
    ct = _media_type(headers.get("content-type"))
    media = content.get(ct)
    if media is None:
        raise AssertionError(f"contract: {method} {template} {status} answered {ct}, which "
                             f"the document does not list ({sorted(content)})")
    schema = media.get("schema")
    if schema is None or not (ct.endswith("json")):
        return
    try:
        doc = json.loads(body)
    except ValueError as e:
        raise AssertionError(f"contract: {method} {template} {status}: not JSON: {e}")
    errors = sorted(_validator(json.dumps(schema, sort_keys=True)).iter_errors(doc),
                    key=lambda e: list(e.absolute_path))
    if errors:
        shown = "\n".join(f"  /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
                          for e in errors[:10])
        raise AssertionError(f"contract: {method} {template} {status}: the body differs from "
                             f"the document:\n{shown}")
