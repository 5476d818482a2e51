import { Dialog } from '../../common/Dialog';

/** Closing ends the agent's work on it (it can be reopened for a while): asked once. */
export function CloseDialog(props: { open: boolean; onClose: () => void; onConfirm: () => void }) {
  return (
    <Dialog title="Close the conversation?" open={props.open} onClose={props.onClose} role="alertdialog">
      <p>No reply can be sent once it is closed. You can reopen it for a while afterwards.</p>
      <div class="row">
        <button type="button" class="primary" onClick={() => { props.onClose(); props.onConfirm(); }}>Close conversation</button>
        <button type="button" onClick={props.onClose}>Keep it open</button>
      </div>
    </Dialog>
  );
}
