/** @module rules/falco.test: Falco rule files load as they are: skipped rules with reasons, exceptions, append/override, evt.dir. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules, validateRules } from './load.js';
import { formatProblem, RulesError } from './errors.js';
import { repoPath } from '../util/paths.js';
import { execEvent, fixture } from '../../test/helpers/rules.js';
import { evtType } from './event-view.js';
import type { RuleSet } from './ruleset.js';

const FALCO = repoPath('test/fixtures/falco/falco_rules.yaml');
const dir = mkdtempSync(join(tmpdir(), 'bg-falco-'));
function file(name: string, text: string): string {
	const p = join(dir, name);
	writeFileSync(p, text);
	return p;
}

/** Rules matching an exec of args[0] by pid (parent 1). */
function matcher(ruleset: RuleSet) {
	const f = fixture();
	return (pid: number, args: string[]) => {
		const c = f.apply(execEvent({ pid, args, comm: args[0].split('/').pop()! }));
		const out: string[] = [];
		ruleset.match(c, evtType(c.e), (r) => out.push(r.name));
		return out;
	};
}

test('a Falco file loads: other sources and rules with fields bpfguard lacks are skipped with positioned warnings naming why', () => {
	const { ruleset, warnings } = loadRules([FALCO]);
	assert.deepEqual(warnings.map(formatProblem), [
		`${FALCO}:99:3: warning: rule FC k8s exec: skipped: source k8s_audit (bpfguard feeds syscall events only)`,
		`${FALCO}:108:34: warning: rule FC unsupported field: skipped: field proc.vpgid is not available in bpfguard`,
		`${FALCO}:116:26: warning: rule FC unsupported output field: skipped: field evt.cpu is not available in bpfguard`,
	]);
	assert.deepEqual(
		ruleset.skipped.map((s) => [s.name, s.reason]),
		[
			['FC k8s exec', 'source k8s_audit (bpfguard feeds syscall events only)'],
			['FC unsupported field', 'field proc.vpgid is not available in bpfguard'],
			['FC unsupported output field', 'field evt.cpu is not available in bpfguard'],
		],
	);
	assert.deepEqual(
		ruleset.all.map((r) => [r.name, r.enabled, r.priority]),
		[
			['FC shell spawned', true, 'warning'],
			['FC open of a test file', true, 'notice'],
			['FC enter events', true, 'debug'],
			['FC tightened', true, 'informational'],
			['FC disabled', false, 'informational'],
		],
	);
	assert.deepEqual(validateRules([FALCO]).filter((p) => p.severity === 'error'), []);
});

test('Falco file with the default rules: its spawned_process replaces bpfguard macro, lists and macros append, exceptions hold', () => {
	const { ruleset } = loadRules([repoPath('rules'), FALCO]);
	const hit = matcher(ruleset);
	const fc = (pid: number, args: string[]) => hit(pid, args).filter((r) => r.startsWith('FC '));
	assert.deepEqual(fc(100, ['/usr/bin/fc-sh']), ['FC shell spawned'], 'list item');
	assert.deepEqual(fc(101, ['/usr/bin/fc-bash']), ['FC shell spawned'], 'list override: items: append');
	assert.deepEqual(fc(102, ['/usr/bin/fc-zsh']), ['FC shell spawned'], 'macro append: true');
	assert.deepEqual(fc(103, ['/usr/local/fc-ok/fc-zsh']), [], 'exception tuple: proc.name = fc-zsh and exepath pmatch a list');
	assert.deepEqual(fc(104, ['/usr/local/fc-ok/fc-sh']), ['FC shell spawned'], 'a tuple needs every field: fc-sh is not fc-zsh');
	assert.deepEqual(fc(105, ['/opt/fc-ok/fc-bash']), [], 'values appended to the exception by name');
	assert.deepEqual(fc(106, ['/usr/bin/fc-sh', 'fc-quiet']), [], 'single-field exception: cmdline contains');
	assert.deepEqual(fc(107, ['/usr/bin/fc-tight']), ['FC tightened'], 'override: condition: replace');
	assert.deepEqual(fc(108, ['/usr/bin/never-fc']), [], 'the replaced condition is gone');
	assert.deepEqual(fc(109, ['/usr/bin/fc-other']), [], 'evt.dir = > never holds; the disabled rule stays off');
});

test('the output of a Falco rule renders %proc.*, %container.*, %user.* and %evt.dir', () => {
	const { ruleset } = loadRules([FALCO]);
	const f = fixture();
	f.apply(execEvent({ pid: 119, args: ['-fc-login', '-l'], comm: 'fc-login', exe: '/usr/bin/fc-login' }));
	const c = f.apply(execEvent({ pid: 120, ppid: 119, args: ['/usr/bin/fc-sh', '-c', 'x'], comm: 'fc-sh', tty: 'pts/3' }));
	const r = ruleset.all.find((x) => x.name === 'FC shell spawned')!;
	assert.equal(r.pred(c), true);
	const out = r.output.render(c);
	assert.ok(out.startsWith('FC shell spawned (user=') && !out.includes('\n'), `a folded (>) output is one line, as YAML folds it: ${out}`);
	for (const want of ['proc=fc-sh', 'parent=fc-login', 'pexe=-fc-login', 'pexepath=/usr/bin/fc-login', 'exepath=/usr/bin/fc-sh', 'cmdline=fc-sh -c x', 'tid=120', 'sid=120', 'container_id=host', 'container_name=host', 'dir=<NA>', 'res=SUCCESS'])
		assert.ok(out.includes(want), `${want} in ${out}`);
});

const OWN = '- rule: r\n  desc: d\n  condition: evt.type = execve and proc.vpgid = 1\n  output: o\n  priority: info\n';

test('in a file that is not a Falco file an unknown field is still an error (a typo), with its position', () => {
	const p = file('own.yaml', OWN);
	assert.throws(() => loadRules([p]), (e: unknown) => e instanceof RulesError && e.message === `${p}:3:36: error: rule r: unknown field 'proc.vpgid'; did you mean proc.vpid?`);
	const falco = file('falco.yaml', `- required_engine_version: 0.31.0\n${OWN}`);
	assert.deepEqual(validateRules([falco]).map((x) => `${x.line}:${x.col} ${x.severity}`), ['4:36 warning']);
});

test('an exception appended by name without fields to an unknown exception, or with other fields, is an error', () => {
	const base = '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: info\n  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[a]]\n';
	const p = file('exc.yaml', `${base}- rule: r\n  exceptions:\n    - name: nope\n      values: [[b]]\n  append: true\n- rule: r\n  exceptions:\n    - name: e\n      fields: [proc.pname]\n      values: [[b]]\n  append: true\n`);
	assert.deepEqual(
		validateRules([p]).map((x) => `${x.line}: ${x.message}`),
		['12: rule r: exception nope needs fields (no exception of that name to append to)', '17: rule r: exception e is already defined with other fields'],
	);
});

test('evt.dir keeps its bpfguard meaning (in/out) next to Falco\'s < and >, and bstartswith works', () => {
	const p = file('dir.yaml', '- rule: r\n  desc: d\n  condition: evt.type = execve and evt.dir != > and not evt.dir = out and proc.name bstartswith fc-\n  output: o\n  priority: info\n');
	const hit = matcher(loadRules([p]).ruleset);
	assert.deepEqual(hit(130, ['/bin/fc-a']), ['r']);
	assert.deepEqual(hit(131, ['/bin/xfc-a']), []);
});
