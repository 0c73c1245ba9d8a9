/** @module rules/event-view: the per-kind facts rules need (type, result, named args), in one place. */
import type { BgEvent, NetEvent } from '../events/types.js';
import { fileJson, splitPath } from '../events/file-fields.js';
import { isNet, PRIV_SYSCALLS } from '../events/table.js';

export { evtType } from '../events/table.js';

/** Return value, or undefined for events without one. */
export function evtRes(e: BgEvent): number | undefined {
	switch (e.kind) {
		case 'exec':
		case 'priv_call':
		case 'open':
		case 'file_change':
			return e.ret;
		default:
			return isNet(e) ? e.ret : undefined;
	}
}

/** Named argument of an event (evt.arg.NAME), as a string. */
export function evtArg(e: BgEvent, name: string): string | undefined {
	switch (e.kind) {
		case 'exec':
			if (name === 'filename' || name === 'exe') return e.exe;
			if (name === 'args') return e.args.slice(1).join(' ');
			return undefined;
		case 'exit':
			if (name === 'status') return String(e.status);
			if (name === 'code') return e.exitCode === null ? undefined : String(e.exitCode);
			if (name === 'signal') return e.signal === null ? undefined : String(e.signal);
			return undefined;
		case 'priv_call': {
			const i = (PRIV_SYSCALLS[e.syscall]?.args ?? []).indexOf(name);
			if (i < 0) return undefined;
			return String(e.args[i] === 0xffffffff ? -1 : e.args[i]);
		}
		case 'priv_exec':
		case 'priv_drift':
			if (name === 'filename' || name === 'exe') return e.exe;
			if (name === 'site') return e.site;
			return undefined;
		case 'open':
		case 'file_change': {
			const v = fileJson(e)[`evt.arg.${name}`];
			return v === undefined || v === null ? undefined : String(v);
		}
		default:
			return undefined;
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
