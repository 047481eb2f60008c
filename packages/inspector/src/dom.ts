/** A few DOM helpers: elements are built with properties, never from HTML strings. */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') el.className = String(value);
    else if (name === 'text') el.textContent = String(value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

export function clear(el: Node, ...children: Child[]): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, ...children);
}

let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled text field (input or textarea) with an optional hint, wired with aria-describedby. */
export function field(
  label: string,
  options: { id: string; multiline?: boolean; rows?: number; placeholder?: string; hint?: string; value?: string; secret?: boolean; width?: 'narrow' | 'wide' },
): { wrap: HTMLElement; input: HTMLInputElement | HTMLTextAreaElement } {
  const hintId = options.hint === undefined ? undefined : `${options.id}-hint`;
  const common = {
    id: options.id,
    name: options.id,
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    placeholder: options.placeholder,
    'aria-describedby': hintId,
    class: options.width,
  };
  const input = options.multiline === true ? h('textarea', { ...common, rows: String(options.rows ?? 3) }) : h('input', { ...common, type: 'text' });
  if (options.secret === true) input.setAttribute('data-secret', '');
  if (options.value !== undefined) input.value = options.value;
  const wrap = h('div', { class: 'field' }, h('label', { for: options.id, text: label }), input, hintId === undefined ? null : h('p', { class: 'hint', id: hintId, text: options.hint! }));
  return { wrap, input };
}

export function select(label: string, id: string, choices: readonly (readonly [string, string])[], value?: string): { wrap: HTMLElement; input: HTMLSelectElement } {
  const input = h('select', { id, name: id });
  for (const [v, text] of choices) input.appendChild(h('option', { value: v, text }));
  if (value !== undefined) input.value = value;
  return { wrap: h('div', { class: 'field' }, h('label', { for: id, text: label }), input), input };
}

/** A definition list from label/value pairs; values may be nodes. */
export function facts(rows: readonly (readonly [string, Child])[], attrs: Attrs = {}): HTMLDListElement {
  const dl = h('dl', { class: 'facts', ...attrs });
  for (const [k, v] of rows) append(dl, h('dt', { text: k }), h('dd', {}, v));
  return dl;
}

/** Text of an error that is safe to show: engine errors never carry key material (DESIGN.md). */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : 'unexpected error';
}
