/** @module cli/store-query: the flags search and report share (--db and the ausearch-like filters) and opening the store for a command. */
import { InvalidArgumentError, type Command } from 'commander';
import { PRIORITIES, type Priority } from '../alerts/alert.js';
import { AuditStore, DEFAULT_DB, type OpenOptions } from '../store/store.js';
import { StoreError } from '../store/errors.js';
import { parseDuration, parseWhen } from '../store/when.js';
import type { SearchQuery } from '../store/search.js';
import { CliError } from './errors.js';
import { compileWhere, type WhereFilter } from '../store/where.js';
import { ConditionError } from '../rules/errors.js';

/** Filter flags as commander hands them over: SearchQuery's filters under their flag names. */
export interface FilterFlags extends Pick<SearchQuery, 'rule' | 'pid' | 'uid' | 'user' | 'exe' | 'comm' | 'container' | 'containersOnly' | 'hostOnly' | 'tag' | 'text'> {
	db: string;
	since?: number;
	until?: number;
	priority?: Priority;
	kind?: string[];
}

const FILTER_KEYS = ['rule', 'priority', 'pid', 'uid', 'user', 'exe', 'comm', 'container', 'containersOnly', 'hostOnly', 'tag', 'text'] as const;

function when(v: string): number {
	try {
		return parseWhen(v);
	} catch (e) {
		throw new InvalidArgumentError((e as Error).message);
	}
}

/** Parses a non-negative integer flag value, or a one-line commander error. */
export function intArg(name: string): (v: string) => number {
	return (v) => {
		if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError(`invalid ${name} '${v}': expected a non-negative integer`);
		return Number(v);
	};
}

/** Parses a duration flag (30m, 1h, 7d) to ms. */
export function durationArg(name: string): (v: string) => number {
	return (v) => {
		const ms = parseDuration(v);
		if (ms === null || ms <= 0) throw new InvalidArgumentError(`invalid ${name} '${v}': expected a duration like 30m, 1h, 7d`);
		return ms;
	};
}

function priority(v: string): Priority {
	if (!(PRIORITIES as readonly string[]).includes(v)) throw new InvalidArgumentError(`invalid priority '${v}': expected one of ${PRIORITIES.join(', ')}`);
	return v as Priority;
}

/** Adds --db to a command. */
export function addDbOption(c: Command): Command {
	return c.option('--db <PATH>', 'audit store database', DEFAULT_DB);
}

/** Adds --db and every filter flag to a command. */
export function addFilterOptions(c: Command): Command {
	return addDbOption(c)
		.option('--since <TIME>', 'from this time: ISO 8601, 30m/1h/7d ago, now, recent, today, yesterday, this-week, week-ago, this-month, this-year', when)
		.option('--until <TIME>', 'before this time (same forms as --since)', when)
		.option('--rule <NAME>', 'rule name, exact or a glob (* ? [])')
		.option('--priority <PRIORITY>', `this priority or more severe (${PRIORITIES.join(', ')})`, priority)
		.option('--pid <PID>', 'process id', intArg('PID'))
		.option('--uid <UID>', 'user id', intArg('UID'))
		.option('--user <NAME>', 'user name')
		.option('--exe <PATH|NAME>', 'executable: absolute path, or a file name in any directory')
		.option('--comm <NAME>', 'process name (comm)')
		.option('--container <ID|NAME>', 'a container: its id (full, 12 hex digits or a prefix) or its name')
		.option('--containers-only', 'only processes in containers')
		.option('--host-only', 'only processes on the host (not in a container)')
		.option('--tag <TAG>', 'rule tag')
		.option('--text <TEXT>', 'case-insensitive text in the alert output')
		.option('--kind <KIND>', 'record kind: alert, log, prune, checkpoint (repeatable; default alert and log)', (v: string, acc: string[] | undefined) => [...(acc ?? []), v]);
}

/** The SearchQuery of the flags, and the flags as shown in a report header. */
export function queryOf(o: FilterFlags): { q: SearchQuery; shown: Record<string, string | number> } {
	if (o.containersOnly && o.hostOnly) throw new CliError('--containers-only and --host-only exclude each other', 'bad_flags', 2);
	const q: SearchQuery = { sinceMs: o.since, untilMs: o.until, rule: o.rule, minPriority: o.priority, pid: o.pid, uid: o.uid, user: o.user, exe: o.exe, comm: o.comm, container: o.container, containersOnly: o.containersOnly, hostOnly: o.hostOnly, tag: o.tag, text: o.text, kinds: o.kind };
	const shown: Record<string, string | number> = {};
	if (o.since !== undefined) shown.since = new Date(o.since).toISOString();
	if (o.until !== undefined) shown.until = new Date(o.until).toISOString();
	for (const k of FILTER_KEYS) {
		const v = o[k];
		if (v !== undefined) shown[k] = typeof v === 'boolean' ? 'yes' : v;
	}
	if (o.kind) shown.kind = o.kind.join(',');
	return { q, shown };
}

/** Opens the store for a command; a StoreError becomes a one-line CliError (exit 1). */
export function openForCli(path: string, opts: OpenOptions = { readonly: true }): AuditStore {
	try {
		return AuditStore.open(path, opts);
	} catch (e) {
		if (e instanceof StoreError) throw new CliError(e.message, e.code, 1);
		throw e;
	}
}

/** Parses --where: a rule condition, or one line with the column and what is wrong (exit 2). */
export function whereArg(v: string): WhereFilter {
	try {
		return compileWhere(v);
	} catch (e) {
		if (e instanceof ConditionError) throw new CliError(`--where: ${e.pos.line > 1 ? `line ${e.pos.line} ` : ""}column ${e.pos.col}: ${e.message}`, e.code, 2);
		throw e;
	}
}
