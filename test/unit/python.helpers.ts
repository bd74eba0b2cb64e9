/** Finding a python3 for the tests that check exports with real Python tools (PyTorch, the ONNX checker). */
import { spawnSync } from 'node:child_process';

/** The first python3 that can import `module` (Debian's python3-* packages live under /usr/bin/python3). */
export function findPythonWith(module: string): string | null {
  for (const py of [process.env['CNN_STUDIO_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    const r = spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}
