/**
 * @module test/kernel/container-rules.test: real podman containers under the monitor with the default
 * rules: runtimes are quiet, the credential-read rule tells a container's own /etc/shadow from the
 * host's, and the container escape and hygiene rules fire on the real act and not on a close one.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run } from '../helpers/collect.js';
import { withMonitor } from '../helpers/monitor.js';
import { ensureTestImage, podmanEnv, podmanTry, requirePodman, TEST_IMAGE } from '../helpers/podman.js';
import type { Alert } from '../../src/alerts/alert.js';
import type { OpenEvent } from '../../src/events/types.js';
import { BgFileFlag } from '../../src/events/generated/layouts.js';
import { EvalCtx } from '../../src/rules/context.js';
import { lookupField } from '../../src/rules/fields/index.js';
import { fileSensor } from '../../src/sensors/file.js';

const OBJECTS = ['dispatch', 'process', 'file', 'priv', 'net'];
const tag = () => randomBytes(4).toString('hex');
const SELF = new Set(['bpfguard started', 'bpfguard stopped', 'bpfguard heartbeat', 'bpfguard lost events']);
/** The runtimes' executables on this host (podman, conmon, runc, netavark …): none of their work may alert. */
const RUNTIME_EXE = /^\/usr\/(s?bin\/(podman|conmon|runc|crun|catatonit|slirp4netns|pasta|fuse-overlayfs)|lib\/podman\/.+|libexec\/podman\/.+|lib\/cni\/.+)$/;
const RUNTIME_NAMES = new Set(['podman', 'conmon', 'runc', 'crun', 'netavark', 'aardvark-dns', 'catatonit', 'slirp4netns', 'pasta', 'fuse-overlayfs', 'exe']);

/** podman with args, asynchronously (the monitor keeps reading while it runs); fails the test when it fails. */
async function pod(args: string[]): Promise<{ pid: number; stdout: string }> {
	const r = await run('podman', args, { env: podmanEnv() });
	assert.equal(r.code, 0, `podman ${args.join(' ')}: ${r.stderr}`);
	return { pid: r.pid, stdout: r.stdout };
}

/** A detached container running sleep; its 12-hex id (as container.id gives it). */
async function start(name: string, opts: string[] = []): Promise<string> {
	podmanTry(['rm', '-f', '-t', '0', name]);
	const { stdout } = await pod(['run', '-d', '--name', name, ...opts, TEST_IMAGE, 'sleep', '600']);
	return stdout.trim().slice(0, 12);
}

/**
 * A shell command in the container; the shell lives a second after it, so the monitor still finds
 * its process for container.id (until the process table carries the container from the exec record).
 */
async function inside(name: string, script: string, opts: string[] = []): Promise<void> {
	await run('podman', ['exec', ...opts, name, 'sh', '-c', `${script}; sleep 1`], { env: podmanEnv() });
}

const remove = (...names: string[]) => names.forEach((n) => podmanTry(['rm', '-f', '-t', '0', n]));
const ofContainer = (alerts: Alert[], id: string) => alerts.filter((a) => a.fields['container.id'] === id);
const rules = (alerts: Alert[]) => alerts.map((a) => a.rule);
const dump = (alerts: Alert[]) => JSON.stringify(alerts.map((a) => a.output));

function ready(t: TestContext): boolean {
	if (!requireBpf(t, OBJECTS) || !requirePodman(t)) return false;
	ensureTestImage();
	return true;
}

/** Alerts raised by a container runtime's own processes (by executable path or name). */
function runtimeAlerts(alerts: Alert[]): Alert[] {
	return alerts.filter((a) => !SELF.has(a.rule) && (RUNTIME_EXE.test(String(a.fields['proc.exepath'] ?? '')) || RUNTIME_NAMES.has(String(a.fields['proc.name'] ?? ''))));
}

test('starting, using, stopping and removing containers raises no default alert (default network, --network none, bind mounts)', async (t) => {
	if (!ready(t)) return;
	const n = [`bgq-net-${tag()}`, `bgq-none-${tag()}`, `bgq-rm-${tag()}`];
	const dir = mkdtempSync('/var/tmp/bg-vol-');
	try {
		const ids: string[] = [];
		const { alerts } = await withMonitor(async () => {
			ids.push(await start(n[0]));
			await inside(n[0], 'ls /');
			await pod(['stop', '-t', '1', n[0]]);
			await pod(['rm', n[0]]);
			ids.push(await start(n[1], ['--network', 'none', '-v', `${dir}:/data:ro`]));
			await inside(n[1], 'ls /data');
			await pod(['stop', '-t', '1', n[1]]);
			await pod(['rm', n[1]]);
			await pod(['run', '--rm', '--name', n[2], '-v', `${dir}:/data`, TEST_IMAGE, 'touch', '/data/x']);
		}, undefined, { settleMs: 1000 });
		const mine = [...runtimeAlerts(alerts), ...ids.flatMap((id) => ofContainer(alerts, id))];
		assert.deepEqual(mine, [], dump(mine));
	} finally {
		remove(...n);
		rmSync(dir, { recursive: true, force: true });
	}
});

