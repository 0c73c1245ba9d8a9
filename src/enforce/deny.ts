/**
 * @module enforce/deny: the deny hook (bpf/enforce/deny.bpf.c): cgroup v2 connect4/6 and sendmsg4/6
 * programs attached to one cgroup (default: the cgroup v2 root, i.e. every process), filled with the deny
 * rules' destinations, and the quarantined cgroups. Its records share the sensors' ring buffer.
 * Detached when the monitor stops.
 */
import { isIPv4 } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addon, type NativeBpfObject } from '../bridge/addon.js';
import { BG_DENY_KEY4, BG_DENY_KEY6, BG_DENY_SLOT, BgDenyLimit, BgEnfCommHow, BgEnfMode } from '../events/generated/layouts.js';
import { bpfObjectPath } from '../util/paths.js';
import { findCgroup2 } from '../process/procfs.js';
import type { DenySlot } from './plan.js';

const PROGS = ['bg_deny_connect4', 'bg_deny_connect6', 'bg_deny_sendmsg4', 'bg_deny_sendmsg6'];
const PROTO = { tcp: 6, udp: 17 } as const;

const u32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(n >>> 0);
	return b;
};
const u64 = (n: bigint) => {
	const b = Buffer.alloc(8);
	b.writeBigUInt64LE(n);
	return b;
};

/** The 16 bytes of an IPv6 address (:: and embedded IPv4 forms included). */
export function ip6Bytes(a: string): Buffer {
	let s = a;
	const tail: number[] = [];
	const v4 = s.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
	if (v4) {
		s = `${v4[1]}0:0`;
		tail.push(...v4[2].split('.').map(Number));
	}
	const [head, rest] = s.split('::');
	const words = (x: string | undefined) => (x ? x.split(':').map((w) => parseInt(w, 16)) : []);
	const h = words(head);
	const r = rest === undefined ? [] : words(rest);
	const all = rest === undefined ? h : [...h, ...new Array(8 - h.length - r.length).fill(0), ...r];
	const out = Buffer.alloc(16);
	all.forEach((w, i) => out.writeUInt16BE(w, i * 2));
	if (tail.length) Buffer.from(tail).copy(out, 12);
	return out;
}

/** A slot's kernel value (struct bg_deny_slot). */
export function denySlotValue(s: DenySlot): Buffer {
	const v = Buffer.alloc(BG_DENY_SLOT.SIZE);
	v.writeUInt8(s.mode === 'enforce' ? BgEnfMode.BG_ENF_ENFORCE : BgEnfMode.BG_ENF_AUDIT, BG_DENY_SLOT.mode);
	v.writeUInt8(s.proto ? PROTO[s.proto] : 0, BG_DENY_SLOT.proto);
	v.writeUInt8(s.ports.length, BG_DENY_SLOT.nports);
	v.writeUInt8(s.comm ? (s.comm.how === 'only' ? BgEnfCommHow.BG_ENF_COMM_ONLY : BgEnfCommHow.BG_ENF_COMM_SPARE) : BgEnfCommHow.BG_ENF_COMM_ANY, BG_DENY_SLOT.comm_how);
	v.writeUInt8(s.comm?.names.length ?? 0, BG_DENY_SLOT.ncomm);
	s.ports.forEach((p, i) => v.writeUInt16LE(p, BG_DENY_SLOT.ports + i * 2));
	(s.comm?.names ?? []).forEach((n, i) => Buffer.from(n).copy(v, BG_DENY_SLOT.comm + i * 16, 0, 15));
	return v;
}

/** LPM entries (key hex → slot bits) of the slots' addresses; no address: every address of both families. */
export function denyEntries(slots: readonly DenySlot[]): { v4: Map<string, number>; v6: Map<string, number> } {
	const v4 = new Map<string, number>();
	const v6 = new Map<string, number>();
	const put = (m: Map<string, number>, key: Buffer, bit: number) => m.set(key.toString('hex'), (m.get(key.toString('hex')) ?? 0) | bit);
	for (const s of slots) {
		const bit = (1 << s.slot) >>> 0;
		const k4 = (addr: Buffer | null) => {
			const k = Buffer.alloc(BG_DENY_KEY4.SIZE);
			k.writeUInt32LE(addr ? 32 : 0, BG_DENY_KEY4.prefixlen);
			addr?.copy(k, BG_DENY_KEY4.addr);
			return k;
		};
		const k6 = (addr: Buffer | null) => {
			const k = Buffer.alloc(BG_DENY_KEY6.SIZE);
			k.writeUInt32LE(addr ? 128 : 0, BG_DENY_KEY6.prefixlen);
			addr?.copy(k, BG_DENY_KEY6.addr);
			return k;
		};
		if (!s.addrs.length) {
			put(v4, k4(null), bit);
			put(v6, k6(null), bit);
		}
		for (const a of s.addrs) {
			if (isIPv4(a)) put(v4, k4(Buffer.from(a.split('.').map(Number))), bit);
			else put(v6, k6(ip6Bytes(a)), bit);
		}
	}
	// the trie answers with the longest match: an exact address carries the every-address slots too
	for (const m of [v4, v6]) {
		const any = [...m].find(([k]) => Buffer.from(k, 'hex').readUInt32LE(0) === 0)?.[1] ?? 0;
		if (any) for (const [k, bits] of m) m.set(k, (bits | any) >>> 0);
	}
	return { v4, v6 };
}

