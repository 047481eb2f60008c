export interface BenchRow {
    /** Package or area, e.g. "keyblock". */
    group: string;
    /** What was measured, e.g. "TR-31 D unwrap, AES-256 KBPK reused". */
    name: string;
    opsPerSec: number;
    /** Optional target, e.g. ">= 150,000". */
    target?: string;
}
export interface BenchOptions {
    /** Measuring time in ms (default 1000), after a warm-up of a quarter of it. */
    ms?: number;
}
export declare function bench(group: string, name: string, fn: () => unknown, opts?: BenchOptions & {
    target?: string;
}): BenchRow;
export declare function benchAsync(group: string, name: string, fn: () => Promise<unknown>, opts?: BenchOptions & {
    target?: string;
    concurrency?: number;
}): Promise<BenchRow>;
export declare function formatOps(n: number): string;
