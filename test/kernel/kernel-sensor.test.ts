/** @module test/kernel/kernel-sensor.test: module loads and unloads, BPF loads and attaches by others: the default rules on the real kernel, with ordinary tools and direct syscalls, and their close negatives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run } from '../helpers/collect.js';
import { SENSORS } from '../../src/sensors/registry.js';
import { syscallNr } from '../../src/events/syscalls.js';
import { BgActFlag } from '../../src/events/generated/layouts.js';
import type { ActEvent } from '../../src/events/types.js';
import { withMonitor } from '../helpers/monitor.js';
import { harnessObject } from '../helpers/harness.js';
import { addon } from '../../src/bridge/addon.js';
import { bpfObjectPath, repoPath } from '../../src/util/paths.js';
import type { Alert } from '../../src/alerts/alert.js';

const KMODCALL = repoPath('build/progs/kmodcall');
const BPFCALL = repoPath('build/progs/bpfcall');
const OBJECTS = ['dispatch', 'process', 'kmod'];

/** "CALL ret=R errno=E" of test/progs/kmodcall and bpfcall. */
function result(out: string): { ret: number; errno: number } {
	const m = /ret=(-?\d+) errno=(\d+)/.exec(out);
	assert.ok(m, `unexpected output: ${out}`);
	return { ret: Number(m[1]), errno: Number(m[2]) };
}

/** The errno name evt.res shows for a failed call (SUCCESS for ret >= 0). */
function resName(r: { ret: number; errno: number }): string {
	if (r.ret >= 0) return 'SUCCESS';
	const e = Object.entries(constants.errno).find(([, v]) => v === r.errno);
	return e ? e[0] : String(r.errno);
}

function tool(name: string): boolean {
	return spawnSync(name, ['--version']).error === undefined;
}

const mine = (alerts: Alert[], pid: number) => alerts.filter((a) => a.fields['proc.pid'] === pid);

