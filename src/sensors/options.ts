/** @module sensors/options: what each sensor can be told to report (the kernel filters), shared by the pushdown step, the commands and the sensors. */

/** Filters every tracing command can push into the kernel (the snoop flags -u, -p, -x). */
export interface CommonFilter {
	/** Only events of this uid. */
	uid?: number;
	/** Only these processes and their descendants. */
	followPids?: number[];
	/** Only failed operations (execsnoop -x, opensnoop -x). */
	failedOnly?: boolean;
}

/** Process sensor options. */
export interface ProcessOptions {
	/** Emit lifecycle records (fork/exit) too (default true). */
	lifecycle?: boolean;
	/** Environment variables the exec record carries (at most 8, names of at most 30 bytes; default LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT). */
	envNames?: readonly string[];
}

/** Priv sensor options. */
export interface PrivOptions {
	/** Report identity syscalls that succeeded and changed nothing (default true; counted as priv_noop when false). */
	noopCalls?: boolean;
	/** The cheap credential check at the exit of common hot syscalls (default off). */
	hotChecks?: boolean;
}

/** What a watch entry covers: reads, writes (opens for writing and every change) or both. */
export type WatchMode = 'r' | 'w' | 'rw';

/** A watched path: a prefix ("/etc/ssh/", "/etc/cron") or, with exact, that path only. */
export interface WatchPath {
	path: string;
	exact?: boolean;
	mode?: WatchMode;
	/** Enforcement slots (bit n: slot n) that kill an open of such a path in the kernel. */
	kill?: number;
}

/** A name watched in every directory: a base name (".bashrc") or a directory name (".ssh"). */
export interface WatchName {
	name: string;
	where: 'base' | 'dir';
	mode?: WatchMode;
	/** Enforcement slots (bit n: slot n) that kill an open of such a file in the kernel. */
	kill?: number;
}

/** The whole watch set; replacing it changes the kernel maps without reloading programs. */
export interface WatchSet {
	paths: WatchPath[];
	names: WatchName[];
}

/** File sensor options. */
export interface FileOptions {
	/** Only this process (tgid), not its descendants. */
	pid?: number;
	/** Every file event, not only watched paths. */
	all?: boolean;
	/** The watched paths and names (default: DEFAULT_WATCH of sensors/file-watch). */
	watch?: WatchSet;
	/** File syscalls reported whatever the watch set (rules need them all, e.g. chmod for setuid bits). */
	allSyscalls?: readonly string[];
}

/** What the net sensor emits: record kinds and process names (undefined: all). */
export interface NetNeeds {
	kinds?: readonly string[];
	comms?: readonly string[];
	/** With comms: connect records of other process names still sent in these states (net.state: refused, …). */
	states?: readonly string[];
}

/** Net sensor options. */
export interface NetOptions {
	/** Only this process (tgid), not its descendants. */
	pid?: number;
	/** Only sockets with one of these local or remote ports. */
	ports?: number[];
	/** The record kinds and process names to emit (default all); the others die in the kernel, counted filtered. */
	needs?: NetNeeds;
}

/** Seccomp violation sensor options (none yet). */
export type SeccompOptions = Record<string, never>;

/** Kernel sensor options (none). */
export type KernelOptions = Record<string, never>;

/** Injection sensor options (none). */
export type InjectOptions = Record<string, never>;

/** Options by sensor name. */
export interface SensorOptions {
	process: ProcessOptions;
	priv: PrivOptions;
	file: FileOptions;
	net: NetOptions;
	seccomp: SeccompOptions;
	kernel: KernelOptions;
	inject: InjectOptions;
}

/** Everything a run of the sensors is told: the common filters and each sensor's own options. */
export interface SensorFilter extends CommonFilter, Partial<SensorOptions> {}
