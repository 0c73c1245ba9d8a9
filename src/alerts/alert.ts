/** @module alerts/alert: what a rule match produces and every sink consumes. */

/** Rule priorities, most severe first (Falco's names). */
export const PRIORITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A field value carried by an alert. */
export type FieldValue = string | number | boolean | null | string[];

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
	/** Occurrences this alert stands for (throttling); 1 for a single match. */
	count: number;
	source: string;
	hostname: string;
}
