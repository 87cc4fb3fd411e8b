/**
 * The reporter jest.config.js installs so that a skipped, todo or focused test fails the run (tried by
 * hand too: a file with `it.skip`, `it.todo` or `it.only` makes `npx jest <file>` exit 1).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NoSkippedTestsReporter = require('../setup/no-skipped-tests-reporter.js');

interface Reporter {
  onTestResult(test: unknown, result: unknown): void;
  onRunComplete(): void;
  getLastError(): Error | undefined;
}

function reportOf(statuses: string[], globalConfig: object = {}): Reporter {
  const reporter = new NoSkippedTestsReporter(globalConfig) as Reporter;
  const testResults = statuses.map((status, i) => ({ status, fullName: `case ${i}` }));
  reporter.onTestResult({}, { testFilePath: '/x.test.ts', testResults });
  return reporter;
}

describe('no-skipped-tests reporter', () => {
  it('passes a run where every test ran', () => {
    expect(reportOf(['passed', 'failed']).getLastError()).toBeUndefined();
  });

  it('does not judge a run narrowed with -t, which skips the other tests on purpose', () => {
    expect(reportOf(['passed', 'pending'], { testNamePattern: 'halts' }).getLastError()).toBeUndefined();
  });

  it.each(['pending', 'todo', 'skipped', 'disabled', 'focused'])('fails a run with a %s test', (status) => {
    const reporter = reportOf(['passed', status]);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      reporter.onRunComplete();
    } finally {
      write.mockRestore();
    }
    expect(reporter.getLastError()?.message).toBe('1 test(s) skipped, todo or focused');
  });
});
