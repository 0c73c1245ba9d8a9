/** @module cli/commands/search: `bpfguard search`, ausearch-like: filtered records from the audit store as an escaped table or JSON lines. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { escapeText } from '../../sinks/escape.js';
import { searchStore, type StoredRecord } from '../../store/search.js';
import { addFilterOptions, intArg, openForCli, queryOf, type FilterFlags } from '../store-query.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time as `YYYY-MM-DD HH:MM:SS` (like ausearch's time lines). */
export function localTime(ms: number): string {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const str = (v: unknown): string => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));

/** `ID TIME PRIORITY RULE PID USER EXE OUTPUT`; every event-data cell escaped, columns padded to the widest cell. */
export function searchTable(recs: readonly StoredRecord[]): string {
	const head = ['ID', 'TIME', 'PRIORITY', 'RULE', 'PID', 'USER', 'EXE', 'OUTPUT'];
	const rows = recs.map((r) => {
		const d = r.data;
		const f = (d.fields ?? {}) as Record<string, unknown>;
		const rule = r.kind === 'alert' ? d.rule : r.kind === 'log' ? `${str(d.rule)} (log)` : `(${r.kind})`;
		const exe = f['proc.exepath'] ?? f['proc.exe'] ?? f['proc.name'];
		const count = typeof d.count === 'number' && d.count > 1 ? ` (${d.count}×)` : '';
		return [String(r.id), localTime(r.timeMs), str(d.priority), str(rule), str(f['proc.pid']), str(f['user.name'] ?? f['user.uid']), str(exe), `${str(d.output ?? (r.kind === 'prune' ? JSON.stringify(d) : undefined))}${count}`].map(escapeText);
	});
	const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(w[i]))).join('  ');
	return `${[head, ...rows].map(line).join('\n')}\n`;
}

/** `bpfguard search`. */
export const searchCommand: CliCommand = {
	name: 'search',
	register(program: Command) {
		addFilterOptions(program.command('search').description('search the audit store (ausearch-like); exit 1 with <no matches> when nothing matches'))
			.option('--limit <N>', 'newest N records (shown oldest first)', intArg('limit'), 1000)
			.option('--json', 'one JSON object per line: record, kind, hash and the stored alert')
			.action((o: FilterFlags & { limit: number; json?: boolean }) => {
				const store = openForCli(o.db);
				try {
					const recs = searchStore(store, queryOf(o).q, o.limit);
					if (!recs.length) {
						process.stderr.write('<no matches>\n');
						process.exitCode = 1;
						return;
					}
					if (o.json) process.stdout.write(recs.map((r) => `${JSON.stringify({ record: r.id, kind: r.kind, hash: r.hash, ...r.data })}\n`).join(''));
					else process.stdout.write(searchTable(recs));
				} finally {
					store.close();
				}
			});
	},
};
