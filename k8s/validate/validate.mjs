// Validates the output of `kubectl kustomize k8s/base`, read from standard input.
//
//   kubectl kustomize k8s/base | node k8s/validate/validate.mjs
//
// 1. Every document is parsed (all of them; a YAML error fails).
// 2. Every object is validated by the kubernetes-models class of its apiVersion/kind
//    (types, enums, required fields). A kind with no class here fails: add it to KINDS.
//    Note: the schemas do not reject unknown fields (a misspelt optional field passes).
// 3. Rules of this project for every Deployment: one replica, the three Quarkus health probes
//    on the port named http, requests and limits for cpu and memory, non-root and read-only
//    root file system with an emptyDir on /tmp, Prometheus annotations on the pod template,
//    envFrom ConfigMaps that exist in the render.
// 4. Every Service selects exactly one Deployment, and its targetPort names (or numbers) a
//    container port of that Deployment.
//
// Exits 0 and prints "N objects valid (...)" or exits 1 with one line per problem.

import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";

const KINDS = {
  "apps/v1/Deployment": Deployment,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/ServiceAccount": ServiceAccount,
};

const PROBES = {
  startupProbe: "/q/health/started",
  readinessProbe: "/q/health/ready",
  livenessProbe: "/q/health/live",
};

const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const id = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

// ---- 1. parse
const text = readFileSync(0, "utf8");
const objects = [];
for (const [i, doc] of parseAllDocuments(text).entries()) {
  for (const e of doc.errors) fail(`document ${i + 1}`, `YAML error: ${e.message}`);
  if (doc.errors.length) continue;
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue; // empty document
  if (typeof obj !== "object" || Array.isArray(obj)) {
    fail(`document ${i + 1}`, "is not a Kubernetes object (a mapping)");
    continue;
  }
  objects.push(obj);
}
if (objects.length === 0 && problems.length === 0) fail("input", "no objects (was the render empty?)");

// ---- 2. schema validation
for (const obj of objects) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const Model = KINDS[key];
  if (!Model) {
    fail(id(obj), `cannot validate apiVersion ${obj.apiVersion} kind ${obj.kind} (add its class to KINDS in validate.mjs)`);
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = Array.isArray(e.errors) && e.errors.length
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ")
      : e.message;
    fail(id(obj), `invalid ${key}: ${details}`);
  }
}

// ---- 3. Deployment rules
const byKind = (k) => objects.filter((o) => o.kind === k);
const configMaps = new Set(byKind("ConfigMap").map((o) => o.metadata?.name));
const deployments = byKind("Deployment");

const portMatches = (ref, ports) =>
  ports.some((p) => (typeof ref === "number" ? p.containerPort === ref : p.name === ref));

for (const d of deployments) {
  const where = id(d);
  const tpl = d.spec?.template ?? {};
  const pod = tpl.spec ?? {};
  const containers = pod.containers ?? [];
  if (d.spec?.replicas !== 1) fail(where, `replicas is ${d.spec?.replicas}, the base runs 1`);
  if (pod.securityContext?.runAsNonRoot !== true) fail(where, "pod securityContext.runAsNonRoot is not true");
  const tmpVolumes = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));

  const ann = tpl.metadata?.annotations ?? {};
  if (ann["prometheus.io/scrape"] !== "true") fail(where, 'pod annotation prometheus.io/scrape is not "true"');
  if (ann["prometheus.io/path"] !== "/q/metrics") fail(where, "pod annotation prometheus.io/path is not /q/metrics");

  if (containers.length === 0) fail(where, "has no containers");
  for (const c of containers) {
    const cw = `${where} container ${c.name}`;
    const ports = c.ports ?? [];
    const http = ports.find((p) => p.name === "http");
    if (!http) fail(cw, "has no container port named http");
    else if (ann["prometheus.io/port"] !== String(http.containerPort))
      fail(where, `pod annotation prometheus.io/port is ${JSON.stringify(ann["prometheus.io/port"])}, the http port is ${http.containerPort}`);

    for (const [probe, path] of Object.entries(PROBES)) {
      const p = c[probe];
      if (!p) { fail(cw, `has no ${probe}`); continue; }
      if (!p.httpGet) { fail(cw, `${probe} is not an httpGet probe`); continue; }
      if (p.httpGet.path !== path) fail(cw, `${probe} path is ${p.httpGet.path}, expected ${path}`);
      if (!portMatches(p.httpGet.port, ports))
        fail(cw, `${probe} port ${JSON.stringify(p.httpGet.port)} is not a port of the container (ports: ${ports.map((x) => `${x.name}=${x.containerPort}`).join(", ") || "none"})`);
    }

    for (const kind of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (c.resources?.[kind]?.[r] === undefined) fail(cw, `has no resources.${kind}.${r}`);
      }
    }

    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(cw, "securityContext.readOnlyRootFilesystem is not true");
    if (sc.allowPrivilegeEscalation !== false) fail(cw, "securityContext.allowPrivilegeEscalation is not false");
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    if (!tmp || !tmpVolumes.has(tmp.name)) fail(cw, "has no emptyDir volume mounted on /tmp");

    const refs = (c.envFrom ?? []).filter((e) => e.configMapRef).map((e) => e.configMapRef.name);
    if (refs.length === 0) fail(cw, "takes no env from a ConfigMap");
    for (const name of refs) {
      if (!configMaps.has(name)) fail(cw, `envFrom ConfigMap ${name} is not in the render`);
    }
  }
}

// ---- 4. Service -> Deployment port
const selects = (selector, labels) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

for (const s of byKind("Service")) {
  const where = id(s);
  const selector = s.spec?.selector ?? {};
  const targets = deployments.filter((d) => selects(selector, d.spec?.template?.metadata?.labels));
  if (targets.length !== 1) {
    fail(where, `selector ${JSON.stringify(selector)} matches ${targets.length} Deployments (${targets.map(id).join(", ") || "none"}), expected 1`);
    continue;
  }
  const ports = (targets[0].spec.template.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  for (const p of s.spec?.ports ?? []) {
    const target = p.targetPort ?? p.port;
    if (!portMatches(target, ports))
      fail(where, `port ${p.name ?? p.port}: targetPort ${JSON.stringify(target)} is not a container port of ${id(targets[0])}`);
  }
}

// ---- report
if (problems.length) {
  console.error(`k8s validation FAILED: ${problems.length} problem(s) in ${objects.length} objects`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
const counts = Object.entries(
  objects.reduce((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {}),
).map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`${objects.length} objects valid (${counts})`);
