// npm run compose: composes the subgraphs named in supergraph.yaml into the committed supergraph.graphql, and the
// copy kustomize ships as the router's ConfigMap (it reads no file outside k8s/base).
import { writeFileSync } from 'node:fs';
import { composeSubgraphs, readSupergraphConfig } from '../packages/schema-tools/src/composition.js';

const root = new URL('..', import.meta.url).pathname;
const result = composeSubgraphs(readSupergraphConfig(`${root}supergraph.yaml`));
for (const hint of result.hints ?? []) console.warn(`hint ${hint.definition.code}: ${hint.message}`);
if (result.errors) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
writeFileSync(`${root}supergraph.graphql`, result.supergraphSdl);
writeFileSync(`${root}k8s/base/supergraph.graphql`, result.supergraphSdl);
console.log('supergraph.graphql and k8s/base/supergraph.graphql written');
