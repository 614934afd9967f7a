/**
 * What each pinned image (src/spec/versions.ts) contains, as far as compose and Kubernetes depend on it: the user
 * it runs as, the directories it ships for its program to write, its config directory, whether it has a shell and
 * which commands a healthcheck or init command can call. Nothing here can run a container, so every fact was
 * looked up in the file the image is built from, named in `sources`; what could not be confirmed is listed in
 * `unconfirmed` and nothing relies on it.
 *
 * The mirrors reachable from here stop in August 2026, before most pinned tags: where the pinned tag is missing,
 * the Dockerfile was read at the newest release before it and on the main branch of that date, and each source
 * says so. Where both agree, the pinned release (cut from that branch later) is taken to agree too.
 */
import type { PinnedImage } from './versions';

export interface ImageSource {
  /** GitHub owner/name. */
  readonly repo: string;
  readonly path: string;
  /** The tag or branch the file was read at. */
  readonly ref: string;
  /** The commit read; absent for a documentation page read through the docs search. */
  readonly commit?: string;
  /** What it showed, and why this ref rather than the pinned tag where they differ. */
  readonly note: string;
}

export interface ImageDirectory {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** Octal mode, where the Dockerfile sets one. */
  readonly mode?: string;
}

export interface ImageContents {
  /** The pinned tag these facts are for: bumping a pin in versions.ts means looking them up again. */
  readonly tag: string;
  /** The base of its final stage. */
  readonly base: string;
  /** Numeric user and group its USER line resolves to (through the image's /etc/passwd where USER names only a user). */
  readonly user: { readonly uid: number; readonly gid: number };
  readonly entrypoint: readonly string[];
  /** Absolute path of a POSIX shell, or null when the image has none (scratch, distroless). */
  readonly shell: string | null;
  /** Programs confirmed at these absolute paths. */
  readonly executables: readonly string[];
  /** Commands confirmed on the image's PATH, by name. */
  readonly onPath: readonly string[];
  /** Long options its `wget` accepts (BusyBox wget), when it has one. */
  readonly wgetOptions?: readonly string[];
  /** The directory its program keeps state in, created by the image and owned by its user; null when none. */
  readonly dataDir: string | null;
  /** Directories the image creates for its program to write, with their owner. */
  readonly writableDirs: readonly ImageDirectory[];
  /** Where the image keeps its configuration (generated files are mounted read-only there); empty when it ships none. */
  readonly configDirs: readonly string[];
  readonly sources: readonly ImageSource[];
  readonly lookedUp: string;
  /** Facts that could not be confirmed here; nothing in obskit depends on them. */
  readonly unconfirmed: readonly string[];
}

const LOOKED_UP = '2026-11-30';

/**
 * BusyBox wget's long options (networking/wget.c, `wget_longopts`): `--tries` is accepted and ignored when
 * CONFIG_DESKTOP is set, which `make defconfig` (docker-library/busybox) and Alpine's busyboxconfig both set.
 */
const BUSYBOX_WGET_OPTIONS = [
  '--continue', '--quiet', '--server-response', '--output-document', '--output-file', '--directory-prefix',
  '--proxy', '--user-agent', '--timeout', '--tries', '--header', '--post-data', '--spider', '--no-check-certificate',
  '--post-file', '--passive-ftp', '--no-cache', '--no-verbose', '--no-clobber', '--no-host-directories', '--no-parent',
] as const;

const BUSYBOX_WGET_SOURCE: ImageSource = {
  repo: 'mirror/busybox',
  path: 'networking/wget.c',
  ref: '1_36_1',
  commit: '1a64f6a20aaf6ea4dbba68bbfa8cc1ab7e5c57c4',
  note: 'wget_longopts; "tries" is under IF_DESKTOP. The mirror ends at 1.36.1; the images carry 1.37/1.38.',
};

/** BusyBox applets `make defconfig` enables (each applet's `//config: default y`) that obskit calls. */
const BUSYBOX_COMMANDS = ['sh', 'wget', 'chown', 'head', 'base64', 'test'] as const;

