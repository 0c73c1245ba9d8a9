/** @module sensors/sensor: what a sensor declares (its BPF object, programs and settings). */
import type { NativeBpfObject } from '../bridge/addon.js';
import type { EventKind } from '../events/types.js';
import type { SensorName } from '../events/table.js';
import type { CommonFilter, SensorOptions } from './options.js';

/** A program tail-called by the syscall dispatcher for these syscalls (never attached itself). */
export interface SyscallHandler {
	hook: 'enter' | 'exit';
	/** Syscall names; names this architecture lacks (open on arm64) are skipped. */
	syscalls: readonly string[];
	/** Program name in the sensor's object. */
	prog: string;
	/** The program (in the same object) that decodes the 32-bit (ia32) calls of these syscalls; without it they are counted (compat_syscall). */
	ia32Prog?: string;
	/** A nice-to-have (e.g. a cheap check): wired after all others, skipped where a slot is taken. */
	optional?: boolean;
	/** Wired only when this option of the sensor's own options is true (an opt-in cost). */
	optIn?: string;
}

/**
 * A check the dispatcher runs on every syscall for this sensor (switched on by a rodata flag of
 * the dispatcher), handing the calls it selects to programs of the sensor through one-slot
 * tables; those programs resume the dispatch.
 */
export interface DispatchHook {
	/** The dispatcher's rodata flag (bpf/dispatch.bpf.c); none for a check the dispatcher makes by syscall number alone (an empty slot costs one failed lookup). */
	rodata?: string;
	/** Each one-slot table of the dispatcher and the program (in the sensor's object; tail-called, never attached itself) it holds. */
	slots: readonly { table: string; prog: string }[];
}

/**
 * A program the dispatcher's io_uring programs (bpf/dispatch.bpf.c bg_uring_submit,
 * bg_uring_complete) call for requests of these opcodes; never attached itself. Wired only where
 * the kernel has io_uring's tracepoints (the sensor leaves the program unloaded elsewhere).
 */
export interface UringHandler {
	/** io_uring_submit_req or io_uring_complete. */
	hook: 'submit' | 'complete';
	/** IORING_OP_* numbers (src/sensors/uring.ts IORING_OP). */
	ops: readonly number[];
	/** Program name in the sensor's object. */
	prog: string;
}

/** A sensor: one BPF object of bpf/ and how to set it up; O is its own options type. */
export interface Sensor<N extends SensorName = SensorName> {
	/** Registry name, e.g. "process" (the sensor column of the event table). */
	readonly name: N;
	/** Object name under build/bpf/ (without .bpf.o). */
	readonly object: string;
	/** Event kinds this sensor produces. */
	readonly kinds: readonly EventKind[];
	/** Programs the dispatcher calls per syscall; all other programs are attached directly. */
	readonly syscalls?: readonly SyscallHandler[];
	/** Programs the dispatcher calls per io_uring request opcode. */
	readonly uring?: readonly UringHandler[];
	/** The dispatcher's own per-syscall check for this sensor, if any (both hooks are attached). */
	readonly dispatch?: DispatchHook;
	/** Programs of the object reached only by tail call from another of its programs: each table (a BPF_MAP_TYPE_PROG_ARRAY of the object) gets them at slots 0, 1, …; never attached themselves. */
	readonly tails?: readonly { table: string; progs: readonly string[] }[];
	/** One-line description for --help and doctor. */
	readonly description: string;
	/** Before load: rodata and autoload from the common filter and the sensor's options. */
	configure(obj: NativeBpfObject, common: CommonFilter, o: SensorOptions[N]): void;
	/** After load, before attach: fill maps from the common filter and the sensor's options. */
	populate(obj: NativeBpfObject, common: CommonFilter, o: SensorOptions[N]): void;
}

/**
 * Before load: -p for a sensor object with lib/filter.bpf.h (cfg_follow), or, without it, its
 * programs that only keep the follow set (fork, free) left unloaded.
 */
export function configureFollow(obj: NativeBpfObject, f: CommonFilter, followOnly: readonly string[]): void {
	if (f.followPids?.length) obj.setRodata('cfg_follow', u8(1));
	else for (const p of followOnly) obj.setAutoload(p, false);
}

/** After load: the -p PIDs into bg_follow (one map shared by every object: writing it again is harmless). */
export function populateFollow(obj: NativeBpfObject, f: CommonFilter): void {
	for (const pid of f.followPids ?? []) obj.mapUpdate('bg_follow', u32(pid), u8(1));
}

/** Little-endian buffer helpers for rodata and map keys. */
export function u32(v: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(v >>> 0);
	return b;
}

export function u8(v: number): Buffer {
	return Buffer.from([v & 0xff]);
}
