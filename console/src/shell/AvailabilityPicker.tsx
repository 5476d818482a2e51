import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Availability } from '../api/types';
import { ErrorNote } from '../common/ErrorNote';
import { useSession } from '../session/session';

/** Online (receive conversations), away (keep mine, accept by hand), offline. */
export function AvailabilityPicker() {
  const session = useSession();
  const [value, setValue] = useState<Availability>(session.me.user.availability);
  const [error, setError] = useState<unknown>();
  const change = async (availability: Availability) => {
    setError(undefined);
    const before = value;
    setValue(availability);
    try {
      await api('PUT', '/api/v1/me/availability', { body: { availability } });
      await session.refresh();
    } catch (caught) {
      setValue(before);
      setError(caught);
    }
  };
  return (
    <span class="availability">
      <label>
        Availability{' '}
        <select value={value} onChange={(e) => change(e.currentTarget.value as Availability)}>
          <option value="online">Online</option>
          <option value="away">Away</option>
          <option value="offline">Offline</option>
        </select>
      </label>
      <ErrorNote error={error} />
    </span>
  );
}
