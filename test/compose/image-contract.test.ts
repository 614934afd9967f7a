import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { COMPONENT_IMAGES, RUN_AS } from '../../src/config/run-as';
import { COMPONENTS, IMAGE_CONTENTS, versions, type PinnedImage } from '../../src/spec';
import { DEFAULT_HOSTS, DEFAULT_PATHS } from '../../src/config/context';
import { renderCompose } from '../../src/compose/compose';
import { resolveSpec } from '../../src/spec';
import { stack } from '../fixtures/demo-spec';
import { synthInto } from '../support/synth';
import {
  checkImageContract,
  pinnedImageOf,
  scriptPrograms,
  type BuiltImage,
  type ContractFile,
  type ContractService,
} from './image-contract';

const clone = <T>(value: T): T => structuredClone(value);

/** The demo is built from the generated Dockerfile: its last FROM and USER lines say what it runs. */
function builtImages(composeDir: string, file: ContractFile): Record<string, BuiltImage> {
  const built: Record<string, BuiltImage> = {};
  for (const [name, service] of Object.entries(file.services)) {
    if (!service.build) continue;
    const dockerfile = readFileSync(join(composeDir, service.build.context, service.build.dockerfile), 'utf8');
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].at(-1)?.[1];
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].at(-1)?.[1];
    built[name] = { base: from ?? '', user: user ?? 'root' };
  }
  return built;
}

