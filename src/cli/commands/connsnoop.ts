/** @module cli/commands/connsnoop: trace network connections (TIME PID UID COMM SRC DST PROTO DIR STATE). */
import type { CliCommand } from '../command.js';
import { netSensor } from '../../sensors/net.js';
import type { BgEvent, NetEvent } from '../../events/types.js';
import { escapeText } from '../../sinks/escape.js';
import { evtType, isNet } from '../../events/table.js';
import { errnoName } from '../../util/errno.js';
import { eventJson } from '../../rules/fields/json.js';
import { runTracing, intFlag } from '../run.js';
import { commonFilter, snoopFlags, type SnoopFlags } from '../snoop.js';
import { SnoopContainers } from '../snoop-containers.js';

interface Opts extends SnoopFlags {
	port: number[];
}


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
	// --json: the event's rule fields (proc.*, user.* from the event; from a process table with a container option)
	const sc = await SnoopContainers.create(o);
	await runTracing({
		command: 'connsnoop',
		sensors: sc.sensors([netSensor]),
		filter: sc.filter({ ...commonFilter(o), net: { ports: o.port.length ? o.port : undefined } }),
		durationS: o.duration,
		verboseStats: o.stats,
		onReady: () => {
			if (!o.json) process.stdout.write(`${sc.header()}${HEADER}\n`);
		},
		onEvents: (evs: BgEvent[], stats) => {
			let out = '';
			for (const e of evs) {
				sc.observe(e);
				if (!isNet(e)) continue;
				stats.count(evtType(e));
				if (o.name && !o.name.test(e.comm)) continue;
				if (!sc.keep(e)) continue;
				out += o.json ? `${JSON.stringify(eventJson(sc.ctx))}\n` : `${sc.column()}${tableLine(e)}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard connsnoop`. */
export const connsnoopCommand: CliCommand = {
	name: 'connsnoop',
	register(program) {
		const cmd = program
			.command('connsnoop')
			.description('trace TCP connects (with outcome), accepts, closes (bytes, duration), UDP destinations (DNS names), listen and bind');
		snoopFlags(cmd, { json: 'fd.sip, fd.dport, net.state, ...' })
			.option('--port <PORT>', 'only sockets with this local or remote port; repeatable (decided in the kernel)', portFlag, [])
			.action(run);
	},
};
