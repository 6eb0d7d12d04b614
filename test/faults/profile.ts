/** Sizes of the reliability suite: `ci` (shortened, < 5 minutes on 2 cores) or `full`. */
export const profile =
  process.env.FAULTS_PROFILE === 'ci'
    ? { name: 'ci', killTrials: 20, convergeUsers: 2000, fuzzCases: 1000 }
    : { name: 'full', killTrials: 50, convergeUsers: 2000, fuzzCases: 3000 };
