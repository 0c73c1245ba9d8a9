/** @module test/helpers/chromium: headless Chromium (Debian's package, no download) driven by playwright-core: skipped locally when missing, a failure under CI=true. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { repoPath } from '../../src/util/paths.js';

/** The browser the tests drive: Debian's chromium (scripts/setup.sh --test), or $BPFGUARD_CHROMIUM. */
export const CHROMIUM = process.env.BPFGUARD_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium; null (test skipped with the reason) when it is not installed, but throws under CI=true. */
export async function launchChromium(t: TestContext): Promise<Browser | null> {
	if (!existsSync(CHROMIUM)) {
		const why = `${CHROMIUM} not installed (scripts/setup.sh --test installs Debian's chromium)`;
		if (process.env.CI === 'true') throw new Error(`chromium required under CI=true: ${why}`);
		t.skip(why);
		return null;
	}
	const { chromium } = await import('playwright-core');
	return chromium.launch({ executablePath: CHROMIUM });
}

/** A directory (0700) for what a test leaves to look at, such as screenshots: $BPFGUARD_TEST_OUTPUT/NAME or test-output/NAME in the checkout (not committed). */
export function testOutputDir(name: string): string {
	const dir = join(process.env.BPFGUARD_TEST_OUTPUT ?? repoPath('test-output'), name);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	return dir;
}