test('module loads and unloads alert, attempts too (bogus .ko: refused on any host), with the file or name; modinfo does not', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	for (const x of ['insmod', 'rmmod', 'modinfo']) {
		if (tool(x)) continue;
		if (process.env.CI === 'true') throw new Error(`${x} missing (kmod)`);
		t.skip(`${x} not installed (kmod)`);
		return;
	}
	const dir = mkdtempSync('/var/lib/bg-kmod-');
	chmodSync(dir, 0o755);
	const ko = join(dir, `bg-bogus-${process.pid}.ko`);
	writeFileSync(ko, Buffer.concat([Buffer.from('not an ELF module\n'), Buffer.alloc(4096, 0x5a)]));
	const name = `bg_nosuch_${process.pid}`;
	try {
		const calls: Record<string, { pid: number; r: { ret: number; errno: number } }> = {};
		const tools: Record<string, number> = {};
		const { alerts } = await withMonitor(async () => {
			for (const [c, arg] of [['finit', ko], ['init', ko], ['delete', name]]) {
				const p = await run(KMODCALL, [c, arg]);
				calls[c] = { pid: p.pid, r: result(p.stdout) };
			}
			tools.insmod = (await run('insmod', [ko])).pid;
			tools.rmmod = (await run('rmmod', ['-f', name])).pid;
			tools.modinfo = (await run('modinfo', [ko])).pid;
		});
		const one = (pid: number, type: string): Alert => {
			const hits = mine(alerts, pid).filter((a) => a.fields['evt.type'] === type);
			assert.equal(hits.length, 1, `${type} by ${pid}: ${JSON.stringify(alerts.map((a) => a.output))}`);
			return hits[0];
		};
		for (const c of ['finit', 'init', 'delete']) {
			const { pid, r } = calls[c];
			assert.ok(r.ret < 0, `the kernel took a bogus module: ${c}`);
			const a = one(pid, `${c}_module`);
			assert.equal(a.rule, c === 'delete' ? 'Kernel module unload attempt' : 'Kernel module load attempt');
			assert.equal(a.fields['evt.res'], resName(r));
			assert.equal(a.fields['proc.exepath'], KMODCALL);
			assert.equal(a.fields['user.uid'], 0);
			assert.equal(a.fields['proc.ppid'], process.pid);
			assert.ok(a.tags.includes(c === 'delete' ? 'T1562.001' : 'T1547.006'), a.tags.join());
			if (c === 'finit') {
				assert.equal(a.fields['kmod.path'], ko);
				assert.equal(a.fields['kmod.name'], `bg_bogus_${process.pid}`);
			}
			if (c === 'init') assert.equal(a.fields['kmod.image_size'], 4096 + 18);
			if (c === 'delete') {
				assert.equal(a.fields['kmod.name'], name);
				assert.equal(a.fields['kmod.flags'], 0o4000); // O_NONBLOCK
			}
		}
		// insmod tries finit_module first (kmod falls back to init_module where finit_module is missing)
		const ins = one(tools.insmod, 'finit_module');
		assert.equal(ins.fields['kmod.path'], ko);
		assert.equal(ins.fields['proc.name'], 'insmod');
		assert.notEqual(ins.fields['evt.res'], 'SUCCESS');
		const rm = one(tools.rmmod, 'delete_module');
		assert.equal(rm.fields['kmod.name'], name);
		assert.deepEqual(mine(alerts, tools.modinfo), [], 'modinfo reads the file: no alert');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('BPF loads and attaches by another process alert (bpftool, direct bpf() calls); bpfguard\'s own loads and bpftool prog show do not', async (t) => {
	if (!requireBpf(t, [...OBJECTS, harnessObject('testrun')])) return;
	if (!tool('bpftool')) {
		if (process.env.CI === 'true') throw new Error('bpftool missing');
		t.skip('bpftool not installed');
		return;
	}
	const pin = `/sys/fs/bpf/bg-test-${process.pid}`;
	const obj = bpfObjectPath(harnessObject('testrun'));
	const tag = `bgk${process.pid % 100000}`;
	const pids: Record<string, number> = {};
	const out: Record<string, { ret: number; errno: number }> = {};
	try {
		const { alerts } = await withMonitor(async () => {
			// bpfguard's own load, in this very process (the monitor's)
			const own = new (addon().BpfObject)(obj);
			own.load();
			own.close();
			for (const c of ['load', 'badload', 'rawtp']) {
				const p = await run(BPFCALL, [c, tag]);
				pids[c] = p.pid;
				out[c] = result(p.stdout);
			}
			pids.bpftool = (await run('bpftool', ['prog', 'load', obj, pin])).pid;
			pids.show = (await run('bpftool', ['prog', 'show'])).pid;
		});
		const bpfAlerts = alerts.filter((a) => a.rule.startsWith('BPF program'));
		assert.deepEqual(mine(bpfAlerts, process.pid), [], "bpfguard's own load: no alert");
		assert.deepEqual(mine(alerts, pids.show), [], 'bpftool prog show: no alert');
		const load = mine(alerts, pids.load);
		assert.equal(load.length, 1, JSON.stringify(alerts.map((a) => a.output)));
		assert.equal(load[0].rule, 'BPF program loaded by another process');
		assert.equal(out.load.ret >= 0, true);
		assert.equal(load[0].fields['evt.res'], 'SUCCESS');
		assert.equal(load[0].fields['bpf.prog_type'], 'socket_filter');
		assert.equal(load[0].fields['bpf.prog_name'], tag);
		assert.equal(load[0].fields['bpf.from_user'], false);
		assert.equal(load[0].fields['proc.exepath'], BPFCALL);
		assert.ok(load[0].tags.includes('T1014'));
		const bad = mine(alerts, pids.badload);
		assert.equal(bad.length, 1);
		assert.equal(bad[0].fields['evt.res'], resName(out.badload));
		assert.equal(bad[0].fields['bpf.prog_name'], tag);
		assert.equal(bad[0].fields['bpf.from_user'], true);
		const raw = mine(alerts, pids.rawtp);
		assert.deepEqual(raw.map((a) => a.rule).sort(), ['BPF program attached by another process', 'BPF program loaded by another process']);
		const att = raw.find((a) => a.fields['bpf.cmd'] === 'raw_tracepoint_open')!;
		assert.equal(att.fields['evt.res'], resName(out.rawtp));
		assert.equal(att.fields['bpf.prog_type'], 'raw_tracepoint');
		assert.equal(att.fields['bpf.prog_name'], tag);
		const tool = mine(alerts, pids.bpftool).filter((a) => a.fields['bpf.prog_name'] === 'bg_t_sys');
		assert.equal(tool.length, 1, JSON.stringify(mine(alerts, pids.bpftool).map((a) => a.output)));
		assert.equal(tool[0].fields['bpf.prog_type'], 'syscall');
		assert.equal(tool[0].fields['proc.name'], 'bpftool');
	} finally {
		rmSync(pin, { force: true });
	}
});

test('every record field: a delete_module, a finit_module and a BPF load and raw tracepoint attach by direct calls', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const ko = `/var/lib/bg-kmod-rec-${process.pid}.ko`;
	writeFileSync(ko, 'not a module\n', { mode: 0o600 });
	const pids: Record<string, number> = {};
	const out: Record<string, { ret: number; errno: number }> = {};
	const tag = `bgr${process.pid % 100000}`;
	try {
		const { events } = await collect(SENSORS.filter((s) => s.name === 'process' || s.name === 'kernel'), {}, async () => {
			for (const [prog, args] of [[KMODCALL, ['delete', 'bg_rec_nosuch']], [KMODCALL, ['finit', ko]], [BPFCALL, ['rawtp', tag]]] as const) {
				const p = await run(prog, [...args]);
				pids[args[0]] = p.pid;
				out[args[0]] = result(p.stdout);
			}
		});
		const acts = events.filter((e): e is ActEvent => (e.kind === 'kmod' || e.kind === 'bpf') && Object.values(pids).includes(e.pid));
		const [del, fin, load, att] = acts;
		assert.equal(acts.length, 4, JSON.stringify(acts.map((e) => `${e.pid} ${e.syscall} ${e.op}`)));
		for (const e of acts) {
			assert.equal(e.uid, 0);
			assert.equal(e.ppid, process.pid);
			assert.equal(e.target, undefined);
			assert.equal(e.tid, e.pid);
		}
		assert.deepEqual([del.kind, del.syscall, del.nr, del.ret, del.op, del.arg, del.aux, del.name, del.comm, del.exe, del.flags], ['kmod', 'delete_module', syscallNr('delete_module'), -out.delete.errno, 0o4000, 0n, 0, 'bg_rec_nosuch', 'kmodcall', KMODCALL, BgActFlag.BG_AF_NAME_USER]);
		assert.deepEqual([fin.kind, fin.syscall, fin.ret, fin.op, fin.name, fin.flags], ['kmod', 'finit_module', -out.finit.errno, 0, ko, 0]);
		assert.deepEqual([load.kind, load.syscall, load.op, load.arg, load.name, load.comm, load.exe, load.flags], ['bpf', 'bpf', 5, 17n, tag, 'bpfcall', BPFCALL, 0]);
		assert.ok(load.ret >= 0);
		assert.deepEqual([att.op, att.ret, att.arg, att.aux, att.name], [17, out.rawtp.ret, 17n, 0, tag]);
	} finally {
		rmSync(ko, { force: true });
	}
});
