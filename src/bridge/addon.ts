/** @module bridge/addon: typed view of the native N-API addon (native/src). */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { repoPath } from '../util/paths.js';

/** Map description as libbpf reports it. */
export interface MapInfo {
	name: string;
	type: number;
	keySize: number;
	valueSize: number;
	maxEntries: number;
	fd: number;
}

/** A BPF ELF object: open → rodata/autoload/reuse → load → attach → detach/close. */
export interface NativeBpfObject {
	setRodata(name: string, value: Buffer): void;
	setAutoload(prog: string, on: boolean): void;
	reuseMap(name: string, fd: number): void;
	load(): void;
	attach(prog: string, uprobe?: { binary: string; func: string }): number;
	attachCgroup(prog: string, cgroupPath: string): number;
	detachAll(): void;
	/** Pin link n (attach's count) at path in the BPF filesystem: it outlives the object until the file is removed. */
	pinLink(n: number, path: string): void;
	close(): void;
	programs(): { name: string; section: string; autoload: boolean }[];
	maps(): MapInfo[];
	mapFd(name: string): number;
	progFd(name: string): number;
	mapLookup(name: string, key: Buffer): Buffer | null;
	mapUpdate(name: string, key: Buffer, value: Buffer, flags?: number): void;
	mapDelete(name: string, key: Buffer): boolean;
	mapKeys(name: string): Buffer[];
	/**
	 * Run a loaded program once (or repeat times) with BPF_PROG_TEST_RUN. ctxOut is the context
	 * after the run (a syscall program writes it back; raw tracepoint and tracing programs
	 * return none: null); dataOut the data after the run (null without dataIn). Throws {code, errno, op}.
	 */
	progTestRun(prog: string, ctxIn?: Buffer | null, dataIn?: Buffer | null, repeat?: number): ProgTestRunResult;
}

/** What BPF_PROG_TEST_RUN returned. */
export interface ProgTestRunResult {
	/** The program's return value. */
	retval: number;
	ctxOut: Buffer | null;
	dataOut: Buffer | null;
	/** Average ns per run, as the kernel measured it (0 where the program type does not time runs). */
	durationNs: number;
}

/** Poll thread over one or more ring buffers, delivering batches. */
export interface NativeRingReader {
	start(onBatch: (batch: Buffer, count: number) => void): void;
	stop(): Promise<void>;
	stats(): { records: number; batches: number; bytes: number; oversize: number };
}

interface Addon {
	BpfObject: new (path: string) => NativeBpfObject;
	RingReader: new (fds: number[], opts?: { batchBytes?: number; batches?: number; pollMs?: number }) => NativeRingReader;
	bootTimeNs(): bigint;
	possibleCpus(): number;
	libbpfVersion(): string;
	/** Send one datagram to a unix datagram socket without blocking; throws {code, errno, op}. */
	sendUnixDgram(path: string, data: Buffer): void;
	/**
	 * SIGKILL (or signal) one process through a pidfd; startNs (its start_boottime) guards against a
	 * reused pid. 'gone': it had exited; 'reused': another process holds the pid (not signalled).
	 */
	pidfdKill(pid: number, startNs?: bigint, signal?: number): 'signalled' | 'gone' | 'reused';
}

let cached: Addon | undefined;

/** The loaded addon; throws a clear error when it was not built. */
export function addon(): Addon {
	if (cached) return cached;
	const file = repoPath('native/build/Release/bpfguard.node');
	if (!existsSync(file)) {
		throw Object.assign(new Error(`load native addon: ${file} missing; run scripts/setup.sh (or make)`), {
			code: 'ENOADDON',
		});
	}
	cached = createRequire(import.meta.url)(file) as Addon;
	return cached;
}
