/** @module sensors/runtime: loads sensors, shares one ring buffer, delivers decoded events in batches. */
import { addon, type NativeBpfObject, type NativeRingReader } from '../bridge/addon.js';
import { decodeRecord, forEachRecord, recordKind } from '../events/decode.js';
import { KIND_ROWS } from '../events/table.js';
import type { BgEvent } from '../events/types.js';
import { bpfObjectPath } from '../util/paths.js';
import { u32, u8, type Sensor, type SyscallHandler } from './sensor.js';
import type { SensorFilter } from './options.js';
import { IA32_SOCKETCALL, ia32Routes, syscallNr } from '../events/syscalls.js';
import { BG_IA32, BgIa32Flag, BgIa32Limit, BgStat } from '../events/generated/layouts.js';
import { hasIoUringTracepoints } from './uring.js';

/** Names of the object's programs that load (autoload on). */
const autoloaded = (obj: NativeBpfObject): Set<string> => new Set(obj.programs().filter((p) => p.autoload).map((p) => p.name));

/** The dispatcher's io_uring programs (bpf/dispatch.bpf.c), loaded where the kernel has those tracepoints and a sensor handles requests. */
const URING_DISPATCH = ['bg_uring_submit', 'bg_uring_complete'];

/** Names of kernel counters, indexed by enum bg_stat (slots are sparse: by domain). */
export const KERNEL_STAT_NAMES: string[] = [];
for (const [k, v] of Object.entries(BgStat)) if (k !== 'BG_STAT__MAX') KERNEL_STAT_NAMES[v] = k.replace(/^BG_STAT_/, '').toLowerCase();

/**
 * Maps several objects declare and share (their definitions identical): the first object loaded
 * with one makes it, later ones reuse it, and switch off the rodata named here, if any (their
 * duty of keeping it). bg_watch_gen: the verdict generation of the dispatcher and the file
 * sensor; bg_follow: the -p set of every sensor, kept (children added at fork) by one object only;
 * bg_enf_*: the kill slots of the process and file sensors; bg_sys_enter_tbl, bg_sys_exit_tbl: the
 * dispatcher's tables, which a dispatch hook's programs resume (bg_au_exit_tbl: the kernel sensor's
 * audit check of sendto/sendmsg, in the dispatcher's header); bg_ia32_sys (with bg_sys_*32): how
 * the dispatcher and the handlers read a 32-bit call.
 */
const SHARED_MAPS: Readonly<Record<string, string | undefined>> = {
	bg_watch_gen: undefined,
	bg_follow: 'cfg_follow_own',
	bg_sys_enter_tbl: undefined,
	bg_sys_exit_tbl: undefined,
	bg_au_exit_tbl: undefined,
	bg_sys_enter32: undefined,
	bg_sys_exit32: undefined,
	bg_ia32_sys: undefined,
	// enforcement (bpf/lib/enforce.bpf.h): one slot table, budget and protected set for the exec and open kills
	bg_enf_slots: undefined,
	bg_enf_budget: undefined,
	bg_enf_pids: undefined,
	bg_enf_exes: undefined,
};

/** The handlers of a sensor this filter turns on (opt-in ones only when asked for). */
function wanted(s: Sensor, f: SensorFilter): readonly SyscallHandler[] {
	const o = (f[s.name] ?? {}) as Record<string, unknown>;
	return (s.syscalls ?? []).filter((h) => !h.optIn || o[h.optIn] === true);
}

/** Counters of the user-space side. */
export interface UserStats {
	records: number;
	batches: number;
	unknownKind: number;
	handlerErrors: number;
	oversize: number;
	/** Records skipped undecoded by the accept gate (no rule and no table needs them). */
	skipped: number;
}

/** Options of SensorRuntime.start. */
export interface RuntimeOptions {
	/** Decode only the records this accepts (the rest are counted in user.skipped); default all. */
	accept?: (buf: Buffer, off: number) => boolean;
	/** Leave out (and list in degraded) a sensor other than process that cannot load or attach. */
	tolerate?: boolean;
}

/** Running sensors; stop() detaches, drains and closes. */
export class SensorRuntime {
	private readonly objects: NativeBpfObject[] = [];
	private readonly bySensor = new Map<string, NativeBpfObject>();
	private dispatch?: NativeBpfObject;
	/** The io_uring hooks some sensor's handler was wired to (wireUring). */
	private uringHooks = new Set<string>();
	private reader?: NativeRingReader;
	readonly user: UserStats = { records: 0, batches: 0, unknownKind: 0, handlerErrors: 0, oversize: 0, skipped: 0 };
	private stopped = false;
	/** Records received by record kind (enum bg_kind < 256). */
	private readonly byKind = new Float64Array(256);
	private finalKernel?: Record<string, number>;
	/** Sees every raw batch before decoding (recording for benchmarks); the buffer is only valid during the call. */
	tap?: (batch: Buffer) => void;

