/**
 * @module test/kernel/container.test: container identity of real acts in a real Podman container (runc, busybox image
 * imported offline) and on the host, through the real process, file and net sensors and the process table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { traceAround } from '../helpers/cli.js';
import { withMonitor } from '../helpers/monitor.js';
import { repoPath } from '../../src/util/paths.js';
import { ensureTestImage, requirePodman, startContainer } from '../helpers/podman.js';
import { processSensor } from '../../src/sensors/process.js';
import { fileSensor } from '../../src/sensors/file.js';
import { netSensor } from '../../src/sensors/net.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { ProcessTable } from '../../src/process/table.js';
import { EvalCtx } from '../../src/rules/context.js';
import { fieldValues } from '../../src/rules/fields/index.js';
import type { FieldValue } from '../../src/alerts/alert.js';
import type { BgEvent } from '../../src/events/types.js';
import { BgFlag, BgLimit } from '../../src/events/generated/layouts.js';
import { findCgroup2 } from '../../src/process/procfs.js';

const FIELDS = ['container.id', 'container.full_id', 'container.runtime', 'proc.vpid', 'proc.is_container_init', 'proc.pidns', 'proc.mntns', 'proc.name'];

interface Seen {
	e: BgEvent;
	f: Record<string, FieldValue>;
}

/**
 * Run the sensors and a process table as the monitor does: each event applied, then its fields
 * read at once (a short-lived process is gone by then: nothing may come from /proc).
 */
async function watch(action: () => Promise<void>): Promise<Seen[]> {
	const table = new ProcessTable({ exitedTtlMs: 60_000 });
	table.seed();
	const ctx = new EvalCtx(table);
	const seen: Seen[] = [];
	const filter = { file: { watch: { paths: [{ path: '/etc/shadow', exact: true }], names: [] } } };
	const rt = SensorRuntime.start([processSensor, fileSensor, netSensor], filter, (evs) => {
		for (const e of evs) {
			table.apply(e);
			seen.push({ e, f: fieldValues(FIELDS, ctx.set(e)) });
		}
	});
	try {
		await action();
		await sleep(300);
	} finally {
		await rt.stop();
	}
	return seen;
}

const opensOf = (s: Seen[], pid: number) => s.filter((x) => x.e.kind === 'open' && x.e.pid === pid && x.e.name === '/etc/shadow');
const execsOf = (s: Seen[], pid: number) => s.filter((x) => x.e.kind === 'exec' && x.e.pid === pid && x.e.ret === 0);

/** The host pid of a process in the container: the exec whose vpid the container reported, with this comm. */
function inContainer(s: Seen[], fullId: string, vpid: number, comm: string): Seen {
	const hit = s.find((x) => x.e.kind === 'exec' && x.e.ret === 0 && x.e.vpid === vpid && x.e.comm === comm && x.f['container.full_id'] === fullId);
	assert.ok(hit, `exec of ${comm} with vpid ${vpid} in container ${fullId.slice(0, 12)}`);
	return hit;
}

