import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../rules/load.js';
import { broadBlockWarnings } from './safety.js';

test('rules validate warns of kill rules matching every exec or a protected program, not of narrow ones', () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-safety-'));
	try {
		const f = join(dir, 'r.yaml');
		const rule = (name: string, cond: string, action = 'kill') => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: critical\n  action: ${action}\n`;
		writeFileSync(f, rule('all', 'evt.type = execve') + rule('sbin', 'evt.type = execve and proc.exepath startswith /usr/sbin/') + rule('tmp', 'evt.type = execve and proc.exepath startswith /tmp/') + rule('alerting', 'evt.type = execve', 'alert'));
		const w = broadBlockWarnings(loadRules([f]).ruleset);
		assert.deepEqual(w.map((p) => [p.line, p.severity]), [[1, 'warning'], [7, 'warning']]);
		assert.match(w[0].message, /^rule all: action kill matches every exec/);
		assert.match(w[1].message, /^rule sbin: .*\/usr\/sbin\/sshd/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