	/** Sensors that could not load or attach here (with tolerate), and why: the rest still runs. */
	readonly degraded: { sensor: string; error: string }[] = [];
	/** The sensors running (those asked for, less the degraded ones). */
	sensors: readonly Sensor[];

	private constructor(
		private readonly wanted: readonly Sensor[],
		private readonly tolerate: boolean,
	) {
		this.sensors = wanted;
	}

	/**
	 * Open, configure, load and attach the sensors, then start delivering events. With
	 * opts.tolerate, a sensor other than process that fails to load or attach is left out and
	 * listed in degraded.
	 */
	static start(sensors: readonly Sensor[], filter: SensorFilter, onEvents: (events: BgEvent[]) => void, opts: RuntimeOptions = {}): SensorRuntime {
		const rt = new SensorRuntime(sensors, !!opts.tolerate);
		try {
			rt.load(filter);
			rt.listen(onEvents, opts.accept);
		} catch (e) {
			rt.closeAll();
			throw e;
		}
		return rt;
	}

	private load(filter: SensorFilter): void {
		const { BpfObject } = addon();
		const handlers = this.sensors.flatMap((s) => wanted(s, filter));
		const hooks = this.sensors.flatMap((s) => (s.dispatch ? [s.dispatch] : []));
		let shared: { events: number; stats: number } | undefined;
		const sharedFds = new Map<string, number>(); // SHARED_MAPS made so far
		const sharedIn = (obj: NativeBpfObject) => obj.maps().map((m) => m.name).filter((n) => Object.hasOwn(SHARED_MAPS, n));
		const open = (file: string): NativeBpfObject => {
			const obj = new BpfObject(bpfObjectPath(file));
			this.objects.push(obj);
			if (shared) {
				obj.reuseMap('bg_events', shared.events);
				obj.reuseMap('bg_stats', shared.stats);
			}
			for (const name of sharedIn(obj)) {
				const fd = sharedFds.get(name);
				if (fd === undefined) continue;
				obj.reuseMap(name, fd);
				const duty = SHARED_MAPS[name];
				if (duty) obj.setRodata(duty, u8(0));
			}
			return obj;
		};
		const loaded = (obj: NativeBpfObject) => {
			obj.load();
			shared ??= { events: obj.mapFd('bg_events'), stats: obj.mapFd('bg_stats') };
			for (const name of sharedIn(obj)) if (!sharedFds.has(name)) sharedFds.set(name, obj.mapFd(name));
		};
		// The dispatcher owns the shared maps when present; it is object 0.
		const uring = hasIoUringTracepoints() && this.sensors.some((s) => s.uring?.length);
		if (handlers.length || hooks.length || uring) {
			this.dispatch = open('dispatch');
			for (const h of hooks) if (h.rodata) this.dispatch.setRodata(h.rodata, u8(1));
			if (!uring) for (const p of URING_DISPATCH) this.dispatch.setAutoload(p, false);
			loaded(this.dispatch);
		}
		for (const s of this.wanted) {
			let obj: NativeBpfObject | undefined;
			try {
				obj = open(s.object);
				s.configure(obj, filter, (filter[s.name] ?? {}) as never);
				loaded(obj);
				s.populate(obj, filter, (filter[s.name] ?? {}) as never);
				this.bySensor.set(s.name, obj);
			} catch (e) {
				this.leaveOut(s, obj, e);
			}
		}
		this.attachAll();
		this.sensors = this.wanted.filter((s) => this.bySensor.has(s.name));
		this.wireDispatch(filter);
		this.wireUring();
		this.wireHooks();
		this.attachDispatch(this.sensors.flatMap((s) => wanted(s, filter)));
	}

	/** A sensor failed: rethrow unless tolerated (the process sensor never is). */
	private leaveOut(s: Sensor, obj: NativeBpfObject | undefined, e: unknown): void {
		if (!this.tolerate || s.name === 'process') throw e;
		const x = e as Error & { code?: string };
		this.degraded.push({ sensor: s.name, error: x.message ?? String(e) });
		if (obj) {
			obj.detachAll();
			obj.close();
			this.objects.splice(this.objects.indexOf(obj), 1);
		}
		this.bySensor.delete(s.name);
	}