test("a container reading its own /etc/shadow raises only the container's credential rule (notice); the host's /etc bind-mounted read-only raises the credential alert with the container's id", async (t) => {
	if (!ready(t)) return;
	const n = [`bgc-own-${tag()}`, `bgc-same-${tag()}`, `bgc-other-${tag()}`];
	try {
		const id: string[] = [];
		const { alerts } = await withMonitor(async () => {
			id.push(await start(n[0], ['--network', 'none']));
			id.push(await start(n[1], ['--network', 'none', '-v', '/etc:/etc:ro']));
			id.push(await start(n[2], ['--network', 'none', '-v', '/etc:/host-etc:ro']));
			await inside(n[0], 'read x < /etc/shadow');
			await inside(n[1], 'read x < /etc/shadow');
			await inside(n[2], 'read x < /host-etc/shadow');
		});
		const own = ofContainer(alerts, id[0]);
		assert.deepEqual(rules(own), ["Read of a container's own credential file"], dump(alerts));
		assert.equal(own[0].priority, 'notice');
		assert.equal(own[0].fields['fd.name'], '/etc/shadow');
		assert.equal(own[0].fields['fd.on_host'], false);
		assert.equal(own[0].fields['container.id'], id[0]);
		for (const [i, name] of [[1, '/etc/shadow'], [2, '/host-etc/shadow']] as const) {
			const got = ofContainer(alerts, id[i]);
			assert.deepEqual(rules(got), ['Read of a sensitive credential file'], dump(alerts));
			assert.equal(got[0].priority, 'warning');
			assert.equal(got[0].fields['fd.name'], name);
			assert.equal(got[0].fields['fd.host_name'], '/etc/shadow');
			assert.equal(got[0].fields['proc.name'], 'sh');
			assert.match(got[0].output, new RegExp(`container=${id[i]}`));
		}
	} finally {
		remove(...n);
	}
});

test('a container with the host root bind-mounted writing below /host/etc raises the escape alert with its container fields; writing /host/tmp or its own /tmp does not', async (t) => {
	if (!ready(t)) return;
	const name = `bgc-esc-${tag()}`;
	const f = `bg-escape-${tag()}`;
	try {
		let id = '';
		const { alerts } = await withMonitor(async () => {
			id = await start(name, ['--network', 'none', '-v', '/:/host']);
			await inside(name, `echo x > /host/tmp/${f}; echo x > /tmp/${f}`);
			await inside(name, `echo x > /host/etc/${f}`);
		});
		assert.ok(existsSync(`/etc/${f}`), 'the container wrote the host file');
		const got = ofContainer(alerts, id);
		assert.deepEqual(rules(got), ['Container wrote to a host file'], dump(alerts));
		const a = got[0];
		assert.equal(a.priority, 'critical');
		assert.equal(a.fields['fd.name'], `/host/etc/${f}`);
		assert.equal(a.fields['fd.host_name'], `/etc/${f}`);
		assert.equal(a.fields['fd.on_host'], false);
		assert.equal(a.fields['container.id'], id);
		assert.equal(a.fields['container.name'], name, 'the metadata lookup (container storage) names it');
		assert.ok(a.tags.includes('T1611'));
	} finally {
		remove(name);
		rmSync(`/etc/${f}`, { force: true });
		rmSync(`/tmp/${f}`, { force: true });
	}
});

/** A cgroup v1 hierarchy's mount point (this host is hybrid), or undefined on a pure v2 host. */
function cgroupV1(): string | undefined {
	const line = readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[2] === 'cgroup' && l.includes('pids'));
	return line?.split(' ')[1] ?? readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[2] === 'cgroup')?.split(' ')[1];
}

test('a write to a cgroup notify_on_release raises the release-agent alert; reading it does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = cgroupV1();
	if (!root) {
		t.skip('no cgroup v1 hierarchy here: release_agent and notify_on_release do not exist');
		return;
	}
	const dir = join(root, `bg-test-${tag()}`);
	mkdirSync(dir);
	try {
		const file = join(dir, 'notify_on_release');
		const pids: number[] = [];
		const { alerts } = await withMonitor(async () => {
			pids.push((await run('/bin/sh', ['-c', 'echo 0 > "$1"', 'sh', file])).pid);
			pids.push((await run('/bin/cat', [file])).pid);
		});
		const w = alerts.filter((a) => a.fields['proc.pid'] === pids[0]);
		assert.deepEqual(rules(w), ['Cgroup release agent written'], dump(alerts));
		assert.equal(w[0].fields['fd.name'], file);
		assert.deepEqual(alerts.filter((a) => a.fields['proc.pid'] === pids[1]), []);
	} finally {
		rmdirSync(dir);
	}
});

