/** @module sinks/errors: errors raised while configuring or starting sinks (never from write()). */

/** A sink problem with a machine-readable code; messages are "verb object: cause". */
export class SinkError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly sink?: string,
	) {
		super(message);
		this.name = 'SinkError';
	}
}

/** The errno-style code of any thrown value ('ENOENT'), or 'EUNKNOWN'. */
export function errorCode(e: unknown): string {
	const c = (e as { code?: unknown } | null)?.code;
	return typeof c === 'string' ? c : 'EUNKNOWN';
}
