/** @module cli/commands/store: `bpfguard store verify | stats | prune`: check the hash chain, show what is stored, apply retention now. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { verifyStore } from '../../store/verify.js';
import { pruneStore } from '../../store/retention.js';
import type { AuditStore } from '../../store/store.js';
import { addDbOption, durationArg, intArg, openForCli } from '../store-query.js';

/** Exit code of `store verify` when the chain is broken (1 stays for errors such as a missing file). */
export const EXIT_BROKEN = 3;

// The store sink's default retention (sinks.store.maxAgeDays).
const DEFAULT_MAX_AGE_MS = 90 * 86_400_000;

function verify(o: { db: string; json?: boolean }): void {
	const store = openForCli(o.db);
	let r;
	try {
		r = verifyStore(store);
	} finally {
		store.close();
	}
	if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
	if (r.broken) throw new CliError(`store verify: ${r.broken.table === 'anchors' ? 'anchor' : 'record'} ${r.broken.id} broken: ${r.broken.reason} (${r.checked} records verified before it)`, 'ECHAIN', EXIT_BROKEN);
	if (!o.json) process.stdout.write(`ok: ${r.checked} records verified${r.checked ? ` (ids ${r.firstId}..${r.lastId})` : ''}, ${r.anchors} retention anchor(s), head ${r.head}\n`);
}

/** Counts, time range, ids, head hash, anchors and size of a store. */
export function storeStats(store: AuditStore): Record<string, unknown> {
	const db = store.db;
	const t = db.prepare('SELECT count(*) AS records, min(id) AS firstId, max(id) AS lastId, min(time_ms) AS lo, max(time_ms) AS hi FROM records').get() as Record<string, number | null>;
	const kinds = Object.fromEntries((db.prepare('SELECT kind, count(*) AS n FROM records GROUP BY kind ORDER BY kind').all() as { kind: string; n: number }[]).map((k) => [k.kind, k.n]));
	const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((m) => [m.key, m.value]));
	return {
		path: store.path,
		records: t.records,
		kinds,
		firstId: t.firstId,
		lastId: t.lastId,
		oldest: t.lo === null ? null : new Date(t.lo).toISOString(),
		newest: t.hi === null ? null : new Date(t.hi).toISOString(),
		head: store.tail().hash,
		anchors: db.prepare('SELECT count(*) FROM anchors').pluck().get(),
		bytes: store.sizeBytes(),
		schemaVersion: Number(meta.schema_version),
		created: meta.created_ms ? new Date(Number(meta.created_ms)).toISOString() : null,
	};
}

function stats(o: { db: string; json?: boolean }): void {
	const store = openForCli(o.db);
	try {
		const s = storeStats(store);
		if (o.json) process.stdout.write(`${JSON.stringify(s)}\n`);
		else process.stdout.write(Object.entries(s).map(([k, v]) => `${k.padEnd(14)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join('\n') + '\n');
	} finally {
		store.close();
	}
}

function prune(o: { db: string; maxAge?: number; maxRows?: number }): void {
	const store = openForCli(o.db, {});
	try {
		const maxAgeMs = o.maxAge ?? (o.maxRows === undefined ? DEFAULT_MAX_AGE_MS : undefined);
		const r = pruneStore(store, { maxAgeMs, maxRows: o.maxRows });
		process.stdout.write(r.removed ? `removed ${r.removed} records (ids up to ${r.throughId}); the chain now starts at a retention anchor\n` : 'nothing to remove\n');
	} finally {
		store.close();
	}
}

/** `bpfguard store`. */
export const storeCommand: CliCommand = {
	name: 'store',
	register(program: Command) {
		const store = program.command('store').description('the embedded audit store: verify the hash chain, show stats, apply retention');
		addDbOption(store.command('verify').description(`walk the hash chain; exit ${EXIT_BROKEN} naming the first edited, removed or moved record`))
			.option('--json', 'print the result as JSON')
			.action(verify);
		addDbOption(store.command('stats').description('records by kind, time range, ids, head hash, anchors, size'))
			.option('--json', 'print JSON')
			.action(stats);
		addDbOption(store.command('prune').description('remove old records now, keeping the rest verifiable (without flags: older than 90 days)'))
			.option('--max-age <DURATION>', 'remove records older than this (30d, 12h)', durationArg('max-age'))
			.option('--max-rows <N>', 'keep at most N records', intArg('max-rows'))
			.action(prune);
	},
};
