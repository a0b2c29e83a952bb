import { useEffect } from 'react';
import { Outlet } from 'react-router';
import { useClient } from '../../api/client-context';
import { connectTraining } from '../../state/connect-training';

/** The parent route of every training page: keeps the job store live while any of them is open. */
export function TrainingLayout() {
  const client = useClient();
  useEffect(() => connectTraining(client), [client]);
  return <Outlet />;
}
