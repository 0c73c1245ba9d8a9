/** @module rules/fields/seccomp: seccomp violation fields (a call a filter on the host refused or killed: evt.type = seccomp). */
import { defineFields } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { SeccompEvent } from '../../events/types.js';

const sc = (c: EvalCtx): SeccompEvent | undefined => (c.e.kind === 'seccomp' ? c.e : undefined);

defineFields([
	{ name: 'seccomp.syscall', type: 'string', sensor: 'seccomp', desc: 'the refused or killed syscall, named in the table of seccomp.arch (a 32-bit call by its i386 name)', extract: (c) => sc(c)?.syscall },
	{ name: 'seccomp.nr', type: 'number', sensor: 'seccomp', desc: 'its number in the table of seccomp.arch', extract: (c) => sc(c)?.nr },
	{ name: 'seccomp.arch', type: 'string', sensor: 'seccomp', desc: 'syscall table of the call: x86_64, i386 (a 32-bit call), x32 or aarch64', extract: (c) => sc(c)?.arch },
	{
		name: 'seccomp.action',
		type: 'string',
		sensor: 'seccomp',
		desc: 'what the filter did: errno (failed with seccomp.errno), trap (SIGSYS), kill_thread, kill_process (also KILL_THREAD of the last thread), skipped (not run: a user_notif or tracer reply)',
		extract: (c) => sc(c)?.action,
	},
	{ name: 'seccomp.errno', type: 'number', sensor: 'seccomp', desc: 'errno action: the errno value the call failed with (1 = EPERM); evt.res names it', extract: (c) => (sc(c)?.action === 'errno' ? -sc(c)!.ret : undefined) },
	{ name: 'seccomp.killed', type: 'bool', sensor: 'seccomp', desc: 'the filter killed the thread or the process', extract: (c) => (sc(c) ? sc(c)!.action.startsWith('kill_') : undefined) },
	{ name: 'seccomp.args', type: 'strings', sensor: 'seccomp', desc: 'the six argument registers of the call, in hex, as the filter saw them (pointers are not followed)', extract: (c) => sc(c)?.args.map((a) => `0x${a.toString(16)}`) },
]);
