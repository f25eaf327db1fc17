// Validates every object of a multi-document Kubernetes YAML file (argument 1) against the API schema
// compiled into kubernetes-models (and @kubernetes-models/prometheus-operator for monitoring.coreos.com).
// Prints one line per problem and "validated N objects"; exits 1 when any object is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packageForGroup = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packageForGroup[group] ?? "kubernetes-models";
  const path = group === "" ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
  return (await import(path))[kind];
}

let count = 0;
let failures = 0;
for (const doc of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  if (doc.errors.length > 0) {
    console.log(`yaml: ${doc.errors.map((e) => e.message).join("; ")}`);
    failures++;
    continue;
  }
  const object = doc.toJS();
  if (object === null) continue;
  count++;
  const name = `${object.kind}/${object.metadata?.name}`;
  let Model;
  try {
    Model = await modelFor(object.apiVersion, object.kind);
  } catch {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.log(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    failures++;
  }
}
console.log(`validated ${count} objects`);
process.exit(failures === 0 ? 0 : 1);
