// tests/tools/validate_k8s.mjs — checks rendered Kubernetes manifests
// (kubectl kustomize output on stdin) against the Kubernetes API schemas
// (kubernetes-models: the OpenAPI schemas of the API server, compiled) and
// CloudNativePG's CRD schemas (@kubernetes-models/cloudnative-pg), then
// against the house rules of issue 15 §3: every container non-root with a
// read-only root filesystem, no capabilities, seccomp RuntimeDefault,
// requests and limits; every Deployment with startup, readiness and
// liveness probes.  Exits 1 naming every problem.
import fs from "node:fs";
import yaml from "js-yaml";

const docs = yaml.loadAll(fs.readFileSync(0, "utf8")).filter(Boolean);
const problems = [];

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = group.endsWith("cnpg.io") ? "@kubernetes-models/cloudnative-pg" : "kubernetes-models";
  const path = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  try {
    const mod = await import(path);
    return mod[kind];
  } catch (e) {
    return null;
  }
}

function containers(doc) {
  const spec = doc.kind === "Deployment" || doc.kind === "Job" ? doc.spec?.template?.spec : null;
  return spec ? { pod: spec, list: spec.containers ?? [] } : null;
}

for (const doc of docs) {
  const name = `${doc.kind}/${doc.metadata?.name}`;
  const Model = await modelOf(doc.apiVersion ?? "", doc.kind ?? "");
  if (!Model) {
    problems.push(`${name}: no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    problems.push(`${name}: ${e.message}`);
  }
  const c = containers(doc);
  if (!c) continue;
  const podSec = c.pod.securityContext ?? {};
  if (podSec.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot is not set`);
  if (podSec.seccompProfile?.type !== "RuntimeDefault")
    problems.push(`${name}: seccompProfile is not RuntimeDefault`);
  for (const k of c.list) {
    const s = k.securityContext ?? {};
    if (s.readOnlyRootFilesystem !== true) problems.push(`${name}/${k.name}: root filesystem writable`);
    if (s.allowPrivilegeEscalation !== false) problems.push(`${name}/${k.name}: privilege escalation allowed`);
    if (!(s.capabilities?.drop ?? []).includes("ALL")) problems.push(`${name}/${k.name}: capabilities not dropped`);
    for (const r of ["cpu", "memory"]) {
      if (!k.resources?.requests?.[r]) problems.push(`${name}/${k.name}: no ${r} request`);
      if (!k.resources?.limits?.[r]) problems.push(`${name}/${k.name}: no ${r} limit`);
    }
    if (doc.kind === "Deployment")
      for (const p of ["startupProbe", "readinessProbe", "livenessProbe"])
        if (!k[p]) problems.push(`${name}/${k.name}: no ${p}`);
  }
}
if (!docs.length) problems.push("no manifests on stdin");
for (const p of problems) console.error(`validate_k8s: ${p}`);
console.log(`validate_k8s: ${docs.length} manifests, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
