/** @module rules/fields/json: the --json output of every command: per event kind, the rule fields it shows, in order. */
import type { FieldValue } from '../../alerts/alert.js';
import type { EventKind } from '../../events/types.js';
import { PRIV_SYSCALLS } from '../../events/table.js';
import type { EvalCtx } from '../context.js';
import { lookupFieldRef, type FieldDef } from './index.js';
import { containerId } from './user.js';

const RESULT = ['evt.time.iso', 'evt.type', 'evt.res', 'evt.rawres', 'evt.failed'];
const CREDS = ['uid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid', 'caps', 'caps_permitted', 'ngroups', 'userns'];
const PRIV_ARGS = [...new Set(Object.values(PRIV_SYSCALLS).flatMap((s) => s.args))].map((n) => `evt.arg.${n}`);

const EXEC = [
	...RESULT,
	...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'proc.argv', 'proc.argc', 'proc.args_truncated', 'proc.cwd', 'proc.tty', 'proc.sid'],
	...['proc.script', 'proc.env[LD_PRELOAD]', 'proc.env[LD_LIBRARY_PATH]', 'proc.env[LD_AUDIT]'],
	...['proc.stdin.type', 'proc.stdin.name', 'proc.stdout.type', 'proc.stderr.type', 'proc.stdin.writer.name', 'proc.stdout.reader.name'],
	...['user.uid', 'user.euid', 'user.loginuid', 'group.gid', 'group.egid', 'container.cgroup_id'],
	...['proc.vpid', 'proc.is_container_init', 'proc.pidns', 'proc.mntns', 'container.id', 'container.full_id', 'container.runtime'],
];
const FORK = ['evt.time.iso', 'evt.type', 'proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.vpid', 'container.cgroup_id', 'container.id'];
const EXIT = ['evt.time.iso', 'evt.type', 'evt.arg.status', 'evt.arg.code', 'evt.arg.signal', 'proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'container.cgroup_id', 'container.id'];
const PRIV = [
	...RESULT,
	...PRIV_ARGS,
	...['evt.arg.cap_effective', 'evt.arg.cap_permitted'],
	...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'user.euid', 'group.gid', 'group.egid'],
	...['priv.kind', 'priv.site', 'priv.syscall', 'evt.arch'],
	...CREDS.map((k) => `priv.old_${k}`),
	...CREDS.map((k) => `priv.new_${k}`),
	...['priv.gained_caps', 'priv.file_uid', 'priv.file_gid', 'priv.file_mode', 'priv.no_before', 'priv.becomes_root', 'priv.unexplained', 'priv.unusual', 'container.cgroup_id', 'container.id'],
];
const FILE = [
	...RESULT,
	...['evt.arg.flags', 'evt.arg.flags_raw', 'evt.arg.mode', 'evt.io_uring', 'evt.io_uring.at_submit', 'evt.arch'],
	...['fd.name', 'fd.directory', 'fd.filename', 'fd.name_raw', 'fd.name_source', 'fd.name_truncated', 'fd.watch', 'fd.dev', 'fd.ino'],
	...['proc.pid', 'proc.tid', 'proc.name', 'user.uid', 'group.gid', 'container.cgroup_id', 'container.id'],
	...['evt.arg.access', 'fd.num', 'evt.arg.setid', 'evt.arg.uid', 'evt.arg.gid', 'evt.arg.target', 'evt.arg.oldpath', 'evt.arg.newpath', 'evt.arg.newpath_raw'],
	...['fd.name_b64', 'fd.name_raw_b64', 'evt.arg.newpath_b64', 'evt.arg.target_b64', 'evt.arg.newpath_raw_b64'],
];
const NET = [
	...['evt.time.iso', 'evt.type', 'evt.dir', 'evt.res', 'evt.rawres', 'evt.failed', 'evt.io_uring', 'evt.io_uring.at_submit', 'evt.arch'],
	...['fd.num', 'fd.l4proto', 'fd.sockfamily', 'fd.sip', 'fd.sport', 'fd.dip', 'fd.dport', 'fd.v4mapped'],
	...['net.state', 'net.conn_id', 'net.duration_ms', 'net.bytes_sent', 'net.bytes_received', 'net.dns_query'],
	...['proc.pid', 'proc.tid', 'proc.name', 'user.uid', 'container.cgroup_id', 'container.id'],
];

const SECCOMP = [
	...RESULT,
	...['seccomp.syscall', 'seccomp.nr', 'seccomp.arch', 'seccomp.action', 'seccomp.errno', 'seccomp.killed', 'seccomp.args'],
	...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'container.cgroup_id', 'container.id'],
];

