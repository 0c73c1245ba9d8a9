/**
 * @module enforce/enforcer: the monitor's blocking side. It loads the kill slots into the kernel
 * (exec and open kills act at the hook, bpf/lib/enforce.bpf.h), marks what must never be hit
 * (pid 1, kernel threads, bpfguard and its parent chain, protected executables), and turns each
 * match of a kill/deny rule into a block: the kernel's verdict read from the event, or a reactive
 * kill through a pidfd (so a reused pid is never hit) for rules the kernel cannot decide.
 * Every block and would-block is written on the rule's alert: block.* fields and the output.
 */
import { statSync } from 'node:fs';
import { addon, type NativeBpfObject } from '../bridge/addon.js';
import type { Alert, Block } from '../alerts/alert.js';
import type { BgEvent } from '../events/types.js';
import type { CompiledRule } from '../rules/ruleset.js';
import type { ProcessTable } from '../process/table.js';
import { ppidOf } from '../process/procfs.js';
import { BG_ENF_EXE_KEY, BG_ENF_SLOT, BgEnfAccess, BgEnfCommHow, BgEnfMode, BgEnfVerdict, BgNetFlag } from '../events/generated/layouts.js';
import { watchKey } from '../sensors/file-watch.js';
import type { WatchSet } from '../sensors/options.js';
import type { BlockMode, EnforcePlan, KillSlot } from './plan.js';

export type { Block } from '../alerts/alert.js';

/** Executables never killed (with the user's list): the init system, sshd, the package managers. */
export const DEFAULT_PROTECTED = ['/sbin/init', '/lib/systemd/systemd', '/usr/lib/systemd/systemd', '/usr/sbin/sshd', '/usr/bin/dpkg', '/usr/bin/apt', '/usr/bin/apt-get', '/usr/bin/rpm', '/usr/bin/dnf', '/usr/bin/yum'];

/** Kills per rule per minute before the rule falls back to audit mode (it says so). */
export const DEFAULT_BUDGET = 10;

export interface EnforcerOptions {
	/** More protected executables (absolute paths; symlinks are followed). */
	protect?: readonly string[];
	/** Kills per rule per minute; 0: no limit. */
	budget?: number;
	/** Notices for the user (a budget spent, a protected target). */
	log?(msg: string): void;
	/** Quarantine pid's process tree (the monitor's deny hook); returns the quarantine's id. */
	quarantine?(pid: number, rule: string): string;
}

const COMM_HOW = { only: BgEnfCommHow.BG_ENF_COMM_ONLY, spare: BgEnfCommHow.BG_ENF_COMM_SPARE } as const;
const ACCESS = { r: 1, w: 2, rw: 3 } as const;

/** A slot's kernel value (struct bg_enf_slot). */
export function slotValue(s: KillSlot, budget: number): Buffer {
	const v = Buffer.alloc(BG_ENF_SLOT.SIZE);
	v.writeUInt8(s.mode === 'enforce' ? BgEnfMode.BG_ENF_ENFORCE : BgEnfMode.BG_ENF_AUDIT, BG_ENF_SLOT.mode);
	v.writeUInt8(ACCESS[s.access] | (s.okOnly ? BgEnfAccess.BG_ENF_OK_ONLY : 0), BG_ENF_SLOT.access);
	v.writeUInt8(s.comm ? COMM_HOW[s.comm.how] : BgEnfCommHow.BG_ENF_COMM_ANY, BG_ENF_SLOT.comm_how);
	v.writeUInt8(s.comm?.names.length ?? 0, BG_ENF_SLOT.ncomm);
	v.writeUInt32LE(s.uid ?? 0xffffffff, BG_ENF_SLOT.uid);
	v.writeUInt32LE(s.notUid ?? 0xffffffff, BG_ENF_SLOT.not_uid);
	v.writeUInt32LE(budget, BG_ENF_SLOT.budget);
	(s.comm?.names ?? []).forEach((n, i) => Buffer.from(n).copy(v, BG_ENF_SLOT.comm + i * 16, 0, 15));
	return v;
}

/** The kernel's dev_t (MKDEV: major << 20 | minor) of a stat() st_dev (new_encode_dev). */
export function kernelDev(stDev: number): number {
	const major = (stDev >>> 8) & 0xfff;
	const minor = (stDev & 0xff) | ((stDev >>> 12) & 0xfff00);
	return ((major << 20) | minor) >>> 0;
}

/** bpfguard's pid and its parent chain up to (not including) pid 1. */
export function selfAndParents(): number[] {
	const out: number[] = [];
	let pid = process.pid;
	for (let i = 0; i < 64 && pid > 1; i++) {
		out.push(pid);
		const ppid = ppidOf(pid);
		if (ppid === undefined) break;
		pid = ppid;
	}
	return out;
}

const u32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(n >>> 0);
	return b;
};

