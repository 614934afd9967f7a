import { TOOL_PINS, type PinnedTool } from './pins';
import { versionMismatch } from './tool-version';

/** `tsx tools/verify-tool.ts <tool> <path>`: exits 1 with a clear message unless the binary is the pinned release. */
const [name, path] = process.argv.slice(2);
if (!name || !path || !(name in TOOL_PINS)) {
  console.error(`usage: verify-tool.ts <${Object.keys(TOOL_PINS).join('|')}> <path>`);
  process.exit(2);
}
const pin = TOOL_PINS[name as PinnedTool];
const problem = versionMismatch(path, pin.release, pin.module);
if (problem) {
  console.error(`tools/install.sh: ${name}: ${problem}. The build did not produce the pinned release; nothing was linked.`);
  process.exit(1);
}
console.log(`  ${name} ${pin.release} verified`);