/** The loaded and attached deny hook. */
export class DenyHook {
	private egress = false;
	/** Quarantined cgroups in bg_quarantine: id → directory. */
	private readonly held = new Map<bigint, string>();
	/** Attached programs → their link number (for pinning). */
	private readonly links = new Map<string, number>();
	/** Where the links are pinned (monitor --pin), if they are. */
	private pinDir?: string;

	private constructor(
		private readonly obj: NativeBpfObject,
		readonly cgroup: string,
	) {}

	/** Load, fill and attach to cgroup; events/stats: the sensors' shared ring buffer and counters. */
	static start(slots: readonly DenySlot[], shared: { events: number; stats: number }, cgroup = findCgroup2()): DenyHook {
		if (slots.length > BgDenyLimit.BG_DENY_SLOTS) throw new Error(`at most ${BgDenyLimit.BG_DENY_SLOTS} deny rules`);
		if (!cgroup) throw new Error('no cgroup v2 hierarchy is mounted (the deny hook attaches to one)');
		if (!existsSync(`${cgroup}/cgroup.procs`)) throw new Error(`${cgroup} is not a cgroup v2 directory`);
		const obj = new (addon().BpfObject)(bpfObjectPath('deny'));
		try {
			obj.reuseMap('bg_events', shared.events);
			obj.reuseMap('bg_stats', shared.stats);
			obj.load();
			const hook = new DenyHook(obj, cgroup);
			hook.fill(slots);
			for (const p of PROGS) hook.links.set(p, obj.attachCgroup(p, cgroup));
			return hook;
		} catch (e) {
			obj.close();
			throw e;
		}
	}

	/** Replace the slots and destinations (a rules reload). */
	fill(slots: readonly DenySlot[]): void {
		for (let i = 0; i < BgDenyLimit.BG_DENY_SLOTS; i++) this.obj.mapUpdate('bg_deny_slots', u32(i), Buffer.alloc(BG_DENY_SLOT.SIZE));
		const { v4, v6 } = denyEntries(slots);
		for (const [map, want] of [['bg_deny4', v4], ['bg_deny6', v6]] as const) {
			for (const [hex, bits] of want) this.obj.mapUpdate(map, Buffer.from(hex, 'hex'), u32(bits));
			for (const k of this.obj.mapKeys(map)) if (!want.has(k.toString('hex'))) this.obj.mapDelete(map, k);
		}
		for (const s of slots) this.obj.mapUpdate('bg_deny_slots', u32(s.slot), denySlotValue(s));
	}

	/**
	 * Cut a quarantined cgroup off the network: new connects and sends fail, and (the egress program,
	 * attached at the first quarantine: no cost before) packets its processes send on older sockets
	 * are dropped. Returns a problem with the egress part, if any.
	 */
	quarantine(cgroupId: bigint, n: number, dir: string): string | undefined {
		this.obj.mapUpdate('bg_quarantine', u64(cgroupId), u32(n));
		this.held.set(cgroupId, dir);
		if (this.egress) return undefined;
		try {
			this.links.set('bg_quarantine_egress', this.obj.attachCgroup('bg_quarantine_egress', this.cgroup));
			this.egress = true;
			if (this.pinDir) this.obj.pinLink(this.links.get('bg_quarantine_egress')!, join(this.pinDir, 'bg_quarantine_egress'));
			return undefined;
		} catch (e) {
			return (e as Error).message;
		}
	}

	/**
	 * Pin the links in dir (a BPF filesystem directory): they stay attached after the monitor stops,
	 * until the files are removed (bpfguard enforce remove). Returns the files.
	 */
	pin(dir: string): string[] {
		this.pinDir = dir;
		const files: string[] = [];
		for (const [prog, n] of this.links) {
			this.obj.pinLink(n, join(dir, prog));
			files.push(join(dir, prog));
		}
		// the egress program may come later (the first quarantine): its file is known now
		if (!this.links.has('bg_quarantine_egress')) files.push(join(dir, 'bg_quarantine_egress'));
		return files;
	}

	/** Forget the quarantines released meanwhile (`bpfguard release` removed their cgroup): their sockets send again. */
	sweep(): void {
		for (const [id, dir] of this.held) {
			if (existsSync(dir)) continue;
			this.obj.mapDelete('bg_quarantine', u64(id));
			this.held.delete(id);
		}
	}

	stop(): void {
		this.obj.detachAll();
		this.obj.close();
	}
}
