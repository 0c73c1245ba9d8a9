/** @module rules/errors: positioned rule errors, collected rather than thrown one by one. */

/** A position in a rules file (1-based line and column). */
export interface Pos {
	line: number;
	col: number;
	/** The file, when the text came from one (appended conditions span files). */
	file?: string;
}

/** One problem in a rule file, with where it is. */
export interface RuleProblem {
	file: string;
	line: number;
	col: number;
	message: string;
	/** error: the item is rejected; warning: accepted. */
	severity: 'error' | 'warning';
}

/** Thrown by the condition parser and compiler: message plus position inside the condition text. */
export class ConditionError extends Error {
	readonly code = 'ECONDITION';
	constructor(
		message: string,
		readonly pos: Pos,
	) {
		super(message);
		this.name = 'ConditionError';
	}
}

/** A condition or output names a field bpfguard does not have (Falco files skip such rules). */
export class UnknownFieldError extends ConditionError {
	constructor(
		readonly field: string,
		message: string,
		pos: Pos,
	) {
		super(message, pos);
		this.name = 'UnknownFieldError';
	}
}

/** Thrown when a rules file set has errors: every problem, each with file:line:col. */
export class RulesError extends Error {
	readonly code = 'ERULES';
	constructor(readonly problems: RuleProblem[]) {
		super(problems.filter((p) => p.severity === 'error').map(formatProblem).join('\n'));
		this.name = 'RulesError';
	}
}

/** "file:line:col: error: message" */
export function formatProblem(p: RuleProblem): string {
	return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
}
