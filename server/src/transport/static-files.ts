/** Finding the static files a route serves, in the source tree and in the compiled build alike. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder of static files next to a compiled module (`hereDir`/public), or, because the compiled
 * build (dist/) does not copy static files, the same folder in the source tree (`sourceDir`, relative
 * to the working directory).
 */
export function staticDir(hereDir: string, sourceDir: string): string {
  const here = path.join(hereDir, 'public');
  try {
    readFileSync(path.join(here, 'index.html'));
    return here;
  } catch {
    return path.join(process.cwd(), sourceDir);
  }
}
