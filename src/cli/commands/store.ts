/** @module cli/commands/store: `bpfguard store verify | stats | prune | seal | export`: check the chain with the key, show what is stored, apply retention now, accept the store as it is, stream records to other tools. */
import { constants, createWriteStream, fchmodSync, openSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { verifyStore, type VerifyResult } from '../../store/verify.js';
import { TAMPER_KINDS, type Broken } from '../../store/broken.js';
import { pruneStore } from '../../store/retention.js';
import { StoreError } from '../../store/errors.js';
import { DEFAULT_KEY_PATH, loadKey, type StoreKey } from '../../store/key.js';
import { CHECKPOINT_KIND, headPathFor, readHead } from '../../store/seal.js';
import type { AuditStore } from '../../store/store.js';
import { addDbOption, addFilterOptions, durationArg, intArg, openForCli, queryOf, whereArg, type FilterFlags } from '../store-query.js';
import { EXPORT_FORMATS, exportRecords, type ExportFormat } from '../../store/export.js';
import { RECORD_KINDS, scanStore } from '../../store/search.js';
import type { WhereFilter } from '../../store/where.js';

/** Exit code of `store verify` when something was edited, removed, re-chained or forged (1 stays for errors such as a missing file). */
export const EXIT_BROKEN = 3;

/** Exit code of `store verify` when the plain chain is intact but the key was missing, so the keyed checks were skipped. */
export const EXIT_UNKEYED = 4;

// The store sink's default retention (sinks.store.maxAgeDays).
const DEFAULT_MAX_AGE_MS = 90 * 86_400_000;

interface KeyFlags {
	db: string;
	key: string;
	head?: string;
}

// The key, or (verify only) why there is none: missing or unreadable. A key others may read or write is refused (exit 1).
function keyForCli(path: string, optional: boolean): { key?: StoreKey; skipped?: string } {
	try {
		return { key: loadKey(path) };
	} catch (e) {
		if (!(e instanceof StoreError)) throw e;
		if (optional && (e.code === 'ESTOREKEYNOENT' || e.code === 'ESTOREKEYACCES')) return { skipped: e.message };
		throw new CliError(e.message, e.code, 1);
	}
}

function where(b: Broken): string {
	if (b.table === 'head') return 'head file';
	if (b.table === 'meta') return 'store';
	const what = b.table === 'anchors' ? 'anchor' : 'record';
	return b.id === null ? `${what}s` : `${what} ${b.id}`;
}

function okLine(r: VerifyResult): string {
	const plain = `${r.checked} records verified${r.checked ? ` (ids ${r.firstId}..${r.lastId})` : ''}, ${r.anchors} retention anchor(s)`;
	if (!r.keyed.checked) return `ok (plain chain only): ${plain}, head ${r.head}\n`;
	const k = r.keyed;
	return `ok: ${plain}, ${k.checkpoints} checkpoint(s) (key), sealed through record ${k.sealedId} (head file: checkpoint ${k.headId}), ${k.unsealed} record(s) after the last checkpoint, head ${r.head}\n`;
}

function verify(o: KeyFlags & { json?: boolean }): void {
	const { key, skipped } = keyForCli(o.key, true);
	const store = openForCli(o.db);
	let r;
	try {
		r = verifyStore(store, { key, headPath: o.head, keySkipped: skipped });
	} finally {
		store.close();
	}
	if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
	if (r.broken) {
		const note = r.keyed.checked ? '' : ` (keyed checks skipped: ${r.keyed.skipped})`;
		throw new CliError(`store verify: ${TAMPER_KINDS[r.broken.kind]} (${where(r.broken)}): ${r.broken.reason}; ${r.checked} records verified before it${note}`, 'ECHAIN', EXIT_BROKEN);
	}
	if (!o.json) process.stdout.write(okLine(r));
	if (!r.keyed.checked) {
		process.stderr.write(`bpfguard: store verify: keyed checks skipped (${r.keyed.skipped}): removals at either end and re-chaining are not detected without the key\n`);
		process.exitCode = EXIT_UNKEYED;
	}
}

/** Counts, time range, ids, head hash, anchors, checkpoints, the side file and size of a store (no key needed; the side file is shown, not authenticated). */
export function storeStats(store: AuditStore, headPath = headPathFor(store.path)): Record<string, unknown> {
	const db = store.db;
	const t = db.prepare('SELECT count(*) AS records, min(id) AS firstId, max(id) AS lastId, min(time_ms) AS lo, max(time_ms) AS hi FROM records').get() as Record<string, number | null>;
	const kinds = Object.fromEntries((db.prepare('SELECT kind, count(*) AS n FROM records GROUP BY kind ORDER BY kind').all() as { kind: string; n: number }[]).map((k) => [k.kind, k.n]));
	const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((m) => [m.key, m.value]));
	const cp = db.prepare('SELECT id, time_ms FROM records WHERE kind = ? ORDER BY id DESC LIMIT 1').get(CHECKPOINT_KIND) as { id: number; time_ms: number } | undefined;
	const h = readHead(headPath);
	const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
	return {
		path: store.path,
		records: t.records,
		kinds,
		firstId: t.firstId,
		lastId: t.lastId,
		oldest: iso(t.lo),
		newest: iso(t.hi),
		head: store.tail().hash,
		anchors: db.prepare('SELECT count(*) FROM anchors').pluck().get(),
		keyId: meta.key_id ?? null,
		lastCheckpoint: cp ? { id: cp.id, time: iso(cp.time_ms) } : null,
		unsealed: t.lastId === null ? 0 : t.lastId - (cp?.id ?? (t.firstId ?? 1) - 1),
		headFile: 'head' in h ? { path: headPath, id: h.head.id, time: iso(h.head.timeMs) } : { path: headPath, problem: 'missing' in h ? 'missing' : h.problem },
		bytes: store.sizeBytes(),
		schemaVersion: Number(meta.schema_version),
		created: meta.created_ms ? iso(Number(meta.created_ms)) : null,
	};
}

