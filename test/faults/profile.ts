/**
 * Sizes of the reliability suite: `ci` (shortened, a few minutes on 2 cores) or `full`. Crash
 * trials: `crashTrials` spread over the account, order, user and license phases, plus
 * `welcomeCrashTrials` inside the welcome phase.
 */
export const profile =
  process.env.FAULTS_PROFILE === 'ci'
    ? { name: 'ci', crashTrials: 4, welcomeCrashTrials: 10, convergeUsers: 2000, fuzzCases: 1000, concurrencyUsersPerAccount: 200 }
    : { name: 'full', crashTrials: 40, welcomeCrashTrials: 50, convergeUsers: 5000, fuzzCases: 3000, concurrencyUsersPerAccount: 300 };
