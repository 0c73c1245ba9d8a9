/** @module cli/errors: errors the CLI reports as one line and a non-zero exit. */

/** An error meant for the user: one line, an exit code, no stack trace. */
export class CliError extends Error {
	constructor(
		message: string,
		readonly code: string,
		readonly exitCode = 1,
	) {
		super(message);
		this.name = 'CliError';
	}
}

/** One line for any error; libbpf errors keep their op and errno name. */
export function describeError(e: unknown): string {
	if (e instanceof CliError) return e.message;
	if (e instanceof Error) {
		const x = e as Error & { code?: string; op?: string; log?: string };
		if (x.op && x.code) {
			const hint = x.code === 'EPERM' ? ' (needs root: CAP_BPF and CAP_PERFMON)' : '';
			return `${x.message}${hint}`;
		}
		return x.message;
	}
	return String(e);
}
