/**
 * The training feature's command ids, in one place so the sidebar, the runs tree, the designer and
 * package.json agree. Arguments each command accepts are listed beside it.
 */
export const TRAINING_COMMANDS = {
  /** `(modelUri?: Uri)` — train the given model, else the active designer's / editor's `.cnn.json`, else ask. */
  train: 'cnnStudio.trainModel',
  pause: 'cnnStudio.pauseTraining',
  resume: 'cnnStudio.resumeTraining',
  stop: 'cnnStudio.stopTraining',
  /** Shows the dashboard beside the designer (the current run, else an empty state). */
  openDashboard: 'cnnStudio.openDashboard',
  /** `(runDir?: string | Uri | { runDir: string })` — open a run folder's history in the dashboard; asks when absent. */
  openRun: 'cnnStudio.openRun',
  /** `(runDirs?: string[])` — overlay runs' curves; asks (multi-pick) when absent. */
  compareRuns: 'cnnStudio.compareRuns',
  /** `(runDir?: …)` — write the run's metrics as CSV (asks where). */
  exportMetricsCsv: 'cnnStudio.exportMetricsCsv',
  /** `(runDir?: …)` — confusion matrix and per-class scores in the dashboard. */
  evaluateRun: 'cnnStudio.evaluateRun',
  /** `(runDir?: …, imageUri?: Uri)` — top classes of an image in a notification ("Show": in the dashboard); asks for the run when absent and several can predict. */
  predictImage: 'cnnStudio.predictImage',
  /** `(layerId: string)` — the designer selected a layer: show its feature maps in the dashboard. */
  showLayerFeatureMaps: 'cnnStudio.showLayerFeatureMaps',
  /**
   * `(runDir?: string | Uri | { runDir: string }, modelUri?: Uri)` — train a model (the active one, else
   * asks) as a new run starting from a run's weights, matched by layer name and shape (asks for the run).
   */
  fineTuneFromRun: 'cnnStudio.fineTuneFromRun',
  /** Walkthrough step: writes the generated "shapes" dataset into the workspace. */
  makeSampleDataset: 'cnnStudio.makeSampleDataset',
} as const;

export type TrainingCommandId = (typeof TRAINING_COMMANDS)[keyof typeof TRAINING_COMMANDS];

/** Context keys set for `when` clauses (menus, the sidebar's buttons). */
export const TRAINING_CONTEXT = {
  /** 'idle' | 'running' | 'paused' */
  state: 'cnnStudio.trainingState',
} as const;
