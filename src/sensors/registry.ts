/** @module sensors/registry: every sensor, by name. */
import type { Sensor } from './sensor.js';
import { processSensor } from './process.js';
import { privSensor } from './priv.js';
import { fileSensor } from './file.js';
import { netSensor } from './net.js';
import { seccompSensor } from './seccomp.js';
import { kernelSensor } from './kernel.js';
import { injectSensor } from './inject.js';

/** All sensors this build knows. */
export const SENSORS: readonly Sensor[] = [processSensor, privSensor, fileSensor, netSensor, seccompSensor, kernelSensor, injectSensor];
