/**
 * The live file-log test (issue 13, item 2): the real collector (tools/otelcol) running the config synth renders for
 * compose with `intake.logFiles` set (its folder moved to a temp folder by the live RenderContext) tails a file; a JSON
 * line appended to it reaches the Loki OTLP stand-in (support/sinks.ts) with its trace_id and span_id as the record's
 * trace context, its level as severity, its time as timestamp, its msg as body and its service as service.name
 * (Loki's service_name); a plain-text line arrives as written, attributed to the file's name.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderContext } from '../../src/config/context';
import { collectorArgs } from '../../src/config/otelcol';
import { renderConfigFiles } from '../../src/config/render-all';
import { describeWithTools } from '../support/tools';
import { isOk, waitFor } from './support/api';
import type { DecodedLogRecord } from './support/otlp-proto';
import { freePorts, Processes } from './support/processes';
import { startLokiStandIn, type LokiStandIn } from './support/sinks';
import { liveContext, livePorts, resolve } from './support/stack';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const TIME = '2026-11-30T04:00:00.123Z';
const JSON_LINE = { time: TIME, level: 'warn', msg: 'payment retried', trace_id: TRACE_ID, span_id: SPAN_ID, service: 'checkout-api', order_id: 'o-1' };
const PLAIN_LINE = 'plain text from a script';

describeWithTools('live file logs: a tailed JSON line reaches Loki with its trace context and level', ['otelcol'], (tools) => {
  const procs = new Processes();
  let dir: string;
  let ctx: RenderContext;
  let loki: LokiStandIn;
  let logFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obskit-file-logs-'));
    const pool = await freePorts(20);
    let next = 0;
    ctx = liveContext(livePorts(() => pool[next++]!), dir);
    loki = await startLokiStandIn(ctx.ports.loki.http);
    const spec = resolve({ namespace: 'observability', environment: 'live', services: [], intake: { logFiles: { hostPath: '/var/log/shop', include: ['*.log'] } } });
    // The file exists, empty, before the collector starts: `start_at: end` then reads every line appended later.
    mkdirSync(ctx.paths.logFiles, { recursive: true });
    logFile = join(ctx.paths.logFiles, 'checkout.log');
    writeFileSync(logFile, '');
    writeFileSync(join(ctx.paths.logFiles, 'ignored.txt'), '');
    const config = join(dir, 'otelcol.yaml');
    writeFileSync(config, renderConfigFiles(spec, ctx).collector);
    const collector = procs.start('otelcol', tools.otelcol, collectorArgs({ configFile: config }));
    const health = `http://127.0.0.1:${ctx.ports.collector.health}/`;
    await waitFor('the collector to be ready', async () => {
      if (collector.exited()) throw new Error(`otelcol exited:\n${collector.output()}`);
      return (await isOk(health)) ? true : undefined;
    }, 40_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- otelcol output ---\n${collector.output().slice(-4000)}`);
    });
  }, 60_000);

  afterAll(async () => {
    await procs.stopAll();
    await loki?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const arrived = (predicate: (r: DecodedLogRecord) => boolean, what: string) =>
    waitFor(what, async () => loki.records.find(predicate), 20_000);

  it('lifts trace_id, span_id, level, time, msg and service of an appended JSON line into the OTLP record', async () => {
    appendFileSync(logFile, `${JSON.stringify(JSON_LINE)}\n`);
    const record = await arrived((r) => r.body === JSON_LINE.msg, 'the JSON line to reach the Loki stand-in');
    expect(record.traceId).toBe(TRACE_ID);
    expect(record.spanId).toBe(SPAN_ID);
    expect(record.severityNumber).toBe(13); // WARN
    expect(record.severityText).toBe('warn');
    expect(record.timeUnixNano).toBe(BigInt(Date.parse(TIME)) * 1_000_000n);
    expect(record.resource).toMatchObject({ 'service.name': 'checkout-api', 'deployment.environment.name': 'live' });
    expect(record.attributes).toMatchObject({ order_id: 'o-1', 'log.file.name': 'checkout.log' });
    expect(loki.errors).toEqual([]);
  });

  it('passes a line that is not JSON as written, attributed to its file name', async () => {
    appendFileSync(logFile, `${PLAIN_LINE}\n`);
    const record = await arrived((r) => r.body === PLAIN_LINE, 'the plain line to reach the Loki stand-in');
    expect(record.resource['service.name']).toBe('checkout');
    expect(record.traceId).toBeUndefined();
    expect(record.severityNumber).toBe(0);
  });
});
