// The kustomize overlays render, every object is valid Kubernetes, and the manifests keep the rules the deployment
// rests on: locked-down pods, only the router exposed, network policies that match what each service uses,
// secrets referenced but never committed, migrations before a new version serves.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import ts from 'typescript';
import {
  OVERLAYS,
  SERVICE_NAMES,
  deployment,
  describeWithTool,
  dockerStages,
  findObject,
  generatorName,
  mainContainer,
  objectsOfKind,
  readRepoFile,
  renderOverlay,
  repoRoot,
  run,
  secretValues,
  settingsRead,
  workloads,
  type KubernetesObject,
  type Overlay,
  type Workload,
} from './deployment.js';

const rendered = {} as Record<Overlay, KubernetesObject[]>;
/** What the dev overlay runs beside the services, from public images: Postgres, Redis and the SMTP catcher. */
const DEV_BACKING_SERVICES = new Set(['postgres', 'redis', 'mailpit']);
const describeKubernetes = describeWithTool('kubectl', ['version', '--client']);

describeKubernetes('the kustomize overlays', () => {
  beforeAll(() => {
    for (const overlay of OVERLAYS) rendered[overlay] = renderOverlay(overlay);
  });

  it.each(OVERLAYS)('%s: every rendered object validates against the Kubernetes schemas', async (overlay) => {
    const invalid: string[] = [];
    for (const object of rendered[overlay]) {
      const models = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = models[object.kind];
      if (!Model) {
        invalid.push(`${object.apiVersion} ${object.kind} ${object.metadata.name}: not a Kubernetes kind`);
        continue;
      }
      try {
        new Model(withUnwrappedSecretData(object)).validate();
      } catch (error) {
        invalid.push(`${object.kind} ${object.metadata.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(invalid).toEqual([]);
  });

  // The schema validation above lets unknown fields through, so a misspelt `readinesProbe` would pass it; the
  // TypeScript types of the same models do not.
  it.each(OVERLAYS)('%s: no object has a field the Kubernetes API does not define', (overlay) => {
    expect(unknownFields(rendered[overlay])).toEqual([]);
  });

  it.each(OVERLAYS)('%s: each service runs as a Deployment with a ClusterIP Service, an autoscaler and a disruption budget', (overlay) => {
    const objects = rendered[overlay];
    for (const service of SERVICE_NAMES) {
      const { object, template } = deployment(objects, service);
      // The autoscaler owns the replica count; a replicas field would reset it on every apply.
      expect((object['spec'] as { replicas?: number }).replicas).toBeUndefined();
      const podLabels = template.metadata?.labels ?? {};

      const { spec: serviceSpec } = findObject(objects, 'Service', service) as IService;
      expect(serviceSpec?.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(selects({ matchLabels: serviceSpec?.selector ?? {} }, podLabels)).toBe(true);

      const autoscalers = objectsOfKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').filter(
        ({ spec }) => spec?.scaleTargetRef.kind === 'Deployment' && spec.scaleTargetRef.name === service,
      );
      expect(autoscalers).toHaveLength(1);
      const [autoscaler] = autoscalers;
      expect(autoscaler?.spec?.minReplicas ?? 1).toBeGreaterThanOrEqual(overlay === 'prod' ? 2 : 1);
      expect(autoscaler?.spec?.maxReplicas).toBeGreaterThan(autoscaler?.spec?.minReplicas ?? 1);
      // CPU utilisation is measured against requests: without them the autoscaler has nothing to go on.
      expect(mainContainer(deployment(objects, service)).resources?.requests?.['cpu']).toBeDefined();

      const budgets = objectsOfKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget').filter(({ spec }) => selects(spec?.selector, podLabels));
      expect(budgets).toHaveLength(1);
      // maxUnavailable, not minAvailable: a single replica (dev) must still let a node drain.
      expect(budgets[0]?.spec?.maxUnavailable).toBe(1);
    }
  });

  it.each(OVERLAYS)('%s: every pod runs as non-root on a read-only root filesystem, without privileges, with requests and limits', (overlay) => {
    const problems: string[] = [];
    for (const workload of workloads(rendered[overlay])) {
      const where = `${workload.kind} ${workload.name}`;
      const pod = workload.template.spec;
      if (!pod) throw new Error(`${where} has no pod spec`);
      if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if (!pod.securityContext?.runAsUser) problems.push(`${where}: no non-zero runAsUser`);
      if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${where}: seccomp profile is not RuntimeDefault`);
      if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token it never uses`);
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${where}: shares a host namespace`);
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        const at = `${where} container ${container.name}`;
        const security = container.securityContext;
        if (security?.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
        if (security?.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is writable`);
        if (security?.privileged) problems.push(`${at}: privileged`);
        if (!security?.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities are not all dropped`);
        if (security?.capabilities?.add?.length) problems.push(`${at}: adds capabilities`);
        if (container.ports?.some((port) => port.hostPort !== undefined)) problems.push(`${at}: binds a host port`);
        for (const resource of ['cpu', 'memory']) {
          if (!container.resources?.requests?.[resource]) problems.push(`${at}: no ${resource} request`);
          if (!container.resources?.limits?.[resource]) problems.push(`${at}: no ${resource} limit`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(OVERLAYS)('%s: every service gets a writable /tmp from an emptyDir, since its root filesystem is read-only', (overlay) => {
    for (const service of SERVICE_NAMES) {
      const workload = deployment(rendered[overlay], service);
      const mount = mainContainer(workload).volumeMounts?.find((candidate) => candidate.mountPath === '/tmp');
      const volume = workload.template.spec?.volumes?.find((candidate) => candidate.name === mount?.name);
      expect(volume?.emptyDir).toBeDefined();
    }
  });

  it.each(OVERLAYS)('%s: only the router is exposed, through one Ingress that leaves its /metrics, /ready and /live inside', (overlay) => {
    const objects = rendered[overlay];
    for (const { metadata, spec } of objectsOfKind<IService>(objects, 'Service')) {
      expect([metadata.name, spec?.type ?? 'ClusterIP', spec?.externalIPs ?? []]).toEqual([metadata.name, 'ClusterIP', []]);
    }
    const ingresses = objectsOfKind<IIngress>(objects, 'Ingress');
    expect(ingresses.map(({ metadata }) => metadata.name)).toEqual(['router']);
    const paths = ingresses.flatMap(({ spec }) => (spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? []));
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths.map((path) => path.backend.service?.name))).toEqual(new Set(['router']));
    expect(ingresses.every(({ spec }) => spec?.defaultBackend === undefined)).toBe(true);
    for (const internal of ['/metrics', '/ready', '/live']) {
      expect(paths.filter((path) => internal.startsWith(path.path ?? '/') && (path.pathType === 'Prefix' || path.path === internal))).toEqual([]);
    }
    if (overlay === 'prod') expect(ingresses[0]?.spec?.tls?.length).toBeGreaterThan(0);
  });

  it.each(OVERLAYS)(
    '%s: network policies deny by default, let only the router reach the subgraphs, and Postgres and Redis only what uses them',
    (overlay) => {
      const network = new PolicyEvaluator(rendered[overlay]);
      const ingressController: Peer = { name: 'ingress-controller', namespace: 'ingress-nginx', labels: {}, ports: {} };
      const sources = [...network.pods, ingressController];
      // Only this namespace's pods are held to its policies, so only they are asked about addresses outside the cluster.
      const allowedFrom = (destination: Peer, port: number) =>
        new Set(
          (destination.external ? network.pods : sources)
            .filter((source) => source !== destination && network.allows(source, destination, port))
            .map((source) => source.name),
        );

      const denyingEverything = objectsOfKind<INetworkPolicy>(rendered[overlay], 'NetworkPolicy').filter(({ spec }) => {
        const selectsEveryPod = Object.keys(spec?.podSelector.matchLabels ?? {}).length === 0;
        return selectsEveryPod && spec?.policyTypes?.includes('Ingress') && spec.policyTypes.includes('Egress') && !spec.ingress && !spec.egress;
      });
      expect(denyingEverything).toHaveLength(1);

      const router = network.pod('router');
      expect(allowedFrom(router, router.ports['http'] ?? 0)).toEqual(new Set(['ingress-controller']));
      for (const subgraph of SERVICE_NAMES.filter((service) => service !== 'router')) {
        const pod = network.pod(subgraph);
        expect([subgraph, allowedFrom(pod, pod.ports['http'] ?? 0)]).toEqual([subgraph, new Set(['router'])]);
      }

      // Who may reach Postgres and Redis follows from the code: the services that read DATABASE_URL / REDIS_URL, and
      // the migration Job. Dev runs them as pods here; prod reaches managed services outside the cluster.
      const using = (setting: string) =>
        new Set([...SERVICE_NAMES.filter((service) => settingsRead(service).has(setting)), ...(setting === 'DATABASE_URL' ? ['migrate'] : [])]);
      const outside = (name: string): Peer => ({ name, namespace: '', labels: {}, ports: {}, external: true });
      const postgres = overlay === 'dev' ? network.pod('postgres') : outside('managed-postgres');
      const redis = overlay === 'dev' ? network.pod('redis') : outside('managed-redis');
      expect(allowedFrom(postgres, 5432)).toEqual(using('DATABASE_URL'));
      expect(allowedFrom(redis, 6379)).toEqual(using('REDIS_URL'));
      // The SMTP server: Mailpit's SMTP port in dev (not its web UI, which is for port-forwarding); in prod a
      // provider's submission ports outside the cluster.
      expect(using('SMTP_URL').size).toBeGreaterThan(0);
      if (overlay === 'dev') {
        const mailpit = network.pod('mailpit');
        expect(allowedFrom(mailpit, mailpit.ports['smtp'] ?? 0)).toEqual(using('SMTP_URL'));
        expect(allowedFrom(mailpit, mailpit.ports['ui'] ?? 0)).toEqual(new Set());
      } else {
        for (const port of [587, 465, 25]) expect([port, allowedFrom(outside('smtp-provider'), port)]).toEqual([port, using('SMTP_URL')]);
      }

      const dns: Peer = { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: {} };
      for (const pod of network.pods) {
        expect([pod.name, network.allows(pod, dns, 53, 'UDP')]).toEqual([pod.name, true]);
        expect([pod.name, network.allows(pod, outside('anywhere'), 443)]).toEqual([pod.name, false]);
      }
    },
  );

  it('the base and prod define no Secret: they reference the ones an operator creates', () => {
    const base = run('kubectl', ['kustomize', 'k8s/base']);
    expect(base.status).toBe(0);
    expect(base.stdout).not.toMatch(/^kind: Secret$/m);
    expect(objectsOfKind(rendered.prod, 'Secret')).toEqual([]);
    const outsideDev = filesUnder('k8s').filter((file) => !file.startsWith('k8s/overlays/dev/'));
    for (const file of outsideDev) expect([file, /kind:\s*Secret\b|secretGenerator|stringData/.test(readRepoFile(file))]).toEqual([file, false]);
  });

  it('every secret the manifests refer to is one the dev overlay generates, and its values there are visibly throwaway', () => {
    const devSecret = secretValues(rendered.dev);
    for (const overlay of OVERLAYS) {
      for (const { name, key } of secretReferences(rendered[overlay])) {
        expect([overlay, name, key, devSecret(name, key) !== undefined]).toEqual([overlay, name, key, true]);
      }
    }
    for (const { metadata, data } of objectsOfKind<{ data?: Record<string, string> }>(rendered.dev, 'Secret')) {
      for (const [key, encoded] of Object.entries(data ?? {})) {
        const value = Buffer.from(encoded, 'base64').toString('utf8');
        const throwaway = value.includes('dev-only') || (URL.canParse(value) && new URL(value).password === '');
        expect([generatorName(metadata.name), key, throwaway]).toEqual([generatorName(metadata.name), key, true]);
      }
    }
  });

  it.each(OVERLAYS)('%s: credentials reach the services only from Secrets', (overlay) => {
    const credentials = new Set(['DATABASE_URL', 'REDIS_URL', 'ROUTER_SHARED_SECRET', 'JWT_KEYS', 'POSTGRES_PASSWORD', 'SMTP_URL']);
    for (const workload of workloads(rendered[overlay])) {
      for (const container of allContainers(workload)) {
        for (const variable of container.env ?? []) {
          if (credentials.has(variable.name))
            expect([workload.name, variable.name, variable.valueFrom?.secretKeyRef?.name !== undefined]).toEqual([
              workload.name,
              variable.name,
              true,
            ]);
        }
      }
    }
    for (const { metadata, data } of objectsOfKind<{ data?: Record<string, string> }>(rendered[overlay], 'ConfigMap')) {
      expect([metadata.name, Object.keys(data ?? {}).filter((key) => credentials.has(key))]).toEqual([metadata.name, []]);
    }
  });

  it('k8s/base/supergraph.graphql is the committed supergraph.graphql (npm run compose writes both)', () => {
    expect(readRepoFile('k8s/base/supergraph.graphql')).toBe(readRepoFile('supergraph.graphql'));
  });

  it.each(OVERLAYS)('%s: the router reads the supergraph from the generated ConfigMap, which holds the committed file', (overlay) => {
    const router = deployment(rendered[overlay], 'router');
    const file = mainContainer(router).env?.find((variable) => variable.name === 'SUPERGRAPH_FILE')?.value ?? '';
    const mount = mainContainer(router).volumeMounts?.find((candidate) => file.startsWith(`${candidate.mountPath}/`));
    const volume = router.template.spec?.volumes?.find((candidate) => candidate.name === mount?.name);
    const configMapName = volume?.configMap?.name ?? '';
    expect(generatorName(configMapName)).toBe('supergraph');
    const { data } = findObject(rendered[overlay], 'ConfigMap', configMapName) as KubernetesObject & { data: Record<string, string> };
    expect(data[file.slice((mount?.mountPath.length ?? 0) + 1)]).toBe(readRepoFile('supergraph.graphql'));
  });

  it.each(OVERLAYS)('%s: a Job applies the migrations, and every Deployment that uses Postgres waits for them before it serves', (overlay) => {
    const objects = rendered[overlay];
    const migrateImage = imageOf(objects, 'Job', 'migrate');
    const job = workloads(objects).find((workload) => workload.kind === 'Job' && workload.name === 'migrate');
    const jobContainer = job?.template.spec?.containers[0];
    expect(jobContainer?.args ?? []).toEqual([]);
    expect(jobContainer?.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toBeDefined();

    for (const service of SERVICE_NAMES) {
      const workload = deployment(objects, service);
      const databaseReference = mainContainer(workload).env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      const gates = (workload.template.spec?.initContainers ?? []).filter((container) => container.image === migrateImage);
      if (!settingsRead(service).has('DATABASE_URL')) {
        expect([service, gates]).toEqual([service, []]);
        continue;
      }
      expect(gates).toHaveLength(1);
      const [gate] = gates;
      // It checks this subgraph's own schema, with this subgraph's own database credentials.
      expect(gate?.args?.slice(0, 1)).toEqual(['--check']);
      expect(gate?.args?.join(' ')).toContain(`--subgraph ${service}`);
      expect(gate?.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual(databaseReference);
    }
  });

  it.each(OVERLAYS)('%s: every image is one the Dockerfile builds, pinned to a version in prod', (overlay) => {
    const targets = new Set(dockerStages().keys());
    const backing = workloads(rendered[overlay]).filter(({ name }) => DEV_BACKING_SERVICES.has(name));
    expect(overlay === 'prod' ? backing : []).toEqual([]);
    // Public images at a pinned release, never "latest".
    for (const workload of backing) for (const { image = '' } of allContainers(workload)) expect(image).toMatch(/:v?\d+(\.\d+)*(-[a-z]+)?$/);
    const images = new Set(
      workloads(rendered[overlay])
        .filter(({ name }) => !DEV_BACKING_SERVICES.has(name))
        .flatMap((workload) => allContainers(workload).map((container) => container.image ?? '')),
    );
    for (const image of images) {
      const [, repository = '', tag = ''] = /^(.+?)(?::([^:/]+))?$/.exec(image) ?? [];
      const target = repository.slice(repository.lastIndexOf('/') + 1);
      expect([image, targets.has(target)]).toEqual([image, true]);
      expect([image, tag]).toEqual([image, overlay === 'dev' ? 'dev' : expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
      if (overlay === 'prod') expect(repository).toContain('.');
    }
  });

  it.each(OVERLAYS)('%s: the namespace enforces the restricted Pod Security Standard', (overlay) => {
    const namespaces = objectsOfKind(rendered[overlay], 'Namespace');
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const namespaced = rendered[overlay].filter((object) => object.kind !== 'Namespace');
    expect(new Set(namespaced.map((object) => object.metadata.namespace))).toEqual(new Set([namespaces[0]?.metadata.name]));
  });
});

/** kustomize wraps long base64 values over several lines; the API server's decoder skips line breaks, the schema's format check does not. */
function withUnwrappedSecretData(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret') return object;
  const data = Object.entries((object['data'] ?? {}) as Record<string, string>).map(([key, value]) => [key, value.replace(/\s+/g, '')]);
  return { ...object, data: Object.fromEntries(data) };
}

function allContainers(workload: Workload): IContainer[] {
  return [...(workload.template.spec?.initContainers ?? []), ...(workload.template.spec?.containers ?? [])];
}

function imageOf(objects: KubernetesObject[], kind: Workload['kind'], name: string): string {
  const workload = workloads(objects).find((candidate) => candidate.kind === kind && candidate.name === name);
  return workload?.template.spec?.containers[0]?.image ?? '';
}

function secretReferences(objects: KubernetesObject[]): Array<{ name: string; key: string }> {
  return workloads(objects).flatMap((workload) =>
    allContainers(workload).flatMap((container) =>
      (container.env ?? []).flatMap(({ valueFrom }) =>
        valueFrom?.secretKeyRef ? [{ name: valueFrom.secretKeyRef.name ?? '', key: valueFrom.secretKeyRef.key }] : [],
      ),
    ),
  );
}

function filesUnder(directory: string): string[] {
  return readdirSync(join(repoRoot, directory)).flatMap((entry) => {
    const path = join(repoRoot, directory, entry);
    return statSync(path).isDirectory() ? filesUnder(relative(repoRoot, path)) : [relative(repoRoot, path)];
  });
}

function selects(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (selector?.matchExpressions?.length) throw new Error('matchExpressions are not evaluated here: extend PolicyEvaluator');
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

interface Peer {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Named container ports, which policies may refer to. */
  ports: Record<string, number>;
  /** An address outside the cluster: only ipBlock peers match it. */
  external?: boolean;
}

/** Enough of NetworkPolicy semantics for these manifests: matchLabels selectors, ipBlocks, numbered and named ports. */
class PolicyEvaluator {
  readonly pods: Peer[];
  private readonly namespace: string;
  private readonly policies: INetworkPolicy[];

  constructor(objects: KubernetesObject[]) {
    this.namespace = objectsOfKind(objects, 'Namespace')[0]?.metadata.name ?? '';
    this.policies = objectsOfKind<INetworkPolicy>(objects, 'NetworkPolicy');
    this.pods = workloads(objects).map((workload) => ({
      name: workload.name,
      namespace: this.namespace,
      labels: workload.template.metadata?.labels ?? {},
      ports: Object.fromEntries(
        allContainers(workload).flatMap((container) => (container.ports ?? []).map((port) => [port.name ?? '', port.containerPort])),
      ),
    }));
  }

  pod(name: string): Peer {
    const found = this.pods.find((pod) => pod.name === name);
    if (!found) throw new Error(`no workload ${name}`);
    return found;
  }

  allows(source: Peer, destination: Peer, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): boolean {
    return this.permits('Egress', source, destination, port, protocol) && this.permits('Ingress', destination, source, port, protocol);
  }

  /** Whether `pod`'s policies of one direction let it talk to `peer`; a pod no policy selects is not isolated. */
  private permits(direction: 'Ingress' | 'Egress', pod: Peer, peer: Peer, port: number, protocol: string): boolean {
    if (pod.namespace !== this.namespace || pod.external) return true;
    const isolating = this.policies.filter(({ spec }) => spec?.policyTypes?.includes(direction) && selects(spec.podSelector, pod.labels));
    if (isolating.length === 0) return true;
    const destination = direction === 'Egress' ? peer : pod;
    return isolating.some(({ spec }) =>
      (direction === 'Egress'
        ? spec?.egress?.map((rule) => ({ peers: rule.to, ports: rule.ports }))
        : spec?.ingress?.map((rule) => ({ peers: rule.from, ports: rule.ports }))
      )?.some(
        (rule) =>
          (rule.peers ?? [{}]).some((candidate) => this.matches(candidate, peer)) && this.portMatches(rule.ports, destination, port, protocol),
      ),
    );
  }

  private matches(candidate: INetworkPolicyPeer, peer: Peer): boolean {
    if (candidate.ipBlock) return peer.external === true;
    if (peer.external) return false;
    const namespaceMatches = candidate.namespaceSelector
      ? selects(candidate.namespaceSelector, { 'kubernetes.io/metadata.name': peer.namespace })
      : peer.namespace === this.namespace;
    return namespaceMatches && (!candidate.podSelector || selects(candidate.podSelector, peer.labels));
  }

  private portMatches(ports: INetworkPolicyPort[] | undefined, destination: Peer, port: number, protocol: string): boolean {
    if (!ports) return true;
    return ports.some(
      (candidate) =>
        (candidate.protocol ?? 'TCP') === protocol &&
        (candidate.port === undefined ||
          candidate.port === port ||
          (typeof candidate.port === 'string' && destination.ports[candidate.port] === port)),
    );
  }
}

/** Type-checks every object against the kubernetes-models interface of its kind; excess properties are errors. */
function unknownFields(objects: KubernetesObject[]): string[] {
  const file = join(repoRoot, 'tests', 'deployment', '__rendered-objects__.ts');
  const source = objects
    .map((object, index) => {
      const module = `kubernetes-models/${object.apiVersion}/${object.kind}`;
      return `import type { I${object.kind} as Kind${index} } from '${module}';\nexport const object${index}: Kind${index} = ${JSON.stringify(object, null, 2)};`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const objectLine =
      source
        .split('\n')
        .slice(0, line + 1)
        .reverse()
        .find((text) => text.startsWith('export const object')) ?? '';
    const index = Number(/object(\d+)/.exec(objectLine)?.[1]);
    const object = objects[index];
    return object ? `${object.kind} ${object.metadata.name}: ${message}` : message;
  });
}
