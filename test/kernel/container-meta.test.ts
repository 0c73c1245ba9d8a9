/**
 * @module test/kernel/container-meta.test: container metadata on real alerts. A named Podman container
 * reads /etc/shadow while the monitor runs; the alert carries the container's name, image, repository,
 * tag and digest as `podman inspect` reports them, resolved (a) from containers-storage's state with no
 * API service, (b) from Podman's API service on a socket of the test's own; and (c) with a runtime
 * socket that accepts and never answers, alerts still leave within the bounded wait, '<unresolved>'.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { sleep, run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { podman, podmanEnv, requirePodman, startContainer, TEST_IMAGE, type TestContainer } from '../helpers/podman.js';
import { silentSocket } from '../helpers/fake-runtime.js';
import { ContainerResolver, type ResolverOptions } from '../../src/container/resolver.js';
import { StorageState, DEFAULT_STORAGE } from '../../src/container/storage.js';
import { DockerApi, PodmanApi } from '../../src/container/http-api.js';
import type { MetaSource } from '../../src/container/meta.js';
import type { Alert } from '../../src/alerts/alert.js';

const RULE = 'Container shadow read (test)';
const dir = mkdtempSync(join(tmpdir(), 'bg-cmeta-k-'));
const rules = join(dir, 'rules.yaml');
writeFileSync(
	rules,
	`- rule: ${RULE}
  desc: test
  condition: evt.type in (open, openat) and fd.name = /etc/shadow and container.id != host
  output: "shadow read in %container.name image=%container.image tag=%container.image.tag app=%container.label[app] by %proc.name"
  priority: warning
- rule: Host marker (test)
  desc: test
  condition: evt.type = execve and proc.args contains cmeta-host-marker
  output: "host marker by %proc.name"
  priority: warning
`,
);

const resolver = (sources: MetaSource[], o: Partial<ResolverOptions> = {}) => new ContainerResolver({ enabled: true, sources, timeoutMs: 2000, cacheSize: 64, ttlMs: 60_000, negativeTtlMs: 10_000, ...o });

/**
 * The shadow read, run without blocking the event loop (the monitor evaluates while it runs): sh opens
 * it and lives on (a process that exits at once may still be read as 'host' until the process table
 * carries the container).
 */
async function readShadow(c: TestContainer): Promise<void> {
	const p = spawn('podman', ['exec', c.name, 'sh', '-c', 'cat /etc/shadow >/dev/null; exec 3</etc/shadow; sleep 2'], { env: podmanEnv(), stdio: 'ignore' });
	const code = await new Promise((resolve) => p.on('close', resolve));
	assert.equal(code, 0);
}

/** Wait (at most 10 s) until an alert of rule shows up; returns it with the time it was seen. */
async function alertOf(live: { alerts: Alert[]; logs: string[] }, rule: string): Promise<{ a: Alert; seenMs: number }> {
	for (let i = 0; i < 1000; i++) {
		const a = live.alerts.find((x) => x.rule === rule);
		if (a) return { a, seenMs: Date.now() };
		await sleep(10);
	}
	throw new Error(`no alert of ${rule}: ${JSON.stringify(live.alerts.map((x) => x.rule))}; monitor said: ${live.logs.join('; ')}`);
}

function inspect(name: string): { id: string; name: string; image: string; digest: string } {
	const [id, n, image, digest] = podman(['inspect', '--format', '{{.Id}}\t{{.Name}}\t{{.ImageName}}\t{{.ImageDigest}}', name]).trim().split('\t');
	return { id, name: n, image, digest };
}

function assertResolved(a: Alert, c: TestContainer, app: string): void {
	const want = inspect(c.name);
	assert.equal(want.image, TEST_IMAGE);
	assert.equal(a.fields['container.id'], want.id.slice(0, 12));
	assert.equal(a.fields['container.name'], want.name);
	assert.equal(a.fields['container.image'], TEST_IMAGE);
	assert.equal(a.fields['container.image.repository'], 'localhost/bpfguard-test');
	assert.equal(a.fields['container.image.tag'], 'busybox');
	assert.equal(a.fields['container.image.digest'], want.digest);
	assert.equal(a.output, `shadow read in ${want.name} image=${TEST_IMAGE} tag=busybox app=${app} by ${a.fields['proc.name']}`);
}

