/**
 * Compose plays each service the spec marks `simulated` with the simulator (src/sdk/simulate), from the demo's
 * image, hardened like every container, reading the catalog synth writes beside the compose file.
 */
import { renderCompose } from '../../src/compose/compose';
import { COMPOSE_FILES, SIMULATOR_CATALOG_IN_CONTAINER } from '../../src/compose/layout';
import { resolveSpec } from '../../src/spec';
import { buildArtifacts } from '../../src/synth/artifacts';
import { parseCatalog } from '../../src/sdk/simulate/catalog';
import { demoSpecInput } from '../fixtures/demo-spec';
import { systemsSpecInput } from '../fixtures/systems-spec';

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  deploy?: { resources?: { limits?: { memory?: string } } };
}

const ports: Record<string, number> = { 'zephyr-app': 8000, 'covetpy-service': 8001, 'jp-spec-kit': 9090, 'git-notes-memory': 9464 };
// Compose reaches each at its own name: no `host`.
const input = systemsSpecInput((s) => ports[s]!);
const spec = resolveSpec({ ...input, services: input.services.map(({ host: _host, ...s }) => s) });

describe('compose: simulated services', () => {
  const services = (renderCompose(spec) as { services: Record<string, Service> }).services;

  it('runs one simulator container per simulated service, named as the service, from the demo image', () => {
    for (const s of spec.services) {
      const c = services[s.name];
      expect({ name: s.name, build: c?.build, image: c?.image, command: c?.command, simulate: c?.environment?.SIMULATE }).toEqual({
        name: s.name,
        build: { context: '..', dockerfile: COMPOSE_FILES.demoDockerfile },
        image: 'obskit-demo:local',
        command: ['node', 'sdk/simulate/main.js'],
        simulate: s.name,
      });
      expect(c?.environment?.SIMULATE_CATALOG).toBe(SIMULATOR_CATALOG_IN_CONTAINER);
      expect(c?.volumes).toEqual([`${COMPOSE_FILES.simulatorCatalog}:${SIMULATOR_CATALOG_IN_CONTAINER}:ro`]);
      // Busybox wget is in the Node Alpine image, as for the demo; the simulator serves the SDK's health endpoints.
      expect(c?.healthcheck?.test).toEqual(['CMD', 'wget', '--quiet', '--tries=1', '--spider', `http://localhost:${s.port}/health/ready`]);
      expect({ ro: c?.read_only, caps: c?.cap_drop, opts: c?.security_opt, memory: c?.deploy?.resources?.limits?.memory }).toEqual({
        ro: true,
        caps: ['ALL'],
        opts: ['no-new-privileges:true'],
        memory: expect.stringMatching(/^\d+[kmg]?$/),
      });
    }
  });

  it('writes the catalog it reads, with every simulated service at the port Prometheus scrapes', () => {
    const artifact = buildArtifacts(spec).find((a) => a.path === `compose/${COMPOSE_FILES.simulatorCatalog.replace('./', '')}`);
    expect(artifact).toBeDefined();
    const catalog = parseCatalog(String(artifact!.content), 'catalog.json');
    expect(catalog.services.map((s) => [s.name, s.port, s.metricsPath])).toEqual(spec.services.map((s) => [s.name, s.port, s.metricsPath ?? '/metrics']));
  });

  it('a service not marked simulated is left to the user: no container, no catalog', () => {
    const demo = resolveSpec(demoSpecInput);
    expect(demo.services.some((s) => s.simulated)).toBe(false);
    const out = (renderCompose(demo) as { services: Record<string, Service> }).services;
    expect(Object.values(out).filter((c) => c.command?.includes('sdk/simulate/main.js'))).toEqual([]);
    expect(buildArtifacts(demo).some((a) => a.path.includes('simulator'))).toBe(false);
  });
});
