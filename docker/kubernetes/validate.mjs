// Validates rendered Kubernetes manifests offline against the API's schemas: the npm package
// `kubernetes-models` (generated from Kubernetes' OpenAPI definitions) checks every document of a
// `kubectl kustomize` output by apiVersion and kind: types, enums, required fields. (It does not
// reject unknown fields.) MODELS_DIR is where `kubernetes-models` and `yaml` are installed.
//   kubectl kustomize docker/kubernetes/overlays/bundled | MODELS_DIR=/var/cache/cloop-k8s-validate node docker/kubernetes/validate.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = join(process.env.MODELS_DIR ?? process.cwd(), 'node_modules');
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const YAML = await load('yaml/dist/index.js');

const documents = YAML.parseAllDocuments(readFileSync(0, 'utf8'))
  .map((document) => document.toJS())
  .filter(Boolean);
if (documents.length === 0) {
  console.error('no manifests on standard input');
  process.exit(1);
}
let problems = 0;
for (const manifest of documents) {
  const { apiVersion, kind } = manifest;
  const name = `${apiVersion} ${kind}/${manifest.metadata?.name}`;
  let Model;
  try {
    Model = (await load(`kubernetes-models/${apiVersion}/index.js`))[kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    console.error(`bad ${name}: no schema for this apiVersion and kind`);
    problems += 1;
    continue;
  }
  try {
    new Model(manifest).validate();
    console.log(`ok  ${name}`);
  } catch (error) {
    console.error(`bad ${name}: ${error.message}`);
    problems += 1;
  }
}
process.exit(problems === 0 ? 0 : 1);
