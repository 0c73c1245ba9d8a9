/** @module seccomp/denials: exact seccomp denials of one process tree, counted in the kernel (bpf/seccomp/seccomp.bpf.c). */
import { addon, type NativeBpfObject } from '../bridge/addon.js';
import { BG_SC_KEY } from '../events/generated/layouts.js';
import { bpfObjectPath } from '../util/paths.js';

const PROGS = ['bg_sc_enter', 'bg_sc_exit', 'bg_sc_fork', 'bg_sc_free'];

/** One (syscall, result) pair the tree's threads left without entering: a call seccomp refused. */
export interface Denial {
	readonly nr: number;
	readonly ret: number;
	readonly count: number;
}

/** What the kernel counted, with what it could not count. */
export interface DenialCounts {
	readonly denials: Denial[];
	/** Denials not counted: the (syscall, result) table was full. */
	readonly lost: number;
	/** Threads that could not be marked at entry (their next exit may be miscounted as a denial). */
	readonly unmarked: number;
}

const u32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(n);
	return b;
};

/** The loaded and attached counter object; follow() adds the tree's root, read() the counts. */
export class DenialWatch {
	private constructor(private readonly obj: NativeBpfObject) {}

	/** Loads and attaches build/bpf/seccomp.bpf.o (root); throws the loader's error. */
	static open(): DenialWatch {
		const obj = new (addon().BpfObject)(bpfObjectPath('seccomp'));
		try {
			obj.setRodata('cfg_follow', Buffer.from([1]));
			obj.load();
			for (const p of PROGS) obj.attach(p);
		} catch (e) {
			obj.close();
			throw e;
		}
		return new DenialWatch(obj);
	}

	/** Follows pid and its descendants; pid is marked first, as it is already inside a syscall. */
	follow(pid: number): void {
		this.obj.mapUpdate('bg_sc_root', u32(pid), Buffer.from([1]));
		this.obj.mapUpdate('bg_follow', u32(pid), Buffer.from([1]));
	}

	/** The counts so far. */
	read(): DenialCounts {
		const denials: Denial[] = [];
		for (const k of this.obj.mapKeys('bg_sc_deny')) {
			const v = this.obj.mapLookup('bg_sc_deny', k);
			if (v) denials.push({ nr: k.readInt32LE(BG_SC_KEY.nr), ret: k.readInt32LE(BG_SC_KEY.ret), count: Number(v.readBigUInt64LE(0)) });
		}
		const slot = (i: number) => Number(this.obj.mapLookup('bg_sc_lost', u32(i))?.readBigUInt64LE(0) ?? 0n);
		return { denials, lost: slot(0), unmarked: slot(1) };
	}

	close(): void {
		this.obj.detachAll();
		this.obj.close();
	}
}
