/** @module monitor/sensors-for.test: which sensors and network record kinds a rule set needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netKindsFor, sensorsFor } from './sensors-for.js';
import { loadRules } from '../rules/load.js';
import { netSkipMask } from '../sensors/net.js';
import { repoPath } from '../util/paths.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function rulesOf(yaml: string) {
	const dir = mkdtempSync(join(tmpdir(), 'bg-sf-'));
	try {
		writeFileSync(join(dir, 'r.yaml'), yaml);
		return loadRules([join(dir, 'r.yaml')]).ruleset;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const rule = (name: string, cond: string) => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: warning\n`;

test('default rules: every sensor, and of the network records only connects', () => {
	const { ruleset } = loadRules([repoPath('rules')]);
	assert.deepEqual(sensorsFor(ruleset).map((s) => s.name).sort(), ['file', 'net', 'priv', 'process']);
	assert.deepEqual(netKindsFor(ruleset), ['net_connect']);
});

test('netKindsFor follows evt.type; a rule on any type needs every kind', () => {
	assert.deepEqual(netKindsFor(rulesOf(rule('a', 'evt.type in (accept, connect_result) and fd.sport = 22')))?.sort(), ['net_accept', 'net_outcome']);
	assert.deepEqual(netKindsFor(rulesOf(rule('e', 'evt.type = execve'))), []);
	assert.equal(netKindsFor(rulesOf(rule('any', 'fd.dport = 4444'))), undefined);
});

test('netSkipMask: a bit per kind not wanted, none without a list', () => {
	assert.equal(netSkipMask(undefined).readUInt32LE(0), 0);
	assert.equal(netSkipMask(['net_connect']).readUInt32LE(0), 0b1111110);
	assert.equal(netSkipMask(['net_connect', 'net_accept', 'net_outcome', 'net_close', 'net_listen', 'net_bind', 'net_send']).readUInt32LE(0), 0);
});
