/** @module test/kernel/audit.test: `monitor --audit` keeps events no rule matches; `search --where` finds them, `--follow` sees them arrive, `store export` hands them over as JSON lines and CSV. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { requireBpf } from '../helpers/bpf.js';
import { run, sleep } from '../helpers/collect.js';
import { repoPath } from '../../src/util/paths.js';

const BIN = repoPath('bin/bpfguard');

function start(args: string[]): { p: ChildProcess; out: () => string; err: () => string } {
	const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	p.stdout!.on('data', (d) => (out += d));
	p.stderr!.on('data', (d) => (err += d));
	return { p, out: () => out, err: () => err };
}

const closed = (p: ChildProcess): Promise<number | null> => new Promise((r) => (p.exitCode !== null ? r(p.exitCode) : p.on('close', (c) => r(c))));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jsonLines = (s: string): Record<string, unknown>[] => s.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('monitor --audit with rules that match nothing: an exec and an open are stored, found by search --where, seen by --follow, exported as jsonl and csv', async (t) => {
	if (!requireBpf(t, ['dispatch', 'process', 'file'])) return;
	const dir = mkdtempSync('/var/tmp/bg-audit-');
	const db = join(dir, 'audit.db');
	const key = join(dir, 'store.key');
	const marker = join(dir, 'marker.txt');
	writeFileSync(marker, 'audit marker\n', { mode: 0o600 });
	writeFileSync(join(dir, 'c.yaml'), `throttle_s: 0\nsinks:\n  store: {path: ${db}, keyPath: ${key}, sealIntervalS: 1, flushIntervalMs: 100}\n`, { mode: 0o600 });
	// The kernel reports opens under dir (the rule's path), but no process is called like this: the rule never matches.
	const rule = `- rule: never matches\n  desc: test\n  condition: evt.type in (open, openat) and fd.name startswith "${dir}/" and proc.name = "no-such-proc-q"\n  output: "x %fd.name"\n  priority: warning\n`;
	writeFileSync(join(dir, 'r.yaml'), rule, { mode: 0o600 });
	const mon = start(['monitor', '-c', join(dir, 'c.yaml'), '-r', join(dir, 'r.yaml'), '--no-default-rules', '--audit', '--json', '--stats']);
	let follow: ReturnType<typeof start> | undefined;
	try {
		for (let i = 0; i < 150 && !mon.err().includes('sensors attached'); i++) await sleep(100);
		assert.match(mon.err(), /sensors attached.*audit trail: every event to the store/);
		const where = `proc.name = "cat" and fd.name startswith "${dir}/"`;
		follow = start(['search', '--db', db, '--where', where, '--follow', '--json', '--duration', '60']);
		await sleep(1500); // it has read the store once: what comes now is new
		const cat = await run('/bin/cat', [marker]);
		assert.equal(cat.stdout, 'audit marker\n');
		for (let i = 0; i < 100 && !follow.out().includes(marker); i++) await sleep(100);
		mon.p.kill('SIGINT');
		assert.equal(await closed(mon.p), 0, mon.err());
		follow.p.kill('SIGINT');
		assert.equal(await closed(follow.p), 0, follow.err());

		const seen = jsonLines(follow.out());
		assert.equal(seen.length, 1, follow.out());
		assert.equal(seen[0].kind, 'event');
		const open = seen[0].fields as Record<string, unknown>;
		assert.deepEqual([open['fd.name'], open['proc.pid'], open['proc.name'], open['user.uid'], open['evt.failed'], open['evt.arg.access']], [marker, cat.pid, 'cat', 0, false, 'O_RDONLY']);
		assert.match(String(open['evt.type']), /^open(at)?$/);
		assert.match(mon.err(), /audit trail: \{"written":[1-9]\d*,"dropped":0,"queued":0\}/);
		assert.match(mon.err(), /auditDropped=0/, '--stats shows the audit counters');
		assert.doesNotMatch(mon.out(), /never matches/);

		const s = cli(['search', '--db', db, '--where', where, '--json']);
		assert.equal(s.status, 0, s.stderr);
		assert.deepEqual(jsonLines(s.stdout), seen, 'search finds what --follow printed');
		const ex = cli(['search', '--db', db, '--where', `evt.type = execve and proc.pid = ${cat.pid}`, '--json']);
		assert.equal(ex.status, 0, ex.stderr);
		const execs = jsonLines(ex.stdout).map((r) => r.fields as Record<string, unknown>);
		assert.equal(execs.length, 1);
		assert.deepEqual([execs[0]['proc.name'], execs[0]['proc.argv'], execs[0]['evt.res'], execs[0]['user.uid']], ['cat', ['/bin/cat', marker], 'SUCCESS', 0]);
		assert.match(String(execs[0]['proc.exepath']), /\/cat$/);
		const bad = cli(['search', '--db', db, '--where', 'proc.name = cat and fd.nam = x']);
		assert.deepEqual([bad.status, bad.stderr], [2, "bpfguard: --where: column 21: unknown field 'fd.nam'; did you mean fd.name?\n"]);

		const mine = `proc.pid = ${cat.pid} and evt.type in (execve, open, openat)`;
		const jl = join(dir, 'out.jsonl');
		const e1 = cli(['store', 'export', '--db', db, '--since', '10m', '--where', mine, '--format', 'jsonl', '-o', jl]);
		assert.equal(e1.status, 0, e1.stderr);
		assert.equal(statSync(jl).mode & 0o777, 0o600);
		const exported = jsonLines(readFileSync(jl, 'utf8'));
		assert.deepEqual(exported.filter((o) => o['evt.type'] !== 'execve'), [open], 'jsonl: the event as its --json object');
		assert.deepEqual(exported.filter((o) => o['evt.type'] === 'execve'), execs);
		const csv = join(dir, 'out.csv');
		const e2 = cli(['store', 'export', '--db', db, '--since', '10m', '--where', mine, '--format', 'csv', '-o', csv]);
		assert.equal(e2.status, 0, e2.stderr);
		assert.equal(statSync(csv).mode & 0o777, 0o600);
		const rows = parse(readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
		assert.deepEqual(rows.map((r) => JSON.parse(r.fields) as unknown), exported, 'csv: the same records, read back');
		assert.ok(rows.every((r) => r.kind === 'event' && r['proc.pid'] === String(cat.pid) && r['proc.name'] === 'cat'));

		const v = cli(['store', 'verify', '--db', db, '--key', key]);
		assert.equal(v.status, 0, v.stderr);
		assert.match(v.stdout, /^ok: \d+ records verified/);
	} finally {
		mon.p.kill('SIGKILL');
		follow?.p.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
	}
});
