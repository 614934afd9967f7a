import { resolve } from 'node:path';

/** The root of the obskit that is running (this file is src/cli/root.ts). */
export const OBSKIT_ROOT = resolve(__dirname, '..', '..');
