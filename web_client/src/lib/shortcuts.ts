// The facilitator console's keyboard shortcuts (docs/web-client.md): which key does what, and
// when a key is not a shortcut (typing in a field, a modifier held, a dialog open). Pure.

export type ShortcutAction = 'next' | 'reveal' | 'close' | 'open' | 'goto' | 'preview' | 'up' | 'down' | 'help';

/** The keys, in the order the help dialog lists them. */
export const SHORTCUTS: readonly { keys: readonly string[]; action: ShortcutAction }[] = [
  { keys: ['N'], action: 'next' },
  { keys: ['R'], action: 'reveal' },
  { keys: ['C'], action: 'close' },
  { keys: ['↑', 'K'], action: 'up' },
  { keys: ['↓', 'J'], action: 'down' },
  { keys: ['P'], action: 'preview' },
  { keys: ['O'], action: 'open' },
  { keys: ['G'], action: 'goto' },
  { keys: ['?'], action: 'help' },
];

/** Whether the key press is someone typing (a text field, a list box, an editable element). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as (Element & { isContentEditable?: boolean }) | null;
  if (!el || typeof el.closest !== 'function') return false;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"]') !== null;
}

/** Whether an arrow key belongs to what has focus (a note moves with the arrow keys). */
function arrowsTaken(target: EventTarget | null): boolean {
  const el = target as Element | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.closest('.board-lanes, [role="listbox"], [role="slider"], [role="radiogroup"], dialog') !== null;
}

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target: EventTarget | null;
}

/** The console action of a key press, or null when the key is not a shortcut here. */
export function shortcutOf(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return null;
  switch (e.key) {
    case '?':
      return 'help';
    case 'n':
    case 'N':
      return 'next';
    case 'r':
    case 'R':
      return 'reveal';
    case 'c':
    case 'C':
      return 'close';
    case 'o':
    case 'O':
      return 'open';
    case 'g':
    case 'G':
      return 'goto';
    case 'p':
    case 'P':
      return 'preview';
    case 'k':
    case 'K':
      return 'up';
    case 'j':
    case 'J':
      return 'down';
    case 'ArrowUp':
      return arrowsTaken(e.target) ? null : 'up';
    case 'ArrowDown':
      return arrowsTaken(e.target) ? null : 'down';
    default:
      return null;
  }
}
