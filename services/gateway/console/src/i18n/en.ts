import type { Messages } from './zh';

export const en: Messages = {
  app: {
    name: 'Shouwang',
    title: 'Shouwang · Relative-poverty monitoring',
    subtitle: 'Ganzhou relative-poverty monitoring and assistance',
    language: 'Language',
  },
  signIn: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    failed: 'Sign-in failed',
    expired: 'Your session has expired; please sign in again',
    signedOut: 'You have signed out',
  },
  layout: {
    signOut: 'Sign out',
    role: 'Role',
    area: 'Area',
    department: 'Department',
    navigation: 'Navigation',
  },
  pages: {
    placeholder: 'This page comes in a later release.',
    households: {
      note: 'Household records (one form per household): register, update and screen the households of your area.',
    },
    reports: { note: 'Reports: monitoring objects, identification and assistance in your area.' },
    users: { note: 'Users: accounts, roles and areas for cadres, officers and departments.' },
    audit: { note: 'Audit trail: every change to every record, read-only.' },
    forbidden: { title: 'Not allowed', note: 'Your role may not use this page.' },
    notFound: { title: 'Page not found', note: 'Choose a page from the navigation.' },
    backHome: 'Back to start',
  },
  departments: {
    health: 'Health',
    medical_insurance: 'Medical insurance',
    civil_affairs: 'Civil affairs',
    education: 'Education',
    human_resources: 'Human resources and social security',
    agriculture: 'Agriculture and rural affairs',
    emergency_management: 'Emergency management',
    disabled_persons_federation: "Disabled Persons' Federation",
    housing: 'Housing and urban-rural development',
    public_security: 'Public security',
    natural_resources: 'Natural resources',
    insurer: 'Insurer',
  },
  errors: {
    network: 'Cannot reach the server; check the network and try again',
    unexpected: 'The server gave an unexpected answer ({{status}})',
    requestId: 'Request id',
  },
};
