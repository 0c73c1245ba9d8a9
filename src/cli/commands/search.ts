/** @module cli/commands/search: `bpfguard search`, ausearch-like: filtered records from the audit store (--where: any rule condition) as an escaped table or JSON lines; --follow tails new ones. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { escapeText } from '../../sinks/escape.js';
import { RECORD_KINDS, scanStore, searchStore, searchWhere, type SearchQuery, type StoredRecord } from '../../store/search.js';
import { EVENT_KIND } from '../../store/schema.js';
import type { WhereFilter } from '../../store/where.js';
import type { AuditStore } from '../../store/store.js';
import { addFilterOptions, intArg, openForCli, queryOf, whereArg, type FilterFlags } from '../store-query.js';
import { intFlag, untilStopped } from '../run.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time as `YYYY-MM-DD HH:MM:SS` (like ausearch's time lines). */
export function localTime(ms: number): string {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const str = (v: unknown): string => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));

// Shown in their own columns (or not at all) for an event record; the rest are its OUTPUT as name=value.
const EVENT_COLUMNS = new Set(['evt.time.iso', 'proc.pid', 'user.name', 'user.uid', 'proc.exepath', 'proc.exe', 'proc.name']);

function eventOutput(f: Record<string, unknown>): string {
	return Object.entries(f)
		.filter(([k, v]) => !EVENT_COLUMNS.has(k) && v !== null)
		.map(([k, v]) => `${k}=${Array.isArray(v) ? JSON.stringify(v) : String(v)}`)
		.join(' ');
}

/** `ID TIME PRIORITY RULE PID USER EXE OUTPUT`; every event-data cell escaped, columns padded to the widest cell. */
export function searchTable(recs: readonly StoredRecord[]): string {
	const head = ['ID', 'TIME', 'PRIORITY', 'RULE', 'PID', 'USER', 'EXE', 'OUTPUT'];
	const rows = recs.map((r) => {
		const d = r.data;
		const f = (d.fields ?? {}) as Record<string, unknown>;
		const rule = r.kind === 'alert' ? d.rule : r.kind === 'log' ? `${str(d.rule)} (log)` : `(${r.kind})`;
		const exe = f['proc.exepath'] ?? f['proc.exe'] ?? f['proc.name'];
		const count = typeof d.count === 'number' && d.count > 1 ? ` (${d.count}×)` : '';
		const output = r.kind === EVENT_KIND ? eventOutput(f) : str(d.output ?? (r.kind === 'prune' ? JSON.stringify(d) : undefined));
		return [String(r.id), localTime(r.timeMs), str(d.priority), str(rule), str(f['proc.pid']), str(f['user.name'] ?? f['user.uid']), str(exe), `${output}${count}`].map(escapeText);
	});
	const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(w[i]))).join('  ');
	return `${[head, ...rows].map(line).join('\n')}\n`;
}

interface SearchFlags extends FilterFlags {
	limit: number;
	json?: boolean;
	where?: WhereFilter;
	follow?: boolean;
	duration?: number;
}

const jsonLine = (r: StoredRecord): string => `${JSON.stringify({ record: r.id, kind: r.kind, hash: r.hash, ...r.data })}\n`;

// The query of the flags: with --where, events are searched too unless --kind says otherwise.
function queryFor(o: SearchFlags): SearchQuery {
	const q = queryOf(o).q;
	return o.where && !o.kind ? { ...q, kinds: RECORD_KINDS } : q;
}

/** Polls for records after the last one shown (once a second: no busy loop) until SIGINT, SIGTERM or --duration. */
async function follow(store: AuditStore, q: SearchQuery, o: SearchFlags, afterId: number): Promise<void> {
	let last = afterId;
	let stop = false;
	const fresh: SearchQuery = { ...q, sinceMs: undefined, untilMs: undefined }; // new records: by id, whatever their time
	const stopped = untilStopped({ durationS: o.duration, stdoutClosed: true }).then(() => (stop = true));
	while (!stop) {
		let out = '';
		for (const r of scanStore(store, fresh, { where: o.where, afterId: last })) {
			last = r.id;
			out += o.json ? jsonLine(r) : searchTable([r]).split('\n')[1] + '\n';
		}
		const top = store.db.prepare('SELECT max(id) FROM records').pluck().get() as number | null;
		if (top !== null && top > last) last = top; // records that did not match are not read again
		if (out) process.stdout.write(out);
		await Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]);
	}
}

async function search(o: SearchFlags): Promise<void> {
	const store = openForCli(o.db);
	try {
		const q = queryFor(o);
		const top = (store.db.prepare('SELECT max(id) FROM records').pluck().get() as number | null) ?? 0;
		const recs = o.where ? searchWhere(store, { ...q }, o.where, o.limit) : searchStore(store, q, o.limit);
		if (recs.length) process.stdout.write(o.json ? recs.map(jsonLine).join('') : searchTable(recs));
		else if (!o.follow) {
			process.stderr.write('<no matches>\n');
			process.exitCode = 1;
			return;
		}
		if (o.follow) await follow(store, q, o, Math.max(top, recs.at(-1)?.id ?? 0));
	} finally {
		store.close();
	}
}

/** `bpfguard search`. */
export const searchCommand: CliCommand = {
	name: 'search',
	register(program: Command) {
		addFilterOptions(program.command('search').description('search the audit store (ausearch-like); exit 1 with <no matches> when nothing matches'))
			.option('--limit <N>', 'newest N records (shown oldest first)', intArg('limit'), 1000)
			.option('--json', 'one JSON object per line: record, kind, hash and the stored alert or event')
			.option('--where <COND>', 'a rule condition (the rule language: fields, operators, and/or/not) over stored alerts and events (default kinds: alert, log, event)', whereArg)
			.option('--follow', 'after the matches so far, print new matching records as they are stored, until Ctrl-C or --duration')
			.option('--duration <SECONDS>', 'with --follow: stop after this many seconds', intFlag('duration', 86400 * 365))
			.action(search);
	},
};
