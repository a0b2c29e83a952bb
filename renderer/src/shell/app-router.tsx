import { createHashRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { CostsPage } from '../pages/costs-page';
import { DatasetPage } from '../pages/datasets/dataset-page';
import { DatasetsListPage } from '../pages/datasets/datasets-list-page';
import { DatasetsSection } from '../pages/datasets/datasets-section';
import { ModelsPage } from '../pages/models-page';
import { SettingsPage } from '../pages/settings/settings-page';
import { TrainingPage } from '../pages/training-page';
import { ShellLayout } from './shell-layout';

// Hash routing: works from file:// in Electron and from any path in serve mode.
const router = createHashRouter([
  {
    path: '/',
    element: <ShellLayout />,
    children: [
      { index: true, element: <Navigate to="/datasets" replace /> },
      {
        path: 'datasets',
        element: <DatasetsSection />,
        children: [
          { index: true, element: <DatasetsListPage /> },
          { path: ':id', element: <DatasetPage /> },
        ],
      },
      { path: 'training', element: <TrainingPage /> },
      { path: 'models', element: <ModelsPage /> },
      { path: 'costs', element: <CostsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <Navigate to="/datasets" replace /> },
    ],
  },
]);

/** The routed app (shown once `app.info` has answered). */
export function AppRouter() {
  return <RouterProvider router={router} />;
}
