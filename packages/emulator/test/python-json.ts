import { spawn } from 'node:child_process';

/**
 * Runs a python3 script that reads one JSON value on stdin and prints one on stdout (boto3 as a
 * foreign client), asynchronously: the emulator under test may serve from this process.
 */
export function runPythonJson<T>(script: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`python3 failed (${code}): ${err.slice(-2000)}`))));
    child.stdin.end(JSON.stringify(input));
  });
}
