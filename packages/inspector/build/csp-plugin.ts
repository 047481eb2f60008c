import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';

/**
 * Fills the `__CSP__` placeholder of index.html's Content-Security-Policy meta tag once every
 * script and stylesheet is inline: each inline <script> and <style> is allowed by its SHA-256,
 * nothing else is (no network: connect-src 'none'; no fonts, frames, workers, forms).
 * Written by hand: the hashes must be taken over the final inlined text, after the bundler.
 */
export function policyFor(html: string): string {
  const hashes = (tag: 'script' | 'style'): string[] => {
    const out: string[] = [];
    const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
    for (const m of html.matchAll(re)) {
      const text = m[1] ?? '';
      if (text.length > 0) out.push(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    }
    return out;
  };
  const scripts = hashes('script');
  const styles = hashes('style');
  return [
    "default-src 'none'",
    `script-src ${scripts.length > 0 ? scripts.join(' ') : "'none'"}`,
    `style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}`,
    'img-src data:',
    "connect-src 'none'",
    "font-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "media-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function contentSecurityPolicy(): Plugin {
  return {
    name: 'paycrypt-inspector-csp',
    apply: 'build',
    enforce: 'post',
    // after vite-plugin-singlefile's own post-ordered generateBundle (plugins run in list order)
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const html = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        if (!html.includes('__CSP__')) this.error('index.html has no __CSP__ placeholder');
        if (/<script[^>]+src=|<link[^>]+rel="?stylesheet/.test(html)) this.error('index.html still loads an external script or stylesheet');
        file.source = html.replace('__CSP__', policyFor(html));
      }
      },
    },
  };
}
