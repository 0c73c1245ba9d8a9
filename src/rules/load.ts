/** @module rules/load: rules files and directories → merged items (appends, overrides) → a compiled RuleSet. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RulesError, type Pos, type RuleProblem } from './errors.js';
import { parseRulesText, type ExceptionItem, type MergedItems, type MergedRule, type RawItem } from './items.js';
import { buildRuleSet, type RuleSet } from './ruleset.js';
import { trustPolicy, trustProblem } from '../util/file-trust.js';
import type { Priority } from '../alerts/alert.js';

/**
 * Expand directories (their *.yaml / *.yml files, sorted) and read every file. A file or directory
 * that someone other than root or the invoking user could change is refused (util/file-trust).
 */
export function readRuleFiles(paths: string[], problems: RuleProblem[]): { file: string; text: string }[] {
	const out: { file: string; text: string }[] = [];
	const policy = trustPolicy();
	const fail = (file: string, message: string) => problems.push({ file, line: 1, col: 1, message, severity: 'error' });
	const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
	for (const p of paths) {
		let st;
		try {
			st = statSync(p);
		} catch (e) {
			fail(p, `read rules: ${errno(e)}`);
			continue;
		}
		const unsafe = trustProblem(p, policy);
		if (unsafe) {
			fail(p, `refuse rules: ${unsafe}`);
			continue;
		}
		const files = st.isDirectory() ? readdirSync(p).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(p, f)) : [p];
		for (const f of files) {
			const bad = f === p ? undefined : trustProblem(f, policy);
			if (bad) {
				fail(f, `refuse rules: ${bad}`);
				continue;
			}
			try {
				out.push({ file: f, text: readFileSync(f, 'utf8') });
			} catch (e) {
				fail(f, `read rules: ${errno(e)}`);
			}
		}
	}
	return out;
}

/** Merge raw items in order: later definitions replace, append/override extend. */
export function mergeItems(raw: RawItem[], problems: RuleProblem[]): MergedItems {
	const m: MergedItems = { lists: new Map(), macros: new Map(), rules: new Map() };
	const err = (pos: Pos, message: string) => problems.push({ file: pos.file ?? '?', line: pos.line, col: pos.col, message, severity: 'error' });
	for (const it of raw) {
		if (it.kind === 'list') {
			const old = m.lists.get(it.name);
			if (it.append && !old) err(it.pos, `list ${it.name}: append to a list that is not defined (earlier)`);
			m.lists.set(it.name, { items: it.append && old ? [...old.items, ...it.items] : it.items, pos: old && it.append ? old.pos : it.pos });
		} else if (it.kind === 'macro') {
			const old = m.macros.get(it.name);
			if (it.append && !old) err(it.pos, `macro ${it.name}: append to a macro that is not defined (earlier)`);
			if (!it.condition) continue;
			m.macros.set(it.name, { condition: it.append && old ? [...old.condition, it.condition] : [it.condition], pos: old && it.append ? old.pos : it.pos, falco: it.falco || (it.append && old?.falco) });
		} else mergeRule(m, it, err);
	}
	return m;
}

