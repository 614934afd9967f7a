import type { ComponentResources } from '../spec';

/**
 * What every container gets: read-only root, no capabilities (but the few named), no privilege escalation,
 * memory capped.
 */
export function hardening(resources: ComponentResources, capabilities: readonly string[] = []): Record<string, unknown> {
  return {
    read_only: true,
    tmpfs: ['/tmp'],
    cap_drop: ['ALL'],
    ...(capabilities.length > 0 && { cap_add: [...capabilities] }),
    security_opt: ['no-new-privileges:true'],
    restart: 'unless-stopped',
    deploy: {
      resources: {
        limits: { memory: toComposeBytes(resources.limits.memory), ...(resources.limits.cpu && { cpus: toCpus(resources.limits.cpu) }) },
        reservations: { memory: toComposeBytes(resources.requests.memory) },
      },
    },
  };
}

/** Kubernetes quantities to compose units: `512Mi` → `512m` (compose's m is MiB), `2Gi` → `2g`. */
function toComposeBytes(quantity: string): string {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (match) return `${match[1]}${{ Ki: 'k', Mi: 'm', Gi: 'g', Ti: 't' }[match[2] as 'Ki']}`;
  const decimal = /^(\d+)(k|M|G|T)?$/.exec(quantity);
  if (decimal) return String(Number(decimal[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[decimal[2] ?? '']!);
  throw new Error(`cannot express ${quantity} in compose units`);
}

function toCpus(quantity: string): string {
  return quantity.endsWith('m') ? String(Number(quantity.slice(0, -1)) / 1000) : quantity;
}

