/** @module container/sources.test: the Docker and libpod clients against a fake API on a unix socket, and the containers-storage reader on a fixture. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { DockerApi, PodmanApi } from './http-api.js';
import { StorageState } from './storage.js';
import { ContainerdState } from './containerd.js';
import { repoPath } from '../util/paths.js';
import { fakeRuntime, silentSocket, socketDir } from '../../test/helpers/fake-runtime.js';

const fixture = (f: string): unknown => JSON.parse(readFileSync(repoPath(`test/fixtures/containers/${f}`), 'utf8'));
const DOCKER_ID = '4f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';
const PODMAN_ID = '21423a2d7c5523f7cc557e31a7d4cf943b8ea9eb3bd409f2ff73bcd61a86fc4b';
const IMAGE_ID = 'aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44';

test('docker API: the container (name, image, labels, privileged, start) and its image digest for its repository', async () => {
	const api = await fakeRuntime({ [`/containers/${DOCKER_ID.slice(0, 12)}/json`]: fixture('docker-container.json'), [`/images/${IMAGE_ID}/json`]: fixture('docker-image.json') });
	try {
		const a = await new DockerApi(api.socketPath).lookup(DOCKER_ID.slice(0, 12), 1000);
		assert.ok('found' in a, JSON.stringify(a));
		assert.deepEqual(a.found, {
			id: DOCKER_ID,
			name: 'web-1',
			image: 'registry.example.com:5000/team/web:1.4',
			imageId: IMAGE_ID,
			imageDigest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
			labels: (fixture('docker-container.json') as { Config: { Labels: Record<string, string> } }).Config.Labels,
			privileged: true,
			startedMs: Date.parse('2026-12-01T10:00:01.5Z'),
			source: 'docker',
		});
		assert.deepEqual(api.requests, [`/containers/${DOCKER_ID.slice(0, 12)}/json`, `/images/${IMAGE_ID}/json`]);
	} finally {
		await api.close();
	}
});

test('libpod API: one request gives name, image name, image id and digest; the compat API answers the docker shape', async () => {
	const api = await fakeRuntime({ [`/v4.0.0/libpod/containers/${PODMAN_ID}/json`]: fixture('libpod-container.json') });
	try {
		const a = await new PodmanApi(api.socketPath).lookup(PODMAN_ID, 1000);
		assert.ok('found' in a, JSON.stringify(a));
		assert.equal(a.found.name, 'cm-probe');
		assert.equal(a.found.image, 'localhost/bpfguard-test:busybox');
		assert.equal(a.found.imageId, 'b86ed92160f2d374d619636a133089c95c69e0b8ecc66d0588feb98b1baaf9bc');
		assert.equal(a.found.imageDigest, 'sha256:ea85e830a71779aa08bd01140d428d3e69619f507a970004e05917453e1f6907');
		assert.deepEqual(a.found.labels, { app: 'demo' });
		assert.equal(a.found.privileged, false);
		assert.equal(a.found.startedMs, Date.parse('2026-12-07T17:41:57.092Z'));
		assert.equal(a.found.source, 'podman');
		assert.deepEqual(api.requests, [`/v4.0.0/libpod/containers/${PODMAN_ID}/json`]);
	} finally {
		await api.close();
	}
});

test('404 is "no such container"; a missing socket is absent; a non-200 is an error', async () => {
	const api = await fakeRuntime({});
	try {
		assert.deepEqual(await new DockerApi(api.socketPath).lookup('0123456789ab', 1000), { missing: true });
		assert.deepEqual(await new PodmanApi(api.socketPath).lookup('0123456789ab', 1000), { missing: true });
	} finally {
		await api.close();
	}
	const gone = await new DockerApi(join(socketDir(), 'none.sock')).lookup('0123456789ab', 1000);
	assert.ok('error' in gone && gone.error === 'absent', JSON.stringify(gone));
	assert.match((gone as { detail: string }).detail, /ENOENT/);
});

test('an answer slower than the timeout is a timeout, within about the timeout; a socket that never answers too', async () => {
	const slow = await fakeRuntime({ [`/containers/${DOCKER_ID}/json`]: fixture('docker-container.json') }, { delayMs: 2000 });
	const hung = await silentSocket();
	try {
		for (const path of [slow.socketPath, hung.socketPath]) {
			const t0 = Date.now();
			const a = await new DockerApi(path).lookup(DOCKER_ID, 150);
			const took = Date.now() - t0;
			assert.ok('error' in a && a.error === 'timeout', JSON.stringify(a));
			assert.ok(took >= 140 && took < 1500, `took ${took} ms`);
		}
		assert.equal(hung.accepted(), 1);
	} finally {
		await slow.close();
		await hung.close();
	}
});

test('containers-storage: names, image name, image id and digest, privileged and start from the state files (Podman without its service)', async () => {
	const run = socketDir();
	const pidfile = join(run, 'overlay-containers', PODMAN_ID, 'userdata', 'pidfile');
	mkdirSync(join(pidfile, '..'), { recursive: true });
	writeFileSync(pidfile, '5151');
	utimesSync(pidfile, 1796665317, 1796665317.056);
	const s = new StorageState({ root: repoPath('test/fixtures/containers/storage'), runRoot: run, driver: 'overlay' });
	const a = await s.lookup(PODMAN_ID.slice(0, 14), 1000);
	assert.ok('found' in a, JSON.stringify(a));
	assert.deepEqual(a.found, {
		id: PODMAN_ID,
		name: 'cm-probe',
		image: 'localhost/bpfguard-test:busybox',
		imageId: 'b86ed92160f2d374d619636a133089c95c69e0b8ecc66d0588feb98b1baaf9bc',
		imageDigest: 'sha256:ea85e830a71779aa08bd01140d428d3e69619f507a970004e05917453e1f6907',
		labels: undefined,
		privileged: false,
		startedMs: 1796665317056,
		source: 'storage',
	});
	// a 12-digit prefix two containers share names neither; an id no container has is missing
	assert.deepEqual(await s.lookup('21423a2d7c55', 1000), { missing: true });
	assert.deepEqual(await s.lookup('0123456789ab', 1000), { missing: true });
});

test('containers-storage: a CRI-O pod container gives the Kubernetes labels from its annotations', async () => {
	const s = new StorageState({ root: repoPath('test/fixtures/containers/storage'), runRoot: socketDir(), driver: 'overlay' });
	const a = await s.lookup('9c8b7a6f5e4d', 1000);
	assert.ok('found' in a, JSON.stringify(a));
	assert.equal(a.found.image, 'quay.io/acme/api:2.0');
	assert.equal(a.found.imageDigest, 'sha256:3333333333333333333333333333333333333333333333333333333333333333');
	assert.equal(a.found.privileged, true);
	assert.equal(a.found.startedMs, undefined);
	assert.deepEqual(a.found.labels, {
		'io.kubernetes.container.name': 'app',
		'io.kubernetes.pod.name': 'api-5f6d',
		'io.kubernetes.pod.namespace': 'prod',
		'io.kubernetes.pod.uid': '6a1e7c2e-aaaa-bbbb-cccc-ddddeeeeffff',
	});
	const none = await new StorageState({ root: join(socketDir(), 'nothing'), runRoot: '/nonexistent', driver: 'overlay' }).lookup('9c8b7a6f5e4d', 1000);
	assert.ok('error' in none && none.error === 'absent', JSON.stringify(none));
});

test('containerd task bundles: the CRI plugin\'s annotations give pod, namespace, uid, container name and image; Docker\'s moby namespace is left to its API', async () => {
	const s = new ContainerdState(repoPath('test/fixtures/containers/containerd'));
	const a = await s.lookup('5e6f7a8b9c0d', 1000);
	assert.ok('found' in a, JSON.stringify(a));
	assert.deepEqual(a.found, {
		id: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f',
		name: 'api',
		image: 'registry.k8s.io/acme/api:3.1',
		labels: {
			'io.kubernetes.pod.name': 'api-6c9d8',
			'io.kubernetes.pod.namespace': 'payments',
			'io.kubernetes.pod.uid': 'd41d8cd9-8f00-4b20-9e98-00998ecf8427',
			'io.kubernetes.container.name': 'api',
		},
		startedMs: undefined,
		source: 'containerd',
	});
	assert.deepEqual(await s.lookup('0123456789ab', 1000), { missing: true });
	const none = await new ContainerdState(join(socketDir(), 'none')).lookup('5e6f7a8b9c0d', 1000);
	assert.ok('error' in none && none.error === 'absent', JSON.stringify(none));
});
