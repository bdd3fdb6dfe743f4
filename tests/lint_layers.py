#!/usr/bin/env python3
"""The house's layers and the absence of circles, checked from the includes.

A module is a pair dir/name.c + dir/name.h; module A uses module B when a
file of A includes B's header.  Two checks, both failing the suite:

1. No circle between modules: A uses B (directly or through others) and B
   uses A.  A call circle needs an include circle here, because a function
   is only called through its header (-Wmissing-prototypes keeps every
   non-static function declared in one).
2. Folders only use the folders below them (style.md, docs/architecture.md):

       api      → anything below
       jobs     → store, http (its log), cache, auth (webhook signatures),
                  domain (timespec arithmetic for its schedules)
       http     → answers, domain, auth
       store    → domain, cache
       export   → answers, domain (a printed decision writes its money and
                  its dates by the rules of domain/bonus and domain/calendar)
       auth, answers, domain, cache → nothing of ours

   The files at service/ itself wire everything and may use anything;
   two of them are leaves that api, http, jobs and store may read: config
   (the settings) and embedded (files compiled in: migrations, procedures,
   the contract).

Usage: lint_layers.py [SOURCE_DIR]
"""
import os
import re
import sys

ALLOWED = {
    "api": {"api", "answers", "auth", "cache", "domain", "export", "http", "jobs", "store"},
    "jobs": {"jobs", "store", "http", "cache", "auth", "domain"},
    "http": {"http", "answers", "domain", "auth"},
    "store": {"store", "domain", "cache"},
    "export": {"export", "answers", "domain"},
    "auth": {"auth"},
    "answers": {"answers"},
    "domain": {"domain"},
    "cache": {"cache"},
}
ROOT_LEAVES = {"config", "embedded"}
ROOT_LEAF_USERS = {"api", "http", "jobs", "store"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(service):
    """{module: set of modules it includes}."""
    uses = {}
    for dirpath, _, files in os.walk(service):
        for f in files:
            if not f.endswith((".c", ".h", ".def")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, service)
            mod = os.path.splitext(rel)[0]
            if f.endswith(".def"):
                mod = rel
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            for inc in INCLUDE.findall(text):
                target = inc if inc.endswith(".def") else os.path.splitext(inc)[0]
                if target != mod:
                    uses.setdefault(mod, set()).add(target)
            uses.setdefault(mod, set())
    return uses


def folder(mod):
    return mod.split("/", 1)[0] if "/" in mod else ""


def layer_errors(uses):
    errors = []
    for mod, targets in sorted(uses.items()):
        top = folder(mod)
        if top not in ALLOWED:
            continue  # service/ itself: the wiring
        for t in sorted(targets):
            if t in ROOT_LEAVES and top in ROOT_LEAF_USERS:
                continue
            if folder(t) not in ALLOWED[top]:
                errors.append(f"{mod} uses {t}: {top}/ may use only "
                              f"{', '.join(sorted(ALLOWED[top]))}")
    return errors


def cycles(uses):
    """Every elementary circle found by a depth-first search (one per entry)."""
    found, state, stack = [], {}, []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for t in sorted(uses.get(m, ())):
            if t not in uses:
                continue
            if state.get(t) == 1:
                found.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(uses):
        if m not in state:
            visit(m)
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    uses = modules(os.path.join(root, "service"))
    errors = layer_errors(uses)
    for c in cycles(uses):
        errors.append("include circle: " + " → ".join(c))
    for e in errors:
        print(e)
    edges = sum(len(v) for v in uses.values())
    print(f"lint_layers: {len(uses)} modules, {edges} uses, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
