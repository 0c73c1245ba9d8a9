/** @module doctor/probes: which BPF features really load and attach here, and the host facts around them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { machine, release } from 'node:os';
import { addon, type NativeBpfObject } from '../bridge/addon.js';
import { bpfObjectPath, btfPath } from '../util/paths.js';

/** A probe's answer (cilium/ebpf features: supported / not supported / inconclusive). */
export type ProbeStatus = 'supported' | 'not supported' | 'inconclusive';

/** One feature probe's result and what it means for bpfguard. */
export interface ProbeResult {
	feature: string;
	status: ProbeStatus;
	detail: string;
	required: boolean;
	meaning: string;
}

/** Facts about the host that decide what can run. */
export interface HostFacts {
	kernel: string;
	arch: string;
	btf: { path: string; present: boolean };
	lockdown: string;
	tracefs: { mounted: boolean; detail: string };
	libbpf: string;
	unprivilegedBpfDisabled: string;
}

/** Everything `bpfguard doctor` reports. */
export interface DoctorReport {
	host: HostFacts;
	probes: ProbeResult[];
	/** Why no probe could run (not root, objects not built), or null. */
	blocked: string | null;
	/** True when BTF, tp_btf and the process sensor (ring buffer) all work. */
	requiredOk: boolean;
}

type Attach = 'auto' | 'uprobe' | 'cgroup' | 'none';

interface ProbeSpec {
	feature: string;
	object: string;
	/** The one program that loads; undefined loads (and attaches) every program. */
	program?: string;
	attach: Attach;
	needsBtf: boolean;
	required: boolean;
	/** What the feature is for (shown when supported). */
	role: string;
	/** What bpfguard loses without it. */
	impact: string;
	/** Extra reason shown when the kernel answers EPERM at load. */
	eperm?: string;
	/** Extra reason shown when attach answers ENOENT, if this returns one. */
	enoent?: () => string | null;
}

const TRACEFS_HINT =
	'tracefs not mounted: classic tracepoints need `mount -t tracefs nodev /sys/kernel/tracing`; tp_btf/raw_tracepoint do not';

/** The probes, in report order. */
export const PROBES: readonly ProbeSpec[] = [
	{ feature: 'tracepoint', object: 'probe', program: 'bg_p_tp', attach: 'auto', needsBtf: false, required: false,
		role: 'classic tracefs tracepoints: not used by bpfguard (its sensors attach tp_btf)', impact: 'nothing lost: bpfguard does not use classic tracepoints (its sensors attach tp_btf)' },
	{ feature: 'raw_tracepoint', object: 'probe', program: 'bg_p_rawtp', attach: 'auto', needsBtf: false, required: false,
		role: 'raw tracepoints (no tracefs, no BTF): not used by bpfguard', impact: 'nothing lost: bpfguard does not use raw tracepoints' },
	{ feature: 'tp_btf', object: 'probe', program: 'bg_p_tpbtf', attach: 'auto', needsBtf: true, required: true,
		role: 'required: every sensor attaches tp_btf programs', impact: 'no sensor can attach, the process sensor included: bpfguard cannot run' },
	{ feature: 'kprobe', object: 'probe', program: 'bg_p_kprobe', attach: 'auto', needsBtf: false, required: false,
		role: 'kernel-function hooks: not used by bpfguard', impact: 'nothing lost: bpfguard does not use kprobes',
		enoent: () => (existsSync('/sys/bus/event_source/devices/kprobe') || existsSync('/sys/kernel/tracing/kprobe_events')
			? null : 'no kprobe PMU or kprobe_events: kernel built without kprobes') },
	{ feature: 'fentry', object: 'probe', program: 'bg_p_fentry', attach: 'auto', needsBtf: true, required: false,
		role: 'BPF trampoline kernel-function hooks: not used by bpfguard', impact: 'nothing lost: bpfguard does not use fentry/fexit',
		eperm: 'the kernel refuses fentry/fexit (BPF trampoline) programs' },
	{ feature: 'lsm', object: 'probe', program: 'bg_p_lsm', attach: 'auto', needsBtf: true, required: false,
		role: 'BPF LSM hooks load and attach: not used yet (kill rules kill at the hook; refusing opens and execs with EPERM is planned)', impact: 'no BPF LSM hooks: nothing lost today (kill rules kill at the hook with bpf_send_signal instead of refusing the call)',
		eperm: "the kernel refuses BPF LSM programs ('bpf' not in the active LSMs, or policy)" },
	{ feature: 'uprobe', object: 'probe', program: 'bg_p_uprobe', attach: 'uprobe', needsBtf: false, required: false,
		role: 'user-space function hooks (libc getpid attached): not used by bpfguard', impact: 'nothing lost: bpfguard does not use uprobes' },
	{ feature: 'cgroup sock_addr', object: 'probe', program: 'bg_p_connect4', attach: 'cgroup', needsBtf: false, required: false,
		role: 'deny rules: cgroup connect/sendmsg hooks make a denied connect or send fail with EPERM', impact: 'no cgroup connect hooks: deny rules are not enforced (they only alert); kill rules still work' },
	{ feature: 'bpf_send_signal', object: 'probe', program: 'bg_p_signal', attach: 'none', needsBtf: true, required: false,
		role: 'kill rules: the process and file sensors kill at the hook (exec, open) with bpf_send_signal', impact: 'bpf_send_signal refused: the process and file sensors (which kill at the hook) cannot load' },
	{ feature: 'io_uring tracepoints', object: 'probe', program: 'bg_p_uring', attach: 'auto', needsBtf: true, required: false,
		role: 'io_uring requests (opens, file changes, connects, accepts, sends) are seen at io_uring_submit_req and io_uring_complete',
		impact: 'io_uring requests are not seen (opens, file changes and connections made through io_uring go unreported); every syscall still is' },
	{ feature: 'inode ctime tracepoints', object: 'probe', program: 'bg_p_ctime', attach: 'auto', needsBtf: true, required: false,
		role: 'file changes are named by the dentries the kernel changed (symlinked directories and .. after a symlink resolved)',
		impact: 'file changes are named by their argument text, normalised lexically: a change through a symlinked directory can hide a watched file (opens are not affected)' },
	{ feature: 'ring buffer (process sensor)', object: 'process', attach: 'auto', needsBtf: true, required: true,
		role: 'required: the process sensor objects load and attach (ring buffer, exec/fork/exit)',
		impact: 'the process sensor does not load: bpfguard cannot run' },
];

