import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';

/** Shared set-up of the end-to-end tests: build the page once, drive Debian's Chromium. */

// Debian's chromium; INSPECTOR_CHROMIUM points elsewhere (or at nothing, to see the skip)
export const CHROMIUM = process.env['INSPECTOR_CHROMIUM'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`inspector e2e tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

export const outputDir = fileURLToPath(new URL('../test-output/', import.meta.url));
// each test file (vitest runs them in parallel workers) builds into its own folder
const outDir = mkdtempSync(join(tmpdir(), 'paycrypt-inspector-'));
export const distIndex = join(outDir, 'index.html');
export const pageUrl = pathToFileURL(distIndex).href;

let built: Promise<void> | undefined;
/** Builds the page with Vite's JS API and the package's own vite.config.ts (once per test file). */
export function buildPage(): Promise<void> {
  built ??= (async () => {
    const { build } = await import('vite');
    await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  })();
  return built;
}

export function builtSize(): { bytes: number; gzipBytes: number } {
  const html = readFileSync(distIndex);
  return { bytes: statSync(distIndex).size, gzipBytes: gzipSync(html, { level: 9 }).length };
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage {
  page: Page;
  /** Every request the page made, as URLs. */
  requests: string[];
  /** Console errors and CSP violations reported by the page. */
  problems: string[];
}

/** Opens the built page from its file:// URL and records every request it makes. */
export async function openPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 }, colorScheme });
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pageUrl);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, requests, problems };
}

/** The requests that went anywhere but the page's own file (data: URLs are not requests to anyone). */
export function foreignRequests(requests: readonly string[]): string[] {
  return requests.filter((u) => u !== pageUrl && !u.startsWith('data:'));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const path = `${outputDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface Tr31Vector {
  id: string;
  version: string;
  kbpk: string;
  key: string;
  keyBlock: string;
  kcv?: { legacyTdes?: string; aesCmac?: string };
  openemv?: { strict?: string };
}

export function loadVectors<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../../test-vectors/${name}`, import.meta.url)), 'utf8')) as T;
}