function mergeRule(m: MergedItems, it: Extract<RawItem, { kind: 'rule' }>, err: (p: Pos, s: string) => void): void {
	const old = m.rules.get(it.name);
	const onlyEnabled = [...it.keys].every((k) => k === 'rule' || k === 'enabled');
	const extending = it.append || Object.keys(it.override).length > 0 || onlyEnabled;
	if (!extending || !old) {
		if (extending && !old) return err(it.pos, `rule ${it.name}: append/override of a rule that is not defined (earlier)`);
		for (const ex of it.exceptions ?? []) if (!ex.fields.length) err(ex.pos, `rule ${it.name}: exception ${ex.name} needs fields`);
		const missing = ['condition', 'output', 'priority'].filter((k) => !it.keys.has(k));
		if (missing.length) return err(it.pos, `rule ${it.name}: missing ${missing.join(', ')}`);
		m.rules.set(it.name, {
			name: it.name,
			pos: it.pos,
			desc: it.desc ?? '',
			condition: [it.condition!],
			output: it.output!,
			priority: it.priority ?? 'warning',
			tags: it.tags ?? [],
			enabled: it.enabled ?? true,
			action: it.action ?? 'alert',
			mode: it.mode,
			aggregate: it.aggregate,
			exceptions: it.exceptions ?? [],
			source: it.source,
			falco: it.falco,
		});
		return;
	}
	const mode = (k: string): 'append' | 'replace' | undefined => (it.override[k] ?? (it.append && it.keys.has(k) ? 'append' : it.keys.has(k) && onlyEnabled ? 'replace' : undefined));
	const r = { ...old };
	if (it.condition) r.condition = mode('condition') === 'replace' ? [it.condition] : [...old.condition, it.condition];
	if (it.exceptions) r.exceptions = mode('exceptions') === 'replace' ? it.exceptions : appendExceptions(old.exceptions, it.exceptions, it.name, err);
	if (it.tags) r.tags = mode('tags') === 'append' ? [...old.tags, ...it.tags] : it.tags;
	if (it.output) r.output = it.output;
	if (it.priority) r.priority = it.priority;
	if (it.desc !== undefined) r.desc = it.desc;
	if (it.enabled !== undefined) r.enabled = it.enabled;
	if (it.action) r.action = it.action;
	if (it.mode) r.mode = it.mode;
	if (it.aggregate !== undefined) r.aggregate = it.aggregate;
	if (it.falco) r.falco = true;
	m.rules.set(it.name, r);
}

/** Falco's exception append: a new name adds an exception; a known name without fields adds values to it. */
function appendExceptions(old: ExceptionItem[], add: ExceptionItem[], rule: string, err: (p: Pos, s: string) => void): ExceptionItem[] {
	const out = [...old];
	for (const ex of add) {
		const i = out.findIndex((o) => o.name === ex.name);
		if (ex.fields.length && i < 0) out.push(ex);
		else if (i < 0) err(ex.pos, `rule ${rule}: exception ${ex.name} needs fields (no exception of that name to append to)`);
		else if (ex.fields.length && ex.fields.map((f) => f.name).join() !== out[i].fields.map((f) => f.name).join()) err(ex.pos, `rule ${rule}: exception ${ex.name} is already defined with other fields`);
		else {
			const n = out[i].fields.length;
			const bad = ex.values.find((v) => v.items.length !== n);
			if (bad) err(bad.pos, `rule ${rule}: exception ${ex.name}: each value must have ${n} item(s), like fields`);
			else out[i] = { ...out[i], values: [...out[i].values, ...ex.values] };
		}
	}
	return out;
}

/** Load, merge and compile rules from files/directories; throws RulesError listing every problem. */
export function loadRules(paths: string[], opts: { minPriority?: Priority } = {}): { ruleset: RuleSet; warnings: RuleProblem[] } {
	const problems: RuleProblem[] = [];
	const raw: RawItem[] = [];
	for (const f of readRuleFiles(paths, problems)) raw.push(...parseRulesText(f.text, f.file, problems));
	const merged = mergeItems(raw, problems);
	const ruleset = buildRuleSet(merged, problems, opts);
	if (problems.some((p) => p.severity === 'error')) throw new RulesError(problems);
	return { ruleset, warnings: problems.filter((p) => p.severity === 'warning') };
}

/** Check files without building (rules validate): every problem, errors and warnings. */
export function validateRules(paths: string[]): RuleProblem[] {
	const problems: RuleProblem[] = [];
	const raw: RawItem[] = [];
	for (const f of readRuleFiles(paths, problems)) raw.push(...parseRulesText(f.text, f.file, problems));
	buildRuleSet(mergeItems(raw, problems), problems, {});
	return problems;
}