// Codes that say "try again / something else went wrong", not "the kernel lacks it".
const TRANSIENT = new Set(['ENOMEM', 'EBUSY', 'EAGAIN', 'EINTR', 'EBADF', 'ENOSPC']);

function readText(path: string): string | null {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return null;
	}
}


function lockdownMode(): string {
	const text = readText('/sys/kernel/security/lockdown');
	if (text === null) return 'none (securityfs not mounted or no lockdown LSM)';
	return /\[(\w+)\]/.exec(text)?.[1] ?? text.trim();
}

function tracefsState(): { mounted: boolean; detail: string } {
	let entries: string[] = [];
	try {
		entries = readdirSync('/sys/kernel/tracing/events/syscalls');
	} catch {
		/* missing directory: not mounted */
	}
	if (entries.length) return { mounted: true, detail: 'mounted at /sys/kernel/tracing' };
	return { mounted: false, detail: TRACEFS_HINT };
}

function unprivilegedBpf(): string {
	const v = readText('/proc/sys/kernel/unprivileged_bpf_disabled')?.trim();
	const what: Record<string, string> = {
		'0': 'unprivileged BPF allowed',
		'1': 'unprivileged BPF disabled until reboot',
		'2': 'unprivileged BPF disabled; root may re-enable',
	};
	return v === undefined ? 'unknown (no /proc/sys/kernel/unprivileged_bpf_disabled)' : `${v} (${what[v] ?? 'unknown value'})`;
}

function libbpfVersion(): string {
	try {
		return addon().libbpfVersion();
	} catch (e) {
		return `unknown (${(e as Error).message})`;
	}
}

/** Kernel, arch, BTF, lockdown, tracefs, libbpf and unprivileged BPF settings. */
export function hostFacts(): HostFacts {
	return {
		kernel: release(),
		arch: machine(),
		btf: { path: btfPath(), present: existsSync(btfPath()) },
		lockdown: lockdownMode(),
		tracefs: tracefsState(),
		libbpf: libbpfVersion(),
		unprivilegedBpfDisabled: unprivilegedBpf(),
	};
}

/** The libc this process runs on (from /proc/self/maps), or null. */
export function findLibc(): string | null {
	for (const line of (readText('/proc/self/maps') ?? '').split('\n')) {
		const path = line.slice(line.indexOf('/'));
		if (line.includes('/') && /\/libc(\.so\.\d+|-[\d.]+\.so)$/.test(path)) return path;
	}
	for (const p of ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6', '/lib64/libc.so.6']) {
		if (existsSync(p)) return p;
	}
	return null;
}

/** The first cgroup v2 mount point (from /proc/self/mounts), or null. */
export function findCgroup2(): string | null {
	for (const line of (readText('/proc/self/mounts') ?? '').split('\n')) {
		const [, dir, type] = line.split(' ');
		if (type === 'cgroup2' && dir) return dir.replace(/\\040/g, ' ');
	}
	return null;
}

/** Thrown when a probe cannot be run for a reason that is not the kernel's answer. */
class Inconclusive extends Error {}

