// `pnpm demo`: the seed scenario through the real AWS SDK against the in-process emulator.
// Create an AES-256 KEK and a TDES CVK, export the CVK under the KEK as a TR-31 key block,
// parse its header, import it back, compare KCVs, and schedule both keys for deletion in 3
// days. Clear keys are never printed; any failed check exits non-zero.
// (The scenario is in packages/emulator/scripts/seed-demo.ts, next to the SDK dependency.)
import { runSeedDemo } from '../packages/emulator/scripts/seed-demo.js';

const failed = await runSeedDemo();
if (failed > 0) process.exit(1);
