/** @module cli/commands/trace: `bpfguard trace 'CONDITION' [-o TEMPLATE]`: ad-hoc monitoring on the live stream. */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { parseCondition } from '../../rules/parser.js';
import { compileCondition } from '../../rules/compile.js';
import { compileTemplate } from '../../rules/output.js';
import { ConditionError } from '../../rules/errors.js';
import { possibleTypes } from '../../rules/evttypes.js';
import { loadRules } from '../../rules/load.js';
import { EvalCtx } from '../../rules/context.js';
import { evtType } from '../../rules/event-view.js';
import { fieldValues } from '../../rules/fields/index.js';
import { ProcessTable } from '../../process/table.js';
import { UserDb } from '../../process/users.js';
import { kernelPlan } from '../../rules/pushdown/index.js';
import { escapeText } from '../../sinks/escape.js';
import { repoPath } from '../../util/paths.js';
import { runTracing, intFlag } from '../run.js';
import { CliError } from '../errors.js';

const DEFAULT_OUT = '%evt.time.iso %evt.type %proc.name(%proc.pid) uid=%user.uid res=%evt.res %proc.cmdline %fd.name';

interface Opts {
	output?: string;
	json?: boolean;
	duration?: number;
	stats?: boolean;
}

function compile(cond: string, o: Opts) {
	const { ruleset } = loadRules([repoPath('rules')]);
	try {
		const node = parseCondition(cond);
		const used = new Set<string>();
		const pred = compileCondition(node, ruleset.env, used);
		const tpl = compileTemplate(o.output ?? DEFAULT_OUT);
		const fields = [...new Set([...used, ...tpl.fields])];
		// The one kernel-filter step, as for the monitor's rules: only what the condition can match leaves the kernel.
		const plan = kernelPlan({ env: ruleset.env, all: [{ name: 'trace', enabled: true, types: possibleTypes(node, ruleset.env), condition: node, fields }] });
		return { pred, tpl, fields, plan };
	} catch (e) {
		if (e instanceof ConditionError) {
			const src = cond.split('\n')[e.pos.line - 1] ?? '';
			throw new CliError(`trace: ${e.message} at ${e.pos.line}:${e.pos.col}\n  ${src}\n  ${' '.repeat(Math.max(0, e.pos.col - 1))}^`, 'ECONDITION', 2);
		}
		throw e;
	}
}

async function run(cond: string, o: Opts): Promise<void> {
	const c = compile(cond, o);
	const users = new UserDb();
	const table = new ProcessTable({ users });
	table.seed();
	const ctx = new EvalCtx(table, users);
	await runTracing({
		command: 'trace',
		sensors: c.plan.sensors,
		filter: c.plan.filter,
		durationS: o.duration,
		verboseStats: o.stats,
		onEvents: (evs, stats) => {
			let out = '';
			for (const e of evs) {
				table.apply(e);
				ctx.set(e);
				stats.count(evtType(e));
				if (!c.pred(ctx)) continue;
				if (o.json) {
					out += `${JSON.stringify({ output: c.tpl.render(ctx), ...fieldValues(c.fields, ctx) })}\n`;
				} else out += `${escapeText(c.tpl.render(ctx))}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard trace`. */
export const traceCommand: CliCommand = {
	name: 'trace',
	register(program: Command) {
		program
			.command('trace')
			.description("print live events matching a condition, e.g. trace 'evt.type in (open, openat) and fd.name startswith /etc' -o '%proc.name(%proc.pid) opened %fd.name'")
			.argument('<CONDITION>', 'a rule condition (fields: bpfguard fields; default lists and macros are available)')
			.option('-o, --output <TEMPLATE>', 'output template with %field substitutions')
			.option('--json', 'JSON lines with every field used')
			.option('--duration <SECONDS>', 'stop after this many seconds', intFlag('duration', 86400 * 365))
			.option('--stats', 'print all counters at exit')
			.action(run);
	},
};
