/** @module container/resolver.test: the cache and sources in order, the fields read from it, and the bounded wait of alerts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerResolver, setContainerResolver, type ResolverOptions } from './resolver.js';
import { DockerApi, PodmanApi } from './http-api.js';
import { StorageState } from './storage.js';
import { MetaHold } from './hold.js';
import { metaValue, PENDING, UNRESOLVED } from '../rules/fields/container.js';
import type { Alert } from '../alerts/alert.js';
import { resolverFromConfig } from './config.js';
import { Config } from '../config/schema.js';
import { repoPath } from '../util/paths.js';
import { fakeRuntime, silentSocket, socketDir } from '../../test/helpers/fake-runtime.js';

const fixture = (f: string): unknown => JSON.parse(readFileSync(repoPath(`test/fixtures/containers/${f}`), 'utf8'));
const PODMAN_ID = '21423a2d7c5523f7cc557e31a7d4cf943b8ea9eb3bd409f2ff73bcd61a86fc4b';
const SHORT = PODMAN_ID.slice(0, 12);
const LIBPOD = { [`/v4.0.0/libpod/containers/${SHORT}/json`]: fixture('libpod-container.json') };
const opts = (o: Partial<ResolverOptions>): ResolverOptions => ({ enabled: true, sources: [], timeoutMs: 200, cacheSize: 16, ttlMs: 60_000, negativeTtlMs: 1000, ...o });
const nowhere = () => join(socketDir(), 'missing.sock');

test('resolver: a missing docker socket falls back to podman; the answer is cached (one lookup), reads count hits and misses', async () => {
	const api = await fakeRuntime(LIBPOD);
	try {
		const r = new ContainerResolver(opts({ sources: [new DockerApi(nowhere()), new PodmanApi(api.socketPath)] }));
		assert.equal(r.peek(SHORT), 'pending');
		assert.equal(r.peek(SHORT), 'pending');
		await r.settled(SHORT);
		const m = r.peek(SHORT);
		assert.ok(typeof m === 'object' && m.name === 'cm-probe' && m.source === 'podman');
		r.peek(SHORT);
		assert.deepEqual(r.stats, { lookups: 1, hits: 2, misses: 2, resolved: 1, unresolved: 0, timeouts: 0, errors: 0, absent: 1, busy: 0 });
		assert.equal(api.requests.length, 1);
		assert.match(r.lastProblem.get('docker') ?? '', /ENOENT/);
	} finally {
		await api.close();
	}
});

test('resolver: no source knows it → unresolved, cached for the shorter negative TTL, then asked again', async () => {
	let now = 1_000_000;
	const api = await fakeRuntime({});
	try {
		const r = new ContainerResolver(opts({ sources: [new PodmanApi(api.socketPath), new StorageState({ root: repoPath('test/fixtures/containers/storage'), runRoot: socketDir(), driver: 'overlay' })] }), () => now);
		const e = await r.resolve('0123456789ab');
		assert.deepEqual(e, { unresolved: 'podman: no such container; storage: no such container' });
		assert.equal(r.peek('0123456789ab'), 'unresolved');
		now += 1000;
		assert.equal(r.peek('0123456789ab'), 'pending');
		await r.settled('0123456789ab');
		assert.equal(r.stats.lookups, 2);
		assert.equal(r.stats.unresolved, 2);
		assert.equal(api.requests.length, 2);
	} finally {
		await api.close();
	}
});

test('resolver: a slow source times out and the next one answers; a runtime hint asks its sources first; bad ids are never sent', async () => {
	const slow = await fakeRuntime({ [`/containers/${SHORT}/json`]: fixture('docker-container.json') }, { delayMs: 3000 });
	const pod = await fakeRuntime(LIBPOD);
	try {
		const r = new ContainerResolver(opts({ timeoutMs: 100, sources: [new DockerApi(slow.socketPath), new PodmanApi(pod.socketPath)] }));
		const e = await r.resolve(SHORT);
		assert.ok(e && 'meta' in e && e.meta.source === 'podman');
		assert.equal(r.stats.timeouts, 1);
		const hinted = new ContainerResolver(opts({ timeoutMs: 100, sources: [new DockerApi(slow.socketPath), new PodmanApi(pod.socketPath)] }));
		const t0 = Date.now();
		const h = await hinted.resolve(SHORT, 'podman');
		assert.ok(h && 'meta' in h && h.meta.source === 'podman' && Date.now() - t0 < 100);
		assert.equal(hinted.stats.timeouts, 0);
		assert.deepEqual(await hinted.resolve('../../x'), { unresolved: 'not a container id: "../../x"' });
		assert.equal(hinted.stats.lookups, 1);
		assert.equal(new ContainerResolver(opts({ enabled: false })).peek(SHORT), 'off');
	} finally {
		await slow.close();
		await pod.close();
	}
});

test('fields: host values, <pending> then the answer, <unresolved>, labels and Kubernetes labels', async () => {
	const api = await fakeRuntime({ [`/containers/4f1e2d3c4b5a/json`]: fixture('docker-container.json'), [`/images/aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44/json`]: fixture('docker-image.json') });
	const r = setContainerResolver(new ContainerResolver(opts({ sources: [new DockerApi(api.socketPath)] })));
	try {
		assert.equal(metaValue('container.name', undefined, 'host'), 'host');
		assert.equal(metaValue('container.image', undefined, 'host'), 'host');
		assert.equal(metaValue('container.image.tag', undefined, 'host'), undefined);
		assert.equal(metaValue('container.name', undefined, '4f1e2d3c4b5a'), PENDING);
		assert.equal(metaValue('container.privileged', undefined, '4f1e2d3c4b5a'), undefined);
		await r.settled('4f1e2d3c4b5a');
		const v = (n: string, a?: string) => metaValue(n, a, '4f1e2d3c4b5a');
		assert.equal(v('container.name'), 'web-1');
		assert.equal(v('container.image'), 'registry.example.com:5000/team/web:1.4');
		assert.equal(v('container.image.repository'), 'registry.example.com:5000/team/web');
		assert.equal(v('container.image.tag'), '1.4');
		assert.equal(v('container.image.digest'), 'sha256:2222222222222222222222222222222222222222222222222222222222222222');
		assert.equal(v('container.image.id'), 'aa11bb22cc33');
		assert.equal(v('container.privileged'), true);
		assert.equal(v('container.start_ts'), Date.parse('2026-12-01T10:00:01.5Z'));
		assert.equal(v('container.label', 'tier'), 'front');
		assert.equal(v('container.label', 'nope'), '');
		assert.match(String(v('container.labels')), /^app:web, io\.kubernetes\.pod\.name:web-7d9f, .*tier:front$/);
		assert.equal(v('k8s.pod.name'), 'web-7d9f');
		assert.equal(v('k8s.ns.name'), 'shop');
		assert.equal(v('k8s.pod.uid'), '0b5c2a8e-1111-2222-3333-444455556666');
		assert.equal(v('k8s.container.name'), 'nginx');
		assert.equal(v('k8s.pod.labels'), 'app:web, tier:front');
		// an id no source knows: pending, then unresolved
		assert.equal(metaValue('container.name', undefined, '0123456789ab'), PENDING);
		await r.settled('0123456789ab');
		assert.equal(metaValue('container.name', undefined, '0123456789ab'), UNRESOLVED);
		assert.equal(metaValue('k8s.pod.name', undefined, '0123456789ab'), UNRESOLVED);
	} finally {
		setContainerResolver(new ContainerResolver());
		await api.close();
	}
});

function alert(id: string, output: string, fields: Record<string, string>): Alert {
	return { id: 'a', time: '', timeMs: 0, rule: 'r', priority: 'warning', tags: [], output, fields: { 'container.id': id, ...fields }, action: 'alert', count: 1, source: 'syscall', hostname: 'h' };
}

test('hold: an alert waits for its container\'s answer, is completed and rendered again; host alerts never wait', async () => {
	const api = await fakeRuntime(LIBPOD, { delayMs: 50 });
	setContainerResolver(new ContainerResolver(opts({ sources: [new PodmanApi(api.socketPath)] })));
	try {
		const out: Alert[] = [];
		const hold = new MetaHold(2000, (a) => out.push(a), (a) => `name=${a.fields['container.name']}`);
		const a = alert(SHORT, `name=${PENDING}`, { 'container.name': metaValue('container.name', undefined, SHORT) as string });
		hold.push(a);
		hold.push(alert('host', 'on the host', {}));
		assert.deepEqual(out.map((x) => x.output), ['on the host']);
		assert.equal(hold.size, 1);
		while (!out.includes(a)) await new Promise((r) => setTimeout(r, 10));
		assert.equal(a.output, 'name=cm-probe');
		assert.equal(a.fields['container.name'], 'cm-probe');
		assert.equal(a.fields['container.image'], 'localhost/bpfguard-test:busybox');
		assert.equal(a.fields['container.image.repository'], 'localhost/bpfguard-test');
		assert.equal(a.fields['container.image.tag'], 'busybox');
		assert.equal(a.fields['container.image.digest'], 'sha256:ea85e830a71779aa08bd01140d428d3e69619f507a970004e05917453e1f6907');
		assert.equal('container.name' in out[0].fields, false);
		assert.deepEqual(hold.stats, { held: 1, deadline: 0, overflow: 0 });
	} finally {
		setContainerResolver(new ContainerResolver());
		await api.close();
	}
});

test('hold: a runtime that never answers: each alert leaves at its own deadline with <unresolved>; the others keep flowing', async () => {
	const hung = await silentSocket();
	setContainerResolver(new ContainerResolver(opts({ timeoutMs: 5000, sources: [new DockerApi(hung.socketPath)] })));
	try {
		const out: { a: Alert; at: number }[] = [];
		const hold = new MetaHold(150, (a) => out.push({ a, at: Date.now() }));
		const t0 = Date.now();
		const first = alert(SHORT, `name=${PENDING} image=${PENDING}`, { 'container.name': metaValue('container.name', undefined, SHORT) as string, 'container.image': PENDING });
		hold.push(first);
		await new Promise((r) => setTimeout(r, 60));
		hold.push(alert('host', 'host alert', {}));
		assert.equal(out.length, 1, 'the host alert is not behind the held one');
		assert.ok(out[0].at - t0 < 120);
		await new Promise((r) => setTimeout(r, 200));
		assert.equal(out.length, 2);
		const late = out[1];
		assert.equal(late.a, first);
		assert.ok(late.at - t0 >= 140 && late.at - t0 < 600, `released after ${late.at - t0} ms`);
		assert.equal(first.fields['container.name'], UNRESOLVED);
		assert.equal(first.fields['container.image'], UNRESOLVED);
		assert.equal(first.output, `name=${UNRESOLVED} image=${UNRESOLVED}`);
		assert.deepEqual(hold.stats, { held: 1, deadline: 1, overflow: 0 });
		// held alerts go out at stop with what is known
		const second = alert('0123456789ab', 'x', { 'container.name': metaValue('container.name', undefined, '0123456789ab') as string });
		hold.push(second);
		hold.flush();
		assert.equal(out[2].a, second);
		assert.equal(second.fields['container.name'], UNRESOLVED);
		// at most maxHeld wait: the next goes at once, unresolved, counted
		const small = new MetaHold(10_000, (a) => out.push({ a, at: Date.now() }), undefined, 1);
		small.push(alert('0123456789ac', 'x', {}));
		small.push(alert('0123456789ad', 'y', {}));
		assert.equal(out.length, 4);
		assert.equal(out[3].a.output, 'y');
		assert.equal(out[3].a.fields['container.name'], UNRESOLVED);
		assert.deepEqual(small.stats, { held: 1, deadline: 0, overflow: 1 });
		small.flush();
		assert.equal(out.length, 5);
	} finally {
		setContainerResolver(new ContainerResolver());
		await hung.close();
	}
});

test('config: the containers section (defaults, sources in order, bad values refused)', () => {
	const c = Config.parse({});
	assert.deepEqual(c.containers, { enabled: true, sources: ['docker', 'podman', 'storage', 'containerd'], docker_socket: '/var/run/docker.sock', podman_socket: '/run/podman/podman.sock', storage_root: '/var/lib/containers/storage', storage_run_root: '/run/containers/storage', storage_driver: 'overlay', containerd_state: '/run/containerd/io.containerd.runtime.v2.task', timeout_ms: 1000, hold_ms: 250, cache_size: 1024, ttl_s: 600, negative_ttl_s: 10 });
	const r = resolverFromConfig(Config.parse({ containers: { sources: ['storage', 'podman'], podman_socket: '/tmp/p.sock', timeout_ms: 50 } }).containers);
	assert.deepEqual(r.o.sources.map((s) => s.name), ['storage', 'podman']);
	assert.equal((r.o.sources[1] as PodmanApi).socketPath, '/tmp/p.sock');
	assert.equal(r.o.timeoutMs, 50);
	assert.equal(Config.safeParse({ containers: { sources: ['cri'] } }).success, false);
	assert.equal(Config.safeParse({ containers: { docker_socket: 'relative.sock' } }).success, false);
	assert.equal(Config.safeParse({ containers: { hold_ms: -1 } }).success, false);
});
