import { Dialog } from '../common/Dialog';
import { shortcuts } from './shortcuts';

/** The keyboard shortcuts, listed (Alt+H). */
export function HelpDialog(props: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" open={props.open} onClose={props.onClose}>
      <table class="shortcuts">
        <caption class="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr><th scope="col">Keys</th><th scope="col">Action</th></tr>
        </thead>
        <tbody>
          {Object.values(shortcuts).map((shortcut) => (
            <tr key={shortcut.code}>
              <td><kbd>{shortcut.label}</kbd></td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Tab and Shift+Tab move between controls; Escape closes a dialog.</p>
      <button type="button" class="primary" onClick={props.onClose}>Close</button>
    </Dialog>
  );
}
