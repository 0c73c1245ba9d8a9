/** @module rules/event-view: the per-kind facts rules need (type, result, file and socket, the process facts an event carries), in one place. */
import type { BgEvent, NetEvent } from '../events/types.js';
import { splitPath } from '../events/file-fields.js';
import { isNet } from '../events/table.js';

export { evtType } from '../events/table.js';

/** Return value, or undefined for events without one. */
export function evtRes(e: BgEvent): number | undefined {
	switch (e.kind) {
		case 'exec':
		case 'priv_call':
		case 'open':
		case 'file_change':
		case 'kmod':
		case 'bpf':
		case 'ptrace':
		case 'procmem':
			return e.ret;
		case 'audit_ctl':
			// the kernel's answer to the message when its ack was seen; else the send's own result
			return e.ret < 0 || e.err === undefined ? e.ret : e.err;
		case 'seccomp':
			// a killed call never returned; a trapped one returns what the SIGSYS handler sets
			return e.action === 'errno' || e.action === 'skipped' ? e.ret : undefined;
		default:
			return isNet(e) ? e.ret : undefined;
	}
}

/**
 * Parent pid the event carries (exec, fork, exit, priv, seccomp), for when the process table has no entry.
 * The functions below are the same fallback for other process facts.
 */
export function ownPpid(e: BgEvent): number | undefined {
	switch (e.kind) {
		case 'exec':
		case 'fork':
		case 'exit':
		case 'priv_call':
		case 'priv_exec':
		case 'priv_drift':
		case 'seccomp':
		case 'kmod':
		case 'bpf':
		case 'ptrace':
		case 'procmem':
		case 'audit_ctl':
			return e.ppid;
		default:
			return undefined;
	}
}

/** Executable the event carries: exec, the executed file (a failed exec: the file it was given); priv, the task's or the executed file; seccomp, the task's. */
export function ownExe(e: BgEvent): string | undefined {
	switch (e.kind) {
		case 'exec':
		case 'priv_call':
		case 'priv_exec':
		case 'priv_drift':
			return e.exe;
		case 'seccomp':
		case 'kmod':
		case 'bpf':
		case 'ptrace':
		case 'procmem':
		case 'audit_ctl':
			return e.exe || undefined;
		default:
			return undefined;
	}
}

/** Credential the event carries: exec, every id; priv, the new creds; file, uid and gid; net and seccomp, uid. */
export function ownCred(e: BgEvent, k: 'uid' | 'euid' | 'gid' | 'egid'): number | undefined {
	switch (e.kind) {
		case 'exec':
			return e[k];
		case 'priv_call':
		case 'priv_exec':
		case 'priv_drift':
			return e.new[k];
		case 'open':
		case 'file_change':
			return k === 'uid' || k === 'gid' ? e[k] : undefined;
		case 'fork':
		case 'exit':
		case 'agent':
			return undefined;
		default:
			return k === 'uid' ? e.uid : undefined;
	}
}

/** Process start (boot-time ns) the event carries: exec, fork, exit, net. */
export function ownStart(e: BgEvent): bigint | undefined {
	switch (e.kind) {
		case 'exec':
		case 'fork':
		case 'exit':
			return e.startNs;
		default:
			return isNet(e) ? e.startNs : undefined;
	}
}

/** A file or socket property (fd.NAME) of an event, or undefined. */
export function fdValue(e: BgEvent, name: string): string | number | undefined {
	switch (e.kind) {
		case 'open':
		case 'file_change':
			if (name === 'name') return e.name;
			if (name === 'directory') return splitPath(e.name)[0];
			if (name === 'filename') return splitPath(e.name)[1];
			if (name === 'typechar') return 'f';
			if (name === 'name_raw') return e.raw;
			return undefined;
		default:
			return isNet(e) ? netFd(e, name) : undefined;
	}
}

function netFd(e: NetEvent, name: string): string | number | undefined {
	switch (name) {
		case 'sip':
			return e.sip;
		case 'dip':
			return e.dip;
		case 'sport':
			return e.sport;
		case 'dport':
			return e.dport;
		case 'l4proto':
			return e.proto;
		case 'sockfamily':
			return e.family;
		case 'typechar':
			return e.family === 'ip6' ? '6' : '4';
		case 'name':
			return `${e.sip}:${e.sport}->${e.dip}:${e.dport}`;
		default:
			return undefined;
	}
}
