/** @module cli/commands/opensnoop: trace opens (and with --changes file changes) of watched paths, like BCC's opensnoop. */
import type { CliCommand } from '../command.js';
import { fileSensor } from '../../sensors/file.js';
import { DEFAULT_WATCH, watchFromPrefixes } from '../../sensors/file-watch.js';
import type { BgEvent, FileEventBase } from '../../events/types.js';
import { detailText, targetText } from '../../events/file-fields.js';
import { eventJson } from '../../rules/fields/json.js';
import { escapeText } from '../../sinks/escape.js';
import { errnoName } from '../../util/errno.js';
import { runTracing } from '../run.js';
import { commonFilter, snoopFlags, type SnoopFlags } from '../snoop.js';
import { CliError } from '../errors.js';
import { SnoopContainers } from '../snoop-containers.js';

interface Opts extends SnoopFlags {
	time?: boolean;
	fails?: boolean;
	path?: string[];
	all?: boolean;
	changes?: boolean;
}

function header(o: Opts): string {
	const cols: string[] = [];
	if (o.time) cols.push('TIME'.padEnd(8));
	cols.push('PID'.padEnd(7), 'UID'.padEnd(6), 'COMM'.padEnd(16), 'RET'.padEnd(4), 'ERR'.padEnd(7), 'FLAGS'.padEnd(24), 'FILENAME');
	return cols.join(' ');
}

/** One table row; event data escaped so a path cannot break the line or drive the terminal. */
export function tableLine(e: FileEventBase, o: Opts): string {
	const cols: string[] = [];
	if (o.time) cols.push(new Date(e.timeMs).toTimeString().slice(0, 8));
	cols.push(String(e.pid).padEnd(7), String(e.uid).padEnd(6), escapeText(e.comm).padEnd(16));
	cols.push(String(e.ret).padEnd(4), (e.ret < 0 ? errnoName(e.ret) : '-').padEnd(7));
	cols.push(detailText(e).padEnd(24), escapeText(targetText(e)));
	return cols.join(' ');
}


function collectPath(v: string, prev: string[] = []): string[] {
	return [...prev, v];
}

async function run(o: Opts): Promise<void> {
	for (const p of o.path ?? []) {
		if (!p.startsWith('/') || Buffer.byteLength(p) > 255) throw new CliError(`opensnoop: invalid --path '${p}': expected an absolute path of at most 255 bytes`, 'EBADPATH', 2);
	}
	const watch = o.path?.length ? watchFromPrefixes(o.path) : DEFAULT_WATCH;
	// --json: the event's rule fields (proc.*, user.* from the event; from a process table with a container option)
	const sc = await SnoopContainers.create(o);
	await runTracing({
		command: 'opensnoop',
		sensors: sc.sensors([fileSensor]),
		filter: sc.filter({ ...commonFilter(o), failedOnly: o.fails, file: { all: o.all, watch } }),
		durationS: o.duration,
		verboseStats: o.stats,
		onReady: () => {
			if (!o.json) process.stdout.write(`${sc.header()}${header(o)}\n`);
		},
		onEvents: (evs: BgEvent[], stats) => {
			let out = '';
			for (const e of evs) {
				sc.observe(e);
				if (e.kind !== 'open' && e.kind !== 'file_change') continue;
				stats.count(e.kind);
				if (e.kind === 'file_change' && !o.changes) continue;
				if (o.name && !o.name.test(e.comm)) continue;
				if (!sc.keep(e)) continue;
				out += o.json ? `${JSON.stringify(eventJson(sc.ctx))}\n` : `${sc.column()}${tableLine(e, o)}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard opensnoop`. */
export const opensnoopCommand: CliCommand = {
	name: 'opensnoop',
	register(program) {
		const cmd = program
			.command('opensnoop')
			.description('trace opens of watched files (default: credentials, sudo, ssh, pam, cron, systemd, shell rc, logs) with the path the kernel opened')
			.option('-T, --time', 'include a time column (HH:MM:SS)')
			.option('-x, --fails', 'only failed opens (decided in the kernel)');
		snoopFlags(cmd, { json: 'fd.name, evt.arg.flags, ...' })
			.option('--path <PREFIX>', 'watch this path prefix instead of the default set (repeatable; decided in the kernel)', collectPath)
			.option('--all', 'every open, watched or not')
			.option('-c, --changes', 'also show file changes: unlink, rename, chmod, chown, link, symlink, mkdir, rmdir, truncate')
			.action(run);
	},
};
