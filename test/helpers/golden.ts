/** @module test/helpers/golden: compare a value with a committed JSON golden file; BPFGUARD_UPDATE_GOLDEN=1 rewrites the file (on purpose only). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** JSON text of a value as golden files store it: tabs, bigints as "123n", a final newline. */
export function goldenJson(value: unknown): string {
	return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), '\t')}\n`;
}

/** Deep-equal to the golden file at path (written first when BPFGUARD_UPDATE_GOLDEN=1). */
export function assertGolden(path: string, value: unknown): void {
	const text = goldenJson(value);
	if (process.env.BPFGUARD_UPDATE_GOLDEN === '1') writeFileSync(path, text);
	assert.ok(existsSync(path), `${path} missing: write it with BPFGUARD_UPDATE_GOLDEN=1 and review it`);
	assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(path, 'utf8')), `differs from ${path} (BPFGUARD_UPDATE_GOLDEN=1 rewrites it, on purpose only)`);
}