/** Attaches one program; returns where it went. */
function attachOne(obj: NativeBpfObject, prog: string, how: Attach): string {
	if (how === 'uprobe') {
		const libc = findLibc();
		if (!libc) throw new Inconclusive('libc not found in /proc/self/maps');
		obj.attach(prog, { binary: libc, func: 'getpid' });
		return ` (${libc}:getpid)`;
	}
	if (how === 'cgroup') {
		const root = findCgroup2();
		if (!root) throw new Inconclusive('no cgroup v2 mount to attach to');
		obj.attachCgroup(prog, root);
		return ` (cgroup ${root})`;
	}
	obj.attach(prog);
	return '';
}

function attachAll(obj: NativeBpfObject, spec: ProbeSpec): string {
	const progs = spec.program ? [spec.program] : obj.programs().filter((p) => p.autoload).map((p) => p.name);
	if (spec.attach === 'none') return 'loaded (verifier accepted the helper); not attached';
	const where = progs.map((p) => attachOne(obj, p, spec.attach));
	obj.detachAll();
	return spec.program ? `loaded, attached${where[0]} and detached` : `loaded; ${progs.length} programs attached and detached`;
}

function errnoDetail(stage: string, e: unknown): { code: string; text: string } {
	const x = e as Error & { code?: string; op?: string; errno?: number };
	const code = x.code === 'EUNKNOWN' && x.errno === 524 ? 'ENOTSUPP' : x.code ?? 'ERROR';
	const msg = (x.message ?? String(e)).split('\n')[0];
	const why = x.op && msg.startsWith(`${x.op}: `) ? msg.slice(x.op.length + 2) : msg;
	const num = x.code === 'EUNKNOWN' && x.errno !== 524 ? ` ${x.errno}` : '';
	return { code, text: `${stage}: ${code}${num} (${why})` };
}

function classify(spec: ProbeSpec, stage: string, e: unknown): { status: ProbeStatus; detail: string } {
	if (e instanceof Inconclusive) return { status: 'inconclusive', detail: e.message };
	const { code, text } = errnoDetail(stage, e);
	const x = e as { op?: string };
	if (!x.op || TRANSIENT.has(code)) return { status: 'inconclusive', detail: text };
	if (stage === 'attach' && spec.feature === 'tracepoint' && !tracefsState().mounted) {
		return { status: 'inconclusive', detail: `${text}; ${TRACEFS_HINT}` };
	}
	let reason = code === 'EPERM' && stage === 'load' && spec.eperm ? `: ${spec.eperm}` : '';
	const missing = code === 'ENOENT' && stage === 'attach' ? spec.enoent?.() : null;
	if (missing) reason = `: ${missing}`;
	return { status: 'not supported', detail: `${text}${reason}` };
}

function runSpec(spec: ProbeSpec): { status: ProbeStatus; detail: string } {
	let stage = 'open';
	let obj: NativeBpfObject | undefined;
	try {
		obj = new (addon().BpfObject)(bpfObjectPath(spec.object));
		if (spec.program) {
			for (const p of obj.programs()) obj.setAutoload(p.name, p.name === spec.program);
		}
		stage = 'load';
		obj.load();
		stage = 'attach';
		return { status: 'supported', detail: attachAll(obj, spec) };
	} catch (e) {
		return classify(spec, stage, e);
	} finally {
		obj?.close();
	}
}

function result(spec: ProbeSpec, status: ProbeStatus, detail: string): ProbeResult {
	const meaning = status === 'supported' ? spec.role : spec.impact;
	return { feature: spec.feature, status, detail, required: spec.required, meaning };
}

/** Why no probe can run here (not root, objects missing), or null. */
export function probesBlocked(): string | null {
	if (typeof process.geteuid === 'function' && process.geteuid() !== 0) {
		return 'not root: loading BPF programs needs CAP_BPF and CAP_PERFMON';
	}
	for (const o of new Set(PROBES.map((p) => p.object))) {
		if (!existsSync(bpfObjectPath(o))) return `${bpfObjectPath(o)} not built; run make`;
	}
	try {
		addon();
	} catch (e) {
		return (e as Error).message;
	}
	return null;
}

/** Probe every feature (each program loads alone) and collect the host facts. */
export function runDoctor(): DoctorReport {
	const host = hostFacts();
	const blocked = probesBlocked();
	const probes = PROBES.map((spec) => {
		if (blocked) return result(spec, 'inconclusive', blocked);
		if (spec.needsBtf && !host.btf.present) {
			return result(spec, 'not supported', `kernel BTF missing (${host.btf.path}): needs CONFIG_DEBUG_INFO_BTF`);
		}
		const r = runSpec(spec);
		return result(spec, r.status, r.detail);
	});
	const requiredOk = host.btf.present && probes.every((p) => !p.required || p.status === 'supported');
	return { host, probes, blocked, requiredOk };
}
