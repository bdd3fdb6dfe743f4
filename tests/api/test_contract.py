"""API test: the router and api-spec/openapi.yaml describe the same operations."""

import unittest

from harness import ApiTest, Service, main, run_cli

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class ContractTest(ApiTest):
    def test_routes_equal_document(self):
        out = run_cli(["routes"])
        self.assertEqual(out.returncode, 0, out.stderr)
        routes, access = {}, {}
        for line in out.stdout.splitlines():
            method, path, permission, *grants = line.split(" ")
            routes[(method.lower(), path)] = permission
            acc = {}
            for g in grants:
                if "=" in g:
                    role, scope = g.split("=")
                    acc[role] = scope
                else:
                    acc.setdefault("machine", []).append(g)
            access[(method.lower(), path)] = acc
        self.assertTrue(routes)

        with Service(self.db) as svc:
            # the whole contract rendered by the sanitizer build: seconds on a
            # busy machine (test_ops gives it as long)
            doc = svc.get("/openapi.json", timeout=180).json()
        documented = {}
        for path, item in doc["paths"].items():
            for method, op in item.items():
                if method in METHODS:
                    documented[(method, path)] = op

        missing_in_doc = sorted(set(routes) - set(documented))
        missing_in_router = sorted(set(documented) - set(routes))
        self.assertEqual(missing_in_doc, [], "routes the document does not describe")
        self.assertEqual(missing_in_router, [], "documented operations the service lacks")

        for key, op in documented.items():
            with self.subTest(operation=key):
                self.assertIn("operationId", op)
                self.assertIn("security", op, "every operation states its security")
                self.assertEqual(op.get("x-thidua-permission"), routes[key],
                                 "permission in the document differs from the router")
                self.assertIn("responses", op)
                self.assertEqual(op.get("x-thidua-access"), access[key],
                                 "who may call it: the document differs from the table")
                if routes[key] == "public":
                    self.assertEqual(op["security"], [])
                else:
                    self.assertEqual(op["security"], [{"oauth2": []}])


if __name__ == "__main__":
    main()
