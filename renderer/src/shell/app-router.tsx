import { createHashRouter, Navigate } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { CostsPage } from '../pages/costs/costs-page';
import { DatasetPage } from '../pages/datasets/dataset-page';
import { DatasetsListPage } from '../pages/datasets/datasets-list-page';
import { DatasetsSection } from '../pages/datasets/datasets-section';
import { GpuDashboardPage } from '../pages/gpus/gpu-dashboard-page';
import { LibraryPage } from '../pages/library/library-page';
import { SettingsPage } from '../pages/settings/settings-page';
import { FirstRunPage } from '../pages/setup/first-run-page';
import { ComparePage } from '../pages/training/compare/compare-page';
import { JobPage } from '../pages/training/job/job-page';
import { TrainingLayout } from '../pages/training/training-layout';
import { TrainingPage } from '../pages/training/training-page';
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
      {
        path: 'training',
        element: <TrainingLayout />,
        children: [
          { index: true, element: <TrainingPage /> },
          {
            path: 'new',
            // Its own chunk: the form validates with the contract's zod schemas, which the rest of the UI never loads.
            lazy: async () => ({
              Component: (await import('../pages/training/new-job/new-job-page')).NewJobPage,
            }),
          },
          { path: 'jobs/:id', element: <JobPage /> },
          { path: 'compare', element: <ComparePage /> },
        ],
      },
      { path: 'gpus', element: <GpuDashboardPage /> },
      { path: 'models', element: <LibraryPage /> },
      { path: 'models/:id', element: <LibraryPage /> },
      { path: 'costs', element: <CostsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'setup', element: <FirstRunPage /> },
      { path: '*', element: <Navigate to="/datasets" replace /> },
    ],
  },
]);

/** The routed app (shown once `app.info` has answered). */
export function AppRouter() {
  return <RouterProvider router={router} />;
}
