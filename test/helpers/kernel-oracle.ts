/** @module test/helpers/kernel-oracle: what this kernel supports according to sources other than bpfguard's own probes (bpftool, kernel config, kallsyms, securityfs, sysfs, mounts). */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';

/** What the kernel says, gathered once per test. */
export interface KernelView {
	/** `bpftool feature probe kernel -j`: program types ("kprobe", "tracing", "lsm" …) that load. */
	progTypes: Map<string, boolean>;
	/** The same for map types ("ringbuf" …). */
	mapTypes: Map<string, boolean>;
	/** CONFIG_* values ("y", "m", a string) from /boot/config-$(uname -r) or /proc/config.gz; null when neither exists. */
	config: Map<string, string> | null;
	/** Active LSMs from /sys/kernel/security/lsm; null when securityfs is not mounted. */
	lsms: string[] | null;
	/** The selected lockdown mode, or null without securityfs or the lockdown LSM. */
	lockdown: string | null;
	/** Which of the symbols the oracles ask about are in /proc/kallsyms. */
	syms: Set<string>;
	/** The libc mapped into this process, or null. */
	libc: string | null;
	/** A cgroup v2 mount exists. */
	cgroup2: boolean;
}

/** An expected probe status and why; status null when no independent source decides it. */
export interface Expectation {
	status: 'supported' | 'not supported' | null;
	because: string;
}

const SYMBOLS = ['do_sys_openat2', 'bpf_send_signal', '__traceiter_io_uring_complete', '__traceiter_ctime_ns_xchg'];

function readText(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}

/** Parses `bpftool feature probe kernel -j`; throws when bpftool fails. */
function bpftool(): { progTypes: Map<string, boolean>; mapTypes: Map<string, boolean> } {
	const r = spawnSync('bpftool', ['feature', 'probe', 'kernel', '-j'], { encoding: 'utf8', timeout: 60_000 });
	if (r.status !== 0) throw new Error(`bpftool feature probe kernel -j: exit ${r.status}: ${r.stderr}`);
	const j = JSON.parse(r.stdout) as { program_types: Record<string, boolean>; map_types: Record<string, boolean> };
	const pick = (o: Record<string, boolean>, re: RegExp) =>
		new Map(Object.entries(o).flatMap(([k, v]) => (re.test(k) ? [[k.replace(re, '$1'), v] as [string, boolean]] : [])));
	return { progTypes: pick(j.program_types, /^have_(\w+)_prog_type$/), mapTypes: pick(j.map_types, /^have_(\w+)_map_type$/) };
}

function kernelConfig(): Map<string, string> | null {
	let text = readText(`/boot/config-${release()}`);
	if (text === null && existsSync('/proc/config.gz')) text = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
	if (text === null) return null;
	const out = new Map<string, string>();
	for (const m of text.matchAll(/^(CONFIG_\w+)=(.*)$/gm)) out.set(m[1], m[2].replace(/^"(.*)"$/, '$1'));
	return out;
}

function kallsyms(names: readonly string[]): Set<string> {
	const want = new Set(names);
	const found = new Set<string>();
	for (const line of (readText('/proc/kallsyms') ?? '').split('\n')) {
		const name = line.split(' ')[2];
		if (name !== undefined && want.has(name)) found.add(name);
	}
	return found;
}

function libc(): string | null {
	const m = /\s(\/\S*\/libc(?:\.so\.\d+|-[\d.]+\.so))$/m.exec(readText('/proc/self/maps') ?? '');
	return m ? m[1] : null;
}

/** Reads every source once (runs bpftool: needs root). */
export function kernelView(): KernelView {
	const lsm = readText('/sys/kernel/security/lsm');
	const lockdown = readText('/sys/kernel/security/lockdown');
	return {
		...bpftool(),
		config: kernelConfig(),
		lsms: lsm === null ? null : lsm.trim().split(','),
		lockdown: lockdown === null ? null : (/\[(\w+)\]/.exec(lockdown)?.[1] ?? null),
		syms: kallsyms(SYMBOLS),
		libc: libc(),
		cgroup2: (readText('/proc/self/mounts') ?? '').split('\n').some((l) => l.split(' ')[2] === 'cgroup2'),
	};
}

const yes = (because: string): Expectation => ({ status: 'supported', because });
const no = (because: string): Expectation => ({ status: 'not supported', because });
const open = (because: string): Expectation => ({ status: null, because });

/** A CONFIG_ option's value: "unset" when the config is known and lacks it, null when there is no config. */
function cfg(k: KernelView, name: string): string | null {
	return k.config ? (k.config.get(name) ?? 'unset') : null;
}

function kprobe(k: KernelView): Expectation {
	if (!k.progTypes.get('kprobe')) return no('bpftool: no kprobe program type');
	for (const opt of ['CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS']) {
		const v = cfg(k, opt);
		if (v !== null && v !== 'y') return no(`kernel config: ${opt} ${v}`);
	}
	if (!k.syms.has('do_sys_openat2')) return no('do_sys_openat2 not in /proc/kallsyms');
	if (k.config === null || k.lockdown === 'confidentiality') return open('no kernel config, or lockdown=confidentiality');
	return yes('kprobe program type, CONFIG_KPROBES and CONFIG_KPROBE_EVENTS, do_sys_openat2 in kallsyms');
}

