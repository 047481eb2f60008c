// Minimal benchmark helpers for `pnpm bench`. Each package may have bench/index.ts exporting
// `run(): Promise<BenchRow[]>`; scripts/bench.ts runs them all and prints one table.
// Rule: check the result of the operation before timing it.
function timeLoop(fn, ms) {
    let batch = 1;
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
        for (let i = 0; i < batch; i++)
            fn();
        ops += batch;
        now = performance.now();
        if (batch < 1 << 16)
            batch *= 2;
    }
    return (ops * 1000) / (now - start);
}
export function bench(group, name, fn, opts = {}) {
    const ms = opts.ms ?? 1000;
    timeLoop(fn, ms / 4);
    const opsPerSec = timeLoop(fn, ms);
    return { group, name, opsPerSec, ...(opts.target ? { target: opts.target } : {}) };
}
export async function benchAsync(group, name, fn, opts = {}) {
    const ms = opts.ms ?? 1000;
    const conc = opts.concurrency ?? 1;
    const loop = async (limit) => {
        let ops = 0;
        const start = performance.now();
        const worker = async () => {
            while (performance.now() - start < limit) {
                await fn();
                ops++;
            }
        };
        await Promise.all(Array.from({ length: conc }, worker));
        return (ops * 1000) / (performance.now() - start);
    };
    await loop(ms / 4);
    const opsPerSec = await loop(ms);
    return { group, name, opsPerSec, ...(opts.target ? { target: opts.target } : {}) };
}
export function formatOps(n) {
    return Math.round(n).toLocaleString('en-US');
}
//# sourceMappingURL=bench-lib.js.map