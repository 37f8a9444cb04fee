// Reads a JSON array of Kubernetes objects on stdin and validates each against its kind's JSON schema
// (the Kubernetes API's, from kubernetes-models; the Prometheus operator's CRDs, from
// @kubernetes-models/prometheus-operator). Prints one line per object, "ok KIND NAME" or
// "invalid KIND NAME: why", and exits 1 when any is invalid or of a kind it has no schema for.
// The schemas check types, required fields, enums and patterns; like the API's OpenAPI they allow
// unknown fields, so a misspelt field name is not caught here.
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const groups = { 'v1': core, 'apps/v1': apps, 'monitoring.coreos.com/v1': monitoring };

let input = '';
for await (const chunk of process.stdin) input += chunk;
let failed = false;
for (const object of JSON.parse(input)) {
  const what = `${object.kind} ${object.metadata?.name}`;
  const Model = groups[object.apiVersion]?.[object.kind];
  if (!Model) {
    console.log(`invalid ${what}: no schema here for ${object.apiVersion} ${object.kind}`);
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok ${what}`);
  } catch (e) {
    console.log(`invalid ${what}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
