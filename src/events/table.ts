/**
 * @module events/table: the one event table: a row per kernel record kind with its code, decoder,
 * evt.type values, sensor, syscalls with their argument layout, direction and hdr.flags enum.
 * A new record kind is one row here, its decoder, and its sensor.
 */
import { BgActFlag, BgAuditFlag, BgFileFlag, BgFlag, BgKind, BgNetFlag, BgPrivFlag } from './generated/layouts.js';
import type { Decoder, TypePeek } from './wire.js';
import type { BgEvent, EventKind, NetEvent, NetKind } from './types.js';
import { decodeExec, decodeExit, decodeFork } from './decoders/process.js';
import { peekPrivCallType, privDecoder } from './decoders/priv.js';
import { decodeFileChange, decodeOpen, peekFileType } from './decoders/file.js';
import { netDecoder } from './decoders/net.js';
import { decodeSeccomp } from './decoders/seccomp.js';
import { actDecoder, peekActType } from './decoders/act.js';
import { decodeAuditCtl } from './decoders/audit.js';
import { CHANGE_SYSCALLS, OPEN_SYSCALLS, PRIV_ID_SYSCALLS, type FileSyscall, type PrivSyscall } from './syscall-args.js';

/** Sensor names (src/sensors/registry.ts), one BPF object each. */
export type SensorName = 'process' | 'priv' | 'file' | 'net' | 'seccomp' | 'kernel' | 'inject';

/** One record kind. */
export interface KindRow {
	kind: EventKind;
	/** enum bg_kind value in struct bg_hdr.kind; 0 for records the agent makes itself. */
	code: number;
	/** The sensor whose BPF object makes the record; null for the agent's own records. */
	sensor: SensorName | null;
	/** Falco's event source: kernel activity, or the agent about itself. */
	source: 'syscall' | 'internal';
	/** Where the record is made: at syscall exit, from a kernel event (tracepoint, socket state), or by the agent. */
	dir: 'exit' | 'kernel' | 'agent';
	/** Raw record to event (null for the agent's own records, which are made as events). */
	decode: Decoder | null;
	/** evt.type of the raw record without decoding (the record gate); null for the agent's records. */
	peek: TypePeek | null;
	/** Every evt.type value the kind has; a value is claimed by the first row naming it (rules on it load that row's sensor). */
	types: readonly string[];
	/** The syscalls whose exit makes the record, with their argument layout (when the sensor reads arguments). */
	syscalls?: Readonly<Record<string, FileSyscall | PrivSyscall>>;
	/** The enum whose bits hdr.flags holds for this kind (bpf/include/events.h). */
	flags: Readonly<Record<string, number>>;
}

const fixed = (t: string): TypePeek => () => t;
const NET_TYPE: Readonly<Record<NetKind, string>> = {
	net_connect: 'connect',
	net_accept: 'accept',
	net_outcome: 'connect_result',
	net_close: 'close',
	net_listen: 'listen',
	net_bind: 'bind',
	net_send: 'sendto',
};
const net = (kind: NetKind, code: number, dir: KindRow['dir']): KindRow => ({
	kind,
	code,
	sensor: 'net',
	source: 'syscall',
	dir,
	decode: netDecoder(kind),
	peek: fixed(NET_TYPE[kind]),
	types: [NET_TYPE[kind]],
	flags: BgNetFlag,
});