describe('what each pinned image contains (src/spec/images.ts)', () => {
  it('covers every pinned image at its pinned tag, each fact with the source it was looked up in', () => {
    expect(Object.keys(IMAGE_CONTENTS).sort()).toEqual(Object.keys(versions).sort());
    for (const [image, contents] of Object.entries(IMAGE_CONTENTS)) {
      // A new pin means looking its image up again: the facts name the tag they were gathered for.
      expect([image, contents.tag]).toEqual([image, versions[image as PinnedImage].tag]);
      expect([image, contents.sources.length]).toEqual([image, expect.any(Number)]);
      expect(contents.sources.length).toBeGreaterThan(0);
      for (const source of contents.sources) {
        expect([image, source.repo]).toEqual([image, expect.stringMatching(/^[\w.-]+\/[\w.-]+$/)]);
        expect([image, source.path, source.ref, source.note.length > 20]).toEqual([image, expect.any(String), expect.any(String), true]);
        if ('commit' in source) expect([image, source.commit]).toEqual([image, expect.stringMatching(/^[0-9a-f]{40}$/)]);
      }
      expect([image, contents.lookedUp]).toEqual([image, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
    }
  });

  it('keeps every data directory writable by the image\'s own user', () => {
    for (const [image, contents] of Object.entries(IMAGE_CONTENTS)) {
      if (!contents.dataDir) continue;
      const dir = contents.writableDirs.find((d) => d.path === contents.dataDir);
      expect([image, dir?.uid]).toEqual([image, contents.user.uid]);
    }
  });

  it('records that the distroless and scratch images have no shell and no HTTP client', () => {
    for (const image of ['collector', 'loki', 'tempo'] as const) {
      expect([image, IMAGE_CONTENTS[image].shell, IMAGE_CONTENTS[image].onPath]).toEqual([image, null, []]);
    }
  });

  it('runs every component, in compose and Kubernetes, as its image\'s user (Grafana with group 472 instead of root; the blackbox exporter, whose image names no user, as nobody)', () => {
    for (const component of COMPONENTS.filter((c) => c !== 'blackbox')) {
      const image = IMAGE_CONTENTS[COMPONENT_IMAGES[component]];
      expect([component, RUN_AS[component].uid]).toEqual([component, image.user.uid]);
      if (component !== 'grafana') expect([component, RUN_AS[component].gid]).toEqual([component, image.user.gid]);
    }
    expect(RUN_AS.grafana.gid).toBe(472);
    expect(IMAGE_CONTENTS.blackboxExporter.user).toEqual({ uid: 0, gid: 0 });
    expect(RUN_AS.blackbox).toEqual({ uid: 65534, gid: 65534 });
  });
});

describe('the compose file keeps the images\' runtime contract', () => {
  let composeDir: string;
  let root: string;
  let file: ContractFile;
  let built: Record<string, BuiltImage>;
  beforeAll(() => {
    root = synthInto('image-contract');
    composeDir = join(root, 'compose');
    file = parse(readFileSync(join(composeDir, 'docker-compose.yaml'), 'utf8')) as ContractFile;
    built = builtImages(composeDir, file);
  });

  const service = (f: ContractFile, name: string): ContractService => f.services[name]!;

  it('has no problem: volumes where each image writes and owned by its user, every command present in its image', () => {
    expect(checkImageContract(file, built)).toEqual([]);
  });

  it('knows the image of every service, the demo through its generated Dockerfile', () => {
    expect(built.demo).toEqual({ base: `${versions.node.image}:${versions.node.tag}`, user: 'node' });
    for (const [name, s] of Object.entries(file.services)) {
      const ref = s.build ? built[name]!.base : s.image!;
      expect([name, pinnedImageOf(ref)]).toEqual([name, expect.any(String)]);
    }
  });

  it('mounts Loki and Tempo data at the directories their images create, not /var/lib', () => {
    expect(service(file, 'loki').volumes).toContain(`loki-data:${IMAGE_CONTENTS.loki.dataDir}`);
    expect(service(file, 'tempo').volumes).toContain(`tempo-data:${IMAGE_CONTENTS.tempo.dataDir}`);
    expect(JSON.stringify(file)).not.toMatch(/\/var\/lib\/(loki|tempo)/);
  });

  it('gives each data volume to its user in a hardened one-shot init, before anything uses it', () => {
    const init = service(file, 'volume-init');
    expect(init.image).toBe(`${versions.volumeInit.image}:${versions.volumeInit.tag}`);
    expect(init).toMatchObject({
      user: '0:0',
      cap_drop: ['ALL'],
      cap_add: ['CHOWN'],
      network_mode: 'none',
      read_only: true,
      security_opt: ['no-new-privileges:true'],
      restart: 'no',
    });
    expect(scriptPrograms(init.command!.join(' '))).toEqual(Array(5).fill('chown'));
    for (const [name, s] of Object.entries(file.services)) {
      const usesVolume = (s.volumes ?? []).some((v) => /^[a-z][-a-z0-9]*:/.test(v));
      if (!usesVolume || name === 'volume-init') continue;
      expect([name, s.depends_on?.['volume-init']]).toEqual([name, { condition: 'service_completed_successfully' }]);
    }
  });

  it('health-checks Loki and Tempo with their own binaries, and the collector not at all (FROM scratch)', () => {
    expect(service(file, 'loki').healthcheck!.test.slice(0, 3)).toEqual(['CMD', '/usr/bin/loki', '-health']);
    expect(service(file, 'tempo').healthcheck!.test.slice(0, 3)).toEqual(['CMD', '/tempo', '-health']);
    expect(service(file, 'otel-collector').healthcheck).toBeUndefined();
  });

  describe('can fail, naming the service and what is wrong', () => {
    it('a volume at a path the image does not use', () => {
      const bad = clone(file);
      service(bad, 'loki').volumes = ['./loki/loki.yaml:/etc/loki/loki.yaml:ro', 'loki-data:/var/lib/loki'];
      expect(checkImageContract(bad, built)).toEqual([
        expect.stringMatching(/^loki: volume loki-data mounts at \/var\/lib\/loki, a path the image does not write \(its data directory is \/loki\)$/),
      ]);
    });

    it('a root-owned volume: no init, or an init that gives it to someone else', () => {
      const noInit = clone(file);
      delete service(noInit, 'tempo').depends_on;
      expect(checkImageContract(noInit, built)).toEqual([
        expect.stringMatching(/^tempo: volume tempo-data is created owned by root and tempo runs as uid 10001; no init service/),
      ]);
      const wrongOwner = clone(file);
      service(wrongOwner, 'volume-init').command = [service(file, 'volume-init').command![0]!.replace('chown 10001:10001 /volumes/tempo-data', 'chown 65534:65534 /volumes/tempo-data')];
      expect(checkImageContract(wrongOwner, built)).toEqual(['tempo: volume tempo-data is given to uid 65534, but tempo runs as uid 10001']);
    });

    it('a healthcheck calling a program its image lacks, or a wget option BusyBox does not take', () => {
      const bad = clone(file);
      service(bad, 'tempo').healthcheck = { test: ['CMD', 'wget', '--spider', 'http://localhost:3200/ready'] };
      service(bad, 'loki').healthcheck = { test: ['CMD-SHELL', 'curl -f http://localhost:3100/ready'] };
      service(bad, 'prometheus').healthcheck = { test: ['CMD', 'wget', '--retry-connrefused', 'http://localhost:9090/-/ready'] };
      expect(checkImageContract(bad, built)).toEqual([
        expect.stringMatching(/^prometheus: healthcheck: the image's wget does not accept --retry-connrefused$/),
        expect.stringMatching(/^loki: healthcheck needs a shell, which the image does not have \(gcr.io\/distroless\/static:nonroot: no shell/),
        expect.stringMatching(/^tempo: healthcheck runs wget, which the image does not have/),
      ]);
    });

    it('an init script calling a program its image lacks, a root service with more power, a writable bind mount', () => {
      const bad = clone(file);
      service(bad, 'grafana-init').command = ['test -s /var/lib/grafana/x || openssl rand -base64 32 > /var/lib/grafana/x'];
      const init = service(bad, 'volume-init');
      init.cap_add = ['CHOWN', 'DAC_OVERRIDE'];
      delete init.network_mode;
      service(bad, 'prometheus').volumes![0] = service(file, 'prometheus').volumes![0]!.replace(/:ro$/, '');
      expect(checkImageContract(bad, built)).toEqual([
        expect.stringMatching(/^prometheus: bind mount \.\/prometheus\/prometheus.yml is writable/),
        'volume-init: runs as root with capabilities beyond CHOWN/FOWNER: DAC_OVERRIDE',
        expect.stringMatching(/^volume-init: runs as root with a network/),
        'grafana-init: entrypoint script runs openssl, which the image does not have',
      ]);
    });

    it('a generated file mounted inside a data volume, or outside the image\'s config directory', () => {
      const bad = clone(file);
      const grafana = service(bad, 'grafana');
      grafana.volumes = grafana.volumes!.map((v) => v.replace(':/etc/grafana/dashboards:', ':/var/lib/grafana/dashboards:'));
      expect(checkImageContract(bad, built)).toEqual([
        'grafana: bind mount at /var/lib/grafana/dashboards lies inside the data volume at /var/lib/grafana',
        'grafana: bind mount at /var/lib/grafana/dashboards is outside the image\'s config directories (/etc/grafana)',
      ]);
    });
  });

  describe('with intake.logFiles (the collector tails a host folder)', () => {
    const withLogs = () => {
      const spec = resolveSpec({ ...stack, intake: { logFiles: { hostPath: '/var/log/shop' } } });
      return JSON.parse(JSON.stringify(renderCompose(spec))) as ContractFile;
    };

    it('mounts the folder read-only at its fixed path, outside any volume, for the image\'s uid 10001 to read', () => {
      const logs = withLogs();
      const collector = service(logs, 'otel-collector');
      expect(collector.volumes).toContain(`/var/log/shop:${DEFAULT_PATHS.logFiles}:ro`);
      expect(collector.user).toBe(`${IMAGE_CONTENTS.collector.user.uid}:${IMAGE_CONTENTS.collector.user.gid}`);
      expect(checkImageContract(logs, built)).toEqual([]);
    });

    it('can fail: the folder mounted writable, or somewhere else outside the config directory', () => {
      const bad = withLogs();
      const collector = service(bad, 'otel-collector');
      collector.volumes = collector.volumes!.map((v) => v.replace(`:${DEFAULT_PATHS.logFiles}:ro`, `:${DEFAULT_PATHS.logFiles}`));
      collector.volumes.push('/var/log/other:/var/log/other:ro');
      expect(checkImageContract(bad, built)).toEqual([
        'otel-collector: bind mount /var/log/shop is writable; generated files are mounted read-only',
        "otel-collector: bind mount at /var/log/other is outside the image's config directories (/etc/otelcol-contrib)",
      ]);
    });
  });

  it('runs the Kubernetes pods as the same users, with their data on PVCs at the same image directories', () => {
    const docs = readdirSync(join(root, 'dist/k8s'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(join(root, 'dist/k8s', f), 'utf8')).map((d) => d.toJS() as K8sObject));
    const workloads = docs.filter((d) => d?.kind === 'StatefulSet' || d?.kind === 'Deployment');
    for (const component of COMPONENTS) {
      const workload = workloads.find((w) => w.metadata.name === DEFAULT_HOSTS[component])!;
      const pod = workload.spec.template.spec;
      const image: PinnedImage = COMPONENT_IMAGES[component];
      expect([component, pod.securityContext.runAsUser, pod.securityContext.fsGroup]).toEqual([
        component,
        RUN_AS[component].uid,
        RUN_AS[component].gid,
      ]);
      const claims = (workload.spec.volumeClaimTemplates ?? []).map((c) => c.metadata.name);
      const dataMounts = pod.containers[0]!.volumeMounts.filter((m) => claims.includes(m.name)).map((m) => m.mountPath);
      expect([component, dataMounts]).toEqual([component, IMAGE_CONTENTS[image].dataDir ? [IMAGE_CONTENTS[image].dataDir] : []]);
    }
  });
});

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: {
    volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
    template: {
      spec: {
        securityContext: { runAsUser: number; fsGroup: number };
        containers: Array<{ volumeMounts: Array<{ name: string; mountPath: string }> }>;
      };
    };
  };
}
