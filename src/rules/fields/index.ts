/** @module rules/fields/index: loads every field module (one line each) and re-exports the registry. */
import './evt.js';
import './evt-args.js';
import './proc.js';
import './proc-exec.js';
import './user.js';
import './container.js';
import './container-meta.js';
import './fd.js';
import './priv.js';
import './net.js';
import './seccomp.js';
import './kernel.js';
import './audit.js';
import './inject.js';
import './bpfguard.js';

export { allFields, fieldValues, lookupField, lookupFieldRef, type FieldDef, type FieldType } from './registry.js';