function fentry(k: KernelView): Expectation {
	// bpftool's "tracing" probe loads an fentry program (BPF_TRACE_FENTRY): its answer is fentry's
	if (!k.progTypes.get('tracing')) return no('bpftool: the kernel refuses fentry (tracing program type)');
	if (!k.syms.has('do_sys_openat2')) return no('do_sys_openat2 not in /proc/kallsyms');
	if (cfg(k, 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS') === 'y') return yes('bpftool: fentry loads; ftrace direct calls; do_sys_openat2 in kallsyms');
	return open('no kernel config or no ftrace direct calls: the trampoline may still attach');
}

function lsm(k: KernelView): Expectation {
	if (!k.progTypes.get('lsm')) return no('bpftool: the kernel refuses BPF LSM programs');
	const v = cfg(k, 'CONFIG_BPF_LSM');
	if (v !== null && v !== 'y') return no(`kernel config: CONFIG_BPF_LSM ${v}`);
	if (k.lsms === null) return open('securityfs not mounted: active LSMs unknown');
	if (!k.lsms.includes('bpf')) return no(`'bpf' not in /sys/kernel/security/lsm (${k.lsms.join(',')})`);
	return yes("bpftool: lsm program type; 'bpf' in /sys/kernel/security/lsm");
}

function uprobe(k: KernelView): Expectation {
	if (!k.progTypes.get('kprobe')) return no('bpftool: no kprobe program type (uprobes are kprobe programs)');
	const v = cfg(k, 'CONFIG_UPROBE_EVENTS');
	if (v !== null && v !== 'y') return no(`kernel config: CONFIG_UPROBE_EVENTS ${v}`);
	if (!k.libc) return open('no libc in /proc/self/maps');
	if (v === 'y' || existsSync('/sys/bus/event_source/devices/uprobe')) return yes('kprobe program type, uprobe events, libc mapped');
	return open('no kernel config and no uprobe PMU');
}

function cgroupSockAddr(k: KernelView): Expectation {
	if (!k.progTypes.get('cgroup_sock_addr')) return no('bpftool: no cgroup_sock_addr program type');
	const v = cfg(k, 'CONFIG_CGROUP_BPF');
	if (v !== null && v !== 'y') return no(`kernel config: CONFIG_CGROUP_BPF ${v}`);
	return k.cgroup2 ? yes('bpftool: cgroup_sock_addr program type; cgroup v2 mounted') : open('no cgroup v2 mount');
}

/**
 * The status each probe must report, from sources other than the probe. tpBtf is the tp_btf
 * probe's own status (bpf_send_signal is probed from a tp_btf program; tp_btf itself has no
 * oracle but is required, which the caller checks).
 */
/** A tracepoint a tp_btf program attaches to: compiled in when kallsyms has its __traceiter_ function. */
function tracepoint(k: KernelView, tpBtf: string, name: string): Expectation {
	if (!k.syms.has(`__traceiter_${name}`)) return no(`__traceiter_${name} not in /proc/kallsyms`);
	return tpBtf === 'supported' ? yes(`__traceiter_${name} in kallsyms and tp_btf programs load`) : open('tp_btf does not load');
}

export function expectations(k: KernelView, tpBtf: string): Map<string, Expectation> {
	const tracefs = existsSync('/sys/kernel/tracing/events/syscalls/sys_enter_getpid');
	return new Map<string, Expectation>([
		['tracepoint', !k.progTypes.get('tracepoint') ? no('bpftool: no tracepoint program type')
			: tracefs ? yes('bpftool: tracepoint program type; tracefs has syscalls/sys_enter_getpid') : open('tracefs lacks syscalls/sys_enter_getpid')],
		['raw_tracepoint', k.progTypes.get('raw_tracepoint') ? yes('bpftool: raw_tracepoint program type') : no('bpftool: no raw_tracepoint program type')],
		['tp_btf', open('no source independent of loading one (required: checked on its own)')],
		['kprobe', kprobe(k)],
		['fentry', fentry(k)],
		['lsm', lsm(k)],
		['uprobe', uprobe(k)],
		['cgroup sock_addr', cgroupSockAddr(k)],
		['bpf_send_signal', !k.syms.has('bpf_send_signal') ? no('bpf_send_signal not in /proc/kallsyms')
			: tpBtf === 'supported' ? yes('bpf_send_signal in kallsyms and tp_btf programs load') : open('tp_btf does not load')],
		['io_uring tracepoints', tracepoint(k, tpBtf, 'io_uring_complete')],
		['inode ctime tracepoints', tracepoint(k, tpBtf, 'ctime_ns_xchg')],
		['ring buffer (process sensor)', k.mapTypes.get('ringbuf') ? open('ringbuf map type exists (required: checked on its own)') : no('bpftool: no ringbuf map type')],
	]);
}
