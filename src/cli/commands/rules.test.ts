/** @module cli/commands/rules.test: `rules list --falco-compat` and `rules validate` on a Falco file (kernel-free). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bpfguard } from '../../../test/helpers/cli.js';

const FALCO = 'test/fixtures/falco/falco_rules.yaml';

test('rules list --falco-compat prints which rules run, which are skipped and why, with positions', () => {
	const r = bpfguard(['rules', 'list', '--no-default-rules', '-r', FALCO, '--falco-compat']);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(
		r.stdout,
		[
			'STATUS    RULE / REASON',
			'run       FC shell spawned',
			'run       FC open of a test file',
			'run       FC enter events',
			'run       FC tightened',
			`disabled  FC disabled: enabled: false (or below the minimum priority) (${FALCO}:90)`,
			`skipped   FC k8s exec: source k8s_audit (bpfguard feeds syscall events only) (${FALCO}:99:3)`,
			`skipped   FC unsupported field: field proc.vpgid is not available in bpfguard (${FALCO}:108:34)`,
			`skipped   FC unsupported output field: field evt.cpu is not available in bpfguard (${FALCO}:116:26)`,
			'4 run, 3 skipped, 1 disabled',
			'',
		].join('\n'),
	);
	const j = bpfguard(['rules', 'list', '--no-default-rules', '-r', FALCO, '--falco-compat', '--json']);
	const rows = JSON.parse(j.stdout) as { rule: string; status: string }[];
	assert.deepEqual(rows.filter((x) => x.status === 'skipped').map((x) => x.rule), ['FC k8s exec', 'FC unsupported field', 'FC unsupported output field']);
});

test('rules validate accepts a Falco file (exit 0) and prints each skipped rule as a warning line', () => {
	const r = bpfguard(['rules', 'validate', FALCO]);
	assert.equal(r.status, 0, r.stderr);
	assert.equal(r.stdout, `${FALCO}: ok (3 warning(s))\n`);
	assert.equal(r.stderr.split('\n').filter((l) => / warning: rule .*: skipped: /.test(l)).length, 3, r.stderr);
});
