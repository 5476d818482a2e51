import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { setAnnouncerRegion } from '../common/announcer';
import { useNewWorkAlerts } from '../agent/new-work';
import { useSession } from '../session/session';
import { AvailabilityPicker } from './AvailabilityPicker';
import { ConnectionBadge } from './ConnectionBadge';
import { HelpDialog } from './HelpDialog';
import { Link } from './Link';
import { PreferencesMenu } from './PreferencesMenu';
import { useShortcut } from './shortcuts';

interface Section {
  path: string;
  label: string;
  visible: boolean;
}

/** The frame of every signed-in page: navigation, live state, availability, notifications, help, sign-out. */
export function Shell(props: { path: string; children: ComponentChildren }) {
  const session = useSession();
  const [help, setHelp] = useState(false);
  useShortcut('help', () => setHelp(true));
  useNewWorkAlerts();
  const can = session.can;
  const sections: Section[] = [
    { path: 'conversations', label: 'Conversations', visible: can('conversation.view') },
    { path: 'manager', label: 'Operations', visible: can('reports.view') },
    { path: 'manager/reports', label: 'Reports', visible: can('reports.view') },
    { path: 'manager/audit', label: 'Audit log', visible: can('audit.view') },
    { path: 'manager/users', label: 'Users', visible: can('users.manage') },
    { path: 'manager/profiles', label: 'Profiles', visible: can('users.manage') },
    { path: 'manager/policy', label: 'Account policy', visible: can('users.manage') },
  ];
  const current = (section: Section) =>
    section.path === 'conversations' ? props.path === '' || props.path.startsWith('conversations') : props.path === section.path;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <span class="brand-name">Switchboard</span>
        <nav aria-label="Sections">
          <ul>
            {sections.filter((section) => section.visible).map((section) => (
              <li key={section.path}>
                <Link to={section.path} current={current(section)}>{section.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar-tools">
          <ConnectionBadge />
          {can('conversation.accept') && <AvailabilityPicker />}
          <PreferencesMenu />
          <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="Alt+H">Shortcuts</button>
          <span class="who">{session.me.user.name}</span>
          <Link to="account/password">Password</Link>
          <button type="button" onClick={() => session.signOut()}>Sign out</button>
        </div>
      </header>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true" ref={setAnnouncerRegion} />
      <main id="main" tabIndex={-1}>{props.children}</main>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