const PROMETHEUS_BUSYBOX_SOURCES: readonly ImageSource[] = [
  {
    repo: 'prometheus/busybox',
    path: 'uclibc/Dockerfile',
    ref: 'master',
    commit: '869afd42c4d8f5d4e7e4787b3bd9a6c39cb403d6',
    note: 'quay.io/prometheus/busybox-linux-amd64:latest is tagged from the uclibc build: FROM busybox:uclibc plus CA certificates, nsswitch, zoneinfo.',
  },
  {
    repo: 'docker-library/busybox',
    path: 'Dockerfile-builder.template',
    ref: 'master',
    commit: '9c2087811429374737832a4c936fc411c1b4a22b',
    note: '`make defconfig`, applets installed into /bin (`busybox --install /bin`), /etc/passwd from buildroot\'s skeleton.',
  },
  {
    repo: 'otaviojr/buildroot',
    path: 'system/skeleton/etc/passwd',
    ref: 'master',
    commit: '30c50cb9fb715e4a97527cf534176f567917958b',
    note: 'nobody:x:65534:65534 (a buildroot copy; the official image fetches the file from buildroot\'s GitLab, not reachable here).',
  },
  BUSYBOX_WGET_SOURCE,
];

export const IMAGE_CONTENTS = {
  collector: {
    tag: '0.162.0',
    base: 'scratch',
    user: { uid: 10001, gid: 10001 },
    entrypoint: ['/otelcol-contrib'],
    shell: null,
    executables: ['/otelcol-contrib'],
    onPath: [],
    dataDir: null,
    writableDirs: [],
    configDirs: ['/etc/otelcol-contrib'],
    sources: [
      {
        repo: 'open-telemetry/opentelemetry-collector-releases',
        path: 'distributions/otelcol-contrib/Dockerfile',
        ref: 'v0.159.0',
        commit: 'f817832365a9a2b829bc7c25feffcf8834585dea',
        note: 'FROM scratch; USER 10001:10001; only the CA bundle, /otelcol-contrib and /etc/otelcol-contrib/config.yaml. Identical on main at ceccc19 (2026-08-20); the v0.162.0 tag is newer than the snapshot.',
      },
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [],
  },
  prometheus: {
    tag: 'v3.15.0',
    base: 'quay.io/prometheus/busybox-linux-amd64:latest',
    user: { uid: 65534, gid: 65534 },
    entrypoint: ['/bin/prometheus'],
    shell: '/bin/sh',
    executables: ['/bin/prometheus', '/bin/promtool', '/bin/sh'],
    onPath: [...BUSYBOX_COMMANDS],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: '/prometheus',
    writableDirs: [
      { path: '/prometheus', uid: 65534, gid: 65534 },
      { path: '/etc/prometheus', uid: 65534, gid: 65534 },
    ],
    configDirs: ['/etc/prometheus'],
    sources: [
      {
        repo: 'prometheus/prometheus',
        path: 'Dockerfile',
        ref: 'v3.14.0',
        commit: 'd7598b7141418fa35be2b5ec5d0fefb634199610',
        note: 'The busybox variant is the plain tag (Dockerfile.distroless is tagged -distroless, Makefile.common). chown -R nobody:nobody /etc/prometheus /prometheus; chmod g+w /prometheus; USER nobody; VOLUME /prometheus. Same on release-3.14 and main at d15adb9 (2026-08-21); v3.15.0 is newer than the snapshot.',
      },
      ...PROMETHEUS_BUSYBOX_SOURCES,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: ['the BusyBox release inside quay.io/prometheus/busybox at the time v3.15.0 was built'],
  },
  blackboxExporter: {
    tag: 'v0.27.0',
    base: 'quay.io/prometheus/busybox-linux-amd64:latest',
    // No USER line: the image runs as root. obskit runs it as nobody (src/config/run-as.ts).
    user: { uid: 0, gid: 0 },
    entrypoint: ['/bin/blackbox_exporter'],
    shell: '/bin/sh',
    executables: ['/bin/blackbox_exporter', '/bin/sh'],
    onPath: [...BUSYBOX_COMMANDS],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: null,
    writableDirs: [],
    configDirs: ['/etc/blackbox_exporter'],
    sources: [
      {
        repo: 'prometheus/blackbox_exporter',
        path: 'Dockerfile',
        ref: 'v0.27.0',
        note: 'Read in the v0.27.0 module zip from the Go module proxy (the tag itself; VERSION says 0.27.0): FROM quay.io/prometheus/busybox-${OS}-${ARCH}:latest; COPY blackbox_exporter to /bin and blackbox.yml to /etc/blackbox_exporter/config.yml; EXPOSE 9115; no USER; ENTRYPOINT /bin/blackbox_exporter; CMD --config.file=/etc/blackbox_exporter/config.yml.',
      },
      ...PROMETHEUS_BUSYBOX_SOURCES,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: ['the BusyBox release inside quay.io/prometheus/busybox at the time v0.27.0 was built'],
  },
  kubeStateMetrics: {
    tag: 'v2.20.0',
    base: 'gcr.io/distroless/static-debian13',
    // USER nobody: 65534:65534 in distroless's /etc/passwd.
    user: { uid: 65534, gid: 65534 },
    entrypoint: ['/kube-state-metrics', '--port=8080', '--telemetry-port=8081'],
    shell: null,
    executables: ['/kube-state-metrics'],
    onPath: [],
    dataDir: null,
    writableDirs: [],
    configDirs: [],
    sources: [
      {
        repo: 'kubernetes/kube-state-metrics',
        path: 'Dockerfile',
        ref: 'v2.20.0',
        commit: '4ffeda2ef866b0fef372849825a803296483b336',
        note: 'FROM gcr.io/distroless/static-debian13:latest-${GOARCH}; COPY kube-state-metrics /; USER nobody; ENTRYPOINT ["/kube-state-metrics", "--port=8080", "--telemetry-port=8081"]; EXPOSE 8080 8081. examples/standard/deployment.yaml at the same tag runs it as 65534 with a read-only root, /livez on 8080 and /readyz on 8081.',
      },
    ],
    lookedUp: '2026-11-30',
    unconfirmed: ['the distroless static-debian13 digest the v2.20.0 image was built from (its /etc/passwd maps nobody to 65534:65534 in every release read)'],
  },
  alertmanager: {
    tag: 'v0.34.2',
    base: 'quay.io/prometheus/busybox-linux-amd64:latest',
    user: { uid: 65534, gid: 65534 },
    entrypoint: ['/bin/alertmanager'],
    shell: '/bin/sh',
    executables: ['/bin/alertmanager', '/bin/amtool', '/bin/sh'],
    onPath: [...BUSYBOX_COMMANDS],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: '/alertmanager',
    writableDirs: [
      { path: '/alertmanager', uid: 65534, gid: 65534 },
      { path: '/etc/alertmanager', uid: 65534, gid: 65534 },
    ],
    configDirs: ['/etc/alertmanager'],
    sources: [
      {
        repo: 'prometheus/alertmanager',
        path: 'Dockerfile',
        ref: 'v0.34.0',
        commit: '085f0ef7eb41da24cab8cd000f1345b6250f2edb',
        note: 'mkdir -p /alertmanager; chown -R nobody:nobody /etc/alertmanager /alertmanager; chmod -R g+w /alertmanager; USER nobody; WORKDIR /alertmanager. Same on release-0.34 (2026-08-16) and main at 68fb2d5; v0.34.2 is newer than the snapshot.',
      },
      ...PROMETHEUS_BUSYBOX_SOURCES,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: ['the BusyBox release inside quay.io/prometheus/busybox at the time v0.34.2 was built'],
  },
  grafana: {
    tag: '13.2.3',
    base: 'alpine',
    user: { uid: 472, gid: 0 },
    entrypoint: ['/run.sh'],
    shell: '/bin/sh',
    executables: ['/run.sh', '/bin/sh'],
    onPath: [...BUSYBOX_COMMANDS, 'bash', 'curl'],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: '/var/lib/grafana',
    writableDirs: [
      { path: '/var/lib/grafana', uid: 472, gid: 0, mode: '777' },
      { path: '/var/lib/grafana/plugins', uid: 472, gid: 0, mode: '777' },
      { path: '/var/log/grafana', uid: 472, gid: 0, mode: '777' },
      { path: '/etc/grafana/provisioning', uid: 472, gid: 0, mode: '777' },
    ],
    configDirs: ['/etc/grafana'],
    sources: [
      {
        repo: 'grafana/grafana',
        path: 'Dockerfile',
        ref: '78515af (Grafana 12 era, Go 1.24.2)',
        commit: '78515af65f036f536c4ab2e6fdb5484552f99f1f',
        note: 'BASE_IMAGE=alpine; GF_UID=472, GF_GID=0 (adduser -G root); chown -R grafana and chmod -R 777 of the data, logs, plugins and provisioning paths; apk add bash curl; the final stage itself runs `wget -qO-`, so the Alpine base has wget; USER 472; ENTRYPOINT /run.sh. The grafana/grafana repository (3.2 GB) is too large to fetch here and the index holds no newer Dockerfile, so 13.2.3\'s own Dockerfile was not read.',
      },
      {
        repo: 'grafana/grafana',
        path: 'docs/sources/setup-grafana/configure-docker.md',
        ref: 'v13.2 (grafana.com/docs/grafana/v13.2/setup-grafana/configure-docker)',
        note: 'Documentation page, read through the docs search: grafana/grafana is built on Alpine by default, Ubuntu is a -ubuntu variant.',
      },
      {
        repo: 'alpinelinux/aports',
        path: 'main/busybox/busyboxconfig',
        ref: '05253d2 (busybox 1.27.2)',
        commit: '05253d2ccfbc33afa159c80635963e9c34d8cf45',
        note: 'CONFIG_DESKTOP, CONFIG_LONG_OPTS, CONFIG_WGET, CONFIG_FEATURE_WGET_LONG_OPTIONS, CONFIG_HEAD, CONFIG_BASE64, CONFIG_CHOWN all y. An old version: the only one in the index.',
      },
      BUSYBOX_WGET_SOURCE,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [
      '13.2.3\'s own Dockerfile (read at 78515af; uid 472, /var/lib/grafana and Alpine as the default are unchanged since Grafana 7 and the 13.2 docs)',
      'the Alpine release under 13.2.3',
    ],
  },
  loki: {
    tag: '3.7.8',
    base: 'gcr.io/distroless/static:nonroot',
    user: { uid: 10001, gid: 10001 },
    entrypoint: ['/usr/bin/loki'],
    shell: null,
    executables: ['/usr/bin/loki'],
    onPath: [],
    dataDir: '/loki',
    writableDirs: [
      { path: '/loki', uid: 10001, gid: 10001 },
      { path: '/loki/rules', uid: 10001, gid: 10001 },
      { path: '/loki/rules-temp', uid: 10001, gid: 10001 },
      { path: '/etc/loki', uid: 10001, gid: 10001 },
    ],
    configDirs: ['/etc/loki'],
    sources: [
      {
        repo: 'grafana/loki',
        path: 'cmd/loki/Dockerfile',
        ref: 'v3.7.6',
        commit: '5003600d7c787b5f047c8d1b0198559471b0caa5',
        note: 'FROM gcr.io/distroless/static:nonroot (busybox removed in #19502); /etc/passwd and /etc/group copied from a stage that adds loki 10001:10001; /etc/loki and /loki(/rules, /rules-temp) --chown=10001:10001; USER 10001; ENTRYPOINT /usr/bin/loki. Main at 65e30f8 (2026-08-22) differs only in GO_VERSION; v3.7.8 is newer than the snapshot.',
      },
      {
        repo: 'grafana/loki',
        path: 'cmd/loki/main.go',
        ref: 'v3.7.6',
        commit: '5003600d7c787b5f047c8d1b0198559471b0caa5',
        note: '`loki -health [-health.url=…]` runs a readiness check before any config parsing (cmd/loki/health.go).',
      },
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [],
  },
  tempo: {
    tag: '3.1.0',
    base: 'gcr.io/distroless/static-debian12',
    user: { uid: 10001, gid: 10001 },
    entrypoint: ['/tempo'],
    shell: null,
    executables: ['/tempo'],
    onPath: [],
    dataDir: '/var/tempo',
    writableDirs: [{ path: '/var/tempo', uid: 10001, gid: 10001, mode: '0700' }],
    configDirs: [],
    sources: [
      {
        repo: 'grafana/tempo',
        path: 'cmd/tempo/Dockerfile',
        ref: 'v3.0.3',
        commit: '1900ed7bb5cad1a3edc285783d7d4ac4278337dc',
        note: 'FROM gcr.io/distroless/static-debian12; passwd/group from a setup stage adding tempo 10001:10001; COPY --chown=10001:10001 --chmod=0700 /var/tempo; USER 10001:10001; ENTRYPOINT /tempo; no config in the image. Main at ad33aa8 (2026-08-21) differs only in base digests; 3.1.0 is newer than the snapshot.',
      },
      {
        repo: 'grafana/tempo',
        path: 'cmd/tempo/main.go',
        ref: 'v3.0.3',
        commit: '1900ed7bb5cad1a3edc285783d7d4ac4278337dc',
        note: '`-health` and `-health.url` (added in #6608, in every 3.0 tag and on main) GET the /ready endpoint and exit 0 or 1.',
      },
      {
        repo: 'grafana/tempo',
        path: 'example/docker-compose/local/docker-compose.yaml',
        ref: 'v2.6.0',
        commit: 'e85bbc57de52cc9044bc0911de0d1afe5d1fbe07',
        note: 'Tempo\'s own example: a one-shot `init` service running `chown 10001:10001 /var/tempo` as root before Tempo starts.',
      },
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [],
  },
  kafka: {
    tag: '4.4.0',
    base: 'eclipse-temurin:21-jre-alpine',
    // `adduser -D appuser` on Alpine (BusyBox adduser): the first free id above CONFIG_LAST_SYSTEM_ID (999), and a group of the same id.
    user: { uid: 1000, gid: 1000 },
    entrypoint: ['/etc/kafka/docker/run'],
    shell: '/bin/bash',
    executables: ['/etc/kafka/docker/run', '/opt/kafka/bin/kafka-server-start.sh', '/opt/kafka/bin/kafka-storage.sh'],
    onPath: [],
    dataDir: '/var/lib/kafka/data',
    writableDirs: [
      { path: '/var/lib/kafka/data', uid: 1000, gid: 0 },
      { path: '/opt/kafka', uid: 1000, gid: 1000 },
      { path: '/mnt/shared/config', uid: 1000, gid: 1000 },
    ],
    configDirs: ['/opt/kafka/config'],
    sources: [
      {
        repo: 'apache/kafka',
        path: 'docker/jvm/Dockerfile',
        ref: 'trunk',
        commit: '1eb7644349cb07139d6a3c1ad1986979647cac99',
        note:
          'FROM eclipse-temurin:21-jre-alpine; `adduser -h /home/appuser -D --shell /bin/bash appuser`; chown appuser -R /opt/kafka /mnt/shared/config, appuser:root /var/lib/kafka; USER appuser; VOLUME /etc/kafka/secrets /var/lib/kafka/data /mnt/shared/config; CMD /etc/kafka/docker/run. The mirror ends on trunk at 4.0.0-SNAPSHOT (2024-10-25); the 4.x release images are built from this file.',
      },
      {
        repo: 'apache/kafka',
        path: 'docker/jvm/launch',
        ref: 'trunk',
        commit: '1eb7644349cb07139d6a3c1ad1986979647cac99',
        note:
          'With KAFKA_PROCESS_ROLES set, formats the log dirs with CLUSTER_ID (kafka-storage.sh format, tolerating "already formatted"), writing the final configs to /opt/kafka/config from the KAFKA_* environment (KAFKA_FOO_BAR → foo.bar), then execs kafka-server-start.sh /opt/kafka/config/server.properties. So /opt/kafka/config must be writable (an emptyDir), and LOG_DIR (kafka-run-class.sh, default /opt/kafka/logs) too.',
      },
      {
        repo: 'apache/kafka',
        path: 'docker/examples/docker-compose-files/cluster/combined/plaintext/docker-compose.yml',
        ref: 'trunk',
        commit: '53364c539970785f9317c2ddab26a4e350f12b23',
        note: 'Three combined broker+controller nodes: KAFKA_NODE_ID, KAFKA_PROCESS_ROLES=broker,controller, KAFKA_LISTENERS, KAFKA_ADVERTISED_LISTENERS, KAFKA_CONTROLLER_LISTENER_NAMES, KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, KAFKA_CONTROLLER_QUORUM_VOTERS, KAFKA_INTER_BROKER_LISTENER_NAME, CLUSTER_ID, KAFKA_LOG_DIRS.',
      },
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: ['the 4.4.0 image itself (the mirror stops before 4.0): the Dockerfile, launch script and user are taken to be unchanged since trunk at 1eb7644'],
  },
  node: {
    tag: '24.21.0-alpine',
    base: 'alpine:3.24',
    user: { uid: 0, gid: 0 },
    entrypoint: ['docker-entrypoint.sh'],
    shell: '/bin/sh',
    executables: ['/bin/sh', '/usr/local/bin/node'],
    onPath: [...BUSYBOX_COMMANDS, 'node', 'npm'],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: null,
    writableDirs: [],
    configDirs: [],
    sources: [
      {
        repo: 'nodejs/docker-node',
        path: '24/alpine3.24/Dockerfile',
        ref: 'main',
        commit: 'f27d936f7d7ccdeec25cd2de33584c1a841f561d',
        note: 'FROM alpine; addgroup -g 1000 node, adduser -u 1000 node; curl is a build dependency and removed (apk del .build-deps); no USER line (root); the generated demo Dockerfile adds USER node. The snapshot has 24.19.0; 24.21.0 is newer.',
      },
      {
        repo: 'alpinelinux/aports',
        path: 'main/busybox/busyboxconfig',
        ref: '05253d2 (busybox 1.27.2)',
        commit: '05253d2ccfbc33afa159c80635963e9c34d8cf45',
        note: 'Alpine\'s BusyBox has wget (with long options), head, base64, chown.',
      },
      BUSYBOX_WGET_SOURCE,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: ['the Alpine release under node:24.21.0-alpine'],
  },
  thanos: {
    tag: 'v0.42.5',
    base: 'quay.io/prometheus/busybox@sha256:14d68ca3d69fceaa6224250c83d81d935c053fb13594c811038c461194599973',
    // `adduser -D -H -u 1001 thanos`, then USER 1001: BusyBox's adduser gives the new user a group of its own name;
    // obskit sets the group explicitly (1001) rather than relying on the gid adduser picked.
    user: { uid: 1001, gid: 1001 },
    entrypoint: ['/bin/thanos'],
    shell: '/bin/sh',
    executables: ['/bin/thanos', '/bin/sh'],
    onPath: [...BUSYBOX_COMMANDS],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    // The image creates no data directory (-H: no home); Receive writes to its PersistentVolumeClaim.
    dataDir: null,
    writableDirs: [],
    configDirs: [],
    sources: [
      {
        repo: 'thanos-io/thanos',
        path: 'Dockerfile',
        ref: 'v0.42.5',
        note: 'Read in the v0.42.5 module zip from the Go module proxy (the tag itself): FROM quay.io/prometheus/busybox@sha256:14d68ca3…; RUN adduser -D -H -u 1001 thanos; COPY --chown=thanos the binary to /bin/thanos; USER 1001; ENTRYPOINT /bin/thanos.',
      },
      ...PROMETHEUS_BUSYBOX_SOURCES,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [
      'the tag quay.io/thanos/thanos:v0.42.5 itself: the search here found v0.42.4 in renovate updates and the v0.42.5 module on the Go proxy, not the image tag',
      'the gid BusyBox adduser gave the thanos group',
    ],
  },
  volumeInit: {
    tag: '1.38.0',
    base: 'scratch (BusyBox 1.38.0, glibc build on amd64)',
    user: { uid: 0, gid: 0 },
    entrypoint: [],
    shell: '/bin/sh',
    executables: ['/bin/sh', '/bin/chown'],
    onPath: [...BUSYBOX_COMMANDS],
    wgetOptions: BUSYBOX_WGET_OPTIONS,
    dataDir: null,
    writableDirs: [],
    configDirs: [],
    sources: [
      {
        repo: 'docker-library/official-images',
        path: 'library/busybox',
        ref: 'master',
        commit: '37079fb336f572a88700cf32e5e1f6be54a04e8f',
        note: 'Tags: 1.38.0, 1.38, 1, latest → latest/glibc on amd64.',
      },
      {
        repo: 'docker-library/busybox',
        path: 'latest/glibc/amd64/image-config.json',
        ref: 'master',
        commit: '9c2087811429374737832a4c936fc411c1b4a22b',
        note: '"BusyBox 1.38.0 (glibc), Debian 13"; Cmd ["sh"], no User (root), no Entrypoint; applets installed into /bin by Dockerfile-builder.template.',
      },
      BUSYBOX_WGET_SOURCE,
    ],
    lookedUp: LOOKED_UP,
    unconfirmed: [],
  },
} as const satisfies Record<PinnedImage, ImageContents>;

export function imageContents(image: PinnedImage): ImageContents {
  return IMAGE_CONTENTS[image];
}
