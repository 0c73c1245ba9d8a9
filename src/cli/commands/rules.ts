/** @module cli/commands/rules: `bpfguard rules validate FILE…` and `bpfguard rules list`. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { loadRules, validateRules } from '../../rules/load.js';
import { formatProblem, RulesError } from '../../rules/errors.js';
import { repoPath } from '../../util/paths.js';
import { CliError } from '../errors.js';
import { escapeText } from '../../sinks/escape.js';
import type { RuleSet } from '../../rules/ruleset.js';
import { broadBlockWarnings } from '../../enforce/safety.js';

function validate(files: string[], o: { json?: boolean }): void {
	const problems = validateRules(files);
	const errors = problems.filter((p) => p.severity === 'error');
	if (!errors.length) {
		// blocking rules that are broad: over the files with the default macros and lists they may use
		try {
			const mine = loadRules(files).ruleset;
			problems.push(...broadBlockWarnings(mine));
		} catch {
			// a file that needs the default rules' macros is checked alone above; no blocking check then
		}
	}
	if (o.json) process.stdout.write(`${JSON.stringify(problems)}\n`);
	else for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
	if (errors.length) throw new CliError(`rules validate: ${errors.length} error(s)`, 'ERULES', 1);
	if (!o.json) process.stdout.write(`${files.join(', ')}: ok${problems.length ? ` (${problems.length} warning(s))` : ''}\n`);
}

/** Which rules run and which are skipped, and why (for Falco rule files). */
function falcoCompat(rs: RuleSet, json: boolean | undefined): void {
	const rows = [
		...rs.all.map((r) => ({ rule: r.name, status: r.enabled ? 'run' : 'disabled', reason: r.enabled ? '' : 'enabled: false (or below the minimum priority)', source: `${r.pos.file}:${r.pos.line}` })),
		...rs.skipped.map((s) => ({ rule: s.name, status: 'skipped', reason: s.reason, source: `${s.pos.file}:${s.pos.line}:${s.pos.col}` })),
	];
	if (json) {
		process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
		return;
	}
	process.stdout.write(`${'STATUS'.padEnd(10)}RULE / REASON\n`);
	for (const r of rows) process.stdout.write(`${r.status.padEnd(10)}${escapeText(r.rule)}${r.reason ? `: ${escapeText(r.reason)} (${escapeText(r.source)})` : ''}\n`);
	const run = rows.filter((r) => r.status === 'run').length;
	process.stdout.write(`${run} run, ${rs.skipped.length} skipped, ${rows.length - run - rs.skipped.length} disabled\n`);
}

function list(o: { rules: string[]; defaultRules: boolean; json?: boolean; falcoCompat?: boolean }): void {
	const paths = [...(o.defaultRules ? [repoPath('rules')] : []), ...o.rules];
	let rs;
	try {
		rs = loadRules(paths).ruleset;
	} catch (e) {
		if (e instanceof RulesError) throw new CliError(`rules list: rules have errors:\n${e.message}`, 'ERULES', 1);
		throw e;
	}
	if (o.falcoCompat) return falcoCompat(rs, o.json);
	if (o.json) {
		const out = rs.all.map((r) => ({ rule: r.name, priority: r.priority, enabled: r.enabled, action: r.action, tags: r.tags, desc: r.desc, evt_types: r.types === 'any' ? 'any' : [...r.types], source: `${r.pos.file}:${r.pos.line}` }));
		process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
		return;
	}
	process.stdout.write(`${'PRIORITY'.padEnd(14)}${'ON'.padEnd(4)}${'EVT.TYPE'.padEnd(20)}RULE\n`);
	for (const r of rs.all) {
		const types = r.types === 'any' ? 'any' : [...r.types].join(',');
		process.stdout.write(`${r.priority.padEnd(14)}${(r.enabled ? 'yes' : 'no').padEnd(4)}${types.slice(0, 19).padEnd(20)}${escapeText(r.name)}\n`);
	}
}

/** `bpfguard rules`. */
export const rulesCommand: CliCommand = {
	name: 'rules',
	register(program: Command) {
		const rules = program.command('rules').description('check and list rules');
		rules
			.command('validate')
			.description('check rules files: every problem as file:line:col, non-zero exit on errors')
			.argument('<FILE...>', 'rules files or directories')
			.option('--json', 'problems as JSON')
			.action(validate);
		rules
			.command('list')
			.description('list the rules the monitor would load')
			.option('-r, --rules <FILE|DIR>', 'more rules (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
			.option('--no-default-rules', 'leave out the default rules')
			.option('--json', 'JSON output')
			.option('--falco-compat', 'which rules run, which are skipped (other event source, field bpfguard lacks) and why')
			.action(list);
	},
};
