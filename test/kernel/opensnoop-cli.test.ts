/** @module test/kernel/opensnoop-cli.test: `bpfguard opensnoop` end to end: table (escaped), --json (exact), --path, -x, -c. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../src/util/paths.js';
import { requireBpf } from '../helpers/bpf.js';
import { traceAround } from '../helpers/cli.js';
import { run } from '../helpers/collect.js';

const BIN = repoPath('bin/bpfguard');
const FILEOPS = repoPath('build/progs/fileops');

/** Start opensnoop, wait until attached, run action, stop with SIGINT; returns stdout, stderr, exit code. */
const snoop = (args: string[], action: () => Promise<void>) => traceAround('opensnoop', args, action, 200);

test('opensnoop --help and a bad --path are one-line answers', () => {
	const h = spawnSync(process.execPath, [BIN, 'opensnoop', '--help'], { encoding: 'utf8' });
	assert.equal(h.status, 0);
	assert.match(h.stdout, /Usage: bpfguard opensnoop/);
	assert.match(h.stdout, /--path <PREFIX>/);
	const r = spawnSync(process.execPath, [BIN, 'opensnoop', '--path', 'relative/'], { encoding: 'utf8' });
	assert.equal(r.status, 2);
	assert.equal(r.stderr.trim().split('\n').length, 1);
	assert.match(r.stderr, /invalid --path 'relative\/'/);
});

test('opensnoop table: --path replaces the watch set, -c adds changes, paths are escaped', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-snoop-')));
	let cat = 0;
	let chmod = 0;
	try {
		const { out, code } = await snoop(['--path', `${dir}/`, '-c'], async () => {
			closeSync(openSync(join(dir, 'new\nline \x1b[31m'), 'w'));
			cat = (await run('/bin/cat', ['/etc/passwd'])).pid;
			chmod = Number(/pid=(\d+)/.exec((await run(FILEOPS, ['chmod', join(dir, 'new\nline \x1b[31m'), '4755'])).stdout)?.[1]);
			await run('/bin/cat', [join(dir, 'missing')]);
		});
		assert.equal(code, 0);
		const lines = out.split('\n').filter(Boolean);
		assert.match(lines[0], /^PID\s+UID\s+COMM\s+RET\s+ERR\s+FLAGS\s+FILENAME$/);
		assert.ok(!out.includes('\x1b'), 'no raw escape character reaches the terminal');
		const created = lines.find((l) => l.includes('O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC'));
		assert.ok(created, out);
		assert.match(created, new RegExp(`^${process.pid}\\s+0\\s+node\\s+\\d+\\s+-\\s+O_WRONLY\\|O_CREAT\\|O_TRUNC\\|O_CLOEXEC,mode=0666 ${dir}/new\\\\nline \\\\e\\[31m$`));
		const ch = lines.find((l) => l.startsWith(`${chmod} `));
		assert.ok(ch, out);
		assert.match(ch, /^\d+\s+0\s+fileops\s+0\s+-\s+(chmod|fchmodat),mode=04755,setuid\s+\S+\/new\\nline \\e\[31m$/);
		const miss = lines.find((l) => l.endsWith(`${dir}/missing`));
		assert.ok(miss, out);
		assert.match(miss, /^\d+\s+0\s+cat\s+-2\s+ENOENT\s+O_RDONLY\s+/);
		assert.ok(!lines.some((l) => l.startsWith(`${cat} `)), '/etc/passwd is not watched with --path');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('opensnoop --json -x: failed opens only, non-UTF-8 paths exact in fd.name_b64', async (t) => {
	if (!requireBpf(t, ['dispatch', 'file'])) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-snoopj-')));
	const bad = Buffer.concat([Buffer.from(`${dir}/x-`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
	try {
		const { out, code, err } = await snoop(['--json', '-x', '--path', `${dir}/`], async () => {
			closeSync(openSync(join(dir, 'ok'), 'w'));
			assert.throws(() => openSync(bad, 'r'), { code: 'ENOENT' });
		});
		assert.equal(code, 0);
		const evs = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
		assert.equal(evs.length, 1, out);
		const e = evs[0];
		assert.equal(e['evt.type'], 'openat');
		assert.equal(e['evt.res'], 'ENOENT');
		assert.equal(e['evt.rawres'], -2);
		assert.equal(e['evt.failed'], true);
		assert.equal(e['evt.arg.flags'], 'O_RDONLY|O_CLOEXEC');
		assert.equal(e['evt.arg.access'], 'O_RDONLY');
		assert.equal(e['evt.arg.mode'], '0000');
		assert.equal(e['fd.num'], -1);
		assert.equal(e['fd.name'], `${dir}/x-\\xc3(\n`);
		assert.equal(e['fd.directory'], dir);
		assert.equal(e['fd.filename'], 'x-\\xc3(\n');
		assert.equal(e['fd.name_source'], 'arg');
		assert.equal(e['fd.name_truncated'], false);
		assert.equal(e['fd.watch'], 'r');
		assert.deepEqual(Buffer.from(e['fd.name_b64'], 'base64'), bad);
		assert.deepEqual(Buffer.from(e['fd.name_raw_b64'], 'base64'), bad);
		assert.equal(e['proc.pid'], process.pid);
		assert.equal(e['proc.name'], 'node');
		assert.equal(e['user.uid'], 0);
		assert.equal(e['group.gid'], 0);
		assert.match(err, /opensnoop: \d+ events .* lost 0 /);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
