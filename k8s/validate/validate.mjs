// Validates one rendered overlay (the output of `kubectl kustomize k8s/overlays/<name>`), read from
// standard input:
//
//   kubectl kustomize k8s/overlays/prod | node k8s/validate/validate.mjs prod
//
// 1. Every document is parsed (a YAML error fails).
// 2. Schema: every object is validated by the model class of its apiVersion/kind (types, enums,
//    required fields): kubernetes-models for the core kinds, @kubernetes-models/keda,
//    @kubernetes-models/gateway-api, @kubernetes-models/prometheus-operator for KEDA, Gateway API and
//    the Prometheus operator. Strimzi's kinds and the realm are checked by java/CrdCheck.java (Java
//    models); the kinds in NO_SCHEMA have no model we can fetch (see k8s/README.md): they get the
//    project rules below only. Any other kind fails: add it to KINDS.
// 3. The project's rules (cross-object consistency, security, scaling, footprint): see RULES in
//    k8s/README.md; each failure names the object and the rule.
//
// Exits 0 and prints one summary line, or exits 1 with one line per problem.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { Gateway, HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const overlay = process.argv[2] ?? "?";
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const KINDS = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/ServiceAccount": ServiceAccount,
  "v1/Namespace": Namespace,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
  "gateway.networking.k8s.io/v1/Gateway": Gateway,
  "gateway.networking.k8s.io/v1/HTTPRoute": HTTPRoute,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
};
// checked against Strimzi's / Keycloak's Java models by java/CrdCheck.java
const JAVA_CHECKED = new Set([
  "kafka.strimzi.io/v1/Kafka", "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/v1/KafkaTopic",
  "kafka.strimzi.io/v1/KafkaUser", "k8s.keycloak.org/v2alpha1/KeycloakRealmImport",
]);
// no schema or model of these is published in a registry we reach (npm, Maven Central): rules only
const NO_SCHEMA = new Set([
  "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup",
  "barmancloud.cnpg.io/v1/ObjectStore", "k8s.keycloak.org/v2alpha1/Keycloak",
]);

const PROBES = { startupProbe: "/q/health/started", readinessProbe: "/q/health/ready", livenessProbe: "/q/health/live" };

const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const id = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

// ---- 1. parse
const objects = [];
for (const [i, doc] of parseAllDocuments(readFileSync(0, "utf8")).entries()) {
  for (const e of doc.errors) fail(`document ${i + 1}`, `YAML error: ${e.message}`);
  if (doc.errors.length) continue;
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  if (typeof obj !== "object" || Array.isArray(obj)) { fail(`document ${i + 1}`, "is not a Kubernetes object"); continue; }
  objects.push(obj);
}
if (objects.length === 0 && problems.length === 0) fail("input", "no objects (was the render empty?)");

// ---- 2. schemas
const unchecked = {};
for (const obj of objects) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (JAVA_CHECKED.has(key)) continue;
  if (NO_SCHEMA.has(key)) { unchecked[obj.kind] = (unchecked[obj.kind] ?? 0) + 1; continue; }
  const Model = KINDS[key];
  if (!Model) { fail(id(obj), `no schema for apiVersion ${obj.apiVersion} kind ${obj.kind} (add its class to KINDS)`); continue; }
  try {
    new Model(obj).validate();
  } catch (e) {
    const details = Array.isArray(e.errors) && e.errors.length
      ? e.errors.map((x) => `${x.instancePath || "/"} ${x.message}`).join("; ") : e.message;
    fail(id(obj), `invalid ${key}: ${details}`);
  }
}

