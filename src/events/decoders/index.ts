/** @module events/decoders/index: every record decoder by kind (one line per domain). */
import type { Decoder } from '../decode.js';
import { PROCESS_DECODERS } from './process.js';
import { PRIV_DECODERS } from './priv.js';
import { FILE_DECODERS } from './file.js';
import { NET_DECODERS } from './net.js';

/** Record kind → decoder. */
export const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([...PROCESS_DECODERS, ...PRIV_DECODERS, ...FILE_DECODERS, ...NET_DECODERS]);
