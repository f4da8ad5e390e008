/** Where the admin's own account page lives (linked from the top bar and the sign-in gate). */
export const paths = { accountSecurity: '/account/security' } as const;
