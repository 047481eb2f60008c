// `pnpm demo`: the seed scenario against the emulator.
// 1. In-process, through the real AWS SDK (control plane) and restJson1 data-plane calls: create an
//    AES-256 KEK and a TDES CVK, generate a CVV2, export the CVK under the KEK as a TR-31 key block,
//    parse its header, import it back, compare KCVs, generate the CVV2 again, schedule deletion.
// 2. Over HTTP with boto3 (python3), both planes, when boto3 is installed: the same scenario as a
//    payment team would script it (packages/emulator/scripts/seed-scenario.py).
// Clear keys are never printed; any failed check exits non-zero.
import { runSeedDemo } from '../packages/emulator/scripts/seed-demo.js';
import { runBoto3SeedScenario } from '../packages/emulator/scripts/seed-boto3.js';

let failed = await runSeedDemo();
failed += await runBoto3SeedScenario();
if (failed > 0) process.exit(1);
