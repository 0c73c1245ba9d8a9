/** @module test/unit/replay.test: recorded ring-buffer batches (test/fixtures/replay.bin) through the decoders, the record gate with the default rules and the process table, on a fixed clock: no kernel, no addon, no root. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setClockOffset } from '../../src/events/clock.js';
import { decodeRecord, forEachRecord } from '../../src/events/decode.js';
import type { BgEvent, ExecEvent, ForkEvent, NetEvent, OpenEvent, PrivEvent } from '../../src/events/types.js';
import { ProcessTable, type ProcInfo } from '../../src/process/table.js';
import { evtType } from '../../src/rules/event-view.js';
import { RecordGate } from '../../src/rules/gate.js';
import { loadRules } from '../../src/rules/load.js';
import { repoPath } from '../../src/util/paths.js';
import { assertGolden } from '../helpers/golden.js';

const FIXTURE = repoPath('test/fixtures/replay.bin');
const GOLDEN = repoPath('test/fixtures/replay.golden.json');
/** Wall clock minus boot clock for the replay: boot time 0 is 2023-11-14T22:13:20Z. */
const OFFSET_NS = 1_700_000_000_000n * 1_000_000n;
const TTL_MS = 5000;

interface Replayed {
	/** Every record: its evt.type, whether the gate let it through, the decoded event. */
	records: { type: string; gate: boolean; event: BgEvent }[];
	table: ProcessTable;
	/** The table's clock (ms): the time of the event being applied. */
	clock: { now: number };
}

/** The fixture's batches: repeated [u32 length][batch]. */
function batches(): Buffer[] {
	const data = readFileSync(FIXTURE);
	const out: Buffer[] = [];
	for (let off = 0; off + 4 <= data.length; ) {
		const len = data.readUInt32LE(off);
		out.push(data.subarray(off + 4, off + 4 + len));
		off += 4 + len;
	}
	return out;
}

/** Gate, decode and apply each record as the monitor does, the clock following the events. */
function replay(): Replayed {
	setClockOffset(OFFSET_NS);
	const gate = new RecordGate(loadRules([repoPath('rules')]).ruleset);
	const clock = { now: 0 };
	const table = new ProcessTable({ now: () => clock.now, exitedTtlMs: TTL_MS });
	const records: Replayed['records'] = [];
	for (const b of batches()) {
		forEachRecord(b, (buf, off, size) => {
			const event = decodeRecord(buf, off, size);
			assert.ok(event, `record at ${off}: a known kind`);
			const pass = gate.accepts(buf, off);
			records.push({ type: evtType(event), gate: pass, event });
			clock.now = event.timeMs;
			if (pass) table.apply(event);
		});
	}
	return { records, table, clock };
}

const PROC_FIELDS = ['pid', 'ppid', 'comm', 'exe', 'args', 'uid', 'gid', 'euid', 'egid', 'loginuid', 'sid', 'tty', 'cwd', 'startNs', 'cgroupId', 'exited', 'exitStatus', 'source'] as const;

/** What the table holds for every pid of the stream, in pid order (userName left out: it reads /etc/passwd). */
function tableRows(r: Replayed): Record<string, unknown>[] {
	const pids = [...new Set(r.records.map((x) => x.event.pid))].sort((a, b) => a - b);
	return pids.map((pid) => {
		const p = r.table.get(pid) as ProcInfo;
		assert.ok(p, `pid ${pid} in the table`);
		return Object.fromEntries(PROC_FIELDS.map((f) => [f, p[f]]));
	});
}

const execOf = (r: Replayed, comm: string): ExecEvent => {
	const e = r.records.map((x) => x.event).find((x): x is ExecEvent => x.kind === 'exec' && x.comm === comm && x.ret === 0);
	assert.ok(e, `exec of ${comm}`);
	return e;
};
const ofKind = <T extends BgEvent>(r: Replayed, kind: string) => r.records.map((x) => x.event).filter((x): x is T => x.kind === kind);

test('replay: every record decodes; events, gate decisions and the process table equal the golden file', () => {
	const r = replay();
	assert.equal(r.records.length, 39);
	assertGolden(GOLDEN, { records: r.records, table: tableRows(r), tableStats: r.table.stats() });
});

test('replay: the clock is injected: wall time is the boot stamp plus the set offset', () => {
	const r = replay();
	const first = r.records[0].event;
	assert.equal(first.bootNs, 4312886226247n);
	assert.equal(first.timeMs, 1_700_004_312_886.226);
	assert.equal(new Date(first.timeMs).toISOString(), '2023-11-14T23:25:12.886Z');
	for (const { event } of r.records) assert.equal(event.timeMs, Math.round((Number(event.bootNs) / 1e6 + 1_700_000_000_000) * 1000) / 1000);
});