const KMOD = [...RESULT, ...['kmod.op', 'kmod.name', 'kmod.path', 'kmod.image_size', 'kmod.flags'], ...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'container.cgroup_id', 'container.id']];
const BPF = [...RESULT, ...['bpf.cmd', 'bpf.prog_type', 'bpf.prog_name', 'bpf.attach_type', 'bpf.from_user'], ...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'container.cgroup_id', 'container.id']];
const AUDIT = [
	...RESULT,
	...['audit.op', 'audit.msg_type', 'audit.acked', 'audit.sent', 'audit.seq', 'audit.index', 'audit.more', 'audit.partial', 'audit.mask'],
	...['audit.enabled', 'audit.failure', 'audit.pid', 'audit.rate_limit', 'audit.backlog_limit', 'audit.backlog_wait_time', 'audit.tty_enabled', 'audit.feature_mask', 'audit.features'],
	...['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'container.cgroup_id', 'container.id'],
];

const TARGET = ['target.pid', 'target.tid', 'target.name', 'target.exepath', 'target.uid', 'target.own', 'target.other_user', 'target.exact'];
const CALLER = ['proc.pid', 'proc.tid', 'proc.ppid', 'proc.name', 'proc.exepath', 'user.uid', 'container.cgroup_id', 'container.id'];
const PTRACE = [...RESULT, 'ptrace.request', 'ptrace.write', 'ptrace.addr', ...TARGET, ...CALLER];
const PROCMEM = [...RESULT, 'procmem.write', 'procmem.iovcnt', ...TARGET, ...CALLER];

const AGENT = ['evt.time.iso', 'evt.type', 'bpfguard.what', 'bpfguard.reason', 'bpfguard.lost', 'bpfguard.events', 'bpfguard.counts', 'bpfguard.uptime_s', 'bpfguard.window_s', 'proc.pid', 'proc.name', 'container.id'];

/** Container fields every kind but the agent's carries, left out but for a container with a runtime id (a host process's would say 'host'; '<NA>' and pidns-N have no runtime to ask). */
const CONTAINER = ['container.name', 'container.image'];
const HOST_OMIT: ReadonlySet<string> = new Set(CONTAINER);
const RUNTIME_ID = /^[0-9a-f]{12}$/;
/** Whether the event's process is in a container a runtime can be asked about (container.id is 12 hex digits). */
const noMeta = (c: EvalCtx): boolean => !RUNTIME_ID.test(containerId(c));

/** Per kind, the fields its JSON shows, in order; a field the event does not have is left out. */
const BY_KIND: Readonly<Record<EventKind, readonly string[]>> = {
	exec: EXEC,
	fork: FORK,
	exit: EXIT,
	priv_call: PRIV,
	priv_exec: PRIV,
	priv_drift: PRIV,
	open: FILE,
	file_change: FILE,
	net_connect: NET,
	net_accept: NET,
	net_outcome: NET,
	net_close: NET,
	net_listen: NET,
	net_bind: NET,
	net_send: NET,
	seccomp: SECCOMP,
	kmod: KMOD,
	bpf: BPF,
	audit_ctl: AUDIT,
	ptrace: PTRACE,
	procmem: PROCMEM,
	agent: AGENT,
};

/** Per kind, the fields its JSON shows, in order; a field the event does not have is left out. */
export const JSON_FIELDS: Readonly<Record<EventKind, readonly string[]>> = Object.fromEntries(
	Object.entries(BY_KIND).map(([k, refs]) => [k, k === 'agent' ? refs : [...refs, ...CONTAINER]]),
) as Record<EventKind, readonly string[]>;

/** Fields written as null when the event has no value, where the others are left out. */
const NULL_WHEN_ABSENT: ReadonlySet<string> = new Set(['evt.arg.mode', 'net.dns_query']);

interface JsonKey {
	ref: string;
	def: FieldDef;
	arg: string | undefined;
	nullable: boolean;
	/** Left out when the event's process is on the host. */
	hostOmit: boolean;
}

function resolve(refs: readonly string[]): JsonKey[] {
	return refs.map((ref) => {
		const hit = lookupFieldRef(ref);
		if (!hit) throw new Error(`json field ${ref}: not a registered field`);
		return { ref, def: hit.def, arg: hit.arg, nullable: NULL_WHEN_ABSENT.has(ref), hostOmit: HOST_OMIT.has(ref) };
	});
}

const KEYS = Object.fromEntries(Object.entries(JSON_FIELDS).map(([k, refs]) => [k, resolve(refs)])) as Record<EventKind, JsonKey[]>;

/** The JSON object of the context's event: its kind's fields, each with the value rules see. */
export function eventJson(c: EvalCtx): Record<string, FieldValue> {
	const keys = KEYS[c.e.kind];
	const out: Record<string, FieldValue> = {};
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		if (k.hostOmit && noMeta(c)) continue;
		const v = k.def.extract(c, k.arg);
		if (v !== undefined) out[k.ref] = v;
		else if (k.nullable) out[k.ref] = null;
	}
	return out;
}

// Each key as JSON writes it, with its colon, once per key.
const KEY_TEXT = new Map<string, string>(Object.values(KEYS).flatMap((ks) => ks.map((k) => [k.ref, `${JSON.stringify(k.ref)}:`] as [string, string])));

function valueText(v: FieldValue): string {
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	return JSON.stringify(v);
}

/** JSON.stringify(eventJson(c)), written directly: no object with a key per field is built (the audit trail writes every event). Hot path: one string per event, nothing else allocated per field. */
export function eventJsonText(c: EvalCtx): string {
	const keys = KEYS[c.e.kind];
	let out = '{';
	for (let i = 0; i < keys.length; i++) {
		const k = keys[i];
		if (k.hostOmit && noMeta(c)) continue;
		let v = k.def.extract(c, k.arg);
		if (v === undefined) {
			if (!k.nullable) continue;
			v = null;
		}
		out += `${out.length > 1 ? ',' : ''}${KEY_TEXT.get(k.ref)!}${valueText(v)}`;
	}
	return `${out}}`;
}