// ---- 3. rules
const byKind = (k) => objects.filter((o) => o.kind === k);
const named = (k, n) => byKind(k).find((o) => o.metadata?.name === n);
const deployments = byKind("Deployment");
const configMaps = new Map(byKind("ConfigMap").map((o) => [o.metadata?.name, o]));
const labelsMatch = (sel, labels) => sel && Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels?.[k] === v);
const podLabels = (d) => d.spec?.template?.metadata?.labels ?? {};
const portMatches = (ref, ports) => ports.some((p) => (typeof ref === "number" ? p.containerPort === ref : p.name === ref));
const env = (d) => { // the container's environment as the pod sees it (ConfigMaps, then env)
  const c = d.spec?.template?.spec?.containers?.[0] ?? {};
  const out = {};
  for (const e of c.envFrom ?? []) Object.assign(out, configMaps.get(e.configMapRef?.name)?.data ?? {});
  for (const e of c.env ?? []) out[e.name] = e.value ?? e.valueFrom;
  return out;
};
const mebibytes = (q) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(String(q));
  if (!m) return NaN;
  const f = { Ki: 1 / 1024, Mi: 1, Gi: 1024, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 }[m[2]] ?? 1 / 1048576;
  return Number(m[1]) * f;
};
const jvmFlag = (opts, re) => { const m = re.exec(opts ?? ""); return m ? m[1] : undefined; };
const heapMb = (x) => { const m = /^(\d+)([kmg])$/i.exec(x ?? ""); return m ? Number(m[1]) * { k: 1 / 1024, m: 1, g: 1024 }[m[2].toLowerCase()] : NaN; };

// operator-generated Secrets a pod or a trigger may reference
const operatorSecrets = new Set();
for (const c of byKind("Cluster")) operatorSecrets.add(`${c.metadata.name}-app`);
for (const k of byKind("Kafka")) operatorSecrets.add(`${k.metadata.name}-cluster-ca-cert`);
for (const u of byKind("KafkaUser")) operatorSecrets.add(u.metadata.name);
// Secrets the platform engineer creates in prod (k8s/README.md, "Secrets you provide"); the dev overlay generates them
const providedSecrets = ["nurturing-secrets"];
const secrets = new Set([...operatorSecrets, ...providedSecrets, ...byKind("Secret").map((s) => s.metadata.name)]);
// Services the operators create (referenced by routes, config): Strimzi, CloudNativePG, Keycloak
const operatorServices = new Set();
for (const k of byKind("Kafka")) operatorServices.add(`${k.metadata.name}-kafka-bootstrap`);
for (const c of byKind("Cluster")) for (const s of ["rw", "ro", "r"]) operatorServices.add(`${c.metadata.name}-${s}`);
for (const k of byKind("Keycloak")) operatorServices.add(`${k.metadata.name}-service`);
const services = new Set([...operatorServices, ...byKind("Service").map((s) => s.metadata.name)]);

