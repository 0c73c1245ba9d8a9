/** @module store/errors: errors of the audit store, each with a code the CLI turns into one line. */

/** Codes: ESTORENOENT (no database), ESTORECORRUPT (not SQLite or not ours), ESTORESCHEMA (newer schema), ESTOREPATH (unsafe path), EBADTIME (bad --since/--until). */
export class StoreError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'StoreError';
	}
}