	/** Put every sensor's syscall handlers into the dispatcher's tables; optional ones last, never over another. */
	private wireDispatch(filter: SensorFilter): void {
		const taken = new Map<string, string>();
		const watched = new Set<string>();
		for (const optional of [false, true]) {
			for (const s of this.sensors) {
				const obj = this.bySensor.get(s.name)!;
				for (const h of wanted(s, filter)) {
					if (!!h.optional !== optional) continue;
					const fd = obj.progFd(h.prog);
					for (const name of h.syscalls) {
						const nr = syscallNr(name);
						if (nr === undefined) continue;
						const slot = `${h.hook}:${nr}`;
						const owner = taken.get(slot);
						if (owner && optional) continue;
						if (owner) throw new Error(`dispatch: ${h.hook} ${name} claimed by ${owner} and ${s.name}/${h.prog}`);
						taken.set(slot, `${s.name}/${h.prog}`);
						const table = h.hook === 'exit' ? 'bg_sys_exit_tbl' : 'bg_sys_enter_tbl';
						this.dispatch!.mapUpdate(table, u32(nr), u32(fd));
						watched.add(name);
						if (h.ia32Prog) this.dispatch!.mapUpdate(h.hook === 'exit' ? 'bg_sys_exit32' : 'bg_sys_enter32', u32(nr), u32(obj.progFd(h.ia32Prog)));
					}
				}
			}
		}
		this.wireIa32(watched);
	}

	/**
	 * bg_ia32_sys: the 64-bit number of each 32-bit call that reaches a syscall a sensor handles
	 * (its ia32 number, "…32" twin, socketcall call), so the dispatcher hands it to the 32-bit
	 * handler of that number or counts it (compat_syscall) when there is none.
	 */
	private wireIa32(watched: ReadonlySet<string>): void {
		const entry = (nr: number, fl: number) => {
			const b = Buffer.alloc(BG_IA32.SIZE);
			b.writeUInt16LE(nr, BG_IA32.nr);
			b.writeUInt8(fl, BG_IA32.fl);
			return b;
		};
		let socketcall = false;
		for (const name of watched) {
			const nr = syscallNr(name)!;
			for (const r of ia32Routes(name)) {
				const key = r.socketcall ? BgIa32Limit.BG_IA32_SOCKETCALL_KEY + r.nr : r.nr;
				const fl = BgIa32Flag.BG_IA32_WATCHED | (r.uid16 ? BgIa32Flag.BG_IA32_UID16 : 0) | (r.socketcall ? BgIa32Flag.BG_IA32_MEMARGS : 0);
				this.dispatch!.mapUpdate('bg_ia32_sys', u32(key), entry(nr, fl));
				socketcall ||= r.socketcall;
			}
		}
		if (socketcall && IA32_SOCKETCALL !== undefined) this.dispatch!.mapUpdate('bg_ia32_sys', u32(IA32_SOCKETCALL), entry(0, BgIa32Flag.BG_IA32_SOCKETCALL));
	}

	/** Put every sensor's io_uring handlers into the dispatcher's tables by opcode (bg_uring_sub_tbl, bg_uring_cq_tbl). */
	private wireUring(): void {
		const taken = new Map<string, string>();
		for (const s of this.sensors) {
			const obj = this.bySensor.get(s.name)!;
			const loaded = autoloaded(obj);
			for (const h of s.uring ?? []) {
				if (!loaded.has(h.prog)) continue;
				for (const op of h.ops) {
					const slot = `${h.hook}:${op}`;
					const owner = taken.get(slot);
					if (owner) throw new Error(`dispatch: io_uring ${h.hook} opcode ${op} claimed by ${owner} and ${s.name}/${h.prog}`);
					taken.set(slot, `${s.name}/${h.prog}`);
					this.dispatch!.mapUpdate(h.hook === 'submit' ? 'bg_uring_sub_tbl' : 'bg_uring_cq_tbl', u32(op), u32(obj.progFd(h.prog)));
				}
			}
		}
		this.uringHooks = new Set([...taken.keys()].map((k) => k.split(':')[0]));
	}

	/** Put each dispatch hook's programs into their one-slot tables of the dispatcher. */
	private wireHooks(): void {
		for (const s of this.sensors) {
			for (const slot of s.dispatch?.slots ?? []) this.dispatch!.mapUpdate(slot.table, u32(0), u32(this.bySensor.get(s.name)!.progFd(slot.prog)));
		}
	}

