/**
 * Fails the jest run when any test was skipped (`it.skip`, `xit`, `describe.skip`), left as `it.todo`,
 * or not run because another test in its file was focused (`it.only`, `fit`): a green run must mean
 * every test ran. Jest exits non-zero when a reporter's getLastError returns an error. A run narrowed
 * with `-t` skips the tests whose names do not match on purpose, so such a run is not checked.
 */
class NoSkippedTestsReporter {
  constructor(globalConfig) {
    this.narrowed = Boolean(globalConfig && globalConfig.testNamePattern);
    this.skipped = [];
  }

  /** Records every test of a finished file that did not run. */
  onTestResult(_test, result) {
    if (this.narrowed) return;
    for (const t of result.testResults) {
      if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo' || t.status === 'disabled' || t.status === 'focused') {
        this.skipped.push(`${result.testFilePath}: ${t.fullName} (${t.status})`);
      }
    }
  }

  /** Prints the tests that did not run, so the failure names them. */
  onRunComplete() {
    if (this.skipped.length === 0) return;
    process.stderr.write(`\n${this.skipped.length} test(s) did not run (skip, todo or only); remove the marker:\n`);
    for (const line of this.skipped) process.stderr.write(`  ${line}\n`);
  }

  /** Makes jest exit non-zero when any test did not run. */
  getLastError() {
    return this.skipped.length === 0 ? undefined : new Error(`${this.skipped.length} test(s) skipped, todo or focused`);
  }
}

module.exports = NoSkippedTestsReporter;
