import { ApiError } from '../api/client';

/** An API refusal in words: the server's message, which names the reason (closed, opted out, ...). */
export function ErrorNote(props: { error: unknown; id?: string }) {
  if (!props.error) return null;
  const message = props.error instanceof ApiError ? props.error.message : 'Something went wrong: try again';
  return (
    <p class="error" role="alert" id={props.id}>
      {message}
    </p>
  );
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong: try again';
}
