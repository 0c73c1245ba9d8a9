/** @module cli/commands/fields.test: docs/fields.md is generated from the field registry and must be current. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fieldsMarkdown } from './fields.js';
import { repoPath } from '../../util/paths.js';

test('docs/fields.md matches the registry (regenerate: bpfguard fields --markdown > docs/fields.md)', () => {
	assert.equal(readFileSync(repoPath('docs/fields.md'), 'utf8'), fieldsMarkdown());
});
