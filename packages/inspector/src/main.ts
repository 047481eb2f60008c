import './style.css';
import { calculatorsView } from './calculators.js';
import { tr31View } from './tr31-view.js';
import { tr34View } from './tr34-view.js';

/** Tabs (WAI-ARIA tabs pattern: arrow keys, Home/End move between tabs) and the views. */
const views: Record<string, (root: HTMLElement) => void> = {
  'view-tr31': tr31View,
  'view-tr34': tr34View,
  'view-calc': calculatorsView,
};

function setUpTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (tab: HTMLButtonElement, focus: boolean): void => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute('aria-controls')!)!;
      panel.hidden = !on;
    }
    if (focus) tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (e) => {
      const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : undefined;
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length]!, true);
    });
  });
}

for (const [id, view] of Object.entries(views)) {
  const root = document.getElementById(id);
  if (root !== null) view(root);
}
setUpTabs();
document.documentElement.dataset['ready'] = 'true';
