// `npm run budget -w apps/admin` after `npm run build -w apps/admin`: prints the first page's gzipped size and fails
// when it is over the budget (500 KB). The browser tests run the same check on the build they start.
import { fileURLToPath } from 'node:url';
import { budgetText, measureFirstPage } from './bundleBudget';

const report = measureFirstPage(fileURLToPath(new URL('../dist', import.meta.url)));
console.log(budgetText(report));
if (!report.ok) process.exitCode = 1;
