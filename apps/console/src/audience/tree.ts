/**
 * The audience builder's editable condition tree and its conversion to and from the API's expression JSON
 * (`{and:[…]} | {or:[…]} | {not: …} | {tag, op, value}`, see packages/core/src/audience/expression.ts).
 */

export type LeafOp = 'eq' | 'ne' | 'in' | 'not_in' | 'lt' | 'lte' | 'gt' | 'gte' | 'between' | 'is_null' | 'not_null';
export type Scalar = string | number | boolean;

export interface LeafNode {
  kind: 'leaf';
  id: string;
  tag: string | undefined;
  op: LeafOp;
  value: Scalar | Scalar[] | undefined;
}

export interface GroupNode {
  kind: 'group';
  id: string;
  op: 'and' | 'or';
  /** Negates the whole group (`{not: …}`). */
  negated: boolean;
  children: Node[];
}

export type Node = LeafNode | GroupNode;

let counter = 0;
export const newId = (): string => `n${++counter}`;

export const emptyLeaf = (): LeafNode => ({ kind: 'leaf', id: newId(), tag: undefined, op: 'eq', value: undefined });
export const emptyGroup = (op: 'and' | 'or' = 'and'): GroupNode => ({
  kind: 'group',
  id: newId(),
  op,
  negated: false,
  children: [emptyLeaf()],
});

const listOps: LeafOp[] = ['in', 'not_in', 'between'];

/** Is the leaf complete enough to send (a tag, and a value when the operator needs one)? */
export function leafComplete(l: LeafNode): boolean {
  if (!l.tag) return false;
  if (l.op === 'is_null' || l.op === 'not_null') return true;
  if (listOps.includes(l.op)) {
    if (!Array.isArray(l.value) || l.value.length === 0) return false;
    if (l.op === 'between') return l.value.length === 2 && l.value.every((v) => v !== null && v !== '');
    return true;
  }
  return l.value !== undefined && l.value !== '' && !Array.isArray(l.value);
}

export type Expr =
  | { and: Expr[] }
  | { or: Expr[] }
  | { not: Expr }
  | { tag: string; op: LeafOp; value?: Scalar | Scalar[] };

/** The API expression for the complete parts of the tree, or undefined when nothing is complete yet. */
export function toExpr(n: Node): Expr | undefined {
  if (n.kind === 'leaf') {
    if (!leafComplete(n) || !n.tag) return undefined;
    return n.op === 'is_null' || n.op === 'not_null'
      ? { tag: n.tag, op: n.op }
      : { tag: n.tag, op: n.op, value: n.value as Scalar | Scalar[] };
  }
  const parts = n.children.map(toExpr).filter((e): e is Expr => e !== undefined);
  if (parts.length === 0) return undefined;
  const inner: Expr = n.op === 'and' ? { and: parts } : { or: parts };
  return n.negated ? { not: inner } : inner;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Rebuilds an editable tree from a saved expression (unknown shapes become an empty group). */
export function fromExpr(e: unknown): GroupNode {
  const node = (x: unknown): Node => {
    if (isObj(x) && Array.isArray(x.and)) return { ...emptyGroup('and'), children: x.and.map(node) };
    if (isObj(x) && Array.isArray(x.or)) return { ...emptyGroup('or'), children: x.or.map(node) };
    if (isObj(x) && 'not' in x) {
      const inner = node(x.not);
      if (inner.kind === 'group' && !inner.negated) return { ...inner, negated: true };
      return { ...emptyGroup('and'), negated: true, children: [inner] };
    }
    if (isObj(x) && typeof x.tag === 'string' && typeof x.op === 'string') {
      const v = x.value;
      return {
        kind: 'leaf',
        id: newId(),
        tag: x.tag,
        op: x.op as LeafOp,
        value: Array.isArray(v) ? v.filter(isScalar) : isScalar(v) ? v : undefined,
      };
    }
    return emptyLeaf();
  };
  const root = node(e);
  return root.kind === 'group' ? root : { ...emptyGroup('and'), children: [root] };
}

/** Returns the tree with node `id` replaced by `f(node)` (or removed when `f` returns undefined). */
export function update(n: Node, id: string, f: (x: Node) => Node | undefined): Node | undefined {
  if (n.id === id) return f(n);
  if (n.kind === 'leaf') return n;
  return { ...n, children: n.children.map((c) => update(c, id, f)).filter((c): c is Node => c !== undefined) };
}

export function countLeaves(n: Node): number {
  return n.kind === 'leaf' ? 1 : n.children.reduce((a, c) => a + countLeaves(c), 0);
}