test('(a) from containers-storage state, no API service: name, image, repository, tag, digest and id as podman inspect says', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file']) || !requirePodman(t)) return;
	const c = startContainer('bg-cmeta-storage', ['--label', 'app=cmeta']);
	try {
		const r = resolver([new StorageState(DEFAULT_STORAGE)]);
		const { alerts, mon } = await withMonitor(async (live) => {
			await readShadow(c);
			await alertOf(live, RULE);
		}, [rules], { monitor: { containers: { resolver: r, holdMs: 2000 } } });
		const a = alerts.find((x) => x.rule === RULE)!;
		// podman keeps labels in its own database: without its API they are unresolved
		assertResolved(a, c, '<unresolved>');
		assert.ok(r.stats.lookups >= 1 && r.stats.resolved >= 1, JSON.stringify(r.stats));
		assert.equal(mon.containerStats().heldDeadline, 0);
	} finally {
		c.stop();
	}
});

test('(b) from the Podman API service on the test\'s own socket: the labels too', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file']) || !requirePodman(t)) return;
	const c = startContainer('bg-cmeta-api', ['--label', 'app=cmeta-api']);
	const sock = join(dir, 'podman.sock');
	const svc: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${sock}`], { env: podmanEnv(), stdio: 'ignore' });
	try {
		for (let i = 0; i < 200 && !existsSync(sock); i++) await sleep(50);
		assert.ok(existsSync(sock), 'podman system service did not create its socket');
		const r = resolver([new PodmanApi(sock)]);
		const { alerts } = await withMonitor(async (live) => {
			await readShadow(c);
			await alertOf(live, RULE);
		}, [rules], { monitor: { containers: { resolver: r, holdMs: 2000 } } });
		assertResolved(alerts.find((x) => x.rule === RULE)!, c, 'cmeta-api');
		assert.equal(r.stats.errors + r.stats.timeouts + r.stats.absent, 0, JSON.stringify(r.stats));
	} finally {
		svc.kill('SIGTERM');
		c.stop();
	}
});

test('(c) a runtime socket that accepts and never answers: alerts leave at the bounded wait with <unresolved>; host alerts do not wait', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file']) || !requirePodman(t)) return;
	const c = startContainer('bg-cmeta-hung');
	const hung = await silentSocket(join(dir, 'hung.sock'));
	try {
		// the lookup itself would wait 20 s: the alert must not
		const r = resolver([new DockerApi(hung.socketPath)], { timeoutMs: 20_000 });
		const holdMs = 300;
		let held: { a: Alert; seenMs: number } | undefined;
		let host: { a: Alert; seenMs: number } | undefined;
		let hostStart = 0;
		const { mon } = await withMonitor(async (live) => {
			await readShadow(c);
			held = await alertOf(live, RULE);
			hostStart = Date.now();
			await run('/bin/echo', ['cmeta-host-marker']);
			host = await alertOf(live, 'Host marker (test)');
		}, [rules], { monitor: { containers: { resolver: r, holdMs } } });
		const a = held!.a;
		assert.equal(a.fields['container.name'], '<unresolved>');
		assert.equal(a.fields['container.image'], '<unresolved>');
		assert.equal(a.fields['container.image.tag'], '<unresolved>');
		assert.match(a.output, /^shadow read in <unresolved> image=<unresolved> tag=<unresolved> app=<unresolved> by (sh|cat|exe)$/);
		assert.equal(hung.accepted(), 1);
		// released at its deadline, long before the lookup's own timeout
		assert.equal(r.stats.timeouts, 0);
		assert.ok(held!.seenMs - a.timeMs < holdMs + 5000, `held ${held!.seenMs - a.timeMs} ms`);
		const s = mon.containerStats();
		assert.ok(s.held >= 1, JSON.stringify(s));
		assert.equal(s.heldDeadline, s.held);
		assert.equal(host!.a.fields['container.id'], 'host');
		assert.equal('container.name' in host!.a.fields, false);
		assert.ok(host!.seenMs >= hostStart);
	} finally {
		await hung.close();
		c.stop();
	}
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
