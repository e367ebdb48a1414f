import { createElement, useMemo, type ReactNode } from 'react';
import { markdownToSafeTree, type SafeNode } from '../../lib/markdown.ts';

function render(nodes: SafeNode[], prefix: string): ReactNode[] {
  return nodes.map((n, i) => {
    if (typeof n === 'string') return n;
    const key = `${prefix}.${i}`;
    const props: Record<string, unknown> = { key };
    if (n.href)
      Object.assign(props, { href: n.href, target: '_blank', rel: 'noopener noreferrer nofollow' });
    if (n.start !== undefined) props.start = n.start;
    if (n.className) props.className = n.className;
    // Void elements take no children.
    if (n.tag === 'br' || n.tag === 'hr') return createElement(n.tag, props);
    return createElement(n.tag, props, ...render(n.children, key));
  });
}

/** Markdown shown through the allow-list of lib/markdown.ts: no HTML string is ever inserted. */
export function MarkdownView({ source, label }: { source: string; label?: string }) {
  const nodes = useMemo(() => render(markdownToSafeTree(source), 'md'), [source]);
  return (
    <div className="markdown" {...(label ? { role: 'region', 'aria-label': label } : {})}>
      {nodes}
    </div>
  );
}