	private attachAll(): void {
		// Every declared handler, wired or not (an opt-in one left out must not be attached itself).
		const handlerProgs = new Set([
			...this.wanted.flatMap((s) => s.syscalls ?? []).flatMap((h) => (h.ia32Prog ? [h.prog, h.ia32Prog] : [h.prog])),
			...this.wanted.flatMap((s) => (s.dispatch?.slots ?? []).map((x) => x.prog)),
			...this.wanted.flatMap((s) => (s.uring ?? []).map((h) => h.prog)),
		]);
		for (const s of this.wanted) {
			const obj = this.bySensor.get(s.name);
			if (!obj) continue;
			try {
				const loaded = autoloaded(obj);
				for (const t of s.tails ?? []) {
					t.progs.forEach((name, i) => {
						handlerProgs.add(name);
						if (loaded.has(name)) obj.mapUpdate(t.table, u32(i), u32(obj.progFd(name)));
					});
				}
				for (const p of obj.programs()) if (p.autoload && !handlerProgs.has(p.name)) obj.attach(p.name);
			} catch (e) {
				this.leaveOut(s, obj, e);
			}
		}
	}

	private attachDispatch(handlers: readonly SyscallHandler[]): void {
		if (this.dispatch) {
			const hooked = this.sensors.some((s) => s.dispatch);
			if (hooked || handlers.some((h) => h.hook === 'exit')) this.dispatch.attach('bg_sys_exit');
			if (hooked || handlers.some((h) => h.hook === 'enter')) this.dispatch.attach('bg_sys_enter');
			if (this.uringHooks.has('submit')) this.dispatch.attach('bg_uring_submit');
			if (this.uringHooks.has('complete')) this.dispatch.attach('bg_uring_complete');
		}
	}

	private listen(onEvents: (events: BgEvent[]) => void, accept?: (buf: Buffer, off: number) => boolean): void {
		const { RingReader } = addon();
		this.reader = new RingReader([this.objects[0].mapFd('bg_events')], { batchBytes: 1 << 20, batches: 4, pollMs: 10 });
		const events: BgEvent[] = []; // reused: onEvents must not keep the array
		const user = this.user;
		const byKind = this.byKind;
		const onRecord = (buf: Buffer, off: number, size: number) => {
			byKind[recordKind(buf, off) & 0xff]++;
			if (accept && !accept(buf, off)) {
				user.skipped++;
				return;
			}
			const ev = decodeRecord(buf, off, size);
			if (ev) events.push(ev);
			else user.unknownKind++;
		};
		this.reader.start((batch) => {
			this.tap?.(batch);
			events.length = 0;
			this.user.batches++;
			this.user.records += forEachRecord(batch, onRecord);
			try {
				onEvents(events);
			} catch (e) {
				this.user.handlerErrors++;
				throw e;
			}
		});
	}

	/** Records received per sensor (decoded or skipped by the gate), by the kinds each sensor declares. */
	recordsBySensor(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const s of this.sensors) out[s.name] = s.kinds.reduce((a, k) => a + (this.byKind[KIND_ROWS[k].code] ?? 0), 0);
		return out;
	}

	/** Records received by record kind name (every kind seen at least once). */
	recordsByKind(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const row of Object.values(KIND_ROWS)) {
			const n = this.byKind[row.code] ?? 0;
			if (n > 0) out[row.kind] = n;
		}
		return out;
	}

	/** The loaded programs, each with its fd (autoload off: left out). */
	programFds(): { name: string; fd: number }[] {
		if (this.stopped) return [];
		return this.objects.flatMap((o) => o.programs().filter((p) => p.autoload).map((p) => ({ name: p.name, fd: o.progFd(p.name) })).filter((p) => p.fd >= 0));
	}

	/** Map access on the object of a sensor (for run-time changes). */
	object(sensorName: string): NativeBpfObject {
		const obj = this.bySensor.get(sensorName);
		if (!obj) throw new Error(`sensor ${sensorName} not running`);
		return obj;
	}

	/** Kernel counters summed over CPUs, by name. */
	kernelStats(): Record<string, number> {
		if (this.finalKernel) return { ...this.finalKernel };
		const out: Record<string, number> = {};
		if (!this.objects.length) return out;
		const obj = this.objects[0];
		KERNEL_STAT_NAMES.forEach((name, i) => {
			if (!name) return;
			const key = Buffer.alloc(4);
			key.writeUInt32LE(i); // the array is sparse: index = enum bg_stat slot
			const v = obj.mapLookup('bg_stats', key);
			let sum = 0;
			if (v) for (let o = 0; o + 8 <= v.length; o += 8) sum += Number(v.readBigUInt64LE(o));
			out[name] = sum;
		});
		return out;
	}

	/** Detach every program, deliver what is still buffered, close the objects. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const o of this.objects) o.detachAll();
		if (this.reader) {
			await this.reader.stop();
			const rs = this.reader.stats();
			this.user.oversize = rs.oversize;
		}
		this.finalKernel = this.kernelStats();
		this.closeAll();
	}

	private closeAll(): void {
		for (const o of this.objects) o.close();
		this.objects.length = 0;
		this.bySensor.clear();
		this.dispatch = undefined;
	}
}
