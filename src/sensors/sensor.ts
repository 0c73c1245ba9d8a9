/** @module sensors/sensor: what a sensor declares (its BPF object, programs and settings). */
import type { NativeBpfObject } from '../bridge/addon.js';
import type { EventKind } from '../events/types.js';
import type { WatchSet } from './file-watch.js';
import type { NetNeeds } from './net.js';

/** Per-run filters a sensor may push into the kernel. */
export interface SensorFilter {
	/** Only events of this uid. */
	uid?: number;
	/** Only these processes and their descendants. */
	followPids?: number[];
	/** Only failed operations (e.g. execsnoop -x). */
	failedOnly?: boolean;
	/** Emit lifecycle records (fork/exit) too. */
	lifecycle?: boolean;
	/** Only this process (tgid), not its descendants (file and net sensors). */
	pid?: number;
	/** File sensor: every file event, not only watched paths. */
	allFiles?: boolean;
	/** File sensor: the watched paths and names (default: DEFAULT_WATCH of sensors/file-watch). */
	watch?: WatchSet;
	/** File syscalls reported whatever the watch set (rules need them all, e.g. chmod for setuid bits). */
	fileAllSyscalls?: readonly string[];
	/** Only sockets with one of these local or remote ports. */
	ports?: number[];
	/** Net sensor: the record kinds and process names to emit (default all); the others die in the kernel, counted filtered. */
	net?: NetNeeds;
	/** Priv sensor: report identity syscalls that succeeded and changed nothing (default true; counted as priv_noop when false). */
	privNoopCalls?: boolean;
	/** Priv sensor: the cheap credential check at the exit of common hot syscalls (default off). */
	privHotChecks?: boolean;
}

/** A program tail-called by the syscall dispatcher for these syscalls (never attached itself). */
export interface SyscallHandler {
	hook: 'enter' | 'exit';
	/** Syscall names; names this architecture lacks (open on arm64) are skipped. */
	syscalls: readonly string[];
	/** Program name in the sensor's object. */
	prog: string;
	/** A nice-to-have (e.g. a cheap check): wired after all others, skipped where a slot is taken. */
	optional?: boolean;
	/** Wired only when this filter setting is true (an opt-in cost). */
	optIn?: keyof SensorFilter;
}

/** A sensor: one BPF object of bpf/ and how to set it up. */
export interface Sensor {
	/** Registry name, e.g. "process". */
	readonly name: string;
	/** Object name under build/bpf/ (without .bpf.o). */
	readonly object: string;
	/** Event kinds this sensor produces. */
	readonly kinds: readonly EventKind[];
	/** Programs the dispatcher calls per syscall; all other programs are attached directly. */
	readonly syscalls?: readonly SyscallHandler[];
	/** One-line description for --help and doctor. */
	readonly description: string;
	/** Before load: rodata and autoload from the filter. */
	configure(obj: NativeBpfObject, filter: SensorFilter): void;
	/** After load, before attach: fill maps from the filter. */
	populate(obj: NativeBpfObject, filter: SensorFilter): void;
}

/**
 * Before load: -p for a sensor object with lib/filter.bpf.h (cfg_follow), or, without it, its
 * programs that only keep the follow set (fork, free) left unloaded.
 */
export function configureFollow(obj: NativeBpfObject, f: SensorFilter, followOnly: readonly string[]): void {
	if (f.followPids?.length) obj.setRodata('cfg_follow', u8(1));
	else for (const p of followOnly) obj.setAutoload(p, false);
}

/** After load: the -p PIDs into bg_follow (one map shared by every object: writing it again is harmless). */
export function populateFollow(obj: NativeBpfObject, f: SensorFilter): void {
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