// 3a. Deployments: probes, resources, security, config, JVM heap inside the memory limit
for (const d of deployments) {
  const where = id(d);
  const tpl = d.spec?.template ?? {};
  const pod = tpl.spec ?? {};
  if (!(d.spec?.replicas >= 1)) fail(where, `replicas is ${d.spec?.replicas}`);
  if (pod.securityContext?.runAsNonRoot !== true) fail(where, "pod securityContext.runAsNonRoot is not true");
  if (pod.automountServiceAccountToken !== false) fail(where, "automountServiceAccountToken is not false");
  const ann = tpl.metadata?.annotations ?? {};
  if (ann["prometheus.io/path"] !== "/q/metrics") fail(where, "pod annotation prometheus.io/path is not /q/metrics");
  const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
  for (const v of pod.volumes ?? []) {
    if (v.secret && !secrets.has(v.secret.secretName)) fail(where, `volume ${v.name}: Secret ${v.secret.secretName} is neither in the render nor made by an operator here`);
  }
  for (const c of pod.containers ?? []) {
    const cw = `${where} container ${c.name}`;
    const ports = c.ports ?? [];
    const http = ports.find((p) => p.name === "http");
    if (!http) fail(cw, "has no container port named http");
    else if (ann["prometheus.io/port"] !== String(http.containerPort)) fail(where, `prometheus.io/port is not the http port ${http.containerPort}`);
    for (const [probe, path] of Object.entries(PROBES)) {
      const p = c[probe];
      if (!p?.httpGet) { fail(cw, `has no httpGet ${probe}`); continue; }
      if (p.httpGet.path !== path) fail(cw, `${probe} path is ${p.httpGet.path}, expected ${path}`);
      if (!portMatches(p.httpGet.port, ports)) fail(cw, `${probe} port ${p.httpGet.port} is not a container port`);
    }
    for (const kind of ["requests", "limits"]) for (const r of ["cpu", "memory"]) {
      if (c.resources?.[kind]?.[r] === undefined) fail(cw, `has no resources.${kind}.${r}`);
    }
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) fail(cw, "readOnlyRootFilesystem is not true");
    if (sc.allowPrivilegeEscalation !== false) fail(cw, "allowPrivilegeEscalation is not false");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(cw, "does not drop ALL capabilities");
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    if (!tmp || !emptyDirs.has(tmp.name)) fail(cw, "has no emptyDir on /tmp");
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef && !configMaps.has(e.configMapRef.name)) fail(cw, `envFrom ConfigMap ${e.configMapRef.name} is not in the render`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref && !secrets.has(ref.name)) fail(cw, `env ${e.name}: Secret ${ref.name} is neither in the render nor made by an operator here`);
    }
    // footprint: the heap plus the JVM's own memory must fit the limit
    const opts = env(d).JDK_JAVA_OPTIONS;
    const xmx = heapMb(jvmFlag(opts, /-Xmx(\d+[kmgKMG])/));
    if (!opts) fail(cw, "no JDK_JAVA_OPTIONS (k8s/base/<service>/jvm.env)");
    else if (!(xmx > 0)) fail(cw, "JDK_JAVA_OPTIONS sets no -Xmx");
    else {
      const limit = mebibytes(c.resources?.limits?.memory);
      // metaspace, code cache, CDS, threads, malloc: up to about 180 MB measured (BENCHMARKS.md, issue 12)
      if (xmx + 192 > limit) fail(cw, `-Xmx${xmx}m + 192 MiB of non-heap exceeds the memory limit ${c.resources?.limits?.memory}`);
    }
    // database and Kafka endpoints point at what the operators create here
    const e = env(d);
    const dbHost = /^postgresql:\/\/([^:/]+)/.exec(e.QUARKUS_DATASOURCE_REACTIVE_URL ?? "")?.[1];
    if (dbHost && !services.has(dbHost)) fail(cw, `database host ${dbHost} is no Service of a CloudNativePG Cluster here`);
    const kafkaHost = (e.KAFKA_BOOTSTRAP_SERVERS ?? "").split(":")[0];
    if (kafkaHost && !services.has(kafkaHost)) fail(cw, `Kafka bootstrap ${kafkaHost} is no Strimzi bootstrap Service here`);
    const oidcHost = /^https?:\/\/([^:/]+)/.exec(e.QUARKUS_OIDC_AUTH_SERVER_URL ?? "")?.[1];
    if (oidcHost && !services.has(oidcHost)) fail(cw, `OIDC server ${oidcHost} is no Keycloak Service here`);
    if (e.KAFKA_SECURITY_PROTOCOL === "SSL" && e.KAFKA_SSL_KEYSTORE_LOCATION && d.metadata.name !== "gateway") {
      const mounted = (c.volumeMounts ?? []).some((m) => e.KAFKA_SSL_KEYSTORE_LOCATION.startsWith(m.mountPath + "/"));
      if (!mounted) fail(cw, `KAFKA_SSL_KEYSTORE_LOCATION ${e.KAFKA_SSL_KEYSTORE_LOCATION} is not on a mounted volume`);
    }
  }
}