test('nsenter in a container alerts with the container id; nsenter on the host does not; a shell with a terminal in a container is a notice, without one nothing', async (t) => {
	if (!ready(t)) return;
	const name = `bgc-ns-${tag()}`;
	try {
		let id = '';
		let hostPid = 0;
		const { alerts } = await withMonitor(async () => {
			// privileged: setns needs CAP_SYS_ADMIN, so nsenter lives on as sleep (see inside())
			id = await start(name, ['--network', 'none', '--privileged']);
			await inside(name, 'busybox ln -s /bin/busybox /tmp/nsenter');
			await inside(name, '/tmp/nsenter -t 1 -u sleep 1');
			hostPid = (await run('/usr/bin/nsenter', ['-t', String(process.pid), '-u', 'true'])).pid;
			await inside(name, 'true', ['-t']);
			await inside(name, 'true');
		});
		const got = ofContainer(alerts, id);
		assert.deepEqual(rules(got).sort(), ['Namespace entered from a container', 'Terminal shell in container'], dump(alerts));
		const ns = got.find((a) => a.rule === 'Namespace entered from a container')!;
		assert.equal(ns.fields['proc.name'], 'nsenter');
		assert.equal(ns.fields['proc.cmdline'], 'nsenter -t 1 -u sleep 1');
		const sh = got.find((a) => a.rule === 'Terminal shell in container')!;
		assert.equal(sh.priority, 'notice');
		assert.equal(sh.fields['proc.name'], 'sh');
		assert.match(String(sh.fields['proc.tty']), /^pts/);
		assert.deepEqual(alerts.filter((a) => a.fields['proc.pid'] === hostPid), []);
	} finally {
		remove(name);
	}
});

test('podman run --privileged and a container with an engine socket mounted alert at the client; opening the socket in the container alerts; a plain run and another socket do not', async (t) => {
	if (!ready(t)) return;
	const n = [`bgc-priv-${tag()}`, `bgc-sock-${tag()}`, `bgc-plain-${tag()}`];
	const dir = mkdtempSync('/run/bg-sock-');
	const srv = createServer();
	await new Promise<void>((r) => srv.listen(join(dir, 'docker.sock'), r));
	writeFileSync(join(dir, 'other'), '');
	try {
		const id: string[] = [];
		const { alerts } = await withMonitor(async () => {
			id.push(await start(n[0], ['--network', 'none', '--privileged']));
			id.push(await start(n[1], ['--network', 'none', '-v', `${join(dir, 'docker.sock')}:/var/run/docker.sock`, '-v', `${join(dir, 'other')}:/var/run/other.sock`]));
			id.push(await start(n[2], ['--network', 'none']));
			await inside(n[1], 'read x < /var/run/docker.sock');
			await inside(n[1], 'read x < /var/run/other.sock');
		});
		const client = (name: string) => alerts.filter((a) => String(a.fields['proc.cmdline'] ?? '').includes(`--name ${name} `) && a.fields['proc.name'] === 'podman');
		assert.deepEqual(rules(client(n[0])), ['Privileged container started'], dump(alerts));
		assert.deepEqual(rules(client(n[1])), ['Container engine socket mounted into a container'], dump(alerts));
		assert.deepEqual(rules(client(n[2])), [], dump(alerts));
		const opened = ofContainer(alerts, id[1]);
		assert.deepEqual(rules(opened), ['Container engine socket opened in a container'], dump(alerts));
		assert.equal(opened[0].fields['fd.name'], '/var/run/docker.sock');
		assert.equal(opened[0].fields['evt.res'], 'ENXIO');
		assert.deepEqual(ofContainer(alerts, id[0]), [], dump(alerts));
		assert.deepEqual(ofContainer(alerts, id[2]), [], dump(alerts));
	} finally {
		remove(...n);
		srv.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

test("a host process reading a container's /etc/shadow through /proc/PID/root: the path in the container's namespace, flagged, not the host's file, no credential alert", async (t) => {
	if (!ready(t)) return;
	const name = `bgc-proc-${tag()}`;
	try {
		await start(name, ['--network', 'none']);
		const pid = Number((await pod(['inspect', '--format', '{{.State.Pid}}', name])).stdout.trim());
		let cat = 0;
		const { alerts } = await withMonitor(async () => {
			cat = (await run('/bin/cat', [`/proc/${pid}/root/etc/shadow`])).pid;
		});
		const { events } = await collect([fileSensor], {}, async () => {
			cat = (await run('/bin/cat', [`/proc/${pid}/root/etc/shadow`])).pid;
		});
		const e = events.find((x): x is OpenEvent => x.kind === 'open' && x.pid === cat && x.raw.endsWith('/etc/shadow'));
		assert.ok(e, 'the open reached user space (the host /etc/shadow watch entry matches its path)');
		assert.equal(e.name, '/etc/shadow', 'walked in the container mount namespace');
		assert.ok(e.flags & BgFileFlag.BG_FF_MNT_FOREIGN, 'its mount is not in the reader\'s namespace');
		const ctx = new EvalCtx();
		assert.equal(lookupField('fd.on_host')!.def.extract(ctx.set(e)), false);
		assert.equal(lookupField('fd.host_name')!.def.extract(ctx.set(e)), undefined);
		assert.deepEqual(alerts.filter((a) => a.rule === 'Read of a sensitive credential file' && String(a.fields['proc.cmdline']).includes(`/proc/${pid}/root`)), []);
	} finally {
		remove(name);
	}
});