export class Enforcer {
	private readonly budget: number;
	private readonly protectedPids: Set<number>;
	private readonly protectedExes: Set<string>;
	/** Reactive kills in the current minute, by rule. */
	private readonly spent = new Map<string, { start: number; count: number }>();
	readonly counts = { kernel: 0, reactive: 0, audit: 0, spared: 0 };

	constructor(
		private plan: EnforcePlan,
		private readonly table: ProcessTable,
		private readonly o: EnforcerOptions = {},
	) {
		this.budget = o.budget ?? DEFAULT_BUDGET;
		this.protectedPids = new Set(selfAndParents());
		this.protectedExes = new Set([...DEFAULT_PROTECTED, ...(o.protect ?? [])]);
	}

	/** The open kills as watch entries for the file sensor (merged with the rules' watch set). */
	watchEntries(): WatchSet {
		const ws: WatchSet = { paths: [], names: [] };
		for (const s of this.plan.kill) {
			if (s.on !== 'open') continue;
			const kill = (1 << s.slot) >>> 0;
			ws.paths.push(...s.paths.map((p) => ({ ...p, mode: s.access, kill })));
			ws.names.push(...s.names.map((n) => ({ ...n, mode: s.access, kill })));
		}
		return ws;
	}

	/** Write the slots, exe kill entries and protected sets into the kernel (objects sharing bg_enf_*). */
	apply(proc: NativeBpfObject): void {
		for (let i = 0; i < 24; i++) proc.mapUpdate('bg_enf_slots', u32(i), Buffer.alloc(BG_ENF_SLOT.SIZE));
		for (const k of proc.mapKeys('bg_enf_exe')) proc.mapDelete('bg_enf_exe', k);
		const exe = new Map<string, number>();
		for (const s of this.plan.kill) {
			proc.mapUpdate('bg_enf_slots', u32(s.slot), slotValue(s, this.budget));
			if (s.on !== 'exec') continue;
			for (const p of s.paths) {
				const hex = watchKey(p).toString('hex');
				exe.set(hex, (exe.get(hex) ?? 0) | (1 << s.slot));
			}
		}
		// the LPM trie answers with the longest match: an entry carries the slots of the prefixes covering it
		const entries = [...exe].map(([hex, bits]) => ({ key: Buffer.from(hex, 'hex'), bits }));
		for (const e of entries) {
			const len = e.key.readUInt32LE(0) / 8;
			const path = e.key.subarray(4, 4 + len);
			let bits = e.bits;
			for (const q of entries) {
				const qlen = q.key.readUInt32LE(0) / 8;
				if (q !== e && qlen <= len && q.key[4 + qlen - 1] !== 0 && path.subarray(0, qlen).equals(q.key.subarray(4, 4 + qlen))) bits |= q.bits;
			}
			proc.mapUpdate('bg_enf_exe', e.key, u32(bits));
		}
		for (const pid of this.protectedPids) proc.mapUpdate('bg_enf_pids', u32(pid), Buffer.from([1]));
		for (const path of this.protectedExes) {
			try {
				const st = statSync(path);
				const k = Buffer.alloc(BG_ENF_EXE_KEY.SIZE);
				k.writeBigUInt64LE(BigInt(st.ino), BG_ENF_EXE_KEY.ino);
				k.writeUInt32LE(kernelDev(st.dev), BG_ENF_EXE_KEY.dev);
				proc.mapUpdate('bg_enf_exes', k, Buffer.from([1]));
			} catch {
				// not installed here: nothing to protect
			}
		}
	}

	/** Swap the plan (rules reload); call apply() again. */
	swap(plan: EnforcePlan): void {
		this.plan = plan;
	}

	/** Decide and record the block of a kill/deny rule's match; writes block.* into the alert. */
	decorate(r: CompiledRule, e: BgEvent, a: Alert): boolean {
		if (r.action === 'alert' || r.action === 'log') return true;
		const mode = this.plan.modes.get(r.name) ?? 'audit';
		const verdict = e.kind === 'exec' || e.kind === 'open' || e.kind.startsWith('net_') ? (e as { enforce: number }).enforce : 0;
		let b: Block;
		if (r.action === 'quarantine') {
			b = this.isolate(r.name, mode, e.pid);
		} else if (r.action === 'deny') {
			const slot = this.plan.deny.find((s) => s.rule === r.name);
			const hook = e.kind.startsWith('net_') && (e.flags & BgNetFlag.BG_F_NET_DENY) !== 0;
			// an enforced deny rule speaks through its hook's record; the sensor's record of the same call is not a second block
			if (slot && !hook) return false;
			if (slot && (verdict & 0xff) !== slot.slot + 1) return false;
			b = slot ? this.fromKernel('deny', mode, e.pid, verdict) : { action: 'deny', mode, how: 'kernel', outcome: 'failed', effective: false, pid: e.pid };
		} else {
			const slot = this.plan.kill.find((s) => s.rule === r.name);
			if (slot && verdict && (verdict & 0xff) === slot.slot + 1) b = this.fromKernel('kill', mode, e.pid, verdict);
			else b = this.reactive(r.name, mode, e);
		}
		this.count(b);
		a.block = b;
		a.action = 'alert';
		a.fields['block.action'] = b.action;
		a.fields['block.mode'] = b.mode;
		a.fields['block.how'] = b.how;
		a.fields['block.outcome'] = b.outcome;
		a.fields['block.effective'] = b.effective;
		if (b.delayMs !== undefined) a.fields['block.delay_ms'] = b.delayMs;
		if (b.quarantine !== undefined) a.fields['block.quarantine'] = b.quarantine;
		a.output = `${a.output} [${describe(b)}]`;
		return true;
	}

