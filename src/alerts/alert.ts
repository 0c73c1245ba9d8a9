/** @module alerts/alert: what a rule match produces and every sink consumes. */

/** Rule priorities, most severe first (Falco's names). */
export const PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What a rule does on a match: alert everyone, log to the audit sinks, or block (kill the process, deny the call, cut the process tree off the network). */
export const RULE_ACTIONS = ['alert', 'log', 'kill', 'deny', 'quarantine'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** What a block (or would-block) record says. */
export interface Block {
	action: 'kill' | 'deny' | 'quarantine';
	mode: 'audit' | 'enforce';
	/** kernel: at the hook, by the BPF program; reactive: from user space, after the act. */
	how: 'kernel' | 'reactive';
	/**
	 * killed / denied / quarantined: it took effect; would-block: audit mode; protected: the target is never hit;
	 * budget: the rule's kill budget is spent (audit until the minute is over); gone: the process had
	 * exited; reused: its pid belongs to another process now (not signalled); failed: the signal failed.
	 */
	outcome: 'killed' | 'denied' | 'quarantined' | 'would-block' | 'protected' | 'budget' | 'gone' | 'reused' | 'failed';
	/** quarantine: its id (`bpfguard release ID`). */
	quarantine?: string;
	effective: boolean;
	pid: number;
	/** Reactive: ms from the event to the signal. */
	delayMs?: number;
}

/** A field value carried by an alert. */
export type FieldValue = string | number | boolean | null | string[];

/** What a folded alert carries besides its count: the distinct values its matches had. */
export interface AlertAggregate {
	/** The window's closing summary (false: the alert sent when a shape rule's threshold was reached). */
	summary: boolean;
	window_s: number;
	/** Id of the alert that opened the window (for a shape rule: the first match, never sent alone). */
	first: string;
	/** Values carried per field, at most this many. */
	cap: number;
	/** Distinct values seen per field in the window so far, the first `cap` of them. */
	values: Record<string, FieldValue[]>;
	/** How many distinct values each field took in the window (a lower bound for the fields in saturated). */
	distinct: Record<string, number>;
	saturated: string[];
}

/** One rule match (or a throttled group of them), ready for sinks. */
export interface Alert {
	/** Stable unique id: receivers drop repeats by it (delivery is at least once). */
	id: string;
	/** Event time, ISO 8601 with ms. */
	time: string;
	/** Event time in ms since the epoch. */
	timeMs: number;
	rule: string;
	priority: Priority;
	tags: string[];
	/** Rendered output template (raw event data: human sinks must escape it). */
	output: string;
	/** Every field the rule's condition and output use, by Falco-style name. */
	fields: Record<string, FieldValue>;
	/** alert: to everyone; log: to the audit log sinks only. */
	action: 'alert' | 'log';
	/** Set when the rule blocks (kill, deny): what was done, or would have been (audit). */
	block?: Block;
	/** Occurrences this alert stands for (throttling, aggregation); 1 for a single match. */
	count: number;
	/** Set when the alert folds several matches of one rule by one process (alerts/aggregate). */
	agg?: AlertAggregate;
	source: string;
	hostname: string;
}
