import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell } from '../components/layout/app-shell';
import { AdminsPage } from '../features/admins/components/admins-page';
import { AlertsPage } from '../features/alerts/components/alerts-page';
import { ChangeHistory } from '../features/directory/components/change-history';
import { DirectoryLayout } from '../features/directory/components/directory-layout';
import { DirectorySourcePage } from '../features/directory/components/directory-source';
import { GroupDetail } from '../features/directory/components/group-detail';
import { GroupsList } from '../features/directory/components/groups-list';
import { OrgUnits } from '../features/directory/components/org-units';
import { UserDetail } from '../features/directory/components/user-detail';
import { UserNew } from '../features/directory/components/user-new';
import { UsersList } from '../features/directory/components/users-list';
import { RequireSession } from './routes/require-session';
import { SetupRoute } from './routes/setup';
import { ResetPasswordRoute } from './routes/reset-password';
import { SignInRoute } from './routes/sign-in';
import { AccountSecurityPage } from '../features/account/components/account-security-page';
import { paths } from '../features/account/components/paths';
import { NotFoundRoute, RouteErrorPage } from './routes/simple-pages';
import { ReportPage } from '../features/apps/components/report-page';
import { OnDemandPage } from '../features/apps/components/on-demand-page';
import { UsageLogPage } from '../features/reports/components/usage-log-page';
import {
  DeletedConfigurationHistoryPage,
  DeletedConfigurationReportPage,
  DeletedConfigurationsPage,
} from '../features/reports/components/deleted-configurations';
import { AppPage } from '../features/apps/components/app-page';
import { AppsPage } from '../features/apps/components/apps-page';
import { EditDeprovisioningPage, EditScopePage } from '../features/apps/components/manage-pages';
import { SsoPage } from '../features/apps/components/sso-page';
import { SetupWizard } from '../features/apps/components/wizard/setup-wizard';

export const routes = [
  { path: '/setup', element: <SetupRoute />, errorElement: <RouteErrorPage /> },
  { path: '/sign-in', element: <SignInRoute />, errorElement: <RouteErrorPage /> },
  { path: '/reset-password', element: <ResetPasswordRoute />, errorElement: <RouteErrorPage /> },
  {
    element: <RequireSession />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <Navigate to="/apps" replace /> },
          { path: 'apps', element: <AppsPage /> },
          { path: 'apps/:key', element: <AppPage /> },
          { path: 'apps/:key/sso', element: <SsoPage /> },
          { path: 'apps/:key/setup/:step', element: <SetupWizard /> },
          { path: 'apps/:key/scope', element: <EditScopePage /> },
          { path: 'apps/:key/deprovisioning', element: <EditDeprovisioningPage /> },
          { path: 'apps/:key/runs/:runId', element: <ReportPage /> },
          { path: 'apps/:key/on-demand', element: <OnDemandPage /> },
          {
            path: 'directory',
            element: <DirectoryLayout />,
            children: [
              { index: true, element: <Navigate to="users" replace /> },
              { path: 'users', element: <UsersList /> },
              { path: 'users/new', element: <UserNew /> },
              { path: 'users/:id', element: <UserDetail /> },
              { path: 'groups', element: <GroupsList /> },
              { path: 'groups/:id', element: <GroupDetail /> },
              { path: 'org-units', element: <OrgUnits /> },
              { path: 'changes', element: <ChangeHistory /> },
              { path: 'source', element: <DirectorySourcePage /> },
            ],
          },
          { path: 'reports', element: <UsageLogPage /> },
          { path: 'reports/deleted-configurations', element: <DeletedConfigurationsPage /> },
          { path: 'reports/deleted-configurations/:id', element: <DeletedConfigurationHistoryPage /> },
          { path: 'reports/deleted-configurations/:id/runs/:runId', element: <DeletedConfigurationReportPage /> },
          { path: 'alerts', element: <AlertsPage /> },
          { path: 'admins', element: <AdminsPage /> },
          { path: paths.accountSecurity, element: <AccountSecurityPage /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
