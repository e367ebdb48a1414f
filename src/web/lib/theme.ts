export type Theme = 'light' | 'dark';
const KEY = 'jobforge.theme';

export function currentTheme(): Theme {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // no storage: fall back to the system preference
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applied from the module script (no inline script: the CSP forbids it). */
export function applyTheme(theme: Theme, save = false): void {
  document.documentElement.classList.toggle('dark', theme === 'dark');
  if (save) {
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // the choice lasts for this page only
    }
  }
}
