// /metrics stays off the public ports as deployed: docker-compose and Kubernetes set METRICS_PORT, name the port, and
// only monitoring reaches it. Read from the files themselves, so it holds on machines without docker or kubectl.
import { describe, expect, it } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { SERVICE_NAMES, composeSource, readRepoFile, type KubernetesObject } from './deployment.js';

const METRICS_PORT = 9464;

interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name: string; ports?: Array<{ name?: string; containerPort: number }> }> };
}
interface NetworkPolicyRule {
  from?: Array<{ namespaceSelector?: { matchLabels?: Record<string, string> } }>;
  ports?: Array<{ port?: number | string }>;
}

function manifests(file: string): Array<KubernetesObject & { spec?: Record<string, unknown> }> {
  return parseAllDocuments(readRepoFile(`k8s/base/${file}`)).map(
    (document) => document.toJS() as KubernetesObject & { spec?: Record<string, unknown> },
  );
}

describe('docker-compose.yml', () => {
  const compose = composeSource();

  it.each(SERVICE_NAMES)('%s serves /metrics on METRICS_PORT, exposed to the compose network and never published', (name) => {
    const service = compose.services[name];
    expect(service?.environment?.['METRICS_PORT']).toBe(`\${METRICS_PORT:-${METRICS_PORT}}`);
    expect(service?.expose).toEqual([String(METRICS_PORT)]);
    expect(JSON.stringify(service?.ports ?? [])).not.toContain(String(METRICS_PORT));
  });
});

describe('the Kubernetes base', () => {
  it('sets METRICS_PORT for every service in the shared settings', () => {
    const kustomization = parse(readRepoFile('k8s/base/kustomization.yaml')) as { configMapGenerator: Array<{ name: string; literals?: string[] }> };
    const settings = kustomization.configMapGenerator.find((generator) => generator.name === 'pyairtable-settings');
    expect(settings?.literals).toContain(`METRICS_PORT=${METRICS_PORT}`);
  });

  it.each(SERVICE_NAMES)('%s names its metrics port and asks to be scraped there; its Service publishes only http', (name) => {
    const objects = manifests(`${name}.yaml`);
    const deployment = objects.find((object) => object.kind === 'Deployment');
    const template = deployment?.spec?.['template'] as PodTemplate | undefined;
    const container = template?.spec?.containers?.find((candidate) => candidate.name === name);
    expect(container?.ports?.find((port) => port.name === 'metrics')?.containerPort).toBe(METRICS_PORT);
    expect(template?.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(METRICS_PORT),
      'prometheus.io/path': '/metrics',
    });
    const service = objects.find((object) => object.kind === 'Service');
    expect((service?.spec?.['ports'] as Array<{ name: string }>).map((port) => port.name)).toEqual(['http']);
  });

  it('lets only the monitoring namespace reach the metrics port', () => {
    const policies = manifests('network-policies.yaml').filter((object) => object.kind === 'NetworkPolicy');
    const rulesOnMetrics = policies.flatMap((policy) =>
      ((policy.spec?.['ingress'] as NetworkPolicyRule[] | undefined) ?? []).filter((rule) => rule.ports?.some((port) => port.port === 'metrics')),
    );
    expect(rulesOnMetrics).toHaveLength(1);
    expect(rulesOnMetrics[0]?.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  });
});
