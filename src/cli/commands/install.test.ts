/** @module cli/commands/install.test: `bpfguard install` / `uninstall` under --root, and their one-line errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOneLineError, bpfguard } from '../../../test/helpers/cli.js';
import { repoPath } from '../../util/paths.js';

test('install --root lays out the service there and names each step; uninstall keeps data, --purge removes it', () => {
	const root = mkdtempSync(join(tmpdir(), 'bg-install-cli-'));
	try {
		const r = bpfguard(['install', '--root', root]);
		assert.equal(r.status, 0, r.stderr);
		assert.equal(r.stderr, '');
		assert.match(r.stdout, new RegExp(`^install: wrote ${root}/etc/systemd/system/bpfguard\\.service$`, 'm'));
		assert.match(r.stdout, /^install: start it with: systemctl enable --now bpfguard\.service$/m);
		assert.doesNotMatch(r.stdout, /systemctl daemon-reload/, 'no systemctl under --root');
		const unit = readFileSync(join(root, 'etc/systemd/system/bpfguard.service'), 'utf8');
		assert.ok(unit.includes(`ExecStart=${process.execPath} ${repoPath('bin/bpfguard')} monitor --config /etc/bpfguard/bpfguard.yaml`), unit);
		const u = bpfguard(['uninstall', '--root', root]);
		assert.equal(u.status, 0, u.stderr);
		assert.match(u.stdout, /^uninstall: kept .*\/etc\/bpfguard \(--purge removes it\)$/m);
		assert.ok(existsSync(join(root, 'var/lib/bpfguard')));
		assert.equal(bpfguard(['uninstall', '--root', root, '--purge']).status, 0);
		assert.equal(existsSync(join(root, 'etc/bpfguard')), false);
	} finally {
		rmSync(root, { recursive: true, force: true });
	}
});

test('bad --root: one line, exit 2', () => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-install-cli-'));
	try {
		assertOneLineError(bpfguard(['install', '--root', 'relative/dir']), 2, /^bpfguard: install: --root must be an absolute path, got 'relative\/dir'$/);
		writeFileSync(join(dir, 'file'), '');
		assertOneLineError(bpfguard(['uninstall', '--root', join(dir, 'file')]), 2, /^bpfguard: uninstall: --root .*\/file: not a directory$/);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
