import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export interface Tab<K extends string> {
  key: K;
  label: string;
  /** Shown after the label, e.g. how many items the list holds. */
  count?: string;
}

/** WAI-ARIA tabs: arrow keys, Home and End move between them (one tab stop), the panel follows. */
export function ListTabs<K extends string>(props: { label: string; tabs: Tab<K>[]; selected: K; onSelect: (key: K) => void; children: ComponentChildren }) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent) => {
    const index = props.tabs.findIndex((tab) => tab.key === props.selected);
    const last = props.tabs.length - 1;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = props.tabs[(next + props.tabs.length) % props.tabs.length]!;
    props.onSelect(target.key);
    list.current?.querySelector<HTMLElement>(`#tab-${target.key}`)?.focus();
  };
  return (
    <div class="list-tabs">
      <div role="tablist" aria-label={props.label} ref={list} onKeyDown={move}>
        {props.tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            id={`tab-${tab.key}`}
            aria-selected={tab.key === props.selected}
            aria-controls={`panel-${tab.key}`}
            tabIndex={tab.key === props.selected ? 0 : -1}
            onClick={() => props.onSelect(tab.key)}
          >
            {tab.label}
            {tab.count !== undefined && <span class="tab-count"> ({tab.count})</span>}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${props.selected}`} aria-labelledby={`tab-${props.selected}`}>
        {props.children}
      </div>
    </div>
  );
}