test('exec, open of /etc/shadow and connect inside a podman container carry its id, runtime podman and the vpid seen inside; its init is the container init', async (t) => {
	if (!requireBpf(t) || !requirePodman(t)) return;
	ensureTestImage();
	let c: ReturnType<typeof startContainer> | undefined;
	let out = '';
	const seen = await watch(async () => {
		c = startContainer('bg-cid-test', ['--network', 'none']);
		/* the shell prints its own pid as it sees it, runs cat on /etc/shadow and nc to a closed port on loopback (full paths: busybox sh runs applets named bare in-process) */
		const r = c.exec(['sh', '-c', 'echo $$; /bin/cat /etc/shadow >/dev/null; echo x | /bin/nc 127.0.0.1 9; exit 0']);
		assert.equal(r.status, 0, r.stderr);
		out = r.stdout;
	});
	t.after(() => c?.stop());
	const cont = c!;
	const short = cont.id.slice(0, 12);
	assert.match(cont.id, /^[0-9a-f]{64}$/);
	const vpid = Number(out.trim().split('\n')[0]);
	assert.ok(vpid > 1, `the shell's pid inside: ${out}`);

	/* the container's init (sleep 600): its exec record says vpid 1 in the container's pid namespace */
	const init = execsOf(seen, cont.pid).find((x) => x.e.kind === 'exec' && x.e.comm === 'sleep');
	assert.ok(init, 'exec of the init');
	assert.deepEqual(
		[init.f['container.id'], init.f['container.full_id'], init.f['container.runtime'], init.f['proc.vpid'], init.f['proc.is_container_init']],
		[short, cont.id, 'podman', 1, true],
	);
	const sh = inContainer(seen, cont.id, vpid, 'sh');
	assert.deepEqual([sh.f['container.id'], sh.f['container.runtime'], sh.f['proc.vpid'], sh.f['proc.is_container_init']], [short, 'podman', vpid, false]);
	assert.equal(sh.f['proc.pidns'], init.f['proc.pidns'], 'one pid namespace');
	assert.equal(sh.f['proc.mntns'], init.f['proc.mntns'], 'one mount namespace');
	assert.ok(sh.e.kind === 'exec' && /libpod-[0-9a-f]{64}/.test(sh.e.cgroup1 || sh.e.cgroup), 'a libpod cgroup in the record');

	/* cat, a child of the shell: its exec and its open of the container's /etc/shadow */
	const cat = seen.find((x) => x.e.kind === 'exec' && x.e.ret === 0 && x.e.comm === 'cat' && x.e.ppid === sh.e.pid);
	assert.ok(cat, 'exec of cat in the container');
	const open = opensOf(seen, cat.e.pid);
	assert.equal(open.length, 1, 'one open of /etc/shadow');
	assert.deepEqual([open[0].f['container.id'], open[0].f['container.runtime'], open[0].f['proc.vpid']], [short, 'podman', cat.f['proc.vpid']]);
	assert.ok((cat.f['proc.vpid'] as number) > vpid, 'cat has its own vpid');

	/* nc's connect to 127.0.0.1:9 (refused) */
	const nc = seen.find((x) => x.e.kind === 'exec' && x.e.ret === 0 && x.e.comm === 'nc' && x.e.ppid === sh.e.pid);
	assert.ok(nc, 'exec of nc in the container');
	const conn = seen.filter((x) => x.e.kind === 'net_connect' && x.e.pid === nc.e.pid && x.e.dport === 9);
	assert.equal(conn.length, 1, 'one connect to port 9');
	assert.deepEqual([conn[0].f['container.id'], conn[0].f['container.runtime'], conn[0].f['proc.vpid']], [short, 'podman', nc.f['proc.vpid']]);
});

test('a process that exits at once in the container (podman exec cat /etc/shadow) is still the container, not the host', async (t) => {
	if (!requireBpf(t) || !requirePodman(t)) return;
	ensureTestImage();
	const c = startContainer('bg-cid-short', ['--network', 'none']);
	t.after(() => c.stop());
	const seen = await watch(async () => {
		const r = c.exec(['cat', '/etc/shadow']);
		assert.equal(r.status, 0, r.stderr);
	});
	const cat = seen.find((x) => x.e.kind === 'exec' && x.e.ret === 0 && x.e.comm === 'cat' && x.f['container.full_id'] === c.id);
	assert.ok(cat, 'exec of cat, in the container');
	const open = opensOf(seen, cat.e.pid);
	assert.equal(open.length, 1, 'one open of /etc/shadow');
	assert.deepEqual([cat.f['container.id'], cat.f['container.runtime'], open[0].f['container.id'], open[0].f['container.runtime']], [c.id.slice(0, 12), 'podman', c.id.slice(0, 12), 'podman']);
	assert.ok((cat.f['proc.vpid'] as number) > 1 && cat.f['proc.vpid'] !== cat.e.pid, 'the vpid inside, not the host pid');
});

test('the same acts on the host say host; unshare --fork --pid --mount-proc is not the host', async (t) => {
	if (!requireBpf(t)) return;
	let hostPid = 0;
	let nsPid = 0;
	const seen = await watch(async () => {
		hostPid = (await run('/bin/cat', ['/etc/shadow'])).pid;
		nsPid = (await run('unshare', ['--fork', '--pid', '--mount-proc', '/bin/cat', '/etc/shadow'])).pid;
	});
	const host = execsOf(seen, hostPid)[0];
	assert.ok(host, 'exec of cat on the host');
	assert.deepEqual([host.f['container.id'], host.f['container.full_id'], host.f['container.runtime'], host.f['proc.vpid'], host.f['proc.is_container_init']], ['host', 'host', 'host', hostPid, false]);
	assert.deepEqual(opensOf(seen, hostPid).map((x) => x.f['container.id']), ['host']);

	/* unshare forks cat as pid 1 of a new pid namespace, with a new mount namespace */
	const child = seen.find((x) => x.e.kind === 'exec' && x.e.ret === 0 && x.e.comm === 'cat' && x.e.ppid === nsPid);
	assert.ok(child, 'exec of cat under unshare');
	const pidns = child.f['proc.pidns'] as number;
	assert.ok(pidns > 0 && pidns !== host.f['proc.pidns'], 'a new pid namespace');
	assert.deepEqual(
		[child.f['container.id'], child.f['container.runtime'], child.f['proc.vpid'], child.f['proc.is_container_init']],
		[`pidns-${pidns}`, 'unknown', 1, true],
	);
	assert.deepEqual(opensOf(seen, child.e.pid).map((x) => x.f['container.id']), [`pidns-${pidns}`]);
	/* unshare itself stays in the host's pid namespace, but has the new mount namespace */
	const un = execsOf(seen, nsPid)[0];
	assert.equal(un?.f['container.id'], 'host', 'unshare execs on the host (before it unshares)');
});

