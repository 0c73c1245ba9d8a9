/**
 * @module test/kernel/snoop-containers.test: the snoops' container options with a real Podman container: --container by
 * name and by id, --containers-only, --host-only, the CONTAINER column and the JSON container fields, for a process that
 * exits at once in the container and the same act on the host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { assertOneLineError, bpfguard, traceAround } from '../helpers/cli.js';
import { run } from '../helpers/collect.js';
import { requirePodman, startContainer } from '../helpers/podman.js';

const NAME = 'bg-snoop-ctr';

test('opensnoop --show-container --containers-only: the container read of /etc/shadow named, the host read left out; --host-only the reverse', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file']) || !requirePodman(t)) return;
	const c = startContainer(NAME, ['--network', 'none']);
	try {
		const act = async () => {
			assert.equal(c.exec(['cat', '/etc/shadow']).status, 0);
			await run('/bin/cat', ['/etc/shadow']);
		};
		const only = await traceAround('opensnoop', ['--show-container', '--containers-only'], act, 500);
		assert.equal(only.code, 0, only.err);
		const lines = only.out.split('\n').filter(Boolean);
		assert.match(lines[0], /^CONTAINER\s+PID\s+UID\s+COMM\s+RET\s+ERR\s+FLAGS\s+FILENAME$/);
		const shadow = lines.filter((l) => l.endsWith(' /etc/shadow'));
		assert.equal(shadow.length, 1, only.out);
		// the name once the runtime answered, else the id: both say which container
		assert.match(shadow[0], new RegExp(`^(${NAME}|${c.id.slice(0, 12)})\\s+\\d+\\s+0\\s+cat\\s+3\\s+-\\s+O_RDONLY`));

		const host = await traceAround('opensnoop', ['--show-container', '--host-only'], act, 500);
		const hl = host.out.split('\n').filter((l) => l.endsWith(' /etc/shadow'));
		assert.equal(hl.length, 1, host.out);
		assert.match(hl[0], /^host\s+\d+\s+0\s+cat\s+3\s+/);
	} finally {
		c.stop();
	}
});

test('execsnoop --container NAME and connsnoop --container ID --json: only that container, with its container fields', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'net']) || !requirePodman(t)) return;
	const c = startContainer(NAME, ['--network', 'none']);
	const other = startContainer(`${NAME}-2`, ['--network', 'none']);
	try {
		const ex = await traceAround('execsnoop', ['--container', NAME, '--json'], async () => {
			assert.equal(c.exec(['id', '-u']).status, 0);
			assert.equal(other.exec(['id', '-u']).status, 0);
			await run('/usr/bin/id', ['-u']);
		}, 500);
		const execs = ex.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((j) => j['proc.name'] === 'id');
		assert.equal(execs.length, 1, ex.out);
		assert.equal(execs[0]['container.id'], c.id.slice(0, 12));
		assert.equal(execs[0]['container.full_id'], c.id);
		assert.equal(execs[0]['container.runtime'], 'podman');
		assert.equal(execs[0]['container.name'], NAME);

		// busybox nc to a closed port on the container's own loopback: a refused connect, the container's only
		const cn = await traceAround('connsnoop', ['--container', c.id.slice(0, 16), '--json'], async () => {
			c.exec(['nc', '-w', '1', '127.0.0.1', '9']);
			other.exec(['nc', '-w', '1', '127.0.0.1', '9']);
		}, 500);
		const conns = cn.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((j) => j['evt.type'] === 'connect');
		assert.ok(conns.length >= 1, cn.out);
		for (const j of conns) assert.equal(j['container.id'], c.id.slice(0, 12), JSON.stringify(j));
		assert.equal(conns[0]['fd.sport'] !== undefined || conns[0]['fd.dport'] === 9, true);
	} finally {
		c.stop();
		other.stop();
	}
});

test('snoop container flags: --containers-only with --host-only is a one-line error', () => {
	assertOneLineError(bpfguard(['opensnoop', '--containers-only', '--host-only', '--duration', '1']), 2, /--containers-only and --host-only exclude each other/);
	const h = bpfguard(['connsnoop', '--help']);
	assert.match(h.stdout, /--container <ID\|NAME>/);
	assert.match(h.stdout, /--show-container/);
});
