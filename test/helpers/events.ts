/** @module test/helpers/events: synthetic events of every record kind, with every optional part set somewhere (for JSON and field tests). */
import type { ActEvent, AuditCtlEvent, BgEvent, Creds, FileEventBase, NetEvent, NetKind, PrivEvent, SeccompEvent } from '../../src/events/types.js';
import { BgActFlag, BgAuditFlag, BgFlag, BgPrivFlag, BgWatchMode } from '../../src/events/generated/layouts.js';
import { execEvent } from './rules.js';

const T0 = 1_700_000_000_000;
const base = (pid: number, i: number) => ({ flags: 0, bootNs: BigInt(i) * 1_000_000n, timeMs: T0 + i, pid, tid: pid + 1, cgroupId: 4294967297n });

function creds(uid: number, caps: bigint): Creds {
	return { uid, euid: uid, suid: uid, fsuid: uid, gid: uid + 1, egid: uid + 1, sgid: uid + 1, fsgid: uid + 1, capEff: caps, capPrm: caps, userns: 4026531837, ngroups: 2 };
}

function priv(kind: PrivEvent['kind'], i: number, p: Partial<PrivEvent>): PrivEvent {
	return {
		kind,
		...base(300 + i, i),
		syscall: 'setresuid',
		ret: 0,
		args: [],
		reqEff: 0n,
		reqPrm: 0n,
		site: 'syscall',
		old: creds(1000, 0n),
		new: creds(1000, 0n),
		ppid: 299,
		fileUid: 0,
		fileGid: 0,
		fileMode: 0,
		comm: 'setids',
		exe: '/tmp/bg/setids',
		...p,
	};
}

function seccomp(i: number, p: Partial<SeccompEvent>): SeccompEvent {
	return {
		kind: 'seccomp',
		...base(600 + i, i),
		nr: 257,
		arch: 'x86_64',
		syscall: 'openat',
		ret: -1,
		args: [0xffffffffffffff9cn, 0x402000n, 0n, 0n, 0n, 0n],
		action: 'errno',
		uid: 1000,
		ppid: 599,
		comm: 'rawopen',
		exe: '/usr/local/bin/rawopen',
		...p,
	};
}

function act(kind: ActEvent['kind'], i: number, p: Partial<ActEvent>): ActEvent {
	return {
		kind,
		...base(700 + i, i),
		nr: 313,
		syscall: 'finit_module',
		ret: -38,
		op: 0,
		arg: 0n,
		aux: 0,
		uid: 0,
		ppid: 699,
		comm: 'insmod',
		exe: '/usr/bin/kmod',
		name: '/tmp/bg/rootkit-x.ko',
		targetArg: 0,
		...p,
	};
}

function file(kind: 'open' | 'file_change', i: number, p: Partial<FileEventBase>): BgEvent {
	return {
		kind,
		...base(400 + i, i),
		syscall: 'openat',
		ret: 3,
		uid: 1000,
		gid: 1001,
		argFlags: 0o2000000,
		mode: 0,
		owner: -1,
		group: -1,
		dirfd: -100,
		watch: BgWatchMode.BG_WATCH_READ,
		enforce: 0,
		comm: 'cat',
		name: '/etc/passwd',
		nameB64: undefined,
		raw: 'passwd',
		rawB64: undefined,
		name2: '',
		name2B64: undefined,
		raw2: '',
		raw2B64: undefined,
		nameFromFile: true,
		nameReal: false,
		nameTruncated: false,
		ino: 0,
		dev: 0,
		...p,
	};
}

function net(kind: NetKind, i: number, p: Partial<NetEvent> = {}): NetEvent {
	return {
		kind,
		...base(500 + i, i),
		uid: 1000,
		ret: 0,
		startNs: 77n,
		connId: 12n,
		durationMs: 0,
		bytesSent: 0,
		bytesReceived: 0,
		family: 'ip',
		proto: 'tcp',
		sip: '10.0.0.1',
		dip: '10.0.0.2',
		v4mapped: false,
		sport: 40000,
		dport: 443,
		state: '',
		dir: 'out',
		fd: 5,
		comm: 'curl',
		dnsQuery: null,
		enforce: 0,
		...p,
	};
}

