/** @module rules/pushdown/file.test: the file pushdown analysis (watch entries, modes, report-all syscalls) on rule text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRulesText } from '../items.js';
import { mergeItems, loadRules } from '../load.js';
import { buildRuleSet, type RuleSet } from '../ruleset.js';
import { filePushdown, type FilePushdown } from './file.js';
import type { RuleProblem } from '../errors.js';
import { inheritModes } from '../../sensors/file-watch.js';
import { FILE_SYSCALLS } from '../../events/table.js';
import { repoPath } from '../../util/paths.js';

const HEAD = `
- list: secrets
  items: [/etc/shadow, /etc/gshadow]
- list: bin_dirs
  items: [/usr/bin, /bin]
- macro: open_read
  condition: evt.type in (open, openat) and evt.is_open_read = true
- macro: open_write
  condition: evt.type in (open, openat) and evt.is_open_write = true
`;

function rules(body: string): RuleSet {
	const problems: RuleProblem[] = [];
	const rs = buildRuleSet(mergeItems(parseRulesText(HEAD + body, 't.yaml', problems), problems), problems, {});
	assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
	return rs;
}

function rule(name: string, condition: string): string {
	return `\n- rule: ${name}\n  condition: ${JSON.stringify(condition)}\n  output: x\n  priority: warning\n`;
}

const pd = (...rs: string[]): FilePushdown => filePushdown(rules(rs.join('')));
const paths = (p: FilePushdown) => p.watch.paths.map((x) => `${x.exact ? '=' : '^'}${x.path}:${x.mode}`).sort();
const names = (p: FilePushdown) => p.watch.names.map((x) => `${x.where}:${x.name}:${x.mode}`).sort();

test('=, in (with a named list), startswith and pmatch of fd.name give exact and prefix entries', () => {
	const p = pd(rule('a', 'open_read and fd.name in (secrets)'), rule('b', 'open_write and fd.name pmatch (bin_dirs)'), rule('c', 'evt.type = openat and fd.name startswith /etc/ssh/ssh_host_'));
	assert.deepEqual(paths(p), ['=/bin:w', '=/etc/gshadow:r', '=/etc/shadow:r', '=/usr/bin:w', '^/bin/:w', '^/etc/ssh/ssh_host_:rw', '^/usr/bin/:w']);
	assert.deepEqual(p.allSyscalls, []);
	assert.equal(p.allFiles, false);
});

test('fd.directory and fd.filename, fd.name endswith /x and the rename target', () => {
	const p = pd(
		rule('d', 'evt.type = openat and fd.directory in (/etc/sudoers.d, /etc/cron.d/)'),
		rule('e', 'evt.type = unlink and fd.filename in (.bash_history, .zsh_history)'),
		rule('f', 'evt.type = openat and fd.name endswith /authorized_keys'),
		rule('g', 'evt.type = renameat2 and evt.arg.newpath = /etc/passwd'),
	);
	assert.deepEqual(paths(p), ['=/etc/passwd:w', '^/etc/cron.d/:rw', '^/etc/sudoers.d/:rw']);
	assert.deepEqual(names(p), ['base:.bash_history:w', 'base:.zsh_history:w', 'base:authorized_keys:rw']);
});

test('AND: one constrained child suffices; OR: all must be, union; NOT and other fields do not constrain', () => {
	const p = pd(rule('and', 'open_read and proc.name = cat and fd.name = /etc/a and not fd.name startswith /tmp'), rule('or', 'open_write and (fd.name = /etc/b or fd.filename = c)'));
	assert.deepEqual(paths(p), ['=/etc/a:r', '=/etc/b:w']);
	assert.deepEqual(names(p), ['base:c:w']);
	assert.deepEqual(p.unconstrained, []);
	const q = pd(rule('or', 'evt.type = openat and (fd.name = /etc/b or proc.name = x)'), rule('not', 'evt.type = unlink and not fd.name startswith /tmp'), rule('contains', 'evt.type = chmod and fd.name contains ssh'));
	assert.deepEqual(q.watch.paths, []);
	assert.deepEqual(q.unconstrained, ['or', 'not', 'contains']);
	assert.deepEqual(q.allSyscalls, ['openat', 'unlink', 'chmod']);
	assert.equal(q.allFiles, true, 'an open rule without a path constraint reports every open');
});

test('exceptions (and not ...) keep the constraint; OR branches that cannot match file events are ignored', () => {
	const p = pd(
		`\n- rule: x\n  condition: open_read and fd.name = /etc/shadow\n  output: x\n  priority: warning\n  exceptions:\n  - name: readers\n    fields: proc.name\n    values: [sshd]\n`,
		rule('mixed', '(evt.type = execve and proc.name = x) or (evt.type = openat and fd.name = /etc/y)'),
	);
	assert.deepEqual(paths(p), ['=/etc/shadow:r', '=/etc/y:rw']);
	assert.deepEqual(p.allSyscalls, []);
});

test('read/write modes: change syscalls and evt.is_open_write need writes only; the same path from two rules merges', () => {
	const p = pd(rule('r', 'open_read and fd.name = /etc/x'), rule('w', 'evt.type in (unlink, truncate) and fd.name = /etc/x'), rule('w2', 'evt.type = openat and evt.is_open_write = true and fd.name = /etc/z'));
	assert.deepEqual(paths(p), ['=/etc/x:rw', '=/etc/z:w']);
	const both = pd(rule('rw', '(open_read or open_write) and fd.name = /etc/q'));
	assert.deepEqual(paths(both), ['=/etc/q:rw']);
});

test('rules that cannot match file events, and disabled rules, add nothing; a rule without evt.type needs every file syscall', () => {
	assert.deepEqual(pd(rule('exec', 'evt.type = execve and proc.name = x'), `\n- rule: off\n  condition: evt.type = chmod\n  output: x\n  priority: warning\n  enabled: false\n`).allSyscalls, []);
	const any = pd(rule('any', 'proc.name = x'));
	assert.equal(any.allSyscalls.length, Object.keys(FILE_SYSCALLS).length);
	assert.equal(any.allFiles, true);
	assert.deepEqual(pd(rule('any', 'proc.name = x and fd.name = /etc/x')).allSyscalls, []);
});

test('relative paths, long names and endswith without a / are not kernel-decidable', () => {
	const p = pd(rule('rel', 'evt.type = openat and fd.name = etc/x'), rule('suffix', 'evt.type = openat and fd.name endswith _key'), rule('long', `evt.type = openat and fd.filename = ${'n'.repeat(70)}`));
	assert.deepEqual(p.unconstrained, ['rel', 'suffix', 'long']);
	assert.deepEqual(p.watch, { paths: [], names: [] });
});

test('a watched path inherits the modes of the prefixes covering it (the LPM trie answers the longest match)', () => {
	const got = inheritModes([{ path: '/etc/shadow', exact: true, mode: 'r' }, { path: '/etc/', mode: 'w' }, { path: '/var/', mode: 'r' }]);
	assert.deepEqual(got.map((p) => p.mode), ['rw', 'w', 'r']);
});

test('the default rules push down a watch set and report-all only for chmod (setid bits)', () => {
	const { ruleset } = loadRules([repoPath('rules')]);
	const p = filePushdown(ruleset);
	assert.equal(p.allFiles, false);
	assert.deepEqual(p.allSyscalls, ['chmod', 'fchmod', 'fchmodat', 'fchmodat2']);
	const has = (path: string, mode: string) => p.watch.paths.some((x) => x.path === path && x.mode === mode);
	assert.ok(has('/etc/shadow', 'rw'), JSON.stringify(p.watch.paths));
	assert.ok(has('/etc/', 'w'));
	assert.ok(has('/usr/bin/', 'w'));
	assert.ok(p.watch.names.some((n) => n.name === 'authorized_keys' && n.mode === 'w'));
});
