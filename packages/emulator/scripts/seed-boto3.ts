// The boto3 half of `pnpm demo` (scripts/demo.ts): start the emulator's HTTP server, run
// seed-scenario.py (plain boto3, both planes) against it, print the CVV2 before and after the
// export/import round trip. Skipped with a warning when python3 with boto3 is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Emulator } from '../src/index.js';
import { startHttpServer } from '../src/transport/http-server.js';

const SCRIPT = fileURLToPath(new URL('./seed-scenario.py', import.meta.url));

function run(endpoint: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT, endpoint], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`seed-scenario.py exited ${code}: ${err.trim().split('\n').pop()}`))));
  });
}

/** Answers the number of failed checks (0 when all passed or when boto3 is absent). */
export async function runBoto3SeedScenario(): Promise<number> {
  console.log('\n== The same scenario with boto3 over HTTP (a client that is not ours) ==');
  const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.warn('WARNING: python3 with boto3 is not installed: the boto3 part of the demo is skipped');
    return 0;
  }
  const emulator = Emulator.inMemory();
  const server = await startHttpServer(emulator);
  try {
    const r = JSON.parse(await run(server.endpoint)) as Record<string, string>;
    console.log(`   emulator at ${server.endpoint}; boto3 ${spawnSync('python3', ['-c', 'import boto3; print(boto3.__version__)'], { encoding: 'utf8' }).stdout.trim()}`);
    console.log(`   CVK ${r.cvkArn} KCV ${r.cvkKcv}`);
    console.log(`   CVV2 for PAN ${r.pan}, expiry ${r.expiry}: ${r.cvv2}`);
    console.log(`   exported as TR-31 ${r.exportedBlock!.slice(0, 16)}… (KCV ${r.exportedKcv}), imported as ${r.importedArn} (KCV ${r.importedKcv})`);
    console.log(`   CVV2 with the imported key: ${r.cvv2Imported}`);
    const ok = r.cvv2 === r.cvv2Imported && r.cvkKcv === r.importedKcv;
    console.log(`   ${ok ? 'ok  ' : 'FAIL'} the CVV2 before and after the round trip are equal, and so are the KCVs`);
    return ok ? 0 : 1;
  } catch (e) {
    console.error(`   FAIL ${(e as Error).message}`);
    return 1;
  } finally {
    await server.close();
    await emulator.close();
  }
}
