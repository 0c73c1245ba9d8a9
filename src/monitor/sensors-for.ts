/** @module monitor/sensors-for: which sensors a rule set needs (from the evt.type values its rules can match). */
import { SENSORS } from '../sensors/registry.js';
import type { Sensor } from '../sensors/sensor.js';
import { EVT_TYPES } from '../rules/event-view.js';
import type { RuleSet } from '../rules/ruleset.js';

/** The process sensor always (it feeds the process table), plus every sensor producing a needed type. */
export function sensorsFor(rules: RuleSet | Set<string> | 'any'): Sensor[] {
	const types = rules instanceof Set || rules === 'any' ? rules : rules.neededTypes();
	return SENSORS.filter((s) => {
		if (s.name === 'process' || types === 'any') return true;
		return [...types].some((t) => s.kinds.includes(EVT_TYPES[t] as never));
	});
}