test('a cgroup deeper than the kernel keeps: the last components, cut from the top and flagged', async (t) => {
	if (!requireBpf(t)) return;
	const root = findCgroup2();
	if (!root) {
		if (process.env.CI === 'true') throw new Error('no cgroup v2 mount under CI=true');
		t.skip('no cgroup v2 mount');
		return;
	}
	const names = ['bg-cid-deep', ...'abcdefg'.split('').map((c) => `level-${c}`)];
	const dir = join(root, ...names);
	mkdirSync(dir, { recursive: true });
	t.after(() => {
		for (let i = names.length; i > 0; i--) rmdirSync(join(root, ...names.slice(0, i)));
	});
	let pid = 0;
	const seen = await watch(async () => {
		/* the shell moves itself into the deep cgroup, then execs true there (argument array, no data in the script) */
		pid = (await run('/bin/sh', ['-c', 'echo $$ > "$1/cgroup.procs" && exec /bin/true', 'sh', dir])).pid;
	});
	const ex = execsOf(seen, pid).find((x) => x.e.kind === 'exec' && x.e.comm === 'true');
	assert.ok(ex && ex.e.kind === 'exec', 'exec of true in the deep cgroup');
	assert.equal(ex.e.cgroup, `/${names.slice(-BgLimit.BG_CGROUP_DEPTH).join('/')}`);
	assert.equal(ex.e.cgroupTruncated, true);
	assert.ok((ex.e.flags & BgFlag.BG_F_CGROUP_TRUNC) !== 0, 'BG_F_CGROUP_TRUNC');
	assert.equal(ex.f['container.id'], 'host');
});

test('bpfguard trace on container.id: the container\'s read of /etc/shadow is shown with its id, the host\'s is not', async (t) => {
	if (!requireBpf(t) || !requirePodman(t)) return;
	ensureTestImage();
	const c = startContainer('bg-cid-trace', ['--network', 'none']);
	t.after(() => c.stop());
	const { out, err, code } = await traceAround('trace', ['container.id != host and fd.name = /etc/shadow', '--json'], async () => {
		assert.equal(c.exec(['cat', '/etc/shadow']).status, 0);
		await run('/bin/cat', ['/etc/shadow']);
	});
	assert.equal(code, 0, err);
	const lines = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
	assert.equal(lines.length, 1, out);
	assert.deepEqual([lines[0]['container.id'], lines[0]['proc.name'], lines[0]['fd.name']], [c.id.slice(0, 12), 'cat', '/etc/shadow']);
});

test('the monitor (default rules and one of ours on container.runtime) alerts with the container fields of a process in the container', async (t) => {
	if (!requireBpf(t) || !requirePodman(t)) return;
	ensureTestImage();
	const dir = mkdtempSync(join(tmpdir(), 'bg-cid-rules-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	const rules = join(dir, 'container.yaml');
	writeFileSync(
		rules,
		'- rule: cat in a podman container\n  desc: test\n  condition: evt.type = execve and container.runtime = podman and proc.name = cat\n' +
			'  output: "cat in %container.id (%container.full_id) vpid=%proc.vpid init=%proc.is_container_init"\n  priority: WARNING\n',
		{ mode: 0o600 },
	);
	const c = startContainer('bg-cid-monitor', ['--network', 'none']);
	t.after(() => c.stop());
	const { alerts } = await withMonitor(async () => {
		assert.equal(c.exec(['cat', '/etc/shadow']).status, 0);
	}, [repoPath('rules'), rules]);
	const hits = alerts.filter((a) => a.rule === 'cat in a podman container');
	assert.equal(hits.length, 1, JSON.stringify(alerts.map((a) => a.rule)));
	const f = hits[0].fields;
	assert.deepEqual([f['container.id'], f['container.full_id'], f['proc.is_container_init']], [c.id.slice(0, 12), c.id, false]);
	assert.ok((f['proc.vpid'] as number) > 1, 'the vpid inside');
	assert.match(hits[0].output, new RegExp(`^cat in ${c.id.slice(0, 12)} \\(${c.id}\\) vpid=\\d+ init=false$`));
});
