"""The PostgreSQL cluster the tests run against, found by its port, so a test
can stop and start it (pg_virtualenv's throwaway cluster in CI)."""

import os
import subprocess


def current_cluster():
    port = os.environ.get("PGPORT", "5432")
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == port:
            return fields[0], fields[1]
    raise RuntimeError(f"no cluster listens on port {port}")


def ctl(action):
    version, name = current_cluster()
    args = ["pg_ctlcluster", version, name, action]
    if action == "stop":
        args += ["-m", "fast"]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
