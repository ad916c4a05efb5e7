// Builds the KeycloakRealmImport of the realm "leads" from the committed realm export
// dev/realm/leads-realm.json (the one the local stack imports), so the cluster and the local stack
// start from the same realm. kustomize cannot embed a JSON file as an object, hence this generator:
//
//   node k8s/validate/realm-import.mjs > k8s/base/keycloak/realm-import.yaml   (after a realm change)
//
// k8s/check.sh regenerates it and fails when the committed file differs (a hand edit or a stale copy).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const realm = JSON.parse(readFileSync(join(root, "dev", "realm", "leads-realm.json"), "utf8"));

const doc = {
  apiVersion: "k8s.keycloak.org/v2alpha1",
  kind: "KeycloakRealmImport",
  metadata: { name: `${realm.realm}-realm`, labels: { "app.kubernetes.io/name": "keycloak" } },
  spec: { keycloakCRName: "keycloak", realm },
};
process.stdout.write(
  "# GENERATED from dev/realm/leads-realm.json by k8s/validate/realm-import.mjs: do not edit by hand.\n" +
  "# The prod overlay removes the demo users and partner clients and sets the real redirect URIs.\n" +
  stringify(doc, { lineWidth: 0 }),
);
