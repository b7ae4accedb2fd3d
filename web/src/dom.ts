import { known } from './i18n';

/** A tiny element builder: h('button', { class: 'x', onclick }, 'Lưu'). Text that is a dictionary entry is translated. */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

const TRANSLATED_PROPS = new Set(['placeholder', 'title', 'aria-label', 'data-label']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'class') element.className = String(value);
    else if (TRANSLATED_PROPS.has(key) && typeof value === 'string') element.setAttribute(key, known(value));
    else if (key in element && !key.includes('-') && key !== 'list') (element as unknown as Record<string, unknown>)[key] = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(typeof child === 'string' ? known(child) : String(child)));
  }
}

export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let fieldCounter = 0;
/** A labelled field: every input has a visible label bound by id. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  if (!control.id) control.id = `f${++fieldCounter}`;
  return h('div', { class: 'field' }, h('label', { htmlFor: control.id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

export function option(value: string, label: string, selected = false): HTMLOptionElement {
  return h('option', { value, selected }, label);
}

/**
 * A message box people notice: role=alert for errors, status for the rest. It stays until its "Đóng" is pressed or
 * the screen replaces it; `dismissible: false` for a line that states how things are rather than what just happened.
 */
export function notice(kind: 'error' | 'ok' | 'info', text: string, options: { dismissible?: boolean } = {}): HTMLElement {
  const box = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', { class: 'notice-text' }, known(text)));
  if (options.dismissible ?? true) {
    box.append(h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Đóng thông báo', onclick: () => box.remove() }, '×'));
  }
  return box;
}