/** Every record kind, in enum bg_kind order. */
export const EVENT_TABLE: readonly KindRow[] = [
	{ kind: 'exec', code: BgKind.BG_EV_EXEC, sensor: 'process', source: 'syscall', dir: 'kernel', decode: decodeExec, peek: fixed('execve'), types: ['execve', 'execveat'], flags: BgFlag },
	{ kind: 'fork', code: BgKind.BG_EV_FORK, sensor: 'process', source: 'syscall', dir: 'kernel', decode: decodeFork, peek: fixed('clone'), types: ['clone', 'fork', 'vfork'], flags: BgFlag },
	{ kind: 'exit', code: BgKind.BG_EV_EXIT, sensor: 'process', source: 'syscall', dir: 'kernel', decode: decodeExit, peek: fixed('procexit'), types: ['procexit'], flags: BgFlag },
	{ kind: 'priv_call', code: BgKind.BG_EV_PRIV_CALL, sensor: 'priv', source: 'syscall', dir: 'exit', decode: privDecoder('priv_call'), peek: peekPrivCallType, types: Object.keys(PRIV_ID_SYSCALLS), syscalls: PRIV_ID_SYSCALLS, flags: BgPrivFlag },
	// evt.type execve is claimed by exec: rules on it load the process sensor; priv.* fields load this one.
	{ kind: 'priv_exec', code: BgKind.BG_EV_PRIV_EXEC, sensor: 'priv', source: 'syscall', dir: 'kernel', decode: privDecoder('priv_exec'), peek: fixed('execve'), types: ['execve'], flags: BgPrivFlag },
	{ kind: 'priv_drift', code: BgKind.BG_EV_PRIV_DRIFT, sensor: 'priv', source: 'syscall', dir: 'kernel', decode: privDecoder('priv_drift'), peek: fixed('privdrift'), types: ['privdrift'], flags: BgPrivFlag },
	{ kind: 'open', code: BgKind.BG_EV_OPEN, sensor: 'file', source: 'syscall', dir: 'exit', decode: decodeOpen, peek: peekFileType, types: Object.keys(OPEN_SYSCALLS), syscalls: OPEN_SYSCALLS, flags: BgFileFlag },
	{ kind: 'file_change', code: BgKind.BG_EV_FCHANGE, sensor: 'file', source: 'syscall', dir: 'exit', decode: decodeFileChange, peek: peekFileType, types: Object.keys(CHANGE_SYSCALLS), syscalls: CHANGE_SYSCALLS, flags: BgFileFlag },
	net('net_connect', BgKind.BG_EV_NET_CONNECT, 'exit'),
	net('net_accept', BgKind.BG_EV_NET_ACCEPT, 'exit'),
	net('net_outcome', BgKind.BG_EV_NET_OUTCOME, 'kernel'),
	net('net_close', BgKind.BG_EV_NET_CLOSE, 'kernel'),
	net('net_listen', BgKind.BG_EV_NET_LISTEN, 'exit'),
	net('net_bind', BgKind.BG_EV_NET_BIND, 'exit'),
	net('net_send', BgKind.BG_EV_NET_SEND, 'exit'),
	// refused calls at their exit; kills at the killed thread's exit (a kernel event)
	{ kind: 'seccomp', code: BgKind.BG_EV_SECCOMP, sensor: 'seccomp', source: 'syscall', dir: 'kernel', decode: decodeSeccomp, peek: fixed('seccomp'), types: ['seccomp'], flags: BgFlag },
	// module loads and unloads, BPF program loads and attaches: at exit, attempts too
	{ kind: 'kmod', code: BgKind.BG_EV_KMOD, sensor: 'kernel', source: 'syscall', dir: 'exit', decode: actDecoder('kmod'), peek: peekActType, types: ['init_module', 'finit_module', 'delete_module'], flags: BgActFlag },
	{ kind: 'bpf', code: BgKind.BG_EV_BPF, sensor: 'kernel', source: 'syscall', dir: 'exit', decode: actDecoder('bpf'), peek: peekActType, types: ['bpf'], flags: BgActFlag },
	// audit configuration messages on a NETLINK_AUDIT socket (sendto/sendmsg exit), one record per message
	{ kind: 'audit_ctl', code: BgKind.BG_EV_AUDIT_CTL, sensor: 'kernel', source: 'syscall', dir: 'exit', decode: decodeAuditCtl, peek: fixed('audit_ctl'), types: ['audit_ctl'], flags: BgAuditFlag },
	// one process on another's memory or registers: at exit, attempts too
	{ kind: 'ptrace', code: BgKind.BG_EV_PTRACE, sensor: 'inject', source: 'syscall', dir: 'exit', decode: actDecoder('ptrace'), peek: peekActType, types: ['ptrace'], flags: BgActFlag },
	{ kind: 'procmem', code: BgKind.BG_EV_PROCMEM, sensor: 'inject', source: 'syscall', dir: 'exit', decode: actDecoder('procmem'), peek: peekActType, types: ['process_vm_readv', 'process_vm_writev'], flags: BgActFlag },
	{ kind: 'agent', code: 0, sensor: null, source: 'internal', dir: 'agent', decode: null, peek: null, types: ['bpfguard_start', 'bpfguard_stop', 'bpfguard_heartbeat', 'bpfguard_loss'], flags: {} },
];

/** A row of a record the kernel makes: it has a decoder and a type peek. */
export type KernelKindRow = KindRow & { decode: Decoder; peek: TypePeek };

/** Row by enum bg_kind code (kernel records only). */
export const KIND_BY_CODE: ReadonlyMap<number, KernelKindRow> = new Map(EVENT_TABLE.filter((r): r is KernelKindRow => r.decode !== null && r.peek !== null).map((r) => [r.code, r]));

/** Row by kind name. */
export const KIND_ROWS: Readonly<Record<EventKind, KindRow>> = Object.fromEntries(EVENT_TABLE.map((r) => [r.kind, r])) as Record<EventKind, KindRow>;

/** Every evt.type value and the kind (and so the sensor) producing it; the first row naming a type claims it. */
export const EVT_TYPES: ReadonlyMap<string, KindRow> = (() => {
	const m = new Map<string, KindRow>();
	for (const r of EVENT_TABLE) for (const t of r.types) if (!m.has(t)) m.set(t, r);
	return m;
})();

/** The kinds a sensor produces. */
export function kindsOfSensor(sensor: SensorName): EventKind[] {
	return EVENT_TABLE.filter((r) => r.sensor === sensor).map((r) => r.kind);
}

/** The evt.type values claimed by a sensor's kinds. */
export function typesOfSensor(sensor: SensorName): string[] {
	return [...EVT_TYPES].filter(([, r]) => r.sensor === sensor).map(([t]) => t);
}

/** File syscalls (opens and changes) with their argument layout. */
export const FILE_SYSCALLS: Readonly<Record<string, FileSyscall>> = { ...OPEN_SYSCALLS, ...CHANGE_SYSCALLS };

/** Identity syscalls with their argument kinds and names. */
export const PRIV_SYSCALLS: Readonly<Record<string, PrivSyscall>> = PRIV_ID_SYSCALLS;

/** evt.type of a decoded event (the same value the row's peek reads from the raw record). */
export function evtType(e: BgEvent): string {
	switch (e.kind) {
		case 'priv_call':
		case 'priv_exec':
		case 'open':
		case 'file_change':
		case 'kmod':
		case 'procmem':
			return e.syscall;
		case 'agent':
			return `bpfguard_${e.what}`;
		default:
			return KIND_ROWS[e.kind].types[0];
	}
}

/** True for the records of the network sensor. */
export function isNet(e: BgEvent): e is NetEvent {
	return KIND_ROWS[e.kind].sensor === 'net';
}
