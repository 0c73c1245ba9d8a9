/** @module seccomp/learn: the syscalls one process tree uses, as a bitmap filled in the kernel (bpf/seccomp/learn.bpf.c, section .data.learn). */
import { readdirSync, readFileSync } from 'node:fs';
import { addon, type NativeBpfObject } from '../bridge/addon.js';
import { bpfObjectPath } from '../util/paths.js';

const PROGS = ['bg_learn_enter', 'bg_learn_fork', 'bg_learn_free'];

const u32 = (n: number) => {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(n);
	return b;
};

/** What the kernel saw: the syscall numbers, and the calls it could not record. */
export interface LearnedSet {
	readonly nrs: number[];
	/** Calls whose number did not fit the bitmap (negative, or 1024 and above). */
	readonly lost: number;
}

/** Syscall numbers of the set bits of the bitmap words (word i holds numbers 64i..64i+63). */
export function bitsToNrs(words: readonly bigint[]): number[] {
	const out: number[] = [];
	words.forEach((w, i) => {
		for (let b = 0; b < 64; b++) if ((w >> BigInt(b)) & 1n) out.push(i * 64 + b);
	});
	return out;
}

/** The processes under pid (children of every thread, recursively), read from /proc. */
export function descendants(pid: number): number[] {
	const out: number[] = [];
	const todo = [pid];
	while (todo.length) {
		const p = todo.pop() as number;
		let tasks: string[] = [];
		try {
			tasks = readdirSync(`/proc/${p}/task`);
		} catch {
			continue;
		}
		for (const t of tasks) {
			let kids = '';
			try {
				kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
			} catch {
				continue;
			}
			for (const k of kids.split(' ').filter(Boolean).map(Number)) {
				out.push(k);
				todo.push(k);
			}
		}
	}
	return out;
}

/** The loaded and attached learner; follow() adds a tree's root, read() the syscalls seen so far. */
export class SyscallLearner {
	private constructor(private readonly obj: NativeBpfObject) {}

	/** Loads and attaches build/bpf/learn.bpf.o (root) for a followed tree, or for one cgroup v2 id; throws the loader's error. */
	static open(cgroupId?: bigint): SyscallLearner {
		const obj = new (addon().BpfObject)(bpfObjectPath('learn'));
		try {
			if (cgroupId === undefined) obj.setRodata('cfg_follow', Buffer.from([1]));
			else {
				const id = Buffer.alloc(8);
				id.writeBigUInt64LE(cgroupId);
				obj.setRodata('cfg_cgroup', id);
			}
			obj.load();
			for (const p of PROGS) obj.attach(p);
		} catch (e) {
			obj.close();
			throw e;
		}
		return new SyscallLearner(obj);
	}

	/** Follows pid and its future descendants. */
	follow(pid: number): void {
		this.obj.mapUpdate('bg_follow', u32(pid), Buffer.from([1]));
	}

	/** The syscall numbers seen so far. */
	read(): LearnedSet {
		const data = this.obj.mapLookup('.data.learn', u32(0)) ?? Buffer.alloc(0);
		const words = Array.from({ length: data.length / 8 }, (_, i) => data.readBigUInt64LE(i * 8));
		const lost = Number(this.obj.mapLookup('bg_learn_lost', u32(0))?.readBigUInt64LE(0) ?? 0n);
		return { nrs: bitsToNrs(words), lost };
	}

	close(): void {
		this.obj.detachAll();
		this.obj.close();
	}
}
