/** Walks parsed JSON (or a parsed query string) with an explicit stack, so no input can overflow the call stack. */

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Whether objects and arrays nest more than `limit` levels deep (`{}` is one level, `{"a":[]}` two). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (!isContainer(current)) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) if (isContainer(child)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

export interface NamedText {
  /** Where the text sits, e.g. `targets.villageIds[0]`; for a key, the path the key makes. */
  field: string;
  text: string;
}

function childPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Every string in `value`, object keys included, each with the path that names it: an object's keys, then its values in order. */
export function* textsOf(value: unknown): Generator<NamedText> {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      yield { field: path, text: current };
      continue;
    }
    if (!isContainer(current)) continue;
    const inArray = Array.isArray(current);
    const children: Array<{ value: unknown; path: string }> = [];
    for (const [key, child] of Object.entries(current)) {
      const field = childPath(path, key, inArray);
      if (!inArray) yield { field, text: key };
      children.push({ value: child, path: field });
    }
    stack.push(...children.reverse());
  }
}
