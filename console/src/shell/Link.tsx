import type { ComponentChildren } from 'preact';
import { consoleBase, navigate } from './router';

/** A real link (opens in a new tab with a modifier) that navigates in place otherwise. */
export function Link(props: { to: string; children: ComponentChildren; class?: string; current?: boolean; 'aria-label'?: string }) {
  return (
    <a
      href={consoleBase + props.to}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      aria-label={props['aria-label']}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
