/** @module cli/commands/report: `bpfguard report`, aureport-like summary of the audit store as text, Markdown, JSON or one HTML file. */
import { closeSync, constants, fchmodSync, openSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { CliCommand } from '../command.js';
import { CliError } from '../errors.js';
import { buildReport, type Report } from '../../report/report.js';
import { renderText } from '../../report/text.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderHtml } from '../../report/html.js';
import { missingReportIndexes } from '../../store/report-index.js';
import { escapeText } from '../../sinks/escape.js';
import { addFilterOptions, durationArg, intArg, openForCli, queryOf, type FilterFlags } from '../store-query.js';

/** Renderers by --format name. */
export const REPORT_FORMATS: Readonly<Record<string, (r: Report) => string>> = {
	text: renderText,
	markdown: renderMarkdown,
	json: (r) => `${JSON.stringify(r, null, 2)}\n`,
	html: renderHtml,
};

/** Writes text to path, created (or truncated) 0600, never through a symlink. */
export function writePrivate(path: string, text: string): void {
	let fd: number;
	try {
		fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
	} catch (e) {
		throw new CliError(`write report ${path}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', 1);
	}
	try {
		fchmodSync(fd, 0o600);
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}
}

/** `bpfguard report`. */
export const reportCommand: CliCommand = {
	name: 'report',
	register(program: Command) {
		addFilterOptions(program.command('report').description('summary of the audit store (aureport-like): counts by rule, priority, user, executable, host and over time'))
			.addOption(new Option('--format <FORMAT>', 'output format').choices(Object.keys(REPORT_FORMATS)).default('text'))
			.option('--out <FILE>', 'write to FILE (created 0600) instead of stdout')
			.option('--top <N>', 'rows per breakdown', intArg('top'), 10)
			.option('--bucket <DURATION>', 'time bucket (default: at most 48 buckets over the range)', durationArg('bucket'))
			.action((o: FilterFlags & { format: string; out?: string; top: number; bucket?: number }) => {
				const store = openForCli(o.db);
				let text: string;
				try {
					if (missingReportIndexes(store.db).length) process.stderr.write(`report: ${escapeText(o.db)} has no report indexes yet (the monitor's store sink adds them when it next opens the store): this report reads every record\n`);
					const { q, shown } = queryOf(o);
					text = REPORT_FORMATS[o.format](buildReport(store, q, { top: o.top, bucketMs: o.bucket, filter: shown }));
				} finally {
					store.close();
				}
				if (o.out) writePrivate(o.out, text);
				else process.stdout.write(text);
			});
	},
};