const B64 = Buffer.from([0x2f, 0x74, 0xc3, 0x28]).toString('base64');

function audit(i: number, p: Partial<AuditCtlEvent>): AuditCtlEvent {
	return {
		kind: 'audit_ctl',
		...base(900 + i, i),
		nr: 44,
		syscall: 'sendto',
		ret: 60,
		err: 0,
		type: 1001,
		nlflags: 5,
		seq: 1,
		mask: 0,
		enabled: 0,
		failure: 0,
		auditPid: 0,
		rateLimit: 0,
		backlogLimit: 0,
		backlogWaitTime: 0,
		uid: 0,
		ppid: 899,
		index: 0,
		comm: 'auditctl',
		exe: '/usr/sbin/auditctl',
		flags: BgAuditFlag.BG_AUF_ACK | BgAuditFlag.BG_AUF_BODY,
		...p,
	};
}

/** Events of every kind (several per kind where the kind's JSON keys differ by syscall or outcome). */
export function sampleEvents(): BgEvent[] {
	let i = 0;
	return [
		execEvent({ pid: 100, timeMs: T0, ppid: 99, oldTid: 101, args: ['/bin/echo', 'json marker', 'two'], uid: 1000, euid: 0, gid: 1001, egid: 0, loginuid: 1000, sid: 90, tty: 'pts0', cwd: '/home/u', cgroupId: 4294967297n, env: { LD_PRELOAD: '/tmp/x.so' }, stdioKind: ['pipe', 'file', 'tty'], stdioIno: [77, 78, 3] }),
		execEvent({ pid: 102, timeMs: T0, ret: -2, exe: '/nonexistent/x', args: ['/nonexistent/x', 'a'], argc: 3, argsTruncated: true, comm: 'tryexec', flags: BgFlag.BG_F_ARGS_TRUNC }),
		{ kind: 'fork', ...base(200, ++i), ppid: 199, parentTid: 198, startNs: 5n, comm: 'sh', vpid: 200, pidns: 0, mntns: 0 },
		{ kind: 'exit', ...base(201, ++i), ppid: 199, status: 0x100, exitCode: 1, signal: null, coreDumped: false, startNs: 5n, comm: 'sh' },
		{ kind: 'exit', ...base(202, ++i), ppid: 199, status: 0x89, exitCode: null, signal: 9, coreDumped: true, startNs: 5n, comm: 'sh' },
		priv('priv_call', ++i, { syscall: 'setresuid', args: [1000, 1000, 0xffffffff], old: creds(0, 0x1ffn), new: creds(1000, 0n) }),
		priv('priv_call', ++i, { syscall: 'setuid', ret: -1, args: [0] }),
		priv('priv_call', ++i, { syscall: 'setgroups', args: [2] }),
		priv('priv_call', ++i, { syscall: 'capset', reqEff: 1n << 13n, reqPrm: 1n << 13n }),
		priv('priv_exec', ++i, { syscall: 'execve', site: 'exec', new: { ...creds(1000, 0x1ffn), euid: 0 }, fileUid: 0, fileGid: 0, fileMode: 0o104755, flags: BgPrivFlag.BG_PF_NO_BEFORE }),
		priv('priv_drift', ++i, { syscall: 'read', site: 'check', new: creds(0, 0x1ffn) }),
		priv('priv_drift', ++i, { syscall: 'read', site: 'exit', new: creds(0, 0n) }),
		file('open', ++i, {}),
		file('open', ++i, { ret: -2, argFlags: 0o101, mode: 0o600, nameFromFile: false, name: '/t\\xc3(', nameB64: B64, raw: '/t\\xc3(', rawB64: B64, watch: 3, nameTruncated: true }),
		file('open', ++i, { syscall: 'creat', argFlags: 0o1101, mode: 0o644 }),
		file('file_change', ++i, { syscall: 'renameat2', ret: 0, argFlags: 1, name: '/etc/a', raw: 'a', name2: '/etc/\\xc3(', name2B64: B64, raw2: '\\xc3(', raw2B64: B64, watch: BgWatchMode.BG_WATCH_WRITE }),
		file('file_change', ++i, { syscall: 'symlinkat', ret: 0, argFlags: 0, name: '/etc/l', raw: 'l', raw2: '/t\\xc3(', raw2B64: B64 }),
		file('file_change', ++i, { syscall: 'fchmodat', ret: 0, argFlags: 0, mode: 0o4755, name: '/usr/bin/x', raw: '/usr/bin/x' }),
		file('file_change', ++i, { syscall: 'fchmod', ret: 0, argFlags: 0, mode: 0o2750, dirfd: 4, name: '/usr/bin/y', raw: '' }),
		file('file_change', ++i, { syscall: 'fchownat', ret: -1, argFlags: 0x100, owner: 65534, group: 65534, name: '/etc/shadow', raw: 'shadow' }),
		file('file_change', ++i, { syscall: 'unlinkat', ret: 0, argFlags: 0x200, name: '/etc/d', raw: 'd' }),
		file('file_change', ++i, { syscall: 'mkdir', ret: 0, argFlags: 0, mode: 0o750, name: '/etc/m', raw: '/etc/m' }),
		file('file_change', ++i, { syscall: 'ftruncate', ret: 0, argFlags: 0, dirfd: 7, name: '/var/log/x', raw: '' }),
		net('net_connect', ++i, { state: 'in_progress', ret: -115 }),
		net('net_accept', ++i, { dir: 'in', state: 'established', ret: 6, fd: 6, family: 'ip6', sip: '::1', dip: '::1' }),
		net('net_outcome', ++i, { state: 'refused', ret: -111, fd: -1 }),
		net('net_close', ++i, { state: 'closed', fd: -1, durationMs: 12.5, bytesSent: 100, bytesReceived: 2000 }),
		net('net_listen', ++i, { dir: 'in', state: 'listen', connId: 0n, dip: '0.0.0.0', dport: 0, family: 'ip6', sip: '10.0.0.1', v4mapped: true }),
		net('net_bind', ++i, { dir: 'in', connId: 0n, proto: 'udp' }),
		net('net_send', ++i, { proto: 'udp', connId: 0n, ret: 27, dport: 53, dnsQuery: 'json.test' }),
		seccomp(++i, {}),
		seccomp(++i, { action: 'kill_process', ret: 0, comm: 'sh', exe: '' }),
		seccomp(++i, { arch: 'i386', nr: 5, syscall: 'open', action: 'trap', ret: 5, args: [0x804a000n, 0n, 0n, 0n, 0n, 0n] }),
		act('kmod', ++i, {}),
		act('kmod', ++i, { nr: 175, syscall: 'init_module', ret: -1, arg: 4096n, name: '', comm: 'loadmod', exe: '/tmp/bg/loadmod' }),
		act('kmod', ++i, { nr: 176, syscall: 'delete_module', ret: -2, op: 0o4000, name: 'bg_nosuch', comm: 'rmmod', flags: BgActFlag.BG_AF_NAME_USER }),
		act('bpf', ++i, { nr: 321, syscall: 'bpf', ret: 5, op: 5, arg: 26n, name: 'hide_pid', comm: 'bpftool', exe: '/usr/sbin/bpftool' }),
		act('bpf', ++i, { nr: 321, syscall: 'bpf', ret: -13, op: 5, arg: 2n, name: 'kp_x', comm: 'bpfload', exe: '/tmp/bg/bpfload', flags: BgActFlag.BG_AF_NAME_USER }),
		act('bpf', ++i, { nr: 321, syscall: 'bpf', ret: 6, op: 28, arg: 26n, aux: 24, name: 'hide_pid', comm: 'bpftool', exe: '/usr/sbin/bpftool' }),
		act('ptrace', ++i, { nr: 101, syscall: 'ptrace', ret: 0, op: 16, name: '', comm: 'gdb', exe: '/usr/bin/gdb', targetArg: 812, flags: BgActFlag.BG_AF_TARGET | BgActFlag.BG_AF_EXACT | BgActFlag.BG_AF_OTHER_USER, target: { pid: 812, tid: 812, uid: 1000, comm: 'ssh-agent', exe: '/usr/bin/ssh-agent' } }),
		act('ptrace', ++i, { nr: 101, syscall: 'ptrace', ret: 0, op: 5, arg: 0x401000n, name: '', comm: 'injector', exe: '/tmp/bg/injector', targetArg: 813, flags: BgActFlag.BG_AF_TARGET | BgActFlag.BG_AF_OWN, target: { pid: 813, tid: 814, uid: 0, comm: 'sleep', exe: '/usr/bin/sleep' } }),
		act('ptrace', ++i, { nr: 101, syscall: 'ptrace', ret: -3, op: 0x4206, name: '', comm: 'strace', exe: '/usr/bin/strace', targetArg: 99999 }),
		act('procmem', ++i, { nr: 310, syscall: 'process_vm_readv', ret: 4096, arg: 1n, name: '', comm: 'dumper', exe: '/tmp/bg/dumper', targetArg: 815, flags: BgActFlag.BG_AF_TARGET, target: { pid: 815, tid: 815, uid: 0, comm: 'sshd', exe: '/usr/sbin/sshd' } }),
		act('procmem', ++i, { nr: 311, syscall: 'process_vm_writev', ret: -1, arg: 2n, name: '', comm: 'dumper', exe: '/tmp/bg/dumper', targetArg: 816, flags: BgActFlag.BG_AF_TARGET | BgActFlag.BG_AF_OTHER_USER, target: { pid: 816, tid: 816, uid: 1000, comm: 'bash', exe: '' } }),
		{ kind: 'agent', ...base(4242, ++i), tid: 4242, cgroupId: 0n, what: 'loss', reason: 'ringbuf_full=7 sink_dropped=2', counts: { ringbuf_full: 7, sink_dropped: 2 }, total: 9, uptimeS: 61.5, windowS: 10, comm: 'node' },
		{ kind: 'agent', ...base(4242, ++i), tid: 4242, cgroupId: 0n, what: 'stop', reason: 'SIGTERM', counts: { events: 100, lost: 9 }, total: 100, uptimeS: 70, windowS: 70, comm: 'node' },
		audit(++i, { mask: 0x1, enabled: 0 }),
		audit(++i, { mask: 0x7, enabled: 1, failure: 2, auditPid: 1234, comm: 'auditd', exe: '/usr/sbin/auditd' }),
		audit(++i, { mask: 0x38, rateLimit: 100, backlogLimit: 8192, backlogWaitTime: 60000, err: -1 }),
		audit(++i, { nr: 46, syscall: 'sendmsg', ret: 1072, err: -2, type: 1012, seq: 4, index: 1, comm: 'auditnl', exe: '/tmp/bg/auditnl', flags: BgAuditFlag.BG_AUF_ACK | BgAuditFlag.BG_AUF_IOV }),
		audit(++i, { type: 1017, nlflags: 1, err: undefined, enabled: 1, flags: BgAuditFlag.BG_AUF_BODY | BgAuditFlag.BG_AUF_TYPE_USER }),
		audit(++i, { type: 1018, mask: 1, enabled: 1, failure: 0 }),
		audit(++i, { type: 1011, err: undefined, index: 8, flags: BgAuditFlag.BG_AUF_MORE | BgAuditFlag.BG_AUF_TYPE_USER }),
	];
}
