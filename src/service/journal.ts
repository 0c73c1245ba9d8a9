/** @module service/journal: stderr lines with sd-daemon(3) level prefixes ("<4>…") when journald reads stderr (JOURNAL_STREAM set). */

/** syslog levels journald understands in a "<N>" line prefix. */
export const LEVELS = { err: 3, warning: 4, notice: 5, info: 6 } as const;
export type Level = keyof typeof LEVELS;

/** Format msg (possibly several lines) for stderr: every line prefixed with its level under journald, unchanged otherwise. */
export function journalLines(level: Level, msg: string, journal = !!process.env.JOURNAL_STREAM): string {
	const lines = msg.replace(/\n$/, '').split('\n');
	return `${lines.map((l) => (journal ? `<${LEVELS[level]}>${l}` : l)).join('\n')}\n`;
}
