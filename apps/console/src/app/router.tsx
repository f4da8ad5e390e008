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
import { paths } from '../lib/paths';
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
  { path: paths.setup, element: <SetupRoute />, errorElement: <RouteErrorPage /> },
  { path: paths.signIn, element: <SignInRoute />, errorElement: <RouteErrorPage /> },
  { path: paths.resetPassword, element: <ResetPasswordRoute />, errorElement: <RouteErrorPage /> },
  {
    element: <RequireSession />,
    errorElement: <RouteErrorPage />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <Navigate to={paths.apps} replace /> },
          { path: paths.apps, element: <AppsPage /> },
          { path: paths.app(':key'), element: <AppPage /> },
          { path: paths.appSso(':key'), element: <SsoPage /> },
          { path: paths.setupStep(':key', ':step'), element: <SetupWizard /> },
          { path: paths.editScope(':key'), element: <EditScopePage /> },
          { path: paths.editDeprovisioning(':key'), element: <EditDeprovisioningPage /> },
          { path: paths.runReport(':key', ':runId'), element: <ReportPage /> },
          { path: paths.onDemand(':key'), element: <OnDemandPage /> },
          {
            path: paths.directory,
            element: <DirectoryLayout />,
            children: [
              { index: true, element: <Navigate to={paths.users()} replace /> },
              { path: paths.users(), element: <UsersList /> },
              { path: paths.newUser, element: <UserNew /> },
              { path: paths.user(':id'), element: <UserDetail /> },
              { path: paths.groups, element: <GroupsList /> },
              { path: paths.group(':id'), element: <GroupDetail /> },
              { path: paths.orgUnits, element: <OrgUnits /> },
              { path: paths.changes, element: <ChangeHistory /> },
              { path: paths.directorySource, element: <DirectorySourcePage /> },
            ],
          },
          { path: paths.reports, element: <UsageLogPage /> },
          { path: paths.deletedConfigurations, element: <DeletedConfigurationsPage /> },
          { path: paths.deletedConfiguration(':id'), element: <DeletedConfigurationHistoryPage /> },
          { path: paths.deletedConfigurationReport(':id', ':runId'), element: <DeletedConfigurationReportPage /> },
          { path: paths.alerts, element: <AlertsPage /> },
          { path: paths.admins, element: <AdminsPage /> },
          { path: paths.accountSecurity, element: <AccountSecurityPage /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