function stats(o: { db: string; head?: string; json?: boolean }): void {
	const store = openForCli(o.db);
	try {
		const s = storeStats(store, o.head);
		if (o.json) process.stdout.write(`${JSON.stringify(s)}\n`);
		else process.stdout.write(Object.entries(s).map(([k, v]) => `${k.padEnd(14)} ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`).join('\n') + '\n');
	} finally {
		store.close();
	}
}

function prune(o: KeyFlags & { maxAge?: number; maxRows?: number }): void {
	const { key } = keyForCli(o.key, false);
	const store = openForCli(o.db, { key, headPath: o.head });
	try {
		const maxAgeMs = o.maxAge ?? (o.maxRows === undefined ? DEFAULT_MAX_AGE_MS : undefined);
		const r = pruneStore(store, { maxAgeMs, maxRows: o.maxRows });
		process.stdout.write(r.removed ? `removed ${r.removed} records (ids up to ${r.throughId}); the chain now starts at a keyed retention anchor\n` : 'nothing to remove\n');
	} catch (e) {
		if (e instanceof StoreError) throw new CliError(e.message, e.code, 1);
		throw e;
	} finally {
		store.close();
	}
}

function seal(o: KeyFlags): void {
	const { key } = keyForCli(o.key, false);
	const store = openForCli(o.db, { key, headPath: o.head });
	try {
		const was = store.sealBlocked;
		store.seal({ accept: true });
		const t = store.tail();
		process.stdout.write(`sealed: checkpoint record ${t.id}, ${store.headPath} rewritten${was ? `; it did not match before: ${was.reason}` : ''}\n`);
	} finally {
		store.close();
	}
}

interface ExportFlags extends FilterFlags {
	format: ExportFormat;
	where?: WhereFilter;
	output?: string;
}

// The output file: created 0600 (an existing one is truncated and tightened), never through a symlink.
function outputFile(path: string): Writable {
	try {
		const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
		fchmodSync(fd, 0o600);
		return createWriteStream('', { fd });
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
		throw new CliError(`store export: open ${path}: ${code === 'ELOOP' ? 'is a symlink' : ((e as Error).message ?? code)}`, code, 1);
	}
}

async function exportCmd(o: ExportFlags): Promise<void> {
	if (o.since === undefined) throw new CliError('store export: --since is required (e.g. --since 1d, --since 2025-01-02T00:00:00Z)', 'EUSAGE', 2);
	const store = openForCli(o.db);
	const out = o.output ? outputFile(o.output) : process.stdout;
	try {
		const q = queryOf(o).q;
		const recs = scanStore(store, o.kind ? q : { ...q, kinds: RECORD_KINDS }, { where: o.where });
		const n = await exportRecords(recs, o.format, out);
		if (o.output) {
			out.end();
			await finished(out);
			process.stderr.write(`exported ${n} records to ${o.output}\n`);
		}
	} finally {
		store.close();
	}
}

function addKeyOptions(c: Command): Command {
	return addDbOption(c)
		.option('--key <PATH>', 'store key (32 bytes, 0600)', DEFAULT_KEY_PATH)
		.option('--head <PATH>', 'head file (default: next to the database, audit.head)');
}

/** `bpfguard store`. */
export const storeCommand: CliCommand = {
	name: 'store',
	register(program: Command) {
		const store = program.command('store').description('the embedded audit store: verify the hash chain, show stats, apply retention, seal');
		addKeyOptions(
			store
				.command('verify')
				.description(
					`walk the chain; with the key also the checkpoints, anchors and head file. Exit 0 verified, ${EXIT_BROKEN} naming the first edited, removed, re-chained or forged thing, ${EXIT_UNKEYED} plain chain intact but the key missing (keyed checks skipped), 1 errors`,
				),
		)
			.option('--json', 'print the result as JSON')
			.action(verify);
		addDbOption(store.command('stats').description('records by kind, time range, ids, head hash, anchors, last checkpoint, head file, size'))
			.option('--head <PATH>', 'head file (default: next to the database, audit.head)')
			.option('--json', 'print JSON')
			.action(stats);
		addKeyOptions(store.command('prune').description('remove old records now, keeping the rest verifiable (without flags: older than 90 days)'))
			.option('--max-age <DURATION>', 'remove records older than this (30d, 12h)', durationArg('max-age'))
			.option('--max-rows <N>', 'keep at most N records', intArg('max-rows'))
			.action(prune);
		addFilterOptions(store.command('export').description('stream records (alerts, log matches and audit-trail events) for other tools: JSON lines or CSV (RFC 4180, a header row)'))
			.option('--where <COND>', 'a rule condition over the records (as search --where)', whereArg)
			.addOption(new Option('--format <FORMAT>', 'jsonl: events as their --json object, alerts as monitor --json; csv: one row per record').choices(EXPORT_FORMATS).default('jsonl'))
			.option('-o, --output <FILE>', 'write to FILE (created 0600) instead of stdout')
			.action(exportCmd);
		addKeyOptions(store.command('seal').description('checkpoint the head now and rewrite the head file, even one that no longer matches (accept the store as it is, after verify)')).action(seal);
	},
};
