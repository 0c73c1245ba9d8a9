/** @module rules/load.test: rules files: positions of every problem, appends, overrides, exceptions, default rules, files others could write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadRules, validateRules } from './load.js';
import { formatProblem, RulesError } from './errors.js';
import { repoPath } from '../util/paths.js';
import { execEvent, fixture } from '../../test/helpers/rules.js';
import { evtType } from './event-view.js';
import { requireRoot } from '../../test/helpers/bpf.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-load-'));
function file(name: string, text: string): string {
	const p = join(dir, name);
	writeFileSync(p, text);
	return p;
}

test('the default rules load without errors or warnings', () => {
	const problems = validateRules([repoPath('rules')]);
	assert.deepEqual(problems.map(formatProblem), []);
	const { ruleset } = loadRules([repoPath('rules')]);
	assert.ok(ruleset.all.length >= 4);
	for (const r of ruleset.all) {
		assert.ok(r.desc.length > 10, `${r.name} has a desc`);
		assert.ok(r.tags.some((t) => /^T\d{4}/.test(t)), `${r.name} has a MITRE technique tag`);
	}
});

test('every problem has file:line:col', () => {
	const p = file(
		'bad.yaml',
		[
			'- rule: r1',
			'  desc: d',
			'  condition: evt.type = execve and proc.nmae = x',
			'  output: o',
			'  priority: WARNING',
			'- rule: r2',
			'  desc: d',
			'  condition: >',
			'    evt.type = execve and',
			'    (proc.name = a',
			'  output: o',
			'  priority: loud',
			'- macro: m',
			'- rule: r3',
			'  condition: evt.type = execve',
			'  output: "%proc.nope"',
			'  priority: info',
			'  colour: red',
			'- bogus: 1',
		].join('\n'),
	);
	const lines = validateRules([p]).filter((x) => x.severity === 'error').map(formatProblem);
	assert.deepEqual(lines, [
		`${p}:12:13: error: rule r2: unknown priority 'loud' (one of emergency, alert, critical, error, warning, notice, informational, debug)`,
		`${p}:13:3: error: macro m needs a condition`,
		`${p}:18:3: error: rule r3: unknown key 'colour'`,
		`${p}:19:3: error: unknown item: expected rule:, macro: or list: (found bogus)`,
		`${p}:3:36: error: rule r1: unknown field 'proc.nmae'; did you mean proc.name?`,
		`${p}:11:1: error: rule r2: expected ')' to close '(' at 10:5, found the end of the condition`,
		`${p}:16:12: error: rule r3: output: unknown field 'proc.nope'; did you mean proc.name?`,
	]);
});

test('yaml syntax errors and a non-list file are reported with positions', () => {
	const a = file('syntax.yaml', '- rule: x\n  condition: [unclosed\n');
	const b = file('map.yaml', 'rule: x\n');
	const probs = validateRules([a, b]).map(formatProblem);
	assert.match(probs[0], new RegExp(`^${a}:\\d+:\\d+: error: yaml: `));
	assert.equal(probs[1], `${b}:1:1: error: a rules file is a YAML list of items (- rule:, - macro:, - list:)`);
});

test('a regex or glob that cannot run in linear time is refused at load with file:line:col', () => {
	const p = file(
		'slow.yaml',
		[
			'- rule: backref',
			'  desc: d',
			'  condition: evt.type = execve and proc.cmdline regex "(\\\\w+) \\\\1"',
			'  output: o',
			'  priority: info',
			'- rule: lookahead',
			'  desc: d',
			'  condition: >',
			'    evt.type = execve and',
			"    proc.exepath regex '^/tmp/(?!safe/)'",
			'  output: o',
			'  priority: info',
			'- rule: range',
			'  desc: d',
			'  condition: evt.type = execve and proc.exepath glob "/tmp/[9-0]*"',
			'  output: o',
			'  priority: info',
			'- rule: nested',
			'  desc: d',
			'  condition: evt.type = execve and proc.cmdline regex "(a+)+$"',
			'  output: o',
			'  priority: info',
		].join('\n'),
	);
	assert.deepEqual(validateRules([p]).map(formatProblem), [
		`${p}:3:55: error: rule backref: invalid regex: backreferences are not supported (RE2 syntax): \\1`,
		`${p}:10:24: error: rule lookahead: invalid regex: lookaround is not supported (RE2 syntax): (?!`,
		`${p}:15:54: error: rule range: invalid glob: range out of order: 9-0`,
	]);
});

test('loadRules throws RulesError with every error', () => {
	const p = file('two.yaml', '- rule: a\n  desc: d\n  condition: x.y = 1\n  output: o\n  priority: info\n- rule: b\n');
	assert.throws(() => loadRules([p]), (e: unknown) => e instanceof RulesError && e.problems.length === 2 && e.message.split('\n').length === 2);
});

test('append, override, enabled toggles and exceptions', () => {
	const p = file(
		'merge.yaml',
		`
- list: l
  items: [a]
- list: l
  append: true
  items: [b]
- macro: m
  condition: proc.name in (l)
- rule: r
  desc: d
  condition: evt.type = execve and m
  output: "%proc.name"
  priority: info
  exceptions:
    - name: by_parent
      fields: [proc.pname, proc.name]
      values: [[p1, a]]
- rule: r
  condition: and proc.pid > 10
  append: true
- rule: r
  exceptions:
    - name: single
      fields: proc.name
      comps: in
      values: [b]
  override:
    exceptions: append
- rule: off
  desc: d
  condition: evt.type = execve
  output: o
  priority: info
- rule: off
  enabled: false
`,
	);
	const { ruleset } = loadRules([p]);
	const f = fixture();
	f.apply(execEvent({ pid: 5, args: ['/bin/p1'], comm: 'p1' }));
	const hit = (pid: number, ppid: number, name: string) => {
		const c = f.apply(execEvent({ pid, ppid, args: [`/bin/${name}`], comm: name }));
		const out: string[] = [];
		ruleset.match(c, evtType(c.e), (r) => out.push(r.name));
		return out;
	};
	assert.deepEqual(hit(20, 1, 'a'), ['r']);
	assert.deepEqual(hit(21, 5, 'a'), [], 'exception by parent');
	assert.deepEqual(hit(22, 1, 'b'), [], 'appended single-field exception');
	assert.deepEqual(hit(9, 1, 'a'), [], 'appended condition pid > 10');
	assert.deepEqual(hit(23, 1, 'c'), []);
	assert.equal(ruleset.all.find((r) => r.name === 'off')?.enabled, false);
});

test('property: random rules text never crashes the loader', () => {
	const piece = fc.constantFrom('- rule: r\n', '  condition: ', 'evt.type = execve', ' and (', ')', '  output: "%proc.name"\n', '  priority: info\n', '  desc: d\n', '- macro: m\n', '- list: l\n  items: [a, b]\n', '  append: true\n', '\n', ': ', '[', '{', '"', "'", 'proc.name in (l)', ' m ', '  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[x]]\n');
	fc.assert(
		fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
			const p = file('prop.yaml', parts.join(''));
			const probs = validateRules([p]);
			for (const x of probs) assert.ok(x.line >= 1 && x.col >= 1 && x.message.length > 0);
		}),
		{ numRuns: 500 },
	);
});

const RULE = '- rule: r\n  desc: d\n  condition: evt.type = execve\n  output: o\n  priority: info\n';

test('rules files and directories others can write are refused: one line each, path, what is wrong, the fix', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	const d = join(dir, 'rules.d');
	mkdirSync(d);
	const a = join(d, 'a.yaml');
	const b = join(d, 'b.yaml');
	writeFileSync(a, RULE);
	writeFileSync(b, RULE.replace('rule: r', 'rule: s'));
	chmodSync(d, 0o755);
	chmodSync(a, 0o666);
	chmodSync(b, 0o664);
	chownSync(b, 0, 4242);
	const named = file('named.yaml', RULE.replace('rule: r', 'rule: t'));
	chownSync(named, 4242, 0);
	assert.deepEqual(validateRules([d, named]).map(formatProblem), [
		`${a}:1:1: error: refuse rules: writable by others (mode 0666); fix: chmod go-w ${a}`,
		`${b}:1:1: error: refuse rules: writable by group 4242 (mode 0664); fix: chmod go-w ${b}`,
		`${named}:1:1: error: refuse rules: owned by uid 4242, not root or the invoking user; fix: chown root ${named}`,
	]);
	assert.throws(() => loadRules([d]), (e: unknown) => e instanceof RulesError && /refuse rules/.test(e.message));
	chmodSync(a, 0o644);
	chownSync(b, 0, 0);
	chownSync(named, 0, 0);
	chmodSync(d, 0o775);
	chownSync(d, 0, 4242);
	assert.deepEqual(validateRules([d]).map(formatProblem), [`${d}:1:1: error: refuse rules: directory ${d} is writable by group 4242 (mode 0775); fix: chmod go-w ${d}`]);
	chownSync(d, 0, 0);
	assert.deepEqual(validateRules([d, named]).map(formatProblem), [], 'group-writable by root\'s group is fine');
});

test('a rules symlink is resolved and its target checked', () => {
	const target = file('target.yaml', RULE);
	chmodSync(target, 0o666);
	const link = join(dir, 'link.yaml');
	symlinkSync(target, link);
	assert.deepEqual(validateRules([link]).map(formatProblem), [`${link}:1:1: error: refuse rules: ${target} is writable by others (mode 0666); fix: chmod go-w ${target}`]);
	chmodSync(target, 0o644);
	assert.deepEqual(validateRules([link]).map(formatProblem), []);
});

test('aggregate: false, a map of window/values/cap/min_distinct, or an error at its position; values fields are read into the alert', () => {
	const rule = (name: string, agg: string[]) => [`- rule: ${name}`, '  desc: d', '  condition: evt.type = connect', '  output: o', '  priority: info', '  aggregate:', ...agg.map((l) => `    ${l}`)];
	const ok = file('agg-ok.yaml', [...rule('scan', ['window: 60', 'values: [fd.dport, fd.dip]', 'cap: 8', 'min_distinct: 20']), '- rule: off', '  desc: d', '  condition: evt.type = connect', '  output: o', '  priority: info', '  aggregate: false'].join('\n'));
	const { ruleset } = loadRules([ok]);
	const scan = ruleset.all.find((r) => r.name === 'scan')!;
	assert.deepEqual(scan.aggregate, { windowMs: 60_000, values: ['fd.dport', 'fd.dip'], cap: 8, minDistinct: 20 });
	assert.ok(scan.fields.includes('fd.dport') && scan.fields.includes('fd.dip'));
	assert.equal(ruleset.all.find((r) => r.name === 'off')!.aggregate, false);
	const bad = file('agg-bad.yaml', [...rule('a', ['min_distinct: 5']), ...rule('b', ['window: -1']), ...rule('c', ['every: 3']), ...rule('d', ['values: [fd.nope]'])].join('\n'));
	assert.deepEqual(validateRules([bad]).map(formatProblem), [
		`${bad}:7:5: error: rule a: aggregate: min_distinct counts distinct values of the values fields: name them`,
		`${bad}:14:13: error: rule b: aggregate: window must be an integer from 1 to 86400`,
		`${bad}:21:5: error: rule c: aggregate: unknown key 'every' (window, values, cap, min_distinct)`,
		`${bad}:22:3: error: rule d: aggregate: unknown field fd.nope`,
	]);
});