	private fromKernel(action: 'kill' | 'deny', mode: BlockMode, pid: number, v: number): Block {
		const V = BgEnfVerdict;
		const outcome: Block['outcome'] = v & V.BG_ENF_V_ACTED ? (action === 'kill' ? 'killed' : 'denied') : v & V.BG_ENF_V_AUDIT ? 'would-block' : v & V.BG_ENF_V_PROTECTED ? 'protected' : v & V.BG_ENF_V_BUDGET ? 'budget' : 'failed';
		if (outcome === 'budget') this.o.log?.(`kill budget spent: the kernel did not kill pid ${pid} (at most ${this.budget} kills a minute per rule; audit until the minute is over)`);
		return { action, mode, how: 'kernel', outcome, effective: (v & V.BG_ENF_V_ACTED) !== 0, pid };
	}

	private reactive(rule: string, mode: BlockMode, e: BgEvent): Block {
		const b: Block = { action: 'kill', mode, how: 'reactive', outcome: 'would-block', effective: false, pid: e.pid };
		if (mode === 'audit') return b;
		if (this.isProtected(e.pid)) return { ...b, outcome: 'protected' };
		if (!this.take(rule)) {
			this.o.log?.(`rule ${rule}: kill budget spent (${this.budget} a minute): pid ${e.pid} not killed; audit until the minute is over`);
			return { ...b, outcome: 'budget' };
		}
		const start = e.kind === 'exec' || e.kind === 'fork' ? e.startNs : this.table.get(e.pid)?.startNs;
		let res: string;
		try {
			res = addon().pidfdKill(e.pid, start && start > 0n ? start : undefined);
		} catch {
			res = 'failed';
		}
		const delayMs = Math.max(0, Math.round(Date.now() - e.timeMs));
		const outcome = res === 'signalled' ? 'killed' : (res as Block['outcome']);
		return { ...b, outcome, effective: outcome === 'killed', delayMs };
	}

	/** Quarantine the tree of pid (user space decides; the deny hook enforces). */
	private isolate(rule: string, mode: BlockMode, pid: number): Block {
		const b: Block = { action: 'quarantine', mode, how: 'reactive', outcome: 'would-block', effective: false, pid };
		if (mode === 'audit') return b;
		if (this.isProtected(pid)) return { ...b, outcome: 'protected' };
		if (!this.o.quarantine) return { ...b, outcome: 'failed' };
		try {
			return { ...b, outcome: 'quarantined', effective: true, quarantine: this.o.quarantine(pid, rule) };
		} catch (e) {
			this.o.log?.(`rule ${rule}: quarantine of pid ${pid} failed: ${(e as Error).message}`);
			return { ...b, outcome: 'failed' };
		}
	}

	/** pid 1, bpfguard and its parents, and processes running a protected executable. */
	private isProtected(pid: number): boolean {
		if (pid <= 1 || this.protectedPids.has(pid)) return true;
		const exe = this.table.get(pid)?.exe;
		return exe !== undefined && this.protectedExes.has(exe);
	}

	private take(rule: string): boolean {
		if (!this.budget) return true;
		const now = Date.now();
		let s = this.spent.get(rule);
		if (!s || now - s.start >= 60_000) this.spent.set(rule, (s = { start: now, count: 0 }));
		return ++s.count <= this.budget;
	}

	private count(b: Block): void {
		if (b.effective) this.counts[b.how]++;
		else if (b.outcome === 'would-block') this.counts.audit++;
		else this.counts.spared++;
	}
}

/** The block in words, for the alert's output. */
export function describe(b: Block): string {
	const what = b.action;
	switch (b.outcome) {
		case 'quarantined':
			return `blocked: quarantined (no network until bpfguard release ${b.quarantine})`;
		case 'killed':
			return b.how === 'kernel' ? 'blocked: killed in the kernel' : `blocked: killed reactively after ${b.delayMs ?? 0} ms`;
		case 'denied':
			return 'blocked: denied in the kernel';
		case 'would-block':
			return `audit: would have blocked (${what}, ${b.how})`;
		case 'protected':
			return `not blocked: protected process (${what})`;
		case 'budget':
			return `not blocked: kill budget spent (${what})`;
		case 'gone':
			return 'not blocked: the process had already exited';
		case 'reused':
			return 'not blocked: the pid belongs to another process now';
		default:
			return `not blocked: ${what} failed`;
	}
}