test('replay: exec argv and paths, the failed exec, the opens, the connect and the setuid', () => {
	const r = replay();
	const echo = execOf(r, 'echo');
	assert.deepEqual([echo.exe, echo.args, echo.argc, echo.cwd], ['/usr/bin/echo', ['/bin/echo', 'fixture', 'two words'], 3, '/']);
	// stdin /dev/null; stdout and stderr the socketpairs Node spawns with; no script, no loader variable
	assert.deepEqual([echo.script, echo.env, echo.stdioKind], ['', {}, ['chr', 'socket', 'socket']]);
	assert.ok(echo.stdioIno.every((n) => n > 0));
	const failed = ofKind<ExecEvent>(r, 'exec').filter((e) => e.ret !== 0);
	assert.deepEqual(failed.map((e) => [e.ret, e.exe, e.args, e.comm]), [[-2, '/nonexistent/bpfguard-fixture', ['/nonexistent/bpfguard-fixture', 'a1'], 'tryexec']]);
	const opens = ofKind<OpenEvent>(r, 'open');
	assert.deepEqual(opens.map((o) => [o.name, o.ret, o.nameFromFile, o.comm]), [
		['/etc/passwd', 3, true, 'fileops'],
		['/etc/sudoers.d/bpfguard-fixture-missing', -2, false, 'fileops'],
	]);
	const listen = ofKind<NetEvent>(r, 'net_listen')[0];
	const [connect] = ofKind<NetEvent>(r, 'net_connect');
	const client = execOf(r, 'tcpclient');
	assert.deepEqual([connect.dip, connect.dport, connect.ret, connect.pid], ['127.0.0.1', listen.sport, 0, client.pid]);
	assert.equal(String(connect.dport), client.args[2], 'the port the client was given');
	const [accept] = ofKind<NetEvent>(r, 'net_accept');
	assert.deepEqual([accept.pid, accept.dport, accept.sport], [listen.pid, connect.sport, connect.dport]);
	const [setuid] = ofKind<PrivEvent>(r, 'priv_call');
	assert.deepEqual([setuid.syscall, setuid.args, setuid.ret, setuid.old.uid, setuid.new.uid, setuid.pid], ['setuid', [65534], 0, 0, 65534, execOf(r, 'setids').pid]);
});

test('replay: the gate keeps what the default rules and the table need and skips the rest', () => {
	const r = replay();
	const kept = new Set(r.records.filter((x) => x.gate).map((x) => x.type));
	const skipped = new Set(r.records.filter((x) => !x.gate).map((x) => x.type));
	assert.deepEqual([...kept].sort(), ['clone', 'connect', 'execve', 'open', 'procexit', 'setuid']);
	assert.deepEqual([...skipped].sort(), ['accept', 'bind', 'close', 'listen']);
});

test('replay: parent links, a fork that inherits its parent, a failed exec that changes nothing, exits leaving after their TTL', () => {
	const r = replay();
	const spawn = execOf(r, 'spawn');
	const echo = execOf(r, 'echo');
	const child = r.table.get(echo.pid)!;
	assert.deepEqual([child.ppid, child.comm, child.exe, child.args], [spawn.pid, 'echo', '/usr/bin/echo', ['/bin/echo', 'fixture', 'two words']]);
	assert.deepEqual(r.table.ancestry(echo.pid).map((p) => [p.pid, p.comm]), [[spawn.pid, 'spawn']]);
	assert.equal(r.table.isDescendant(echo.pid, spawn.pid), true);
	assert.equal(r.table.isDescendant(spawn.pid, echo.pid), false);
	const sh = execOf(r, 'sh');
	const [sub] = ofKind<ForkEvent>(r, 'fork').filter((f) => f.ppid === sh.pid);
	const subshell = r.table.get(sub.pid)!;
	assert.deepEqual(
		[subshell.ppid, subshell.comm, subshell.exe, subshell.args, subshell.exitStatus],
		[sh.pid, 'sh', '/usr/bin/dash', ['/bin/sh', '-c', '(exit 3); exit 0'], 3 << 8],
		'a fork without exec runs its parent image',
	);
	const tryexec = execOf(r, 'tryexec');
	const entry = r.table.get(tryexec.pid)!;
	assert.match(entry.exe, /\/build\/progs\/tryexec$/);
	assert.deepEqual([entry.exe, entry.args, entry.exited, entry.exitStatus], [tryexec.exe, tryexec.args, true, 512]);
	// eight processes forked by the recorder (not in the stream), one by spawn, one by sh
	assert.deepEqual(r.table.stats(), { live: 0, exited: 10, seeded: 0, evicted: 0, missingParent: 8, containerLookups: 0, containerLookupsGone: 0 });
	/* the TTL counts from each exit (the recording's workload may span more than a few ms) */
	const exitMs = ofKind<BgEvent>(r, 'exit').map((e) => e.timeMs);
	r.clock.now = Math.min(...exitMs) + TTL_MS - 1;
	assert.equal(r.table.sweep(), 0, 'every exit is younger than the TTL');
	r.clock.now = Math.max(...exitMs) + TTL_MS + 1;
	assert.equal(r.table.sweep(), 10);
	assert.equal(r.table.size, 0);
});

test('replay: no module on this path loads the native addon', () => {
	replay();
	const addons = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith('.node'));
	assert.deepEqual(addons, []);
});