// 3b. Services, PDBs, ServiceMonitors select exactly one Deployment
for (const kind of ["Service", "PodDisruptionBudget", "ServiceMonitor"]) {
  for (const o of byKind(kind)) {
    const sel = kind === "Service" ? o.spec?.selector : o.spec?.selector?.matchLabels;
    const targets = deployments.filter((d) => labelsMatch(sel, podLabels(d)));
    if (kind === "ServiceMonitor") {
      const svcs = byKind("Service").filter((s) => labelsMatch(sel, s.metadata?.labels));
      if (svcs.length !== 1) { fail(id(o), `selects ${svcs.length} Services, expected 1`); continue; }
      for (const ep of o.spec?.endpoints ?? []) {
        if (!(svcs[0].spec?.ports ?? []).some((p) => p.name === ep.port)) fail(id(o), `endpoint port ${ep.port} is not a port of ${id(svcs[0])}`);
        if (ep.path !== "/q/metrics") fail(id(o), `endpoint path ${ep.path} is not /q/metrics`);
      }
      continue;
    }
    if (targets.length !== 1) { fail(id(o), `selects ${targets.length} Deployments, expected 1`); continue; }
    if (kind === "Service") {
      const ports = (targets[0].spec.template.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
      for (const p of o.spec?.ports ?? []) {
        if (!portMatches(p.targetPort ?? p.port, ports)) fail(id(o), `targetPort ${p.targetPort} is not a container port of ${id(targets[0])}`);
      }
    }
  }
}
for (const d of deployments) {
  const n = d.metadata.name;
  if (!byKind("PodDisruptionBudget").some((p) => labelsMatch(p.spec?.selector?.matchLabels, podLabels(d)))) fail(id(d), "has no PodDisruptionBudget");
  if (!byKind("ServiceMonitor").some((m) => m.metadata.name === n)) fail(id(d), "has no ServiceMonitor");
}

// 3c. scaling: gateway and capture on CPU (HPA), the consumers on Kafka lag (KEDA), never both;
//     the consumer group and topics of a trigger are the service's own (its application.properties),
//     and maxReplicaCount never exceeds the partitions of a topic it scales on
const topics = new Map(byKind("KafkaTopic").map((t) => [t.spec?.topicName ?? t.metadata.name, t]));
const scaledBy = new Map();
for (const h of byKind("HorizontalPodAutoscaler")) {
  const t = h.spec?.scaleTargetRef?.name;
  if (!named("Deployment", t)) fail(id(h), `scales ${t}, no such Deployment`);
  if (scaledBy.has(t)) fail(id(h), `${t} is scaled twice (${scaledBy.get(t)})`);
  scaledBy.set(t, id(h));
  if (!(h.spec?.metrics ?? []).some((m) => m.resource?.name === "cpu")) fail(id(h), "does not scale on CPU");
}
const incoming = (module) => { // channel -> {topic, group} from the service's application.properties (not %test)
  let text = "";
  try { text = readFileSync(join(root, module, "src/main/resources/application.properties"), "utf8"); } catch { return null; }
  const ch = {};
  for (const line of text.split("\n")) {
    const m = /^mp\.messaging\.incoming\.([^.]+)\.(topics?|group\.id)=(.*)$/.exec(line.trim());
    if (m) (ch[m[1]] ??= {})[m[2] === "group.id" ? "group" : "topics"] = m[3].trim();
  }
  // a channel with `topics=a,b` consumes each of them in its group: one {topic, group} per topic
  return Object.values(ch).flatMap((c) => String(c.topics ?? "").split(",").map((topic) => ({ topic: topic.trim(), group: c.group })));
};
for (const s of byKind("ScaledObject")) {
  const t = s.spec?.scaleTargetRef?.name;
  if (!named("Deployment", t)) fail(id(s), `scales ${t}, no such Deployment`);
  if (scaledBy.has(t)) fail(id(s), `${t} is scaled twice (${scaledBy.get(t)})`);
  scaledBy.set(t, id(s));
  if (!(s.spec?.minReplicaCount >= 1)) fail(id(s), "minReplicaCount below 1: the service also answers its REST API");
  const kafka = (s.spec?.triggers ?? []).filter((x) => x.type === "kafka");
  if (kafka.length === 0) fail(id(s), "has no kafka trigger");
  for (const tr of kafka) {
    const topic = named("KafkaTopic", tr.metadata?.topic) ?? topics.get(tr.metadata?.topic);
    if (!topic) { fail(id(s), `trigger topic ${tr.metadata?.topic} is no KafkaTopic here`); continue; }
    if (s.spec.maxReplicaCount > topic.spec?.partitions)
      fail(id(s), `maxReplicaCount ${s.spec.maxReplicaCount} exceeds the ${topic.spec?.partitions} partitions of ${tr.metadata.topic}`);
    const host = String(tr.metadata?.bootstrapServers ?? "").split(":")[0];
    if (!services.has(host)) fail(id(s), `bootstrapServers ${host} is no Strimzi bootstrap Service here`);
    const ref = tr.authenticationRef?.name;
    if (ref && !named("TriggerAuthentication", ref)) fail(id(s), `authenticationRef ${ref} is not in the render`);
  }
  const channels = incoming(t);
  if (channels) {
    for (const c of channels) {
      if (!kafka.some((tr) => tr.metadata?.topic === c.topic && tr.metadata?.consumerGroup === c.group))
        fail(id(s), `no trigger for the service's channel on topic ${c.topic}, group ${c.group} (${t}/src/main/resources/application.properties)`);
    }
    for (const tr of kafka) {
      if (!channels.some((c) => c.topic === tr.metadata?.topic && c.group === tr.metadata?.consumerGroup))
        fail(id(s), `trigger on topic ${tr.metadata?.topic}, group ${tr.metadata?.consumerGroup}: the service has no such channel`);
    }
  }
}
for (const d of deployments) if (!scaledBy.has(d.metadata.name)) fail(id(d), "has no autoscaler (HPA or ScaledObject)");
for (const ta of byKind("TriggerAuthentication")) {
  for (const r of ta.spec?.secretTargetRef ?? []) if (!secrets.has(r.name)) fail(id(ta), `Secret ${r.name} is not made here`);
}

// 3d. network: default deny; only the gateway (and Keycloak's public endpoints) open to any source;
//     a backend only from the gateway (and Prometheus); a database only from its own service
const nps = byKind("NetworkPolicy");
if (!nps.some((n) => Object.keys(n.spec?.podSelector ?? {}).length === 0 && (n.spec?.policyTypes ?? []).includes("Ingress") && !n.spec?.ingress))
  fail("NetworkPolicy", "no default-deny ingress policy (empty podSelector, no ingress rules)");
const OPEN_OK = new Set(["gateway", "keycloak"]);
for (const n of nps) {
  for (const rule of n.spec?.ingress ?? []) {
    if (!rule.from && !OPEN_OK.has(n.metadata.name)) fail(id(n), "lets any source in; only the gateway and Keycloak's public port may");
  }
}
for (const d of deployments) {
  const pols = nps.filter((n) => labelsMatch(n.spec?.podSelector?.matchLabels, podLabels(d)));
  if (pols.length === 0) fail(id(d), "no NetworkPolicy selects its pods");
  if (d.metadata.name === "gateway") continue;
  for (const n of pols) for (const rule of n.spec?.ingress ?? []) for (const f of rule.from ?? []) {
    if (f.podSelector && !labelsMatch(f.podSelector.matchLabels, podLabels(named("Deployment", "gateway"))))
      fail(id(n), `lets pods ${JSON.stringify(f.podSelector.matchLabels)} into ${d.metadata.name}; only the gateway calls it`);
  }
}
for (const c of byKind("Cluster")) {
  const name = c.metadata.name;
  const users = deployments.filter((d) => (env(d).QUARKUS_DATASOURCE_REACTIVE_URL ?? "").startsWith(`postgresql://${name}-rw`));
  const pols = nps.filter((n) => n.spec?.podSelector?.matchLabels?.["cnpg.io/cluster"] === name);
  if (pols.length === 0) { fail(id(c), "no NetworkPolicy selects its instances (cnpg.io/cluster)"); continue; }
  for (const n of pols) for (const rule of n.spec?.ingress ?? []) {
    if (!rule.from) fail(id(n), "lets any source in");
    for (const f of rule.from ?? []) {
      const sel = f.podSelector?.matchLabels;
      if (!sel || f.namespaceSelector) continue;
      if (sel["cnpg.io/cluster"] === name) continue; // its own instances (replication)
      const admitted = deployments.filter((d) => labelsMatch(sel, podLabels(d)));
      for (const d of admitted) if (!users.includes(d)) fail(id(n), `lets ${d.metadata.name} into the database of ${users.map((u) => u.metadata.name).join(", ") || "nobody"}`);
      if (admitted.length === 0 && name !== "keycloak-db") fail(id(n), `admits ${JSON.stringify(sel)}, which selects no Deployment`);
    }
  }
  if (c.spec?.bootstrap?.initdb?.database === undefined || c.spec?.bootstrap?.initdb?.owner === undefined)
    fail(id(c), "bootstrap.initdb sets no database and owner");
  if (c.spec?.enableSuperuserAccess !== false) fail(id(c), "enableSuperuserAccess is not false");
}
for (const k of byKind("Kafka")) {
  for (const l of k.spec?.kafka?.listeners ?? []) {
    if (!l.networkPolicyPeers?.length) fail(id(k), `listener ${l.name} has no networkPolicyPeers (any pod could connect)`);
  }
}

// 3e. ingress: routes attach to a Gateway here and reach a Service here (or one an operator makes)
for (const r of byKind("HTTPRoute")) {
  for (const p of r.spec?.parentRefs ?? []) if (!named("Gateway", p.name)) fail(id(r), `parent Gateway ${p.name} is not in the render`);
  for (const rule of r.spec?.rules ?? []) for (const b of rule.backendRefs ?? []) {
    if (!services.has(b.name)) fail(id(r), `backend ${b.name} is no Service here`);
  }
}
const routed = new Set(byKind("HTTPRoute").flatMap((r) => (r.spec?.rules ?? []).flatMap((x) => (x.backendRefs ?? []).map((b) => b.name))));
for (const d of deployments) if (d.metadata.name !== "gateway" && routed.has(d.metadata.name)) fail(id(d), "is routed from outside; only the gateway may be");
if (!routed.has("gateway")) fail("HTTPRoute", "no route reaches the gateway");

// 3f. Keycloak: the realm import targets the Keycloak here; prod imports no demo users or secrets
for (const ri of byKind("KeycloakRealmImport")) {
  if (!named("Keycloak", ri.spec?.keycloakCRName)) fail(id(ri), `keycloakCRName ${ri.spec?.keycloakCRName} is not in the render`);
  if (overlay === "prod") {
    const realm = ri.spec?.realm ?? {};
    if ((realm.users ?? []).length) fail(id(ri), "prod imports users (the demo users with password = user name)");
    for (const cl of realm.clients ?? []) {
      if (cl.secret) fail(id(ri), `prod imports the client secret of ${cl.clientId}`);
      for (const u of [...(cl.redirectUris ?? []), ...(cl.webOrigins ?? [])]) {
        if (/localhost|127\.0\.0\.1|^\+$|^\*$/.test(u)) fail(id(ri), `client ${cl.clientId} allows ${u} in prod`);
      }
    }
  }
}
for (const k of byKind("Keycloak")) {
  for (const s of ["usernameSecret", "passwordSecret"]) {
    const n = k.spec?.db?.[s]?.name;
    if (!secrets.has(n)) fail(id(k), `db.${s} ${n} is not made by an operator here`);
  }
  if (!services.has(k.spec?.db?.host)) fail(id(k), `db.host ${k.spec?.db?.host} is no Service of a Cluster here`);
}

// 3g. prod: Kafka only over TLS with client certificates, ACLs on; backups for every database
if (overlay === "prod") {
  for (const k of byKind("Kafka")) {
    for (const l of k.spec?.kafka?.listeners ?? []) {
      if (l.tls !== true || l.authentication?.type !== "tls") fail(id(k), `listener ${l.name} is not TLS with client certificates`);
    }
    if (k.spec?.kafka?.authorization?.type !== "simple") fail(id(k), "authorization is not on");
  }
  for (const c of byKind("Cluster")) {
    const plugin = (c.spec?.plugins ?? []).find((p) => p.isWALArchiver);
    if (!plugin) { fail(id(c), "no WAL archive (backups) in prod"); continue; }
    if (!named("ObjectStore", plugin.parameters?.barmanObjectName)) fail(id(c), `ObjectStore ${plugin.parameters?.barmanObjectName} is not in the render`);
    if (!byKind("ScheduledBackup").some((b) => b.spec?.cluster?.name === c.metadata.name)) fail(id(c), "no ScheduledBackup");
    if (!(c.spec?.instances >= 2)) fail(id(c), "fewer than 2 instances in prod");
  }
}

// ---- report
if (problems.length) {
  console.error(`k8s validation FAILED (${overlay}): ${problems.length} problem(s) in ${objects.length} objects`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
const counts = Object.entries(objects.reduce((a, o) => ({ ...a, [o.kind]: (a[o.kind] ?? 0) + 1 }), {}))
  .map(([k, n]) => `${n} ${k}`).join(", ");
const none = Object.entries(unchecked).map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`${overlay}: ${objects.length} objects valid (${counts}); schema not checked, rules only: ${none || "none"}`);
