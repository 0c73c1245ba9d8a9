/** @module cli/commands/connsnoop: trace network connections (TIME PID UID COMM SRC DST PROTO DIR STATE). */
import type { CliCommand } from '../command.js';
import { netSensor } from '../../sensors/net.js';
import type { BgEvent, NetEvent } from '../../events/types.js';
import { escapeText } from '../../sinks/escape.js';
import { evtType, isNet } from '../../events/table.js';
import { errnoName } from '../../util/errno.js';
import { EvalCtx } from '../../rules/context.js';
import { eventJson } from '../../rules/fields/json.js';
import { resolveUid } from '../../util/ids.js';
import { runTracing, intFlag } from '../run.js';
import { CliError } from '../errors.js';

interface Opts {
	pid?: number;
	uid?: string;
	name?: string;
	port: number[];
	json?: boolean;
	duration?: number;
	stats?: boolean;
}

/** --json: the event's rule fields (no process table: proc.*, user.* from the event). */
const JSON_CTX = new EvalCtx();

function endpoint(ip: string, port: number): string {
	return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** STATE column: the state, or the evt.type where a state does not apply. */
function stateText(e: NetEvent): string {
	if (e.kind === 'net_close') return `closed(${Math.round(e.durationMs)}ms,tx=${e.bytesSent},rx=${e.bytesReceived})`;
	const s = e.state || evtType(e);
	const err = e.ret < 0 ? `(${errnoName(e.ret)})` : '';
	return e.dnsQuery !== null ? `${s} dns=${escapeText(e.dnsQuery)}` : `${s}${err}`;
}

function tableLine(e: NetEvent): string {
	const t = new Date(e.timeMs).toTimeString().slice(0, 8);
	return [
		t.padEnd(8),
		String(e.pid).padEnd(7),
		String(e.uid).padEnd(6),
		escapeText(e.comm).padEnd(16),
		endpoint(e.sip, e.sport).padEnd(22),
		endpoint(e.dip, e.dport).padEnd(22),
		e.proto.padEnd(5),
		e.dir.padEnd(3),
		stateText(e),
	].join(' ');
}

const HEADER = ['TIME'.padEnd(8), 'PID'.padEnd(7), 'UID'.padEnd(6), 'COMM'.padEnd(16), 'SRC'.padEnd(22), 'DST'.padEnd(22), 'PROTO', 'DIR', 'STATE'].join(' ');

function portFlag(v: string, prev: number[] = []): number[] {
	return [...prev, intFlag('port', 65535)(v)];
}

async function run(o: Opts): Promise<void> {
	let uid: number | undefined;
	if (o.uid !== undefined) {
		uid = resolveUid(o.uid);
		if (uid === undefined) throw new CliError(`connsnoop: unknown user '${o.uid}'`, 'EBADUSER', 2);
	}
	let nameRe: RegExp | undefined;
	try {
		nameRe = o.name ? new RegExp(o.name) : undefined;
	} catch (e) {
		throw new CliError(`connsnoop: invalid name regex: ${(e as Error).message}`, 'EBADREGEX', 2);
	}
	await runTracing({
		command: 'connsnoop',
		sensors: [netSensor],
		filter: { uid, net: { pid: o.pid, ports: o.port.length ? o.port : undefined } },
		durationS: o.duration,
		verboseStats: o.stats,
		onReady: () => {
			if (!o.json) process.stdout.write(`${HEADER}\n`);
		},
		onEvents: (evs: BgEvent[], stats) => {
			let out = '';
			for (const e of evs) {
				if (!isNet(e)) continue;
				stats.count(evtType(e));
				if (nameRe && !nameRe.test(e.comm)) continue;
				out += o.json ? `${JSON.stringify(eventJson(JSON_CTX.set(e)))}\n` : `${tableLine(e)}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard connsnoop`. */
export const connsnoopCommand: CliCommand = {
	name: 'connsnoop',
	register(program) {
		program
			.command('connsnoop')
			.description('trace TCP connects (with outcome), accepts, closes (bytes, duration), UDP destinations (DNS names), listen and bind')
			.option('-p, --pid <PID>', 'only this process (decided in the kernel)', intFlag('PID', 4194304))
			.option('-u, --uid <UID>', 'only this user (uid or name; decided in the kernel)')
			.option('-n, --name <REGEX>', 'only commands whose name (comm) matches')
			.option('--port <PORT>', 'only sockets with this local or remote port; repeatable (decided in the kernel)', portFlag, [])
			.option('--json', 'one JSON object per line (fields named as in rules: fd.sip, fd.dport, net.state, ...)')
			.option('--duration <SECONDS>', 'stop after this many seconds', intFlag('duration', 86400 * 365))
			.option('--stats', 'print all counters (kernel and user space) every 10 s and at exit')
			.action(run);
	},
};
