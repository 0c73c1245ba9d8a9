/** @module rules/event-view: the per-kind facts rules need (type, result, named args), in one place. */
import type { BgEvent } from '../events/types.js';

/** evt.type of an event. */
export function evtType(e: BgEvent): string {
	switch (e.kind) {
		case 'exec':
			return 'execve';
		case 'fork':
			return 'clone';
		case 'exit':
			return 'procexit';
	}
}

/** Every evt.type value and the event kind (and so sensor) producing it. */
export const EVT_TYPES: Readonly<Record<string, string>> = {
	execve: 'exec',
	execveat: 'exec',
	clone: 'fork',
	fork: 'fork',
	vfork: 'fork',
	procexit: 'exit',
};

/** Return value, or undefined for events without one. */
export function evtRes(e: BgEvent): number | undefined {
	switch (e.kind) {
		case 'exec':
			return e.ret;
		default:
			return undefined;
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
		default:
			return undefined;
	}
}

/** A file or socket property (fd.NAME) of an event, or undefined. */
export function fdValue(e: BgEvent, name: string): string | number | undefined {
	switch (e.kind) {
		default:
			return name ? undefined : undefined;
	}
}
