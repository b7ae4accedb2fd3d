import { t } from '../i18n';

export interface Bar {
  label: string;
  value: number;
  /** The value as shown beside the bar, e.g. "12,5 phút". */
  text: string;
}

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 44;
/** The longest bar takes this share of the width; the rest leaves room for its value. */
const SPAN = 78;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * A horizontal bar chart in plain SVG: the label above each bar, the value after it. Widths are percentages of the
 * drawing, so it fits a 360 px phone and a desktop without scaling its text. `max` fixes the scale (1 for ratios).
 */
export function barChart(title: string, bars: Bar[], options: { max?: number; tone?: string } = {}): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const caption = document.createElement('figcaption');
  caption.textContent = t(title);
  figure.append(caption);
  if (!bars.length) {
    const empty = document.createElement('p');
    empty.className = 'muted';
    empty.textContent = t('Không có số liệu trong kỳ này.');
    figure.append(empty);
    return figure;
  }
  const max = options.max ?? Math.max(...bars.map((bar) => bar.value), 1);
  const drawing = svg('svg', {
    width: '100%',
    height: bars.length * ROW,
    role: 'img',
    'aria-label': `${t(title)}: ${bars.map((bar) => `${bar.label} ${bar.text}`).join('; ')}`,
  });
  bars.forEach((bar, index) => {
    const y = index * ROW;
    const width = max > 0 ? (Math.max(bar.value, 0) / max) * SPAN : 0;
    const group = svg('g', {});
    group.append(
      svg('title', {}, `${bar.label}: ${bar.text}`),
      svg('text', { x: 0, y: y + 14, class: 'chart-label' }, bar.label),
      svg('rect', { x: 0, y: y + 20, height: 16, width: `${Math.max(width, 0.5)}%`, rx: 3, class: `chart-bar ${options.tone ?? ''}` }),
      svg('text', { x: `${width + 1.5}%`, y: y + 33, class: 'chart-value' }, bar.text),
    );
    drawing.append(group);
  });
  figure.append(drawing);
  return figure;
}
